"""The live app's URLs on the web server (the stream itself is `tribune live`)."""

from django.urls import path

from tribune.live import views

app_name = "live"

urlpatterns = [
    path("live/events/<int:page_id>/", views.events, name="events"),
]
