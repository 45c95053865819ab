"""Authors, categories and tags of a WordPress export: bylines, series, topics."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.urls import Resolver404, resolve
from django.utils.text import slugify
from taggit.models import Tag

from tribune.moving import conf, redirects
from tribune.moving.wordpress import wxr
from tribune.moving.wordpress.context import Run
from tribune.moving.wordpress.ledger import fingerprint
from tribune.newsroom import services as newsroom
from tribune.newsroom.models import Author, SeriesPage


def _free_slug(model_slugs: set[str], wanted: str) -> str:
    slug, n = wanted, 1
    while slug in model_slugs:
        n += 1
        slug = f"{wanted}-{n}"
    return slug


@transaction.atomic
def import_author(author: wxr.Author, run: Run) -> None:
    """A WordPress user who wrote posts becomes a byline; the address is kept
    in the byline's private email field (never shown to readers).  WXR carries
    no biography (WordPress's user description is not exported)."""
    name = (
        author.display_name
        or " ".join(p for p in (author.first_name, author.last_name) if p)
        or author.login
    )[:120]
    email = _valid_email(author.email)
    if author.email and not email:
        run.report.note("author", author.login, "email address not valid, not kept")
    print_ = fingerprint([name, email])
    record = run.ledger.record("author", author.login)
    byline = run.ledger.target("author", author.login, Author) if record else None
    if byline is None:
        wanted = slugify(author.login)[:100] or "author"
        taken = set(
            Author.objects.filter(slug__startswith=wanted).values_list(
                "slug", flat=True
            )
        )
        byline = Author.objects.create(
            name=name, slug=_free_slug(taken, wanted), email=email
        )
        run.report.count("author", "created")
    elif record is not None and record.fingerprint != print_:
        byline.name = name
        byline.email = email or byline.email
        byline.save(update_fields=["name", "email"])
        run.report.count("author", "updated")
    else:
        run.report.count("author", "unchanged")
    run.ledger.remember("author", author.login, byline, print_)
    run.authors[author.login] = byline
    old = [f"/author/{author.login}/"]
    if author.author_id:
        old.append(f"/?author={author.author_id}")
    redirects.point_to_link(old, byline.get_absolute_url())


def _valid_email(address: str) -> str:
    address = address.strip()
    try:
        validate_email(address)
    except ValidationError:
        return ""
    return address


def is_series(slug: str) -> bool:
    chosen = conf.series_categories()
    return chosen is None or slug in chosen


def taken_by_route(slug: str) -> bool:
    """Whether addresses below "/<slug>/" belong to a view, not to pages
    ("/media/...", "/topics/...", "/feed/rss/")."""
    for probe in (f"/{slug}/", f"/{slug}/x/", f"/{slug}/rss/"):
        try:
            match = resolve(probe)
        except Resolver404:
            continue
        if match.url_name != "wagtail_serve":
            return True
    return False


def series_for(run: Run, slug: str, title: str) -> SeriesPage:
    """The series page of a slug under the home page, made when missing.  A
    slug whose addresses the site's own views answer gets "-section" added."""
    if taken_by_route(slug):
        run.report.note(
            "series", slug, f"address taken by the site, now {slug}-section"
        )
        slug = f"{slug}-section"
    found = SeriesPage.objects.child_of(run.home).filter(slug=slug).first()
    if found is None:
        found = newsroom.create_series(home=run.home, title=title[:255], slug=slug)
    return found


@transaction.atomic
def import_term(term: wxr.Term, run: Run) -> None:
    """A category that is a series becomes a series page; tags and the other
    categories become topics.  Other taxonomies are listed, not imported."""
    if term.taxonomy not in ("category", "post_tag"):
        run.report.skip("term", term.slug, f"taxonomy {term.taxonomy!r} not imported")
        return
    slug = slugify(term.slug)[:50] or f"term-{term.term_id}"
    kind = term.taxonomy
    if kind == "category":
        run.category_parents[term.slug] = term.parent
        run.category_ids[term.slug] = term.term_id
    if kind == "category" and is_series(term.slug):
        record = run.ledger.record(kind, term.slug)
        page = run.ledger.target(kind, term.slug, SeriesPage) if record else None
        if page is None:
            page = series_for(run, slug, term.name or term.slug)
            run.report.count("series", "created")
        else:
            run.report.count("series", "unchanged")
        run.ledger.remember(kind, term.slug, page, fingerprint(term))
        run.series[term.slug] = page
        return
    name = (term.name or term.slug)[:100]
    tag = Tag.objects.filter(Q(slug=slug) | Q(name__iexact=name)).first()
    if tag is None:
        tag = Tag.objects.create(slug=slug, name=name)
        run.report.count("topic", "created")
    else:
        run.report.count("topic", "unchanged")
    run.ledger.remember(kind, term.slug, tag, fingerprint(term))
    run.topics[term.slug] = tag
