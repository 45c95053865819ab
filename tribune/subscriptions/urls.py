"""Reader URLs of subscriptions: subscribe, confirm, unsubscribe, manage."""

from django.urls import path

from tribune.subscriptions import views

app_name = "subscriptions"

urlpatterns = [
    path("subscriptions/<id:page_id>/subscribe/", views.subscribe, name="subscribe"),
    path("subscriptions/confirm/<str:token>/", views.confirm, name="confirm"),
    path(
        "subscriptions/unsubscribe/<str:token>/",
        views.unsubscribe,
        name="unsubscribe",
    ),
    path("subscriptions/manage/", views.request_manage_link, name="request_link"),
    path("subscriptions/manage/<str:token>/", views.manage, name="manage"),
]
