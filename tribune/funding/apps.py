from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "tribune.funding"
    label = "funding"
    verbose_name = "Funding"
