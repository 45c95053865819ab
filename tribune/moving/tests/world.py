"""A small newsroom with one of everything the exports write, made through services."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image
from wagtail.documents import get_document_model
from wagtail.embeds.blocks import EmbedValue
from wagtail.images import get_image_model
from wagtail.rich_text import RichText

from tribune.discussion import services as discussion
from tribune.discussion.models import Action, Comment, Status
from tribune.discussion.services import importing
from tribune.discussion.services.importing import ImportedEntry, import_entry
from tribune.discussion.tests import factories as discussion_factories
from tribune.funding.tests import factories as funding
from tribune.newsroom.models import ArticlePage, Author, CommentsMode, StandardPage
from tribune.newsroom.tests import factories as newsroom
from tribune.subscriptions.tests import factories as subscriptions

WHEN = dt.datetime(2026, 3, 14, 9, 30, tzinfo=dt.UTC)


@dataclass
class World:
    flood: ArticlePage
    closed: ArticlePage
    about: StandardPage
    authors: list[Author]
    top: Comment
    reply: Comment
    spam: Comment
    deleted: Comment


def body() -> list[tuple[str, object]]:
    return [
        ("paragraph", RichText("<p>The river rose <b>two metres</b> &amp; more.</p>")),
        ("heading", {"text": "What <we> know", "level": "h3"}),
        (
            "quote",
            {
                "quote": "It came fast.\nThen it stopped.",
                "attribution": "A ferry pilot",
            },
        ),
        ("embed", EmbedValue("https://video.example.org/watch?v=1&t=2")),
        (
            "table",
            {
                "data": [["Gauge", "Level"], ["North", "4.2 m"]],
                "first_row_is_table_header": True,
                "first_col_is_header": False,
                "table_caption": "Levels at noon",
            },
        ),
        (
            "feedback_prompt",
            {"passage": RichText("<p>The dam held.</p>"), "question": 'Was it "safe"?'},
        ),
        ("paragraph", RichText("<p>Odd text: ]]&gt; and \x0b gone.</p>")),
        ("html", "<dl><dt>Gauge</dt><dd>North</dd></dl><script>alert(1)</script>"),
    ]


def build() -> World:
    """Two reports in a series, bylines, topics, a thread in every status, a
    confirmed subscription, a campaign and a donation."""
    newsroom.home_page()
    series = newsroom.series("Valley news")
    authors = [
        newsroom.AuthorFactory(name="Ana Reyes", slug="ana-reyes"),
        newsroom.AuthorFactory(name="Bo Lind", slug="bo-lind"),
    ]
    flood = newsroom.article(
        in_series=series,
        title="Flood <defences> & the dam",
        date=dt.date(2026, 3, 14),
        body=body(),
        authors=authors,
        tags=["floods", "river levels"],
        dateline="Riverside",
        lead="Water ]]> walls, for a CDATA section to hold.",
    )
    closed = newsroom.article(
        in_series=series,
        title="Bridge reopens",
        comments=CommentsMode.CLOSED,
        pinned=True,
    )
    about = newsroom.plain_page(title="About us", slug="about", text="Who we are.")
    newsroom.plain_page(parent=about, title="Contact", slug="contact", text="Write.")
    thread = discussion_factories.thread(flood)
    top = import_entry(
        thread=thread,
        entry=ImportedEntry(
            name="Kit <b>",
            email="kit@example.org",
            body="First *word*",
            created_at=WHEN,
            upvotes=3,
            downvotes=1,
        ),
    )
    importing.finish_thread_import(thread=thread)
    reply = discussion_factories.comment(
        in_thread=thread, parent=top, body="A reply ]]>"
    )
    spam = import_entry(
        thread=thread,
        entry=ImportedEntry(
            name="Seller", email="", body="buy now", created_at=WHEN, status=Status.SPAM
        ),
    )
    deleted = discussion_factories.comment(in_thread=thread, body="Regret")
    editor = discussion_factories.user(is_staff=True)
    [deleted] = discussion.moderate_comments(
        comment_ids=[deleted.pk], action=Action.DELETE, moderator=editor
    )
    subscriptions.confirmed(email="follower@example.org", thread=thread)
    funding.campaign(title="Spring drive", goal=Decimal("1200"))
    funding.donation("30", public_name="A neighbour", email="giver@example.org")
    return World(flood, closed, about, authors, top, reply, spam, deleted)


def page_discussion(page: StandardPage, mode: str = CommentsMode.OPEN) -> list[Comment]:
    """A discussion on a plain page: a comment, a reply with votes, one held."""
    page.comments = mode
    page.save_revision().publish()
    thread = discussion_factories.thread(page)
    top = import_entry(
        thread=thread,
        entry=ImportedEntry(
            name="Pat", email="pat@example.org", body="Who edits?", created_at=WHEN
        ),
    )
    reply = import_entry(
        thread=thread,
        entry=ImportedEntry(
            name="Editor",
            email="",
            body="We all do.",
            created_at=WHEN,
            upvotes=2,
            downvotes=1,
        ),
        parent=top,
    )
    held = import_entry(
        thread=thread,
        entry=ImportedEntry(
            name="Sam",
            email="sam@example.org",
            body="Held *here*",
            created_at=WHEN,
            status=Status.PENDING,
        ),
        parent=reply,
    )
    importing.finish_thread_import(thread=thread)
    return [top, reply, held]


def media_report(series: object) -> ArticlePage:
    """A report with an audio player, a linked PDF (in the text and as a file
    block) and a picture, each a real file in the site's storage."""
    documents = get_document_model()
    audio = documents(
        title="Interview <raw> & cut",
        file=ContentFile(
            b"ID3\x03\x00" + bytes(range(256)), name="pilot interview.mp3"
        ),
    )
    audio.save()
    pdf = documents(
        title="Budget 2026",
        file=ContentFile(b"%PDF-1.4\n% the budget\n%%EOF\n", name="budget-2026.pdf"),
    )
    pdf.save()
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 60, 20)).save(buffer, format="PNG")
    picture = get_image_model()(
        title="North gauge",
        description="The gauge, half under water",
        file=ImageFile(io.BytesIO(buffer.getvalue()), name="gauge.png"),
    )
    picture.save()
    link = f'<p>Read <a linktype="document" id="{pdf.pk}">the budget</a> first.</p>'
    return newsroom.article(
        in_series=series,
        title="Council papers",
        image=picture,
        image_caption="The gauge at <noon> & after",
        body=[
            ("paragraph", RichText(link)),
            ("media", {"document": audio, "player": "audio", "caption": "At 9 a.m."}),
            ("figure", {"image": picture, "caption": "Under water", "credit": ""}),
            ("media", {"document": pdf, "player": "link", "caption": "All 40 pages"}),
        ],
    )
