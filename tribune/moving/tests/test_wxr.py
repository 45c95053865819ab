"""The streaming WXR reader: real exports, bad files, hostile XML, big files."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from tribune.moving.tests.conftest import READABLE_EDGE_CASES, wordpress_file
from tribune.moving.wordpress import wxr


def _read(path: Path) -> list[wxr.Record]:
    return list(wxr.read(str(path)))


def test_theme_data_reads_every_item_and_comment() -> None:
    records = _read(wordpress_file("themeunittestdata.wordpress.xml"))
    site = records[0]
    assert isinstance(site, wxr.Site)
    assert site.wxr_version == "1.2"
    assert site.key == "https://wpthemetestdata.wordpress.com"
    _check_items(records)


def _check_items(records: list[wxr.Record]) -> None:
    items = [r for r in records if isinstance(r, wxr.Item)]
    assert len(items) == 186
    comments = [c for i in items for c in i.comments]
    assert len(comments) == 33
    replies = [c for c in comments if c.parent != "0"]
    assert len(replies) == 10
    assert {c.parent for c in replies} <= {c.comment_id for c in comments}
    taxonomies = {r.taxonomy for r in records if isinstance(r, wxr.Term)}
    assert taxonomies >= {"category", "post_tag"}


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("malformed-simple.xml", "not well-formed XML"),
        ("crazy-cdata.xml", "not well-formed XML"),
        ("missing-version-tag.xml", "names no WXR version"),
        ("invalid-version-tag.xml", "Unknown WXR version 'abc'"),
    ],
)
def test_unreadable_fixtures_fail_with_a_clear_message(name: str, message: str) -> None:
    with pytest.raises(wxr.WXRError, match=message):
        _read(wordpress_file(name))


@pytest.mark.parametrize("name", [*READABLE_EDGE_CASES, "64-block-test-data.xml"])
def test_readable_fixtures_read(name: str) -> None:
    records = _read(wordpress_file(name))
    assert isinstance(records[0], wxr.Site)
    assert records[0].wxr_version in wxr.SUPPORTED_VERSIONS


def test_cdata_edges_keep_their_text() -> None:
    (item,) = [
        r for r in _read(wordpress_file("cdata-edge.xml")) if isinstance(r, wxr.Item)
    ]
    assert item.content == "ends with sequence ]] >"
    (multi,) = [
        r
        for r in _read(wordpress_file("multiple-cdata.xml"))
        if isinstance(r, wxr.Item)
    ]
    assert multi.content.strip()


def test_only_wordpress_namespaces_count() -> None:
    records = _read(wordpress_file("namespace-edge-cases.xml"))
    logins = [r.login for r in records if isinstance(r, wxr.Author)]
    # Not the fake namespace nor the custom one; WordPress's own 1.1 one counts.
    assert logins == ["real_user", "version_conflict"]
    items = {r.title: r for r in records if isinstance(r, wxr.Item)}
    assert items["Hijacked Namespace"].post_id == ""  # its wp: prefix points elsewhere
    mixed = items["Mixed Namespaces"]
    assert "malicious_key" not in mixed.meta
    assert mixed.meta["normal_key"] == "normal_value"


def test_serialized_meta_reads_as_data() -> None:
    assert wxr.parse_meta_value('a:2:{s:4:"like";i:6;s:7:"dislike";i:1;}') == {
        "like": 6,
        "dislike": 1,
    }
    assert wxr.parse_meta_value("plain") == "plain"
    assert wxr.parse_meta_value("a:1:{broken") == "a:1:{broken"
    # PHP objects are data to phpserialize, never code: no class is built.
    value = wxr.parse_meta_value('O:8:"stdClass":1:{s:1:"a";i:1;}')
    assert not callable(value)


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
]>
<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel>
<wp:wxr_version>1.2</wp:wxr_version>
<item><title>&lol2;</title><wp:post_id>1</wp:post_id></item>
</channel></rss>
"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE rss [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>
<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel>
<wp:wxr_version>1.2</wp:wxr_version>
<item><title>&secret;</title><wp:post_id>1</wp:post_id></item>
</channel></rss>
"""


@pytest.mark.parametrize("xml", [BILLION_LAUGHS, EXTERNAL_ENTITY])
def test_entities_are_refused(tmp_path: Path, xml: str) -> None:
    path = tmp_path / "hostile.xml"
    path.write_text(xml)
    with pytest.raises(wxr.WXRError, match="refused for safety"):
        _read(path)


def write_big_export(path: Path, posts: int, comments_per_post: int) -> int:
    """A generated export, written as a stream; returns its size in bytes."""
    body = "<p>" + "The river rose a little overnight. " * 40 + "</p>"
    with path.open("w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            'xmlns:wp="http://wordpress.org/export/1.2/"><channel>'
            "<title>Big</title><wp:wxr_version>1.2</wp:wxr_version>\n"
        )
        for p in range(posts):
            out.write(
                f"<item><title>Post {p}</title><wp:post_id>{p + 1}</wp:post_id>"
                "<wp:post_type>post</wp:post_type><wp:status>publish</wp:status>"
                f"<content:encoded><![CDATA[{body}]]></content:encoded>"
            )
            for c in range(comments_per_post):
                out.write(
                    f"<wp:comment><wp:comment_id>{p * 1000 + c}</wp:comment_id>"
                    "<wp:comment_author>Reader</wp:comment_author>"
                    f"<wp:comment_content>{body[3:-4]}</wp:comment_content>"
                    "</wp:comment>"
                )
            out.write("</item>\n")
        out.write("</channel></rss>\n")
    return path.stat().st_size


def test_a_large_export_is_read_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "big.xml"
    size = write_big_export(path, posts=500, comments_per_post=40)  # 20,000 comments
    assert size > 25_000_000
    tracemalloc.start()
    try:
        count = 0
        for record in wxr.read(str(path)):
            if isinstance(record, wxr.Item):
                count += len(record.comments)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 20_000
    # One item with its 40 comments is ~60 kB; the whole file is over 25 MB.
    assert peak < 5_000_000, f"peak {peak} bytes while reading {size} bytes"
