from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    name = "tribune.newsroom"
    label = "newsroom"
    verbose_name = "Newsroom"
