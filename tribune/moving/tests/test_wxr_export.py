"""export_wordpress: a WXR 1.2 file that WordPress's importer would accept."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from tribune.moving.exports import wxr
from tribune.moving.exports.xmlwriter import cdata
from tribune.moving.tests import world as world_module
from tribune.moving.tests import wxr_reader
from tribune.moving.tests.shared_data import shared_data

pytestmark = pytest.mark.django_db

BASE = "https://news.example.org/"


@pytest.fixture
def world():
    return world_module.build()


@pytest.fixture
def exported(world, tmp_path) -> tuple[Path, dict]:
    target = tmp_path / "site.xml"
    call_command("export_wordpress", output=target, base_url=BASE)
    return target, wxr_reader.parse(target)


def posts_by_title(parsed: dict) -> dict[str, dict]:
    return {post["post_title"]: post for post in parsed["posts"]}


def test_the_reader_reads_wordpress_own_fixtures_the_same_way():
    parsed = wxr_reader.parse(shared_data("wordpress", "small-export.xml"))
    assert parsed["version"] == "1.1"
    assert "editor" in parsed["authors"]
    assert parsed["tags"][0]["tag_slug"] == "tag1"
    with pytest.raises(wxr_reader.WxrError):
        wxr_reader.parse(shared_data("wordpress", "missing-version-tag.xml"))


def test_cdata_splits_its_terminator_and_drops_characters_xml_cannot_hold():
    assert cdata("a]]>b\x0b") == "<![CDATA[a]]]]><![CDATA[>b]]>"


def test_header_namespaces_and_version(exported):
    path, parsed = exported
    head = path.read_text(encoding="utf-8")[:800]
    assert head.startswith('<?xml version="1.0" encoding="UTF-8" ?>')
    for uri in wxr.NAMESPACES.values():
        assert f'"{uri}"' in head
    assert parsed["version"] == "1.2"
    assert parsed["base_url"] == BASE


def test_authors_series_and_topics(exported, world):
    _, parsed = exported
    assert parsed["authors"]["ana-reyes"]["author_display_name"] == "Ana Reyes"
    assert parsed["authors"]["bo-lind"]["author_last_name"] == "Lind"
    assert [c["cat_name"] for c in parsed["categories"]] == ["Valley news"]
    assert sorted(t["tag_name"] for t in parsed["tags"]) == ["floods", "river levels"]
    term_ids = [c["term_id"] for c in parsed["categories"]] + [
        t["term_id"] for t in parsed["tags"]
    ]
    assert len(set(term_ids)) == len(term_ids)


def test_report_item_fields(exported, world):
    _, parsed = exported
    post = posts_by_title(parsed)["Flood <defences> & the dam"]
    assert post["post_type"] == "post"
    assert post["status"] == "publish"
    assert post["post_id"] == world.flood.pk
    assert post["post_name"] == world.flood.slug
    assert post["link"] == BASE.rstrip("/") + world.flood.url
    assert post["post_author"] == "ana-reyes"
    assert post["post_date"].startswith("2026-03-14")
    assert post["post_excerpt"] == world.flood.lead
    # The site default: WordPress applies its own default_comment_status.
    assert post["comment_status"] == ""
    assert post["postmeta"]["_tribune_dateline"] == "Riverside"


def test_report_terms_and_closed_threads(exported, world):
    _, parsed = exported
    post = posts_by_title(parsed)["Flood <defences> & the dam"]
    terms = {(t["domain"], t["slug"]) for t in post["terms"]}
    assert ("category", world.flood.get_parent().slug) in terms
    assert ("post_tag", "floods") in terms
    assert ("author", "cap-bo-lind") in terms
    closed = posts_by_title(parsed)["Bridge reopens"]
    assert closed["comment_status"] == "closed"
    assert closed["postmeta"]["wpdiscuz_closed"] == "1"
    # Pinned reports are WordPress's sticky posts.
    assert closed["is_sticky"] == "1" and post["is_sticky"] == "0"


def test_plain_pages_are_pages_with_their_parents(exported, world):
    _, parsed = exported
    about = posts_by_title(parsed)["About us"]
    contact = posts_by_title(parsed)["Contact"]
    assert about["post_type"] == contact["post_type"] == "page"
    assert about["comment_status"] == "closed"
    assert not [t for t in about["terms"] if t["domain"] == "category"]
    assert about["post_parent"] == 0
    assert contact["post_parent"] == about["post_id"] == world.about.pk


def test_body_is_block_markup_with_everything_escaped(exported):
    _, parsed = exported
    content = posts_by_title(parsed)["Flood <defences> & the dam"]["post_content"]
    assert "<p>The river rose <b>two metres</b> &amp; more.</p>" in content
    assert '<!-- wp:heading {"level":3} -->' in content
    assert '<h3 class="wp-block-heading">What &lt;we&gt; know</h3>' in content
    assert "It came fast.<br>Then it stopped." in content
    assert "<cite>A ferry pilot</cite>" in content
    assert (
        '<!-- wp:embed {"url":"https://video.example.org/watch?v=1\\u0026t=2"} -->'
        in content
    )
    assert "<thead><tr><th>Gauge</th><th>Level</th></tr></thead>" in content
    assert "<td>North</td><td>4.2 m</td>" in content
    assert 'question="Was it &quot;safe&quot;?"' in content
    assert "]The dam held.[/wpdiscuz-feedback]" in content
    assert "<!-- wp:html -->\n<dl><dt>Gauge</dt><dd>North</dd></dl>" in content
    assert "<script>" not in content
    # The vertical tab XML cannot carry is gone.
    assert "Odd text: ]]&gt; and  gone." in content


def test_cdata_holds_its_terminator_through_a_parser(exported):
    path, parsed = exported
    post = posts_by_title(parsed)["Flood <defences> & the dam"]
    assert post["post_excerpt"] == "Water ]]> walls, for a CDATA section to hold."
    assert "Water ]]]]><![CDATA[> walls" in path.read_text(encoding="utf-8")


def test_comments_keep_threads_status_and_votes(exported, world):
    _, parsed = exported
    comments = {
        c["comment_id"]: c
        for c in posts_by_title(parsed)["Flood <defences> & the dam"]["comments"]
    }
    assert set(comments) == {
        world.top.pk,
        world.reply.pk,
        world.spam.pk,
        world.deleted.pk,
    }
    top = comments[world.top.pk]
    assert top["comment_author"] == "Kit <b>"
    assert top["comment_author_email"] == "kit@example.org"
    assert top["comment_content"] == "<p>First <em>word</em></p>"
    assert top["comment_approved"] == "1"
    assert top["comment_date_gmt"] == "2026-03-14 09:30:00"
    assert top["commentmeta"]["wpdiscuz_votes"] == "2"
    assert top["commentmeta"]["wpdiscuz_votes_seperate"] == (
        'a:2:{s:4:"like";i:3;s:7:"dislike";i:1;}'
    )
    assert comments[world.reply.pk]["comment_parent"] == world.top.pk
    assert comments[world.reply.pk]["comment_content"] == "<p>A reply ]]&gt;</p>"
    assert comments[world.spam.pk]["comment_approved"] == "spam"
    assert comments[world.deleted.pk]["comment_approved"] == "trash"
    order = list(comments)
    assert order.index(world.top.pk) < order.index(world.reply.pk)


def test_drafts_are_drafts(world, tmp_path):
    world.closed.unpublish()
    out = io.StringIO()
    wxr.export_wordpress(out, base_url=BASE)
    target = tmp_path / "x.xml"
    target.write_text(out.getvalue(), encoding="utf-8")
    assert (
        posts_by_title(wxr_reader.parse(target))["Bridge reopens"]["status"] == "draft"
    )


def test_gutenberg_attrs_cannot_end_the_html_comment():
    text = wxr.gutenberg_attrs({"url": "https://x/?a=1&b=2", "c": "--><script>"})
    assert "-->" not in text
    assert "<" not in text
    assert "&" not in text
