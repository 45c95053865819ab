"""WordPress shortcodes: the known ones rewritten as markup the converter reads,
the others left as visible text and named.  Pure string work, no Django."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field

# [name attrs] ... [/name], or [name attrs] alone; [[name]] is WordPress's escape.
_SHORTCODE = re.compile(
    r"\[(?P<escape>\[)?(?P<name>[a-zA-Z][\w-]*)(?P<attrs>(?:\s[^\]]*)?)\]"
    r"(?:(?P<inner>.*?)\[/(?P=name)\])?(?(escape)\])",
    re.DOTALL,
)
_ATTR = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S+))""")


@dataclass
class Rewritten:
    text: str
    unknown: list[str] = field(default_factory=list)


def attributes(raw: str) -> dict[str, str]:
    """`key="value" key2='v' key3=v` as a dict (values unescaped)."""
    found: dict[str, str] = {}
    for match in _ATTR.finditer(raw or ""):
        value = next((v for v in match.groups()[1:] if v is not None), "")
        found[match.group(1).lower()] = html.unescape(value)
    return found


def _attr_html(values: dict[str, str]) -> str:
    return " ".join(
        f'{key}="{html.escape(value, quote=True)}"' for key, value in values.items()
    )


def _caption(attrs: dict[str, str], inner: str) -> str:
    attachment = attrs.get("id", "").removeprefix("attachment_")
    caption = attrs.get("caption", "")
    figcaption = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
    data = _attr_html({"data-wp-attachment": attachment})
    return f"<figure {data}>{inner}{figcaption}</figure>"


def _gallery(attrs: dict[str, str], inner: str) -> str:
    data = _attr_html({"data-ids": attrs.get("ids", ""), "data-include": "gallery"})
    return f"<tribune-gallery {data}></tribune-gallery>"


def _embed(attrs: dict[str, str], inner: str) -> str:
    url = (inner or attrs.get("src", "") or attrs.get("url", "")).strip()
    return f"<tribune-embed {_attr_html({'data-url': url})}></tribune-embed>"


# WordPress's [audio] and [video] take their file from `src` or an attribute
# named after its format (wp-includes/media.php: wp_get_audio/video_extensions()).
_MEDIA_SOURCES = (
    "src",
    "mp3",
    "m4a",
    "ogg",
    "oga",
    "wav",
    "wma",
    "flac",
    "mp4",
    "m4v",
    "webm",
    "ogv",
    "wmv",
    "flv",
    "mov",
)


def _media(kind: str) -> Callable[[dict[str, str], str], str]:
    def rewrite_media(attrs: dict[str, str], inner: str) -> str:
        sources = [attrs[key].strip() for key in _MEDIA_SOURCES if attrs.get(key)]
        if inner.strip() and "<" not in inner and " " not in inner.strip():
            sources.append(inner.strip())  # [video]https://...[/video]
        data = {"data-kind": kind, "data-sources": " ".join(sources)}
        return f"<tribune-media {_attr_html(data)}></tribune-media>"

    return rewrite_media


def _playlist(attrs: dict[str, str], inner: str) -> str:
    kind = "video" if attrs.get("type") == "video" else "audio"
    data = {"data-kind": kind, "data-ids": attrs.get("ids", ""), "data-playlist": "1"}
    return f"<tribune-media {_attr_html(data)}></tribune-media>"


def _feedback(attrs: dict[str, str], inner: str) -> str:
    data = _attr_html(
        {"data-id": attrs.get("id", ""), "data-question": attrs.get("question", "")}
    )
    return f"<tribune-feedback {data}>{inner}</tribune-feedback>"


_KNOWN = {
    "caption": _caption,
    "wp_caption": _caption,
    "gallery": _gallery,
    "embed": _embed,
    "video": _media("video"),
    "audio": _media("audio"),
    "playlist": _playlist,
    "wpdiscuz-feedback": _feedback,
}


def rewrite(text: str) -> Rewritten:
    """Known shortcodes replaced by markup; unknown ones kept and listed."""
    unknown: list[str] = []

    def replace(match: re.Match[str]) -> str:
        name = match.group("name").lower()
        if match.group("escape"):
            return match.group(0)[1:-1]  # [[foo]] shows "[foo]"
        inner = match.group("inner") or ""
        if name in _KNOWN:
            return _KNOWN[name](attributes(match.group("attrs")), inner)
        unknown.append(name)
        if match.group("inner") is None:
            return match.group(0)
        return match.group(0).replace(inner, rewrite(inner).text, 1)

    return Rewritten(_SHORTCODE.sub(replace, text), unknown)
