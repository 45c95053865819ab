"""Shipped translations: complete, compiled, chosen by settings or the browser, RTL-aware."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from django.test import Client
from django.utils import translation

from tribune.funding import display, progress

ROOT = Path(__file__).resolve().parents[3]
LOCALE = ROOT / "tribune" / "locale"
SHIPPED = ["de", "es", "fr", "uk"]


def _catalogue(language: str, kind: str = "po"):
    path = LOCALE / language / "LC_MESSAGES" / f"django.{kind}"
    with path.open("rb") as handle:
        return read_po(handle, locale=language) if kind == "po" else read_mo(handle)


def _missing(catalogue) -> list[str]:
    missing = []
    for message in catalogue:
        if not message.id:
            continue
        strings = message.string if message.pluralizable else [message.string]
        if message.fuzzy or not all(strings):
            missing.append(str(message.id))
    return missing


def test_every_string_in_the_code_is_translated_in_every_shipped_language(tmp_path):
    # Extract the strings afresh from a copy of the code, merged into a copy of
    # each catalogue, so a string added without its translations fails here.
    copy = tmp_path / "tribune"
    shutil.copytree(
        ROOT / "tribune",
        copy,
        ignore=shutil.ignore_patterns("__pycache__", "tests", "static", "data"),
    )
    environ = {
        **os.environ,
        "PYTHONPATH": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "tribune.config.settings.test",
    }
    languages = [arg for code in SHIPPED for arg in ("-l", code)]
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", *languages, "--no-obsolete"],
        cwd=copy,
        env=environ,
        check=True,
        capture_output=True,
        timeout=300,
    )
    for language in SHIPPED:
        po = copy / "locale" / language / "LC_MESSAGES" / "django.po"
        with po.open("rb") as handle:
            assert _missing(read_po(handle, locale=language)) == [], language


@pytest.mark.parametrize("language", SHIPPED)
def test_compiled_catalogue_matches_its_source(language):
    def flat(value):
        return tuple(value) if isinstance(value, list | tuple) else value

    # Keyed by context too: "Report" the article and "Report" the verb are two entries.
    source = {
        (m.context, flat(m.id)): flat(m.string)
        for m in _catalogue(language)
        if m.id and not m.fuzzy
    }
    compiled = {
        (m.context, flat(m.id)): flat(m.string)
        for m in _catalogue(language, "mo")
        if m.id
    }
    assert compiled == source, (
        f"run: cd tribune && tribune compilemessages -l {language}"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("language", SHIPPED)
def test_a_reader_gets_the_language_their_browser_asks_for(settings, language, home):
    settings.LANGUAGES = [("en", "English"), *((code, code) for code in SHIPPED)]
    page = Client().get("/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    with translation.override(language):
        skip = translation.gettext("Skip to content")
    assert skip != "Skip to content"
    assert f'<html lang="{language}">' in page
    assert skip in page


@pytest.mark.django_db
def test_without_languages_the_site_speaks_language_code_alone(settings, home):
    settings.LANGUAGE_CODE = "de"
    settings.LANGUAGES = [("de", "Deutsch")]
    page = Client().get("/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<html lang="de">' in page
    assert 'class="language-switch"' not in page


@pytest.mark.django_db
def test_the_language_switch_changes_the_language(settings, home):
    settings.LANGUAGES = [("en", "English"), ("fr", "Français")]
    client = Client()
    page = client.get("/").content.decode()
    assert 'class="language-switch"' in page and 'lang="fr"' in page
    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    assert '<html lang="fr">' in client.get("/").content.decode()


@pytest.mark.django_db
def test_arabic_pages_are_laid_out_right_to_left(settings, home):
    settings.LANGUAGES = [("en", "English"), ("ar", "العربية")]
    page = Client().get("/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert '<html lang="ar" dir="rtl">' in page


@pytest.mark.parametrize("language", SHIPPED)
def test_the_countdown_follows_each_languages_plural_rules(language):
    import datetime as dt
    import gettext

    from babel.dates import format_date

    catalogue = _catalogue(language)
    plural = gettext.c2py(catalogue.plural_expr)
    entry = catalogue["%(days)d day left until the end of %(month)s"]
    month, last = dt.date(2026, 12, 1), dt.date(2026, 12, 31)
    with translation.override(language):
        for days in (1, 2, 5, 21, 100):
            text = display.countdown_text(
                progress.Countdown(state="open", days=days, hours=0),
                month=month,
                last_day=last,
                locale=language,
            )
            form = entry.string[plural(days)]
            month_name = format_date(month, "LLLL", locale=language)
            assert text == form % {"days": days, "month": month_name}, (days, text)
