"""A small streaming XML writer with CDATA the way WordPress writes it (pure).

WordPress's exporter wraps text in CDATA and splits any `]]>` inside it
(`wxr_cdata()` in wp-admin/includes/export.php); characters XML 1.0 forbids are
dropped so that any XML parser reads the file.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TextIO
from xml.sax.saxutils import escape, quoteattr

# XML 1.0 section 2.2: no C0 controls but tab, newline and carriage return;
# no U+FFFE/U+FFFF; no lone surrogates.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_safe(text: str) -> str:
    """`text` without the characters XML 1.0 cannot hold."""
    return _NOT_XML.sub("", text)


def cdata(text: str) -> str:
    """A CDATA section holding `text` exactly, even when it contains `]]>`."""
    return "<![CDATA[" + xml_safe(text).replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _attributes(attrs: Mapping[str, str] | None) -> str:
    if not attrs:
        return ""
    return "".join(f" {name}={quoteattr(xml_safe(v))}" for name, v in attrs.items())


class XmlWriter:
    """Writes elements to a text stream as they come; nothing is kept."""

    def __init__(self, out: TextIO, indent: str = "\t") -> None:
        self.out = out
        self.indent = indent
        self.depth = 0

    def _pad(self) -> str:
        return self.indent * self.depth

    def declaration(self) -> None:
        self.out.write('<?xml version="1.0" encoding="UTF-8" ?>\n')

    def comment(self, text: str) -> None:
        self.out.write(f"{self._pad()}<!-- {xml_safe(text).replace('--', '- -')} -->\n")

    def start(self, tag: str, attrs: Mapping[str, str] | None = None) -> None:
        self.out.write(f"{self._pad()}<{tag}{_attributes(attrs)}>\n")
        self.depth += 1

    def end(self, tag: str) -> None:
        self.depth -= 1
        self.out.write(f"{self._pad()}</{tag}>\n")

    def text(
        self, tag: str, value: object, attrs: Mapping[str, str] | None = None
    ) -> None:
        """An element holding escaped text."""
        body = escape(xml_safe(str(value)))
        self.out.write(f"{self._pad()}<{tag}{_attributes(attrs)}>{body}</{tag}>\n")

    def cdata(
        self, tag: str, value: object, attrs: Mapping[str, str] | None = None
    ) -> None:
        """An element holding its text in a CDATA section."""
        body = cdata(str(value))
        self.out.write(f"{self._pad()}<{tag}{_attributes(attrs)}>{body}</{tag}>\n")
