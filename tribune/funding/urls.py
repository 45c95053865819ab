"""Funding URLs, all under /support/ (the site's default donate address)."""

from django.urls import include, path

from tribune.funding import api, receipt_views, views

app_name = "funding"

urlpatterns = [
    path("support/", views.donate, name="donate"),
    path("support/thanks/", views.thanks, name="thanks"),
    path("support/supporters/", views.wall, name="wall"),
    path("support/embed/", views.embed, name="embed"),
    path("support/gift/<str:token>/", receipt_views.receipt, name="receipt"),
    path(
        "support/gift/<str:token>/receipt.pdf",
        receipt_views.receipt_pdf,
        name="receipt_pdf",
    ),
    path(
        "support/gift/<str:token>/manage/",
        receipt_views.manage_gift,
        name="manage_gift",
    ),
    path("support/statement/<str:token>/", receipt_views.statement, name="statement"),
    path(
        "support/statement/<str:token>/statement.pdf",
        receipt_views.statement_pdf,
        name="statement_pdf",
    ),
    # progress.json, the providers' webhooks and openapi.json (api.py).
    path(
        "support/",
        include(api.api.urlpatterns(document="openapi.json", name="openapi")),
    ),
]
