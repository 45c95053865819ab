import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tribune.discussion import accounts, spam
from tribune.discussion.models import Comment
from tribune.discussion.tests import factories
from tribune.mailing.models import OutboundEmail
from tribune.newsroom.tests import factories as newsroom

pytestmark = pytest.mark.django_db

SIGNUP = {
    "name": "Kim Oduya",
    "email": "Kim@Example.org",
    "password": "long enough words 7",
}


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
        "Kim Oduya",
        False,
    )
    assert OutboundEmail.objects.filter(recipient="kim@example.org").count() == 1
    assert not client.login(username="kim@example.org", password=SIGNUP["password"])


def test_confirmation_link_shows_a_button_and_only_post_activates(client):
    signup(client)
    path = re.sub(r"^https?://[^/]+", "", confirm_link("kim@example.org"))
    page = client.get(path)
    assert "Confirm and sign in" in page.content.decode()
    assert not get_user_model().objects.get().is_active  # a mail scanner's GET
    response = client.post(path, {"next": "/somewhere/"})
    assert response.status_code == 302
    assert response["Location"] == "/somewhere/"
    assert get_user_model().objects.get().is_active
    client.logout()
    assert client.post(path).status_code == 400  # used once, then dead


def test_bad_confirmation_link_is_refused(client):
    signup(client)
    assert client.post("/comments/account/confirm/MQ/not-a-token/").status_code == 400
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


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"password": "1234"}, "password"),
        ({"email": "nope"}, "email"),
        ({"name": "kim@example.org"}, "name"),
        ({"name": ""}, "name"),
    ],
)
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
        email="kim@example.org",
        name="Kim Oduya",
        password="pw-long-1",
        base_url="http://x",
    )
    user.is_active = True
    user.save()
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


def test_signup_name_is_stored_without_bidi_controls(client):
    signup(client, name="Kim \u202eyawa\u202c\ue000csrf\ue001")
    assert get_user_model().objects.get().first_name == "Kim yawacsrf"
