"""A WordPress post body (classic HTML, Gutenberg block markup, shortcodes) to the
raw StreamField data of a report's body (tribune.newsroom.blocks.ArticleBodyBlock).

Every piece of text goes through Wagtail's rich-text whitelist or nh3, so what
comes out is safe whatever the export held.  Images are resolved by the caller
(`ImageResolver`): the converter never fetches anything.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from wagtail.admin.rich_text.converters.editor_html import EditorHTMLConverter

from tribune.moving.wordpress import files, shortcodes
from tribune.newsroom.blocks import PARAGRAPH_FEATURES, clean_html

# (attachment id or "", image address) -> the Wagtail image's pk, or None.
ImageResolver = Callable[[str, str], int | None]

_RICH = EditorHTMLConverter(features=PARAGRAPH_FEATURES)
# A block's JSON attributes: never across the end of its comment.
_ATTRS = r"\{(?:(?!-->).)*?\}"
_GUTENBERG_EMBED = re.compile(
    r"<!--\s+wp:(?:core-)?embed(?:/[\w-]+)?\s+(" + _ATTRS + r")\s+-->.*?"
    r"<!--\s+/wp:(?:core-)?embed(?:/[\w-]+)?\s+-->",
    re.DOTALL,
)
_GUTENBERG_HTML = re.compile(
    r"<!--\s+wp:html\s+(?:" + _ATTRS + r"\s+)?-->(.*?)<!--\s+/wp:html\s+-->", re.DOTALL
)
_GUTENBERG_VOID = re.compile(
    r"<!--\s+wp:([\w/-]+)(?:\s+" + _ATTRS + r")?\s+/-->", re.DOTALL
)
_GUTENBERG_ANY = re.compile(
    r"<!--\s+/?wp:[\w/-]+(?:\s+" + _ATTRS + r")?\s+/?-->", re.DOTALL
)
_BLANK_LINE = re.compile(r"\n\s*\n")
_URL_ALONE = re.compile(r"^https?://\S+$")
# Hosts whose addresses on a line of their own WordPress turns into embeds.
_EMBED_HOSTS = {
    "youtube.com",
    "youtu.be",
    "vimeo.com",
    "twitter.com",
    "x.com",
    "soundcloud.com",
    "flickr.com",
    "instagram.com",
    "dailymotion.com",
    "ted.com",
    "spotify.com",
    "mixcloud.com",
    "reddit.com",
    "tumblr.com",
    "wordpress.tv",
    "speakerdeck.com",
    "slideshare.net",
    "scribd.com",
    "issuu.com",
    "imgur.com",
    "kickstarter.com",
    "tiktok.com",
    "videopress.com",
    "facebook.com",
}
_CONTAINERS = {
    "div",
    "section",
    "article",
    "main",
    "header",
    "footer",
    "aside",
    "center",
    "span",
    "font",
    "body",
    "html",
    "figure",
}
_DROPPED = {
    "script",
    "style",
    "noscript",
    "form",
    "input",
    "button",
    "select",
    "textarea",
    "object",
    "head",
    "link",
    "meta",
    "svg",
    "canvas",
}
_HTML_KEPT = {"pre", "code", "dl", "details", "address", "hr", "abbr"}
_HEADINGS = {"h1": "h2", "h2": "h2", "h3": "h3", "h4": "h3", "h5": "h3", "h6": "h3"}


@dataclass
class Converted:
    """Raw StreamField data and what could not be carried over."""

    blocks: list[dict[str, Any]] = field(default_factory=list)
    unknown_shortcodes: list[str] = field(default_factory=list)
    missing_images: list[str] = field(default_factory=list)
    # Uploaded files (not pictures) the body names that were not imported.
    missing_files: list[str] = field(default_factory=list)
    # Audio or video on another site, kept as a link.
    external_media: list[str] = field(default_factory=list)
    dropped_blocks: list[str] = field(default_factory=list)
    # wpDiscuz inline feedback form id -> index of its feedback_prompt block.
    prompts: dict[str, int] = field(default_factory=dict)


def text_of(markup: str) -> str:
    """The text of an HTML fragment, spaces between elements."""
    # Wrapped, so that a fragment that is only an address is read as markup.
    soup = BeautifulSoup(f"<div>{markup or ''}</div>", "html.parser")
    return soup.get_text(" ", strip=True)


def _embed_host(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    return any(host == h or host.endswith("." + h) for h in _EMBED_HOSTS)


def _gutenberg(text: str, out: Converted) -> str:
    """Block comments out; embeds, raw HTML and dynamic blocks made explicit."""

    def embed(match: re.Match[str]) -> str:
        try:
            url = str(json.loads(match.group(1)).get("url", ""))
        except ValueError:
            url = ""
        data = html.escape(url, quote=True)
        return f'<tribune-embed data-url="{data}"></tribune-embed>'

    def void(match: re.Match[str]) -> str:
        out.dropped_blocks.append(match.group(1))
        return ""

    text = _GUTENBERG_EMBED.sub(embed, text)
    text = _GUTENBERG_HTML.sub(r"<tribune-html>\1</tribune-html>", text)
    text = _GUTENBERG_VOID.sub(void, text)
    return _GUTENBERG_ANY.sub("", text)


class _Builder:
    def __init__(
        self,
        out: Converted,
        resolve: ImageResolver,
        gallery: Sequence[str],
        resolve_document: files.DocumentResolver = files.no_documents,
    ) -> None:
        self.out = out
        self.resolve = resolve
        self.gallery = gallery
        self.resolve_document = resolve_document
        self.inline: list[str] = []

    # -- output ---------------------------------------------------------
    def add(self, kind: str, value: Any) -> None:
        self.flush()
        self.out.blocks.append({"type": kind, "value": value})

    def flush(self) -> None:
        fragment = "".join(self.inline).strip()
        self.inline = []
        if not fragment:
            return
        text = text_of(fragment)
        if not text:
            return
        if _URL_ALONE.match(text) and _embed_host(text):
            self.out.blocks.append({"type": "embed", "value": text})
            return
        rich = _RICH.to_database_format(f"<p>{fragment}</p>")
        self.out.blocks.append({"type": "paragraph", "value": rich})

    def figure(self, img: Tag, caption: str = "", attachment: str = "") -> None:
        src = str(img.get("src") or "")
        classes: list[str] = list(img.get("class") or [])
        for name in classes:
            if name.startswith("wp-image-"):
                attachment = attachment or name.removeprefix("wp-image-")
        image = self.resolve(attachment, src)
        if image is None:
            self.flush()
            self.out.missing_images.append(src or f"attachment {attachment}")
            return
        self.add("figure", {"image": image, "caption": caption[:300], "credit": ""})

    # -- walking --------------------------------------------------------
    def walk(self, nodes: Sequence[Any]) -> None:
        for node in list(nodes):
            if isinstance(node, Comment):
                continue
            if isinstance(node, NavigableString):
                self.text(str(node))
            elif isinstance(node, Tag):
                self.tag(node)

    def text(self, value: str) -> None:
        parts = _BLANK_LINE.split(value)
        for n, part in enumerate(parts):
            if n:
                self.flush()
            self.inline.append(html.escape(part).replace("\n", "<br/>"))

    def tag(self, node: Tag) -> None:
        name = node.name.lower()
        handler = _HANDLERS.get(name)
        if name == "div" and "wp-block-file" in (node.get("class") or []):
            self.file_block(node)
        elif handler is not None:
            handler(self, node)
        elif name in _DROPPED:
            return
        elif name in _HEADINGS:
            self.heading(node, _HEADINGS[name])
        elif name in _CONTAINERS or node.find(["img", "tribune-feedback"]):
            self.block_container(node)  # pictures inside become figures
        elif name in _HTML_KEPT:
            self.raw_html(str(node))
        else:
            self.inline.append(str(node))

    def block_container(self, node: Tag) -> None:
        is_block = node.name.lower() != "span" and node.name.lower() != "font"
        if is_block:
            self.flush()
        self.walk(node.contents)
        if is_block:
            self.flush()

    def paragraph(self, node: Tag) -> None:
        self.flush()
        self.walk(node.contents)
        self.flush()

    def heading(self, node: Tag, level: str) -> None:
        text = node.get_text(" ", strip=True)
        if text:
            self.add("heading", {"text": text[:200], "level": level})

    def raw_html(self, markup: str) -> None:
        cleaned = clean_html(markup).strip()
        if text_of(cleaned):  # an empty <dl></dl> is left of a lost picture
            self.add("html", cleaned)

    def listing(self, node: Tag) -> None:
        if node.find("img"):
            self.block_container(node)
            return
        rich = _RICH.to_database_format(str(node))
        if text_of(rich):
            self.add("paragraph", rich)

    def quote(self, node: Tag) -> None:
        cite = node.find(["cite", "footer"])
        attribution = cite.get_text(" ", strip=True) if cite else ""
        if cite:
            cite.extract()
        paragraphs = [p.get_text(" ", strip=True) for p in node.find_all("p")]
        text = "\n\n".join(p for p in paragraphs if p) or node.get_text(" ", strip=True)
        if text:
            self.add("quote", {"quote": text, "attribution": attribution[:200]})

    def figure_tag(self, node: Tag) -> None:
        if node.find("table"):
            self.block_container(node)
            return
        images = node.find_all("img")
        caption_tag = node.find("figcaption")
        player = node.find(["audio", "video"])
        if player is not None and not images:  # Gutenberg's audio and video blocks
            caption = caption_tag.get_text(" ", strip=True) if caption_tag else ""
            self.media(player, caption)
            return
        if len(images) != 1:
            self.block_container(node)
            return
        caption = caption_tag.get_text(" ", strip=True) if caption_tag else ""
        if not caption:
            images[0].extract()
            caption = node.get_text(" ", strip=True)
        self.figure(images[0], caption, str(node.get("data-wp-attachment") or ""))

    def image(self, node: Tag) -> None:
        self.figure(node)

    def table(self, node: Tag) -> None:
        rows = [
            [cell.get_text(" ", strip=True) for cell in row.find_all(["td", "th"])]
            for row in node.find_all("tr")
        ]
        rows = [row for row in rows if row]
        if not rows:
            return
        width = max(len(row) for row in rows)
        first = node.find("tr")
        caption = node.find("caption")
        self.add(
            "table",
            {
                "data": [row + [""] * (width - len(row)) for row in rows],
                "first_row_is_table_header": bool(first and first.find("th")),
                "first_col_is_header": False,
                "table_caption": caption.get_text(" ", strip=True) if caption else "",
            },
        )

    def iframe(self, node: Tag) -> None:
        src = str(node.get("src") or "")
        if src.startswith(("http://", "https://", "//")):
            self.add("embed", src if not src.startswith("//") else "https:" + src)

    def separator(self, node: Tag) -> None:
        self.add("html", "<hr>")

    def gallery_tag(self, node: Tag) -> None:
        ids = [i.strip() for i in str(node.get("data-ids") or "").split(",")]
        for attachment in [i for i in ids if i] or self.gallery:
            image = self.resolve(attachment, "")
            if image is None:
                self.flush()
                self.out.missing_images.append(f"attachment {attachment}")
            else:
                self.add("figure", {"image": image, "caption": "", "credit": ""})

    def embed_tag(self, node: Tag) -> None:
        url = str(node.get("data-url") or "").strip()
        if url.startswith(("http://", "https://")):
            self.add("embed", url)

    def media(self, node: Tag, caption: str = "") -> None:
        """<audio>, <video>, [audio], [video], [playlist]: a player of the
        document its file became; an embed for a video site; else listed."""
        kind = str(node.get("data-kind") or node.name).lower()
        kind = kind if kind in ("audio", "video") else "link"
        if node.get("data-playlist"):
            self.playlist(node, kind)
            return
        sources = files.sources_of(node)
        for src in sources:
            found = self.resolve_document("", src)
            if found is not None:
                self.media_block(found, kind, caption)
                return
        self.media_elsewhere(sources)

    def playlist(self, node: Tag, kind: str) -> None:
        for attachment in files.playlist_ids(node, tuple(self.gallery)):
            found = self.resolve_document(attachment, "")
            if found is None:
                self.out.missing_files.append(f"attachment {attachment}")
            self.media_block(found, kind, "")

    def media_elsewhere(self, sources: list[str]) -> None:
        """Media whose file was not imported: an embed of a video site, a link
        to another site's file, or listed (the old site's uploads)."""
        embeddable = [s for s in sources if _embed_host(s)]
        uploaded = [s for s in sources if files.is_upload(s)]
        elsewhere = [s for s in sources if s.startswith(("http://", "https://"))]
        if embeddable:
            self.add("embed", embeddable[0])
        elif uploaded:
            self.flush()
            self.out.missing_files.append(uploaded[0])
        elif elsewhere:
            address = html.escape(elsewhere[0], quote=True)
            link = f'<p><a href="{address}">{address}</a></p>'
            self.add("paragraph", _RICH.to_database_format(link))
            self.out.external_media.append(elsewhere[0])

    def file_block(self, node: Tag) -> None:
        """Gutenberg's file block: a link to a document (and a Download button)."""
        link = node.find("a", attrs={"data-linktype": "document"})
        if link is None or not str(link.get("data-id") or "").isdigit():
            self.block_container(node)  # a file that was not imported stays a link
            return
        for anchor in node.find_all("a"):
            anchor.extract()
        self.media_block(
            int(str(link["data-id"])), "link", node.get_text(" ", strip=True)
        )

    def media_block(self, document: int | None, player: str, caption: str) -> None:
        if document is not None:
            value = {"document": document, "player": player, "caption": caption[:300]}
            self.add("media", value)

    def html_tag(self, node: Tag) -> None:
        self.raw_html(node.decode_contents())

    def feedback(self, node: Tag) -> None:
        passage = _RICH.to_database_format(f"<p>{node.decode_contents()}</p>")
        question = str(node.get("data-question") or "").strip()
        if not text_of(passage):
            return
        value = {"passage": passage, "question": question[:200]}
        if not question:
            del value["question"]  # the block's own default question
        self.add("feedback_prompt", value)
        form_id = str(node.get("data-id") or "")
        if form_id:
            self.out.prompts[form_id] = len(self.out.blocks) - 1


_HANDLERS: dict[str, Callable[[_Builder, Tag], None]] = {
    "p": _Builder.paragraph,
    "ul": _Builder.listing,
    "ol": _Builder.listing,
    "blockquote": _Builder.quote,
    "figure": _Builder.figure_tag,
    "img": _Builder.image,
    "table": _Builder.table,
    "iframe": _Builder.iframe,
    "hr": _Builder.separator,
    "tribune-gallery": _Builder.gallery_tag,
    "tribune-embed": _Builder.embed_tag,
    "tribune-html": _Builder.html_tag,
    "tribune-media": _Builder.media,
    "audio": _Builder.media,
    "video": _Builder.media,
    "tribune-feedback": _Builder.feedback,
}


def convert(
    text: str,
    *,
    resolve: ImageResolver,
    gallery: Sequence[str] = (),
    resolve_document: files.DocumentResolver = files.no_documents,
) -> Converted:
    """The body blocks of a post's content.

    `gallery` lists the attachment ids a [gallery] or [playlist] without ids
    shows (the post's attachments, as in WordPress).
    """
    out = Converted()
    rewritten = shortcodes.rewrite(text.replace("\r\n", "\n"))
    out.unknown_shortcodes = list(dict.fromkeys(rewritten.unknown))
    markup = _gutenberg(rewritten.text, out)
    soup = BeautifulSoup(markup, "html.parser")
    files.link_documents(soup, resolve_document, out.missing_files)
    builder = _Builder(out, resolve, gallery, resolve_document)
    builder.walk(soup.contents)
    builder.flush()
    out.missing_images = list(dict.fromkeys(out.missing_images))
    out.missing_files = list(dict.fromkeys(out.missing_files))
    out.dropped_blocks = list(dict.fromkeys(out.dropped_blocks))
    return out
