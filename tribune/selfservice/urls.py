"""Reader URLs of "Your page", all under /me/."""

from django.urls import path

from tribune.selfservice import views

app_name = "selfservice"

urlpatterns = [
    path("me/", views.your_page, name="start"),
    path("me/link/<str:secret>/", views.open_link, name="link"),
    path("me/comments/<int:comment_id>/edit/", views.edit_comment, name="edit"),
    path("me/comments/<int:comment_id>/delete/", views.delete_comment, name="delete"),
    path(
        "me/subscriptions/<int:subscription_id>/stop/",
        views.stop_subscription,
        name="stop_subscription",
    ),
    path("me/newsletter/", views.newsletter, name="newsletter"),
    path("me/newsletter/stop/", views.stop_newsletter, name="stop_newsletter"),
    path("me/mail/", views.mail, name="mail"),
    path("me/badge/", views.badge, name="badge"),
    path("me/data.json", views.export, name="export"),
    path("me/erase/", views.erase, name="erase"),
    path("me/undo/", views.undo, name="undo"),
    path("me/leave/", views.leave, name="leave"),
]
