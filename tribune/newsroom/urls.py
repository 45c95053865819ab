from django.urls import path

from tribune.newsroom import feeds, views

app_name = "newsroom"

urlpatterns = [
    path("authors/<slug:slug>/", views.author, name="author"),
    path("topics/<slug:slug>/", views.topic, name="topic"),
    path("search/", views.search, name="search"),
    path("feed/rss/", feeds.LatestReportsFeed(), name="feed_rss"),
    path("feed/atom/", feeds.LatestReportsAtomFeed(), name="feed_atom"),
    path("feed/<slug:slug>/rss/", feeds.LatestReportsFeed(), name="series_feed_rss"),
    path(
        "feed/<slug:slug>/atom/", feeds.LatestReportsAtomFeed(), name="series_feed_atom"
    ),
]
