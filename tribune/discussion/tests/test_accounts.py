import datetime as dt
import re

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.urls import reverse

from tribune.discussion import spam
from tribune.discussion.models import Comment
from tribune.discussion.services import accounts
from tribune.discussion.tests import factories
from tribune.mailing.models import OutboundEmail
from tribune.newsroom.tests import factories as newsroom

pytestmark = pytest.mark.django_db

SIGNUP = {"email": "Kim@Example.org"}
CHOSEN = {"name": "Kim Oduya", "password": "long enough words 7"}


def signup(client, **fields):
    return client.post(reverse("discussion:account_signup"), {**SIGNUP, **fields})


def confirm_link(email):
    mail = OutboundEmail.objects.filter(recipient=email).latest("id")
    return re.search(
        r"https?://[^\s]+/comments/account/confirm/[^\s]+/", mail.text_body
    ).group(0)


def test_signup_creates_an_inactive_account_and_queues_one_confirmation(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = signup(client)
    assert response.status_code == 200
    assert "Check your email" in response.content.decode()
    user = get_user_model().objects.get()
    assert (user.email, user.first_name, user.is_active) == (
        "kim@example.org",
        "",
        False,
    )
    assert OutboundEmail.objects.filter(recipient="kim@example.org").count() == 1


def test_confirmation_link_shows_a_form_and_only_post_activates(client):
    signup(client)
    path = re.sub(r"^https?://[^/]+", "", confirm_link("kim@example.org"))
    page = client.get(path)
    assert "Confirm and sign in" in page.content.decode()
    assert not get_user_model().objects.get().is_active  # a mail scanner's GET
    response = client.post(path, {**CHOSEN, "next": "/somewhere/"})
    assert response.status_code == 302
    assert response["Location"] == "/somewhere/"
    user = get_user_model().objects.get()
    assert (user.is_active, user.first_name) == (True, "Kim Oduya")
    client.logout()
    assert client.login(username="kim@example.org", password=CHOSEN["password"])
    client.logout()
    assert client.post(path, CHOSEN).status_code == 400  # used once, then dead


def test_a_typed_address_has_no_usable_password_until_its_owner_confirms(client):
    # Issue 11, finding 7: the typed password used to be set on the victim's address.
    client.post(
        reverse("discussion:account_signup"),
        {**SIGNUP, "name": "Attacker", "password": "attacker pass 99"},
    )
    victim = get_user_model().objects.get()
    assert not victim.has_usable_password()
    assert not client.login(username="kim@example.org", password="attacker pass 99")


def test_confirmation_mail_carries_no_typed_text(client):
    # Issue 11, finding 7: the greeting used to carry whatever name was typed.
    client.post(
        reverse("discussion:account_signup"),
        {**SIGNUP, **CHOSEN, "name": "Win a prize at evil.example"},
    )
    mail = OutboundEmail.objects.get(recipient="kim@example.org")
    assert "evil.example" not in mail.text_body + mail.subject
    assert "Win a prize" not in mail.text_body


def test_thirty_signups_from_one_network_mail_at_most_the_limit(client):
    # Issue 11, finding 7: 30 sign-ups from one IP sent 30 mails.
    factories.rules(signups_per_ip_per_hour=5)
    statuses = [
        signup(client, email=f"victim{n}@example.org").status_code for n in range(30)
    ]
    assert statuses == [200] * 5 + [429] * 25
    assert OutboundEmail.objects.count() == 5
    response = signup(client, email="late@example.org")
    assert "Too many sign-ups from your network" in response.content.decode()


def test_signup_mails_per_address_per_day_are_limited(client):
    factories.rules(signups_per_address_per_day=2)
    # Counted per UTC day: start at noon, so that the 33 minutes never cross
    # midnight (a run at 23:40 UTC did, and counted a second day).
    noon = dt.datetime.now(dt.UTC).replace(hour=12, minute=0, second=0, microsecond=0)
    for n in range(4):
        with time_machine.travel(noon + dt.timedelta(minutes=11 * n)):
            assert signup(client, REMOTE_ADDR=f"198.51.100.{n}").status_code == 200
    assert OutboundEmail.objects.filter(recipient="kim@example.org").count() == 2


def test_confirm_form_errors_show_by_the_field(client):
    signup(client)
    path = re.sub(r"^https?://[^/]+", "", confirm_link("kim@example.org"))
    response = client.post(path, {"name": "kim@example.org", "password": "1234"})
    assert response.status_code == 400
    text = response.content.decode()
    for field in ("name", "password"):
        error = re.search(rf'data-error-for="{field}">([^<]*)</span>', text).group(1)
        assert error.strip()
    assert not get_user_model().objects.get().is_active


def test_bad_confirmation_link_is_refused(client):
    signup(client)
    bad = "/comments/account/confirm/MQ/not-a-token/"
    assert client.post(bad, CHOSEN).status_code == 400
    assert client.post("/comments/account/confirm/%%%/x-y/").status_code in (400, 404)
    assert not get_user_model().objects.get().is_active


def test_signup_for_a_known_address_reveals_nothing_and_changes_nothing(client):
    existing = factories.user(email="kim@example.org", username="kim@example.org")
    before = existing.password
    response = signup(client)
    assert "Check your email" in response.content.decode()
    existing.refresh_from_db()
    assert existing.password == before
    assert get_user_model().objects.count() == 1


def test_confirmation_mail_is_rate_limited_per_address(client):
    signup(client)
    signup(client)
    signup(client, email="KIM@example.org")
    assert OutboundEmail.objects.filter(recipient="kim@example.org").count() == 1


@pytest.mark.parametrize(("fields", "field"), [({"email": "nope"}, "email")])
def test_bad_signup_shows_the_error_by_the_field(client, fields, field):
    response = signup(client, **fields)
    assert response.status_code == 400
    error = re.search(
        rf'data-error-for="{field}">([^<]*)</span>', response.content.decode()
    ).group(1)
    assert error.strip()
    assert not get_user_model().objects.exists()


def test_confirmed_reader_signs_in_with_any_case_and_comments_under_their_name(
    client, settings
):
    settings.DISCUSSION_MIN_FILL_SECONDS = 0
    user = accounts.register_reader(
        email="kim@example.org", base_url="http://x", ip=None, rules=factories.rules()
    )
    path = re.sub(r"^https?://[^/]+", "", confirm_link("kim@example.org"))
    client.post(path, {"name": "Kim Oduya", "password": "pw-long-1"})
    client.logout()
    response = client.post(
        reverse("discussion:account_login"),
        {"username": "KIM@example.org", "password": "pw-long-1", "next": "/x/"},
    )
    assert response.status_code == 302
    factories.rules()
    article = newsroom.article()
    page = client.get(article.url).content.decode()
    assert "Sign out" in page and "Commenting as Kim Oduya." in page
    client.post(
        reverse("discussion:post", args=[article.pk]),
        {"body": "Mine.", "key": "a" * 32, "started": spam.issue_form_token()},
    )
    comment = Comment.objects.get()
    assert (comment.author, comment.author_name) == (user, "Kim Oduya")


def test_account_without_a_name_never_shows_its_email(client, settings):
    settings.DISCUSSION_MIN_FILL_SECONDS = 0
    user = factories.user(username="lee@example.org", email="lee@example.org")
    client.force_login(user)
    factories.rules()
    article = newsroom.article()
    client.post(
        reverse("discussion:post", args=[article.pk]),
        {"body": "Hi.", "key": "b" * 32, "started": spam.issue_form_token()},
    )
    assert Comment.objects.get().author_name == "lee"
    client.logout()
    assert "lee@example.org" not in client.get(article.url).content.decode()


def test_anonymous_reader_is_offered_sign_in_and_sign_up(client):
    factories.rules()
    article = newsroom.article()
    page = client.get(article.url).content.decode()
    assert reverse("discussion:account_login") in page
    assert reverse("discussion:account_signup") in page


def test_chosen_name_is_stored_without_bidi_controls(client):
    signup(client)
    path = re.sub(r"^https?://[^/]+", "", confirm_link("kim@example.org"))
    client.post(path, {**CHOSEN, "name": "Kim \u202eyawa\u202c\ue000csrf\ue001"})
    assert get_user_model().objects.get().first_name == "Kim yawacsrf"


def test_sign_in_without_next_lands_on_the_front_page(client):
    # Django's default, /accounts/profile/, does not exist here (issue 11, item 10).
    factories.user(username="kim@example.org", email="kim@example.org")
    response = client.post(
        reverse("discussion:account_login"),
        {"username": "kim@example.org", "password": "pw-for-tests-1"},
    )
    assert (response.status_code, response["Location"]) == (302, "/")
