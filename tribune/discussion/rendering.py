"""Comment text to safe HTML: a Markdown subset (markdown-it-py) cleaned by nh3."""

from __future__ import annotations

import re
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


# Plain text (decision 0042): what markdown-it and nh3 give back as paragraphs of
# the text itself.  Anything that could start other syntax or be changed by
# either library sends the text down the full path: Markdown and HTML syntax
# characters, whitespace other than spaces and newlines (markdown-it strips it,
# nh3 writes a no-break space as an entity), controls, lone surrogates, an
# inline link's "](", a line starting with a space (code) or a list marker,
# trailing spaces (a hard break).  "[" and "]" alone are text: the reference
# rule that would make "[x]" a link is not enabled.
_NOT_PLAIN = re.compile(
    "[\\\\`<>&_~"
    "\x00-\x09\x0b-\x1f\x7f-\xa0"
    "\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ud800-\udfff]"
    r"|\]\("
    r"|^(?:[ +-]|\d+[.)])"
    r"| $",
    re.MULTILINE,
)
# One word in single stars between spaces (or a line's ends) and before a space
# or a sentence's punctuation: always <em>; any other star takes the full path.
_EMPHASIS = re.compile(r"(?<![^ \n])\*([A-Za-z0-9]+)\*(?![^ \n.,;:!?])")
_PARAGRAPH_BREAK = re.compile(r"\n\n+")


def render_plain(text: str) -> str | None:
    """render_and_count_links's HTML for plain text without calling either
    library, or None when the text needs them (tested equal on a corpus and
    generated texts)."""
    # Text not trimmed (an import, a moderator's edit) goes the full way: the
    # libraries drop leading and trailing blank lines.
    if not text or text[0] == "\n" or text[-1] == "\n" or _NOT_PLAIN.search(text):
        return None
    if "*" in text:
        text = _EMPHASIS.sub(r"<em>\1</em>", text)
        if "*" in text:
            return None
    return "\n".join(
        f"<p>{paragraph}</p>".replace("\n", "<br>\n")
        for paragraph in _PARAGRAPH_BREAK.split(text)
    )


def render_and_count_links(text: str) -> tuple[str, int]:
    """The sanitised HTML and the number of links in it, from one parse (a new
    comment needs both)."""
    html = render_plain(text)
    if html is None:
        html, rendered = render_full(text)
    else:
        rendered = 0  # no "](" and no "<": no link markup
    bare = sum(
        word.lower().startswith(("http://", "https://", "www."))
        for word in text.split()
        if not word.startswith(("<", "["))
    )
    return html, max(rendered, bare)


def render_full(text: str) -> tuple[str, int]:
    """The HTML through markdown-it and nh3 and the number of links rendered."""
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
    return html, rendered
