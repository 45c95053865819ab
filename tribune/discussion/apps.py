from django.apps import AppConfig


class DiscussionConfig(AppConfig):
    name = "tribune.discussion"
    label = "discussion"
    verbose_name = "Discussion"
