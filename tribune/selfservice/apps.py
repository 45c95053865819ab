"""The self-service app: a reader's own page at /me/, opened by a mailed link."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelfServiceConfig(AppConfig):
    name = "tribune.selfservice"
    label = "selfservice"
    verbose_name = _("Your page")
