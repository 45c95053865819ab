"""The footer every message gets: the link to the reader's own page."""

from __future__ import annotations

import re

from django.template.loader import render_to_string

from tribune.mailing import conf

_BODY_END = re.compile(r"</body\s*>", re.IGNORECASE)


def add_footer(text: str, html: str) -> tuple[str, str]:
    """The text and HTML bodies with the footer appended (HTML: before </body>)."""
    url = conf.your_page_url()
    if not url:
        return text, html
    context = {"your_page_url": url}
    text = f"{text.rstrip()}\n\n{render_to_string('mailing/mail/footer.txt', context)}"
    if html:
        footer = render_to_string("mailing/mail/footer.html", context)
        ends = list(_BODY_END.finditer(html))
        if ends:
            at = ends[-1].start()
            html = f"{html[:at]}{footer}{html[at:]}"
        else:
            html = f"{html}{footer}"
    return text, html
