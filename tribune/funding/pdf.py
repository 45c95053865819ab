"""Receipts and statements as PDF, drawn with fpdf2 (pure Python; see decision 0019).

Takes the donor selectors' values and returns bytes; no ORM, no request. Text is
set in DejaVu Sans when the system has it (every script a donor's name may use),
else in the PDF core font with characters it lacks replaced.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from django.conf import settings
from django.utils import formats
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.fonts import FontFace

from tribune.funding.donor_selectors import Gift, Statement

FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
)


def _font_path() -> str:
    configured = str(getattr(settings, "FUNDING_PDF_FONT", "") or "")
    for candidate in (configured, *FONT_CANDIDATES):
        if candidate and Path(candidate).is_file():
            return candidate
    return ""


class _Document:
    def __init__(self, title: str) -> None:
        self.pdf = FPDF(format="A4")
        self.pdf.set_title(title)
        self.pdf.set_creator("Tribune")
        self.pdf.set_auto_page_break(auto=True, margin=18)
        self.pdf.add_page()
        font = _font_path()
        if font:
            self.pdf.add_font("Body", fname=font)
            self.family, self.unicode = "Body", True
        else:
            self.family, self.unicode = "Helvetica", False
        self.heading(title)

    def _text(self, value: object) -> str:
        text = str(value)
        return text if self.unicode else text.encode("latin-1", "replace").decode()

    def heading(self, text: str) -> None:
        self.pdf.set_font(self.family, size=16)
        self.pdf.multi_cell(0, 9, self._text(text), new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(2)

    def line(self, label: str, value: object) -> None:
        self.pdf.set_font(self.family, size=10)
        self.pdf.cell(55, 7, self._text(label))
        self.pdf.multi_cell(0, 7, self._text(value), new_x="LMARGIN", new_y="NEXT")

    def paragraph(self, text: str) -> None:
        self.pdf.set_font(self.family, size=10)
        self.pdf.ln(3)
        self.pdf.multi_cell(0, 6, self._text(text), new_x="LMARGIN", new_y="NEXT")

    def table(self, rows: Sequence[Sequence[str]]) -> None:
        self.pdf.set_font(self.family, size=9)
        self.pdf.ln(3)
        with self.pdf.table(
            first_row_as_headings=True,
            headings_style=FontFace(emphasis="UNDERLINE", fill_color=(235, 235, 235)),
        ) as table:
            for row in rows:
                cells = table.row()
                for value in row:
                    cells.cell(self._text(value))

    def bytes(self) -> bytes:
        return bytes(self.pdf.output())


def _money(amount: object, currency: str) -> str:
    return f"{amount} {currency}"


def _date(gift: Gift) -> str:
    return formats.date_format(gift.received_at, "DATE_FORMAT")


def receipt(gift: Gift, *, issuer: str) -> bytes:
    """One gift's receipt."""
    doc = _Document(_("Receipt for your gift to %(issuer)s") % {"issuer": issuer})
    doc.line(_("Date"), _date(gift))
    doc.line(_("Amount"), _money(gift.amount, gift.currency))
    if gift.covered_fee:
        doc.line(_("Of which to cover fees"), _money(gift.covered_fee, gift.currency))
    if gift.refunded:
        doc.line(_("Refunded"), _money(gift.refunded, gift.currency))
    doc.line(_("Paid with"), gift.method)
    doc.line(_("Frequency"), _("Monthly") if gift.recurring else _("Once"))
    doc.line(_("Status"), gift.status_label)
    doc.line(_("Reference"), f"{gift.provider}:{gift.transaction_id}")
    if gift.public_name:
        doc.line(_("Donor"), gift.public_name)
    doc.line(_("Email"), gift.email)
    doc.paragraph(_("Thank you for supporting independent reporting."))
    return doc.bytes()


def statement(found: Statement, *, issuer: str) -> bytes:
    """A year's statement: every gift, then totals per currency."""
    doc = _Document(
        _("Your gifts to %(issuer)s in %(year)s")
        % {"issuer": issuer, "year": found.year}
    )
    doc.line(_("Email"), found.email)
    rows = [[_("Date"), _("Amount"), _("Refunded"), _("Paid with"), _("Reference")]]
    rows += [
        [
            _date(gift),
            _money(gift.amount, gift.currency),
            _money(gift.refunded, gift.currency),
            gift.method,
            f"{gift.provider}:{gift.transaction_id}",
        ]
        for gift in found.gifts
    ]
    doc.table(rows)
    for total in found.totals:
        doc.line(_("Total given"), _money(total.given, total.currency))
        doc.line(_("Total refunded"), _money(total.refunded, total.currency))
        doc.line(_("Total kept"), _money(total.kept, total.currency))
    if not found.gifts:
        doc.paragraph(_("No gifts in this year."))
    return doc.bytes()
