"""Comment text to safe HTML: a Markdown subset (markdown-it-py) cleaned by nh3."""

from __future__ import annotations

from functools import lru_cache

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p",
    "br",
    "em",
    "strong",
    "a",
    "blockquote",
    "code",
    "pre",
    "ul",
    "ol",
    "li",
}
# "*" is set to nothing: nh3 would otherwise allow `title` and `lang` on every tag.
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {"a": {"href"}, "ol": {"start"}, "*": set()}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow ugc noopener"


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    # "zero" enables nothing; turn on exactly the subset comments may use.
    # html=False makes raw HTML in the text come out escaped.
    md = MarkdownIt("zero", {"html": False, "linkify": False, "breaks": True})
    md.enable(
        [
            "emphasis",
            "link",
            "autolink",
            "backticks",
            "blockquote",
            "code",
            "fence",
            "list",
            "newline",
            "escape",
            "entity",
        ]
    )
    return md


def render_markdown(text: str) -> str:
    """Sanitised HTML for a comment body; unknown markup is escaped, never executed."""
    return render_and_count_links(text)[0]


def render_and_count_links(text: str) -> tuple[str, int]:
    """The sanitised HTML and the number of links in it, from one parse (a new
    comment needs both)."""
    md = _parser()
    tokens = md.parse(text)
    html = nh3.clean(
        md.renderer.render(tokens, md.options, {}),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    ).strip()
    rendered = sum(
        1
        for block in tokens
        for child in block.children or []
        if child.type == "link_open"
    )
    bare = sum(
        word.lower().startswith(("http://", "https://", "www."))
        for word in text.split()
        if not word.startswith(("<", "["))
    )
    return html, max(rendered, bare)
