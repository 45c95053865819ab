"""A large WordPress export through `tribune import_wordpress`: time and peak memory.

Not a test. Writes a WXR 1.2 file of 133 MiB (1,000 posts with 72 wpDiscuz
comments each, threaded, with votes: 72,000 comments) into a temporary folder,
makes a fresh SQLite database there (or uses the DATABASE_URL given) with a home
page, then runs the real command in a subprocess and reports its wall time and
its peak resident memory (ru_maxrss of the child). The reader streams, so the
peak must stay far below the size of the file.

Run: PYTHONPATH=. .venv/bin/python bench/import_large.py [--posts 1000]
     [--comments 72] [--keep]
"""

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

from measured import run_measured  # bench/, beside this script

TMP = tempfile.mkdtemp(prefix="tribune-importbench-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tribune.config.settings.dev")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{TMP}/bench.sqlite3")
os.environ.setdefault("TRIBUNE_VAR_DIR", TMP)
os.environ.setdefault("SECRET_KEY", "bench-only")
os.environ.setdefault("LOG_LEVEL", "WARNING")

ROOT = Path(__file__).resolve().parents[1]
SITE = "https://old.example.org"
HEAD = f"""<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Bench Gazette</title><link>{SITE}</link>
<wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>{SITE}</wp:base_site_url>
<wp:base_blog_url>{SITE}</wp:base_blog_url>
<wp:author><wp:author_id>1</wp:author_id><wp:author_login><![CDATA[ed]]></wp:author_login>
<wp:author_email><![CDATA[ed@example.org]]></wp:author_email>
<wp:author_display_name><![CDATA[Ed Itor]]></wp:author_display_name></wp:author>
<wp:category><wp:term_id>2</wp:term_id><wp:category_nicename>news</wp:category_nicename>
<wp:category_parent></wp:category_parent><wp:cat_name><![CDATA[News]]></wp:cat_name>
</wp:category>
"""
PARAGRAPH = (
    "<p>The river rose two metres overnight and the ferry stayed at the quay; "
    "the council met at noon to hear the engineers on the state of the dam.</p>\n"
)
REMARK = (
    "I live by the north gauge and the water came faster than the forecast said. "
    "The sandbags held on our street but not on the next one over. "
)


def _comment(post: int, n: int, first_id: int) -> str:
    comment_id = first_id + n
    # Every fourth comment answers the one before it: threads four deep at most.
    parent = comment_id - 1 if n % 4 else 0
    body = escape(f"{n}: " + REMARK * 8)
    day = f"2026-03-{1 + post % 28:02d}"
    return f"""<wp:comment><wp:comment_id>{comment_id}</wp:comment_id>
<wp:comment_author><![CDATA[Reader {n}]]></wp:comment_author>
<wp:comment_author_email>r{n}@example.org</wp:comment_author_email>
<wp:comment_author_url></wp:comment_author_url>
<wp:comment_author_IP>192.0.2.{n % 250}</wp:comment_author_IP>
<wp:comment_date>{day} 10:{n % 60:02d}:00</wp:comment_date>
<wp:comment_date_gmt>{day} 09:{n % 60:02d}:00</wp:comment_date_gmt>
<wp:comment_content>{body}</wp:comment_content>
<wp:comment_approved>{"1" if n % 10 else "0"}</wp:comment_approved>
<wp:comment_type>comment</wp:comment_type><wp:comment_parent>{parent}</wp:comment_parent>
<wp:comment_user_id>0</wp:comment_user_id>
<wp:commentmeta><wp:meta_key>wpdiscuz_votes</wp:meta_key>
<wp:meta_value>{n % 7}</wp:meta_value></wp:commentmeta>
</wp:comment>
"""


def _post(post: int, comments: int) -> str:
    content = PARAGRAPH * 40
    day = f"2026-03-{1 + post % 28:02d}"
    parts = [
        f"""<item><title>Flood report {post}</title>
<link>{SITE}/2026/03/flood-report-{post}/</link>
<dc:creator><![CDATA[ed]]></dc:creator><guid isPermaLink="false">{SITE}/?p={post}</guid>
<content:encoded><![CDATA[{content}]]></content:encoded>
<excerpt:encoded><![CDATA[]]></excerpt:encoded>
<wp:post_id>{post}</wp:post_id><wp:post_date>{day} 08:00:00</wp:post_date>
<wp:post_date_gmt>{day} 07:00:00</wp:post_date_gmt>
<wp:comment_status>open</wp:comment_status>
<wp:post_name>flood-report-{post}</wp:post_name>
<wp:status>publish</wp:status><wp:post_parent>0</wp:post_parent>
<wp:post_type>post</wp:post_type>
<category domain="category" nicename="news"><![CDATA[News]]></category>
"""
    ]
    first_id = 1_000_000 + post * comments
    parts += [_comment(post, n, first_id) for n in range(comments)]
    parts.append("</item>\n")
    return "".join(parts)


def write_export(path: Path, posts: int, comments: int) -> int:
    with path.open("w", encoding="utf-8") as out:
        out.write(HEAD)
        for post in range(1, posts + 1):
            out.write(_post(post, comments))
        out.write("</channel></rss>\n")
    return path.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--comments", type=int, default=72, help="per post")
    parser.add_argument("--keep", action="store_true", help="keep the temp folder")
    args = parser.parse_args()

    export = Path(TMP) / "large.xml"
    size = write_export(export, args.posts, args.comments)
    print(
        f"export: {size / 2**20:.1f} MiB, {args.posts} posts, "
        f"{args.posts * args.comments} comments ({export})"
    )

    import django

    django.setup()
    from django.core.management import call_command

    from tribune.newsroom.tests import factories as newsroom

    call_command("migrate", verbosity=0)
    newsroom.home_page()

    command = [
        sys.executable,
        "-c",
        "from tribune.cli import main; main()",
        "import_wordpress",
        str(export),
        "--verbosity",
        "0",
        "--report",
        str(Path(TMP) / "report.txt"),
    ]
    result, elapsed, peak = run_measured(command)
    print(result.stdout[-3000:])
    if result.returncode:
        print(result.stderr[-3000:])
    print(
        f"exit {result.returncode}; wall {elapsed:.0f} s "
        f"({args.posts * args.comments / elapsed:.0f} comments/s); "
        f"peak RSS {peak:.0f} MiB; load average {os.getloadavg()}"
    )
    if not args.keep:
        shutil.rmtree(TMP, ignore_errors=True)


if __name__ == "__main__":
    main()
