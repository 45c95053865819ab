"""Reader URLs of the comment section and the JSON API."""

from django.urls import URLPattern, URLResolver, include, path, re_path

from tribune.discussion import account_views, api, inline_views, views

app_name = "discussion"

urlpatterns: list[URLPattern | URLResolver] = [
    # The operations and openapi.json (api.py), then JSON 404s for the rest;
    # first, as the API's writes are the requests that get this far most.
    path(
        "api/",
        include(api.api.urlpatterns(document="openapi.json", name="api_openapi")),
    ),
    # [\s\S]: <path:> stops at a newline, and the rest would reach Wagtail.
    re_path(r"^api/(?P<rest>[\s\S]*)\Z", api.not_found, name="api_not_found"),
    path("comments/<id:page_id>/post/", views.post_comment, name="post"),
    path("comments/<id:page_id>/list/", views.fragment, name="fragment"),
    path(
        "comments/<id:page_id>/replies/<id:comment_id>/",
        views.replies,
        name="replies",
    ),
    path("comments/<id:page_id>/sort/<str:order>/", views.sort, name="sort"),
    path(
        "comments/<id:page_id>/passage/<str:block>/",
        inline_views.passage_form,
        name="passage",
    ),
    path(
        "comments/<id:page_id>/passage-comments/",
        inline_views.passage_comments,
        name="passage_comments",
    ),
    path("comments/c/<id:comment_id>/vote/", views.vote, name="vote"),
    path("comments/c/<id:comment_id>/edit/", views.edit, name="edit"),
    path("comments/c/<id:comment_id>/delete/", views.delete, name="delete"),
    path("comments/c/<id:comment_id>/report/", views.report, name="report"),
    path(
        "comments/verify-email/<str:token>/",
        views.verify_email,
        name="verify_email",
    ),
    path("comments/account/signup/", account_views.signup, name="account_signup"),
    path(
        "comments/account/confirm/<str:uidb64>/<str:token>/",
        account_views.confirm,
        name="account_confirm",
    ),
    path("comments/account/login/", account_views.sign_in, name="account_login"),
    path("comments/account/logout/", account_views.sign_out, name="account_logout"),
]
