"""Post bodies to StreamField blocks: classic HTML, Gutenberg, shortcodes."""

from __future__ import annotations

from tribune.moving.wordpress import content, shortcodes


def _none(attachment: str, src: str) -> int | None:
    return None


def _types(text: str, resolve: content.ImageResolver = _none) -> list[str]:
    return [b["type"] for b in content.convert(text, resolve=resolve).blocks]


def test_classic_text_becomes_paragraphs_like_wpautop() -> None:
    out = content.convert("First line\nsame paragraph.\n\nSecond.", resolve=_none)
    assert [b["value"] for b in out.blocks] == [
        "<p>First line<br/>same paragraph.</p>",
        "<p>Second.</p>",
    ]


def test_classic_structures() -> None:
    text = (
        "<h1>Big</h1><h4>Small</h4><ul><li>a</li></ul>"
        "<blockquote><p>Said.</p><cite>Someone</cite></blockquote>"
        "<table><tr><th>A</th><th>B</th></tr><tr><td>1</td></tr></table><hr>"
        "<pre>code</pre>"
    )
    out = content.convert(text, resolve=_none)
    assert [b["type"] for b in out.blocks] == [
        "heading",
        "heading",
        "paragraph",
        "quote",
        "table",
        "html",
        "html",
    ]
    assert out.blocks[0]["value"] == {"text": "Big", "level": "h2"}
    assert out.blocks[2]["value"] == "<ul><li>a</li></ul>"
    assert out.blocks[1]["value"]["level"] == "h3"
    assert out.blocks[3]["value"] == {"quote": "Said.", "attribution": "Someone"}
    assert out.blocks[4]["value"]["data"] == [["A", "B"], ["1", ""]]
    assert out.blocks[4]["value"]["first_row_is_table_header"] is True


def test_scripts_styles_and_handlers_are_removed() -> None:
    out = content.convert(
        '<p onclick="x()">Hi <a href="javascript:alert(1)">there</a></p>'
        "<script>alert(1)</script><style>p{}</style>"
        '<pre onmouseover="x()">ok<img src="https://tracker.example/p.gif"></pre>',
        resolve=_none,
    )
    joined = repr(out.blocks)
    assert "alert" not in joined and "onclick" not in joined
    assert "onmouseover" not in joined and "tracker" not in joined
    assert out.blocks[0]["value"] == "<p>Hi <a>there</a></p>"


def test_gutenberg_blocks() -> None:
    text = (
        "<!-- wp:paragraph --><p>One</p><!-- /wp:paragraph -->"
        '<!-- wp:embed {"url":"https://www.youtube.com/watch?v=abc",'
        '"type":"video"} --><figure class="wp-block-embed"><div>'
        "https://www.youtube.com/watch?v=abc</div></figure><!-- /wp:embed -->"
        "<!-- wp:separator --><hr class='wp-block-separator'/><!-- /wp:separator -->"
        "<!-- wp:html --><dl><dt>Term</dt><dd>Meaning</dd></dl><!-- /wp:html -->"
        '<!-- wp:latest-posts {"postsToShow":3} /-->'
        '<!-- wp:group {"layout":{"type":"constrained"}} --><div class="wp-block-group">'
        "<!-- wp:heading --><h2>Inside</h2><!-- /wp:heading --></div><!-- /wp:group -->"
    )
    out = content.convert(text, resolve=_none)
    assert [b["type"] for b in out.blocks] == [
        "paragraph",
        "embed",
        "html",
        "html",
        "heading",
    ]
    assert out.blocks[1]["value"] == "https://www.youtube.com/watch?v=abc"
    assert out.dropped_blocks == ["latest-posts"]


def test_images_resolve_through_the_caller_and_missing_ones_are_listed() -> None:
    known = {"612": 7}

    def resolve(attachment: str, src: str) -> int | None:
        return known.get(attachment)

    text = (
        '[caption id="attachment_612" width="640"]<img src="https://x.example/a.jpg" '
        'class="wp-image-612" alt="Husk"> A husk.[/caption]'
        '<p><img src="https://x.example/gone.jpg"></p>'
    )
    out = content.convert(text, resolve=resolve)
    assert out.blocks == [
        {"type": "figure", "value": {"image": 7, "caption": "A husk.", "credit": ""}}
    ]
    assert out.missing_images == ["https://x.example/gone.jpg"]


def test_gallery_without_ids_shows_the_attached_images() -> None:
    out = content.convert(
        "[gallery columns=2]", resolve=lambda a, s: int(a), gallery=["3", "4"]
    )
    assert [b["value"]["image"] for b in out.blocks] == [3, 4]


def test_unknown_shortcodes_stay_visible_and_are_listed() -> None:
    out = content.convert("Vote now: [poll id=3] and [[escaped]].", resolve=_none)
    assert out.blocks[0]["value"] == "<p>Vote now: [poll id=3] and [escaped].</p>"
    assert out.unknown_shortcodes == ["poll"]


def test_wpdiscuz_feedback_becomes_an_editor_prompt() -> None:
    out = content.convert(
        '<p>Before. [wpdiscuz-feedback id="f1" question="Fair?" opened="0"]'
        "The passage.[/wpdiscuz-feedback] After.</p>",
        resolve=_none,
    )
    assert [b["type"] for b in out.blocks] == [
        "paragraph",
        "feedback_prompt",
        "paragraph",
    ]
    assert out.blocks[1]["value"] == {
        "passage": "<p>The passage.</p>",
        "question": "Fair?",
    }
    assert out.prompts == {"f1": 1}


def test_a_lone_address_of_a_video_site_is_an_embed() -> None:
    assert _types("Look:\n\nhttps://vimeo.com/12345\n\nhttps://example.org/x") == [
        "paragraph",
        "embed",
        "paragraph",
    ]


def test_shortcode_attributes() -> None:
    assert shortcodes.attributes("""id="a" question='b &amp; c' n=3""") == {
        "id": "a",
        "question": "b & c",
        "n": "3",
    }


def test_an_old_gallery_list_gives_its_pictures_not_an_empty_list() -> None:
    out = content.convert(
        "<dl class='gallery-item'><dt><img class='wp-image-5' src='a.jpg'></dt></dl>",
        resolve=lambda a, s: 9 if a == "5" else None,
    )
    assert out.blocks == [
        {"type": "figure", "value": {"image": 9, "caption": "", "credit": ""}}
    ]
    empty = "<dl class='wp-caption'><dt></dt></dl>"
    assert content.convert(empty, resolve=_none).blocks == []
