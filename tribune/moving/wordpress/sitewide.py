"""Redirects of a WordPress site's own addresses: categories, tags, feeds."""

from __future__ import annotations

from django.urls import reverse

from tribune.moving import redirects
from tribune.moving.wordpress.context import Run


def _category_path(slug: str, parents: dict[str, str]) -> str:
    """ "/category/parent/child/", as WordPress nests category addresses."""
    chain, seen = [slug], {slug}
    while parents.get(chain[0]) and parents[chain[0]] not in seen:
        chain.insert(0, parents[chain[0]])
        seen.add(chain[0])
    return "/category/" + "/".join(chain) + "/"


def point_terms(run: Run) -> None:
    """ "/category/..", "/?cat=ID", "/tag/..", "/?tag=slug" to series and topics."""
    for slug, page in run.series.items():
        path = _category_path(slug, run.category_parents)
        old = [path, f"/category/{slug}/"]
        if run.category_ids.get(slug):
            old.append(f"/?cat={run.category_ids[slug]}")
        redirects.point_to_page(old, page)
        feed = reverse("newsroom:series_feed_rss", args=[page.slug])
        redirects.point_to_link([f"{path}feed/"], feed)
    for slug, tag in run.topics.items():
        topic = reverse("newsroom:topic", args=[tag.slug])
        base = (
            _category_path(slug, run.category_parents)
            if slug in run.category_parents
            else f"/tag/{slug}/"
        )
        redirects.point_to_link([base, f"/?tag={slug}"], topic)


def point_feeds(run: Run) -> None:
    """The site's feeds ("/feed/", "/comments/feed/", "/?feed=rss2") to ours."""
    feed = reverse("newsroom:feed_rss")
    atom = reverse("newsroom:feed_atom")
    redirects.point_to_link(
        [
            "/feed/",
            "/feed/rss2/",
            "/feed/rss/",
            "/comments/feed/",
            "/?feed=rss2",
            "/?feed=rss",
            "/?feed=comments-rss2",
        ],
        feed,
    )
    redirects.point_to_link(["/feed/atom/", "/?feed=atom"], atom)
