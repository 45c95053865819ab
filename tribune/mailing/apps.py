from django.apps import AppConfig


class MailingConfig(AppConfig):
    name = "tribune.mailing"
    label = "mailing"
    verbose_name = "Mailing"
