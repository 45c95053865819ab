from html.parser import HTMLParser

import pytest

from tribune.discussion.rendering import (
    ALLOWED_TAGS,
    render_and_count_links,
    render_markdown,
)


def count_links(text: str) -> int:
    return render_and_count_links(text)[1]


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))


def test_emphasis_quotes_code_and_lists_render():
    html = render_markdown("*a* **b**\n\n> quoted\n\n- one\n- two\n\n`x < y`")
    assert "<em>a</em>" in html
    assert "<strong>b</strong>" in html
    assert "<blockquote>" in html
    assert "<li>one</li>" in html
    assert "<code>x &lt; y</code>" in html


def test_links_get_nofollow_ugc_noopener():
    html = render_markdown("[site](https://example.org/a)")
    assert html == (
        '<p><a href="https://example.org/a" rel="nofollow ugc noopener">site</a></p>'
    )


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        '<a href="javascript:alert(1)">x</a>',
        "![i](https://example.org/x.png)",
        "<iframe src=//example.org></iframe>",
        "# heading <svg onload=alert(1)>",
    ],
)
def test_dangerous_markup_is_escaped_or_dropped(text):
    parser = _Elements()
    parser.feed(render_markdown(text))
    for tag, attrs in parser.found:
        assert tag in ALLOWED_TAGS
        for name, value in attrs:
            assert name in {"href", "rel", "start"}
            if name == "href":
                assert value.startswith(("http://", "https://", "mailto:"))


def test_headings_and_images_are_not_part_of_the_subset():
    assert "<h1>" not in render_markdown("# Big")
    assert "<img" not in render_markdown("![a](https://example.org/a.png)")


def test_link_count_sees_markdown_and_bare_links():
    assert count_links("[a](https://a.org) and <https://b.org>") == 2
    assert count_links("see https://a.org https://b.org www.c.org") == 3
    assert count_links("no links") == 0


def test_title_and_lang_attributes_are_dropped():
    html = render_markdown('[site](https://example.org "a title")')
    assert "title" not in html
    assert 'href="https://example.org"' in html
