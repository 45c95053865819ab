"""Funding in the Wagtail admin: a menu, the editors' pages and campaign snippets."""

from __future__ import annotations

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from tribune.funding import admin_views, display, money, services
from tribune.funding.models import Campaign


class CampaignViewSet(SnippetViewSet):
    model = Campaign
    icon = "pick"
    add_to_admin_menu = False
    list_display = [
        "title",
        "window",
        # The goal in the money format of the active language, like every admin amount.
        Column(
            "goal",
            label=_("Goal"),
            accessor=lambda campaign: money.format_exact(
                campaign.goal, campaign.currency, display.active_locale()
            ),
        ),
        "starts_on",
        "ends_on",
        "is_active",
    ]


register_snippet(CampaignViewSet)

admin_urls = (
    [
        path("", admin_views.dashboard, name="dashboard"),
        path("ledger/", admin_views.ledger, name="ledger"),
        path("record/", admin_views.record, name="record"),
        path("ledger/<id:pk>/reverse/", admin_views.reverse_donation, name="reverse"),
        path("wall/", admin_views.wall, name="wall"),
    ],
    "funding_admin",
)


@hooks.register("register_admin_urls")
def register_admin_urls() -> list:
    return [path("funding/", include(admin_urls))]


class PermittedItem(MenuItem):
    def __init__(self, *args: object, permission: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request: object) -> bool:
        return bool(request.user.has_perm(self.permission))  # type: ignore[attr-defined]


@hooks.register("register_admin_menu_item")
def register_funding_menu() -> SubmenuMenuItem:
    items = [
        PermittedItem(
            _("Dashboard"),
            reverse("funding_admin:dashboard"),
            icon_name="view",
            permission="funding.view_donation",
        ),
        PermittedItem(
            _("Ledger"),
            reverse("funding_admin:ledger"),
            icon_name="list-ul",
            permission="funding.view_donation",
        ),
        PermittedItem(
            _("Record a gift"),
            reverse("funding_admin:record"),
            icon_name="plus",
            permission="funding.add_donation",
        ),
        PermittedItem(
            _("Supporters' wall"),
            reverse("funding_admin:wall"),
            icon_name="group",
            permission="funding.change_supportermessage",
        ),
        PermittedItem(
            _("Campaigns"),
            reverse("wagtailsnippets_funding_campaign:list"),
            icon_name="pick",
            permission="funding.change_campaign",
        ),
    ]
    return SubmenuMenuItem(_("Funding"), Menu(items=items), icon_name="pick", order=250)


def _forget_if_campaign(request: object, instance: object) -> None:
    if isinstance(instance, Campaign):
        services.refresh_bar()


for _hook in ("after_create_snippet", "after_edit_snippet"):
    hooks.register(_hook, _forget_if_campaign)


@hooks.register("after_delete_snippet")
def _forget_after_delete(request: object, instances: object) -> None:
    services.refresh_bar()
