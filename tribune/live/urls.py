"""The live app's URLs on the web server (the stream itself is `tribune live`)."""

from django.urls import path

from tribune.live import views

app_name = "live"

urlpatterns = [
    path("live/events/<int:page_id>/", views.events, name="events"),
    # Reached only where nothing in front sends the stream to `tribune live`.
    path("live/stream/<int:page_id>/", views.no_stream, name="no_stream"),
]
