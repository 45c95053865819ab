#!/usr/bin/env bash
# Issue 15 (decision 0024): the article page as the shared copy, for readers whose
# browser runs the page script, straight from Tribune and through the shipped nginx
# micro-cache, and the per-reader JSON. Called by bench/run.sh with Tribune serving;
# can be run alone against a running `tribune serve` (same environment):
#
#   bash bench/shared_copy.sh URL RUN_ID DURATION N[,N...]
#
# Targets: tribune-signed-cached (a signed-in reader, Cookie: sessionid + tribune_js),
# tribune-voter-cached (a returning guest who voted, with tribune_js),
# tribune-me-signed and tribune-me-empty (GET /api/threads/<id>/me for that reader
# and for one without cookies), tribune-proxied-cached (the page through nginx with
# deploy/nginx/tribune.conf, bench/nginx_front.py, a reader with tribune_js).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
SHARED="$(cd "${BENCH_SHARED:-$ROOT/../shared/bench}" && pwd)"
TRIBUNE="${TRIBUNE:-$ROOT/.venv/bin/tribune}"
URL="$1"; RUN_ID="$2"; DURATION="$3"; ALL_N="$4"
FRONT_PORT="${BENCH_FRONT_PORT:-8088}"
FRONT="http://127.0.0.1:$FRONT_PORT"

# A signed-in reader: a session in the server's own store.
SIGNED="$("$TRIBUNE" shell -c '
from django.contrib.auth import get_user_model
from django.test import Client
user, _ = get_user_model().objects.get_or_create(
    username="bench-reader", defaults={"email": "bench-reader@example.org"})
client = Client()
client.force_login(user)
print("sessionid=" + client.cookies["sessionid"].value)
' | tail -n 1)"

PREFIX="$(mktemp -d "${TMPDIR:-/tmp}/tribune-front.XXXXXX")"
python3 bench/nginx_front.py --upstream "${URL##*:}" --listen "$FRONT_PORT" \
    --prefix "$PREFIX" > "$PREFIX/front.log" 2>&1 &
FRONT_PID=$!
trap 'kill "$FRONT_PID" 2>/dev/null || true; wait "$FRONT_PID" 2>/dev/null || true; rm -rf "$PREFIX"' EXIT
for _ in $(seq 1 40); do
    (exec 3<>"/dev/tcp/127.0.0.1/$FRONT_PORT") 2>/dev/null && break
    sleep 0.25
done

get() {  # target url n meta [header]
    local target="$1" url="$2" n="$3" meta="$4"
    shift 4
    python3 "$SHARED/bench.py" get "$url" --target "$target" --n "$n" \
        --duration "$DURATION" --meta "reader=$meta" --meta "run=$RUN_ID" "$@"
}

for n in ${ALL_N//,/ }; do
    page="/benchmarks/tribune-all-$RUN_ID-n$n/"
    # An anonymous request stores the copy the others share.
    html="$(python3 -c "import urllib.request as u; print(u.urlopen('$URL$page').read().decode())")"
    id="$(grep -o 'data-page="[0-9]*"' <<< "$html" | head -n 1 | tr -dc 0-9)"
    get tribune-signed-cached "$URL$page" "$n" "signed in, script (shared copy)" \
        --header "Cookie: $SIGNED; tribune_js=1"
    get tribune-me-signed "$URL/api/threads/$id/me" "$n" "signed in (own state JSON)" \
        --header "Cookie: $SIGNED"
    get tribune-me-empty "$URL/api/threads/$id/me" "$n" "no cookie (empty state JSON)"
    get tribune-proxied-cached "$FRONT$page" "$n" "script, through nginx micro-cache" \
        --header "Cookie: tribune_js=1"
done
