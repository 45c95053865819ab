"""Start nginx with the shipped site file (deploy/nginx/tribune.conf) in front of a
Tribune on loopback, for the `proxied` benchmark targets (issue 15, decision 0024).

    python3 bench/nginx_front.py --upstream 8000 --listen 8080 --prefix /tmp/front

The file is used as shipped except where a bench must differ: both web nodes become
the one Tribune given, TLS becomes plain HTTP on the given port, paths go under
--prefix. The micro-cache, its key and its bypass rules are untouched. Runs nginx in
the foreground until killed (SIGTERM/SIGINT).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "deploy" / "nginx" / "tribune.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def _swap(text: str, old: str, new: str) -> str:
    if old not in text:
        sys.exit(f"deploy/nginx/tribune.conf no longer contains {old!r}")
    return text.replace(old, new)


def config(upstream: int, listen: int, prefix: Path) -> str:
    site = SITE.read_text()
    site = _swap(site, "server 10.0.0.11:8000", f"server 127.0.0.1:{upstream}")
    site = re.sub(r"\n\s*server 10\.0\.0\.12:8000[^;]*;", "", site)
    site = _swap(site, "/var/cache/nginx/tribune", str(prefix / "cache"))
    site = _swap(site, "/var/log/nginx/", f"{prefix}/")
    site = _swap(site, "/srv/tribune/var/", f"{prefix}/var/")
    # The redirecting port-80 server goes; the TLS server listens in plain HTTP.
    site = re.sub(r"server \{\n\s*listen 80;.*?\n\}\n", "", site, count=1, flags=re.S)
    site = _swap(site, "listen 443 ssl http2;", f"listen 127.0.0.1:{listen};")
    site = re.sub(r"\n\s*listen \[::\]:\d+[^;]*;", "", site)
    site = re.sub(r"\n\s*ssl_[a-z_]+ [^;]*;", "", site)
    user = "user root root;" if os.geteuid() == 0 else ""
    temp = "\n".join(
        f"    {kind}_temp_path {prefix}/{kind}-temp;"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""{user}
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
{temp}
{site}
}}
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--upstream", type=int, default=8000)
    parser.add_argument("--listen", type=int, default=8080)
    parser.add_argument("--prefix", type=Path, default=Path("/tmp/tribune-front"))
    args = parser.parse_args()
    prefix = args.prefix.resolve()
    (prefix / "var").mkdir(parents=True, exist_ok=True)
    conf = prefix / "nginx.conf"
    conf.write_text(config(args.upstream, args.listen, prefix))
    os.execv(NGINX, [NGINX, "-p", str(prefix), "-c", str(conf), "-g", "daemon off;"])


if __name__ == "__main__":
    main()
