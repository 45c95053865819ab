import pytest
from django.urls import reverse

from tribune.discussion.models import DiscussionSettings, ModerationPolicy
from tribune.discussion.tests import factories

pytestmark = pytest.mark.django_db


def test_an_editor_changes_the_limits_against_abuse_in_site_settings(client):
    rules = factories.rules()
    client.force_login(factories.user(is_staff=True, is_superuser=True))
    url = reverse(
        "wagtailsettings:edit", args=["discussion", "discussionsettings", rules.site_id]
    )
    assert "Limits against abuse" in client.get(url).content.decode()
    form = {
        "comments": "open",
        "moderation": ModerationPolicy.PUBLISH,
        "spam_likely": "spam",
        "spam_possible": "hold",
        "held_words": "",
        "offensive_check": "on",
        "offensive_threshold": 80,
        "offensive_words": "",
        "max_links": 3,
        "reports_to_hide": 4,
        "report_min_guest_age_hours": 48,
        "reports_per_ip_per_hour": 6,
        "new_guests_per_ip_per_hour": 7,
        "votes_per_ip_per_hour": 8,
        "signups_per_ip_per_hour": 2,
        "signups_per_address_per_day": 1,
    }
    assert client.post(url, form).status_code == 302
    saved = DiscussionSettings.objects.get(pk=rules.pk)
    assert (
        saved.reports_to_hide,
        saved.report_min_guest_age_hours,
        saved.reports_per_ip_per_hour,
        saved.new_guests_per_ip_per_hour,
        saved.votes_per_ip_per_hour,
        saved.signups_per_ip_per_hour,
        saved.signups_per_address_per_day,
    ) == (4, 48, 6, 7, 8, 2, 1)
