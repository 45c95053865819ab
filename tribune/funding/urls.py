"""Funding URLs, all under /support/ (the site's default donate address)."""

from django.urls import include, path

from tribune.funding import api, views

app_name = "funding"

urlpatterns = [
    path("support/", views.donate, name="donate"),
    path("support/thanks/", views.thanks, name="thanks"),
    path("support/supporters/", views.wall, name="wall"),
    path("support/embed/", views.embed, name="embed"),
    # progress.json, the providers' webhooks and openapi.json (api.py).
    path(
        "support/",
        include(api.api.urlpatterns(document="openapi.json", name="openapi")),
    ),
]
