"""Funding URLs, all under /support/ (the site's default donate address)."""

from django.urls import path

from tribune.funding import api, views, webhooks

app_name = "funding"

urlpatterns = [
    path("support/", views.donate, name="donate"),
    path("support/thanks/", views.thanks, name="thanks"),
    path("support/supporters/", views.wall, name="wall"),
    path("support/embed/", views.embed, name="embed"),
    path("support/progress.json", api.progress_json, name="progress_json"),
    path("support/openapi.json", api.openapi_document, name="openapi"),
    path("support/webhooks/stripe/", webhooks.stripe_webhook, name="stripe_webhook"),
    path("support/webhooks/paypal/", webhooks.paypal_webhook, name="paypal_webhook"),
    path("support/webhooks/patreon/", webhooks.patreon_webhook, name="patreon_webhook"),
]
