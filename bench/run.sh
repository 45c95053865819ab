#!/usr/bin/env bash
# `make bench`: Tribune and its peers through the shared harness in one sitting, then the
# ratios into docs/benchmarks.md (between its "bench:results" markers).
#
#   bash bench/run.sh [bench.py run options, e.g. --n 10,100,1000 --duration 3]
#   make bench BENCH_ARGS="--n 10,100,1000 --duration 3"      (the same, quick pass)
#
# 1. a fresh state folder (TRIBUNE_VAR_DIR) with SQLite, or the DATABASE_URL given;
#    `tribune demo` with the benchmark settings; moderation "publish at once"
# 2. `tribune serve` on 127.0.0.1:$BENCH_PORT, then, read by a returning guest who voted
#    and whose browser runs the page script (the shared copy): TribuneAllAdapter (the
#    page with ?call=1, the whole thread; N in $BENCH_ALL_N, or the --n given; no POST
#    run), and TribuneAdapter (the article page as opened, first page of the thread;
#    GET and POST), then TribuneNoScriptAdapter (the same reader without the script:
#    the page rendered for them; GET only). Between the first two,
#    `bench.py get` measures the same pages for an anonymous reader (page cache):
#    targets tribune-cached and tribune-all-cached. Tribune is stopped, started again
#    with the page cache off (PAGECACHE_SECONDS=0) for TribuneUncachedAdapter (the
#    article page rendered for an anonymous reader; GET only), and stopped.
# 3. ../shared/bench/run_peers.sh (Isso, then nginx sized like today's responses)
# 4. bench/report.py: the targets, the compare tables and "Runs used" lines
#
# Env: BENCH_PORT (8000), WEB_CONCURRENCY (2 granian workers; TRIBUNE_THREADS per worker, 2),
#      BENCH_ALL_N (10,100,1000), BENCH_SHARED (../shared/bench), DATABASE_URL,
#      REDIS_URL, SECRET_KEY (a throwaway one when unset), BENCH_RESULTS
#      (./bench-results), BENCH_CACHE (~/.cache/tribune-bench), BENCH_KEEP_VAR=1 keeps
#      the state folder, BENCH_DOC (docs/benchmarks.md) the file whose results section
#      is rewritten.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
SHARED="$(cd "${BENCH_SHARED:-$ROOT/../shared/bench}" && pwd)"
TRIBUNE="$ROOT/.venv/bin/tribune"
PORT="${BENCH_PORT:-8000}"
URL="http://127.0.0.1:$PORT"
export BENCH_RESULTS="${BENCH_RESULTS:-$ROOT/bench-results}"
export BENCH_CACHE="${BENCH_CACHE:-$HOME/.cache/tribune-bench}"
export WEB_CONCURRENCY="${WEB_CONCURRENCY:-2}"
export DJANGO_SETTINGS_MODULE=tribune.config.settings.bench
export PYTHONDONTWRITEBYTECODE=1
if [ -z "${SECRET_KEY:-}" ]; then
    SECRET_KEY="$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')"
    export SECRET_KEY
fi
case "$(realpath -m "$BENCH_RESULTS")/ $(realpath -m "$BENCH_CACHE")/" in
    *"$SHARED/"*) echo "BENCH_RESULTS and BENCH_CACHE must be outside $SHARED" >&2; exit 2 ;;
esac

if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
    echo "127.0.0.1:$PORT is in use; stop that server or set BENCH_PORT" >&2
    exit 1
fi

TRIBUNE_VAR_DIR="$(mktemp -d "${TMPDIR:-/tmp}/tribune-bench.XXXXXX")"
export TRIBUNE_VAR_DIR
SERVER_PID=""
cleanup() {
    local rc=$?
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill "$SERVER_PID"
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    if [ "$rc" != 0 ] && [ -f "$TRIBUNE_VAR_DIR/serve.log" ]; then
        echo "== failed ($rc); the end of $TRIBUNE_VAR_DIR/serve.log:" >&2
        tail -n 40 "$TRIBUNE_VAR_DIR/serve.log" >&2
    fi
    if [ "${BENCH_KEEP_VAR:-0}" = 1 ] || [ "$rc" != 0 ]; then
        echo "state kept in $TRIBUNE_VAR_DIR"
    else
        rm -rf "$TRIBUNE_VAR_DIR"
    fi
}
trap cleanup EXIT

DB="SQLite in the state folder"
[ -n "${DATABASE_URL:-}" ] && DB="DATABASE_URL"
echo "== Tribune state in $TRIBUNE_VAR_DIR (database: $DB)"
"$TRIBUNE" demo > "$TRIBUNE_VAR_DIR/demo.log"
# Moderation off for the benchmark: the policy is a site setting in the database.
"$TRIBUNE" shell -c '
from tribune.discussion import selectors
from tribune.discussion.models import ModerationPolicy, SiteCommentsMode
rules = selectors.get_settings(None)
rules.moderation = ModerationPolicy.PUBLISH
rules.comments = SiteCommentsMode.OPEN
# Seeding posts and votes without a guest cookie, all from 127.0.0.1: each is a new
# guest, which the per-network limits refuse after 20 an hour (0 switches them off).
rules.new_guests_per_ip_per_hour = 0
rules.votes_per_ip_per_hour = 0
rules.save()
'

start_tribune() {
    echo "== tribune serve on $URL, $WEB_CONCURRENCY workers${1:+ ($1)}"
    # No access log, like the peers (nginx has access_log off, Isso's gunicorn logs none).
    TRIBUNE_ACCESS_LOG=off TRIBUNE_BIND="127.0.0.1:$PORT" "$TRIBUNE" serve \
        >> "$TRIBUNE_VAR_DIR/serve.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 240); do
        python3 -c "import urllib.request as u; u.urlopen('$URL/healthz', timeout=2)" \
            2>/dev/null && return 0
        kill -0 "$SERVER_PID" 2>/dev/null || { cat "$TRIBUNE_VAR_DIR/serve.log" >&2; exit 1; }
        sleep 0.5
    done
}
stop_tribune() {
    kill "$SERVER_PID"
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
}
start_tribune

# --duration and --n of the options, for the GET-only runs below (as run_peers.sh
# reads them); an --n given on the command line also sets the whole-thread sizes.
DURATION=10
ALL_N="${BENCH_ALL_N:-10,100,1000}"
prev=""
for arg in "$@"; do
    [ "$prev" = --duration ] && DURATION="$arg"
    [ "$prev" = --n ] && ALL_N="$arg"
    case "$arg" in
        --duration=*) DURATION="${arg#*=}" ;;
        --n=*) ALL_N="${arg#*=}" ;;
    esac
    prev="$arg"
done
RUN_ID="$(date +%Y%m%d-%H%M%S)"

echo "== load average before Tribune: $(cut -d' ' -f1-3 /proc/loadavg)"
# The whole thread (?call=1) first: its threads keep exactly N comments (no POST run),
# so the anonymous, page-cached GETs below can use them too.
python3 "$SHARED/bench.py" run --adapter bench/tribune_adapter.py:TribuneAllAdapter \
    --url "$URL" --run-id "$RUN_ID" --n "$ALL_N" "$@" --no-post
for n in ${ALL_N//,/ }; do
    page="/benchmarks/tribune-all-$RUN_ID-n$n/"
    python3 "$SHARED/bench.py" get "$URL$page" --target tribune-cached --n "$n" \
        --duration "$DURATION" --meta "reader=anonymous (page cache)" --meta "run=$RUN_ID"
    python3 "$SHARED/bench.py" get "$URL$page?call=1" --target tribune-all-cached \
        --n "$n" --duration "$DURATION" --meta "reader=anonymous (page cache)" \
        --meta "run=$RUN_ID"
done
# The shared copy for signed-in readers, the per-reader JSON, and the page through the
# shipped nginx with its micro-cache (issue 15, decision 0024).
TRIBUNE="$TRIBUNE" bash bench/shared_copy.sh "$URL" "$RUN_ID" "$DURATION" "$ALL_N"
python3 "$SHARED/bench.py" run --adapter bench/tribune_adapter.py:TribuneAdapter \
    --url "$URL" --run-id "$RUN_ID" "$@"
# The same reader without the script: the page rendered for them (threads of N).
python3 "$SHARED/bench.py" run --adapter bench/tribune_adapter.py:TribuneNoScriptAdapter \
    --url "$URL" --run-id "$RUN_ID" --n "$ALL_N" "$@" --no-post
stop_tribune

# The page as rendered after an invalidation: the page cache off, anonymous readers,
# threads of exactly N comments (no POST run).
PAGECACHE_SECONDS=0 start_tribune "page cache off"
python3 "$SHARED/bench.py" run --adapter bench/tribune_adapter.py:TribuneUncachedAdapter \
    --url "$URL" --run-id "$RUN_ID" --n "$ALL_N" "$@" --no-post
stop_tribune

echo "== peers (load average $(cut -d' ' -f1-3 /proc/loadavg))"
"$SHARED/run_peers.sh" "$@"

python3 bench/report.py --shared "$SHARED" --args "$*" --write "${BENCH_DOC:-docs/benchmarks.md}"
echo "== ${BENCH_DOC:-docs/benchmarks.md} updated"
