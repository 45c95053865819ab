from django.urls import path

from tribune.moving import views

app_name = "moving"

urlpatterns = [
    path(
        "moved/comment/<int:page_id>/<str:legacy_id>/",
        views.moved_comment,
        name="moved_comment",
    ),
]
