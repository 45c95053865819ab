"""The site's URL map: app URLs first, Wagtail's page tree last."""

from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from tribune.core import health
from tribune.core import views as core_views
from tribune.newsroom import views as newsroom_views

handler404 = "tribune.core.views.page_not_found"
handler500 = "tribune.core.views.server_error"

urlpatterns = [
    # No two entries here take the same first path segment (test_urls.py), so
    # their order only sets what resolving costs: the discussion first, as its
    # API's writes are the requests the page cache does not answer most.
    path("", include("tribune.discussion.urls")),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("robots.txt", newsroom_views.robots_txt, name="robots_txt"),
    # Answered by core.health.HealthMiddleware; named here for reverse().
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    # The language switch posts here (shown where LANGUAGES lists several).
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("tribune.newsroom.urls")),
    path("", include("tribune.funding.urls")),
    path("", include("tribune.subscriptions.urls")),
    path("", include("tribune.live.urls")),
    path("", include("tribune.selfservice.urls")),
    path("", include("tribune.newsletter.urls")),
    path("", include("tribune.moving.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
else:
    urlpatterns += [path("media/<path:path>", core_views.media, name="media")]

urlpatterns += [path("", include(wagtail_urls))]
