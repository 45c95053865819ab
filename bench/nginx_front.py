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
sys.path.insert(0, str(ROOT))
from tribune.core.testing import SHIPPED_NGINX_SITE as SITE  # noqa: E402
from tribune.core.testing import nginx_conf, swap  # noqa: E402

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def config(upstream: int, listen: int, prefix: Path) -> str:
    site = SITE.read_text()
    site = swap(site, "server 10.0.0.11:8000", f"server 127.0.0.1:{upstream}")
    site = re.sub(r"\n\s*server 10\.0\.0\.12:8000[^;]*;", "", site)
    site = swap(site, "/var/cache/nginx/tribune", str(prefix / "cache"))
    site = swap(site, "/var/log/nginx/", f"{prefix}/")
    site = swap(site, "/srv/tribune/var/", f"{prefix}/var/")
    # The redirecting port-80 server goes; the TLS server listens in plain HTTP.
    site = re.sub(r"server \{\n\s*listen 80;.*?\n\}\n", "", site, count=1, flags=re.S)
    site = swap(site, "listen 443 ssl http2;", f"listen 127.0.0.1:{listen};")
    site = re.sub(r"\n\s*listen \[::\]:\d+[^;]*;", "", site)
    site = re.sub(r"\n\s*ssl_[a-z_]+ [^;]*;", "", site)
    return nginx_conf(site, prefix, connections=1024, access_log=False)


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
