"""A report's own part of its page, kept per process (decision 0036): every change
of what it shows is seen at once, and nothing of one reader reaches another."""

from __future__ import annotations

import io
import re
from urllib.parse import quote

import pytest
from django.core.files.images import ImageFile
from django.test import Client
from PIL import Image as PILImage
from taggit.models import Tag
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.rich_text import RichText

from tribune.core import generations
from tribune.core.testing import queries_of_get
from tribune.newsroom import selectors
from tribune.newsroom.models import ArticlePage, Author, NewsroomSettings, SupportPanel
from tribune.newsroom.tests import factories

pytestmark = pytest.mark.django_db

REPORT = re.compile(r'<article class="report">.*?</article>', re.S)
SOCIAL = re.compile(
    r'<meta property="og:type".*?<meta name="twitter:description"[^>]*>', re.S
)


def _report(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    found = REPORT.search(response.content.decode())
    assert found is not None
    return found.group(0)


@pytest.fixture
def report(home) -> ArticlePage:
    panel = SupportPanel.objects.create(
        name="Default", heading="Keep us going", text="<p>Readers pay.</p>"
    )
    settings = NewsroomSettings.for_site(home.get_site())
    settings.support_panel = panel
    settings.save()
    return factories.article(
        title="Water <levels>",
        authors=[factories.AuthorFactory(name="Bea North")],
        tags=["floods"],
    )


def test_the_kept_part_is_what_a_fresh_render_gives(client: Client, report) -> None:
    client.get(report.url)  # warms what every page keeps (the site, the menu)
    generations.advance(selectors.REPORT_GENERATION)
    fresh_queries = queries_of_get(client, report.url)
    first = client.get(report.url).content.decode()
    # Byline, topics and series are not read for a kept copy.
    assert queries_of_get(client, report.url) == fresh_queries - 3
    generations.advance(selectors.REPORT_GENERATION)
    first = client.get(report.url).content.decode()
    generations.advance(selectors.REPORT_GENERATION)
    fresh = client.get(report.url).content.decode()
    for page in (first, fresh):
        assert "Water &lt;levels&gt;" in page and "Bea North" in page
    assert REPORT.search(first).group(0) == REPORT.search(fresh).group(0)  # type: ignore[union-attr]
    assert SOCIAL.search(first).group(0) == SOCIAL.search(fresh).group(0)  # type: ignore[union-attr]
    assert 'content="floods"' in first


@pytest.mark.parametrize("editor_first", [True, False])
def test_an_editors_render_and_a_guests_share_only_the_report(
    report, django_user_model, editor_first: bool
) -> None:
    editor, guest = Client(), Client()
    editor.force_login(django_user_model.objects.create_superuser("ed", "", "pw"))
    order = [editor, guest] if editor_first else [guest, editor]
    pages = {id(c): c.get(report.url).content.decode() for c in order}
    seen_by_editor, seen_by_guest = pages[id(editor)], pages[id(guest)]
    # The editor's bar is outside the kept part and never reaches a guest.
    assert "wagtail-userbar" in seen_by_editor
    assert "wagtail-userbar" not in seen_by_guest
    assert REPORT.search(seen_by_editor).group(0) == REPORT.search(seen_by_guest).group(
        0
    )  # type: ignore[union-attr]


def test_a_published_edit_shows_at_once_and_a_draft_does_not(
    client: Client, report
) -> None:
    _report(client, report.url)
    report.title = "Rivers fall"
    report.body = [("paragraph", RichText("<p>New findings.</p>"))]
    report.save_revision()
    assert "Rivers fall" not in _report(client, report.url)
    report.save_revision().publish()
    shown = _report(client, report.url)
    assert "Rivers fall" in shown and "New findings." in shown
    assert "First paragraph." not in shown


def test_a_preview_neither_uses_nor_leaves_a_kept_copy(client: Client, report) -> None:
    _report(client, report.url)
    report.title = "Draft title"
    draft = report.save_revision().as_object()
    preview = draft.make_preview_request().content.decode()
    assert "Draft title" in preview
    assert "Draft title" not in _report(client, report.url)
    assert "Water &lt;levels&gt;" in _report(client, report.url)


def test_a_moved_report_shows_its_new_series(client: Client, report) -> None:
    _report(client, report.url)
    other = factories.series(title="Weather desk")
    Page.objects.get(pk=report.pk).move(other, pos="last-child")
    moved = ArticlePage.objects.get(pk=report.pk)
    assert client.get(report.url)["Location"] == moved.url  # moving/ redirects
    assert "Weather desk" in _report(client, moved.url)
    # The share links name the page's new address.
    assert quote(moved.url, safe="") in _report(client, moved.url)


def test_an_unpublished_report_is_gone_and_comes_back(client: Client, report) -> None:
    _report(client, report.url)
    report.unpublish()
    assert client.get(report.url).status_code == 404
    ArticlePage.objects.get(pk=report.pk).save_revision().publish()
    assert "Bea North" in _report(client, report.url)


def test_a_renamed_or_deleted_author_shows_at_once(client: Client, report) -> None:
    _report(client, report.url)
    author = Author.objects.get(name="Bea North")
    author.name = "Bea South"
    author.save()
    shown = _report(client, report.url)
    assert "Bea South" in shown and "Bea North" not in shown
    author.delete()
    assert "Bea South" not in _report(client, report.url)


def test_a_renamed_topic_shows_at_once(client: Client, report) -> None:
    _report(client, report.url)
    tag = Tag.objects.get(name="floods")
    tag.name = "high water"
    tag.save()
    page = client.get(report.url).content.decode()
    assert "high water" in REPORT.search(page).group(0)  # type: ignore[union-attr]
    assert 'content="high water"' in SOCIAL.search(page).group(0)  # type: ignore[union-attr]


def test_a_renamed_series_shows_at_once(client: Client, report) -> None:
    _report(client, report.url)
    series = report.get_parent().specific
    series.title = "Renamed desk"
    series.save_revision().publish()
    assert "Renamed desk" in _report(client, report.url)


def test_a_changed_support_panel_or_setting_shows_at_once(
    client: Client, report, home
) -> None:
    assert "Keep us going" in _report(client, report.url)
    panel = SupportPanel.objects.get(name="Default")
    panel.heading = "Fund the desk"
    panel.save()
    assert "Fund the desk" in _report(client, report.url)
    settings = NewsroomSettings.for_site(home.get_site())
    settings.support_panel = None
    settings.save()
    assert "Fund the desk" not in _report(client, report.url)


def test_another_process_learns_of_a_change_from_the_generation(
    client: Client, report
) -> None:
    _report(client, report.url)
    # A write this process's receivers did not see (another process made it):
    Author.objects.filter(name="Bea North").update(name="Bea West")
    assert "Bea North" in _report(client, report.url)  # the kept copy
    # ... until that process's bump of the shared generation is read.
    generations.advance(selectors.REPORT_GENERATION)
    assert "Bea West" in _report(client, report.url)


def test_a_deleted_picture_leaves_the_report_at_once(client: Client, home) -> None:
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), "teal").save(buffer, "PNG")
    picture = get_image_model()(
        title="Gauge", file=ImageFile(io.BytesIO(buffer.getvalue()), name="gauge.png")
    )
    picture.save()
    report = factories.article(image=picture, image_caption="The gauge at noon")
    assert "The gauge at noon" in _report(client, report.url)
    picture.delete()  # the page's reference is cleared in SQL, without a page save
    assert "The gauge at noon" not in _report(client, report.url)
