"""Reader pages outside Wagtail's page tree: authors, topics, search, robots.txt."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from taggit.models import Tag

from tribune.newsroom import selectors
from tribune.newsroom.models import ArticlePage, Author, StandardPage, paginate

SEARCH_MAX_QUERY = 200
SEARCH_MAX_PLAIN_PAGES = 5


@require_GET
def author(request: HttpRequest, slug: str) -> HttpResponse:
    person = get_object_or_404(Author.objects.select_related("photo"), slug=slug)
    page_obj = paginate(request, selectors.list_articles_by_author(person))
    return render(
        request, "newsroom/author.html", {"author": person, "page_obj": page_obj}
    )


@require_GET
def topic(request: HttpRequest, slug: str) -> HttpResponse:
    tag = get_object_or_404(Tag, slug=slug)
    page_obj = paginate(request, selectors.list_articles_by_topic(slug))
    return render(request, "newsroom/topic.html", {"topic": tag, "page_obj": page_obj})


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:SEARCH_MAX_QUERY]
    page_obj = None
    plain_pages: list[StandardPage] = []
    if query:
        results = ArticlePage.objects.live().public().search(query)
        page_obj = paginate(request, results)
        found = StandardPage.objects.live().public().search(query)
        plain_pages = list(found[:SEARCH_MAX_PLAIN_PAGES])
    return render(
        request,
        "newsroom/search.html",
        {"query": query, "page_obj": page_obj, "plain_pages": plain_pages},
    )


@require_GET
@cache_control(max_age=3600, public=True)
def robots_txt(request: HttpRequest) -> HttpResponse:
    return render(request, "newsroom/robots.txt", content_type="text/plain")
