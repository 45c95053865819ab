"""The paragraphs of an article's body as anchoring blocks (what readers can quote)."""

# Anchoring works per paragraph, not per StreamField block: a rich-text block
# holds several <p> (or lists), and a reader's selection lies in one of them.
# Paragraph n of stream block <uuid> has the id "<uuid>.<n>", n counting the
# top-level elements of the block's rich text from 0, exactly as the browser
# counts the element children of `[data-passage-root]` (inline.js).  Text is the
# element's text content, as `Node.textContent` gives it.  An editor inserting a
# paragraph shifts the ids after it; re-anchoring then finds the quote in its
# new paragraph by content (anchoring.reanchor's CONTEXT step).

from __future__ import annotations

from collections.abc import Iterable
from html.parser import HTMLParser
from typing import Any

from wagtail.rich_text import RichText, expand_db_html

from tribune.discussion.anchoring import Block

# Stream block types whose text readers can comment on, and where the rich text
# sits in their value.
_PARAGRAPH = "paragraph"
_PROMPT = "feedback_prompt"
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta"}
    | {"source", "track", "wbr"}
)


class _TopLevel(HTMLParser):
    """Collects the text of each top-level element of an HTML fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.texts: list[list[str]] = []

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in _VOID:
            if self.depth == 0:
                self.texts.append([])
            return
        if self.depth == 0:
            self.texts.append([])
        self.depth += 1

    def handle_startendtag(self, tag: str, attrs: Any) -> None:
        if self.depth == 0:
            self.texts.append([])

    def handle_endtag(self, tag: str) -> None:
        if tag not in _VOID and self.depth > 0:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth > 0:
            self.texts[-1].append(data)


def paragraph_texts(html: str) -> list[str]:
    """The text content of each top-level element of a rich-text fragment."""
    parser = _TopLevel()
    parser.feed(html)
    parser.close()
    return ["".join(parts) for parts in parser.texts]


def _rich_source(value: Any) -> str | None:
    if isinstance(value, RichText):
        return value.source
    return None


def stream_sources(body: Iterable[Any]) -> list[tuple[str, str]]:
    """(stream block id, rich-text source) of every commentable block of a body."""
    found = []
    for child in body:
        if child.block_type == _PARAGRAPH:
            source = _rich_source(child.value)
        elif child.block_type == _PROMPT:
            source = _rich_source(child.value.get("passage"))
        else:
            source = None
        if source is not None and child.id:
            found.append((str(child.id), source))
    return found


def blocks_of(body: Iterable[Any]) -> list[Block]:
    """Every commentable paragraph of a StreamField body, in reading order."""
    blocks = []
    for stream_id, source in stream_sources(body):
        for n, text in enumerate(paragraph_texts(expand_db_html(source))):
            blocks.append(Block(f"{stream_id}.{n}", text))
    return blocks


def paragraphs_of_block(body: Iterable[Any], stream_id: str) -> list[Block]:
    """The paragraphs of one stream block (empty if it is not commentable)."""
    prefix = f"{stream_id}."
    return [b for b in blocks_of(body) if b.id.startswith(prefix)]
