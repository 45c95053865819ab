from django.apps import AppConfig


class MovingConfig(AppConfig):
    name = "tribune.moving"
    label = "moving"
    verbose_name = "Moving in and out"
