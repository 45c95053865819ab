import datetime as dt
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from tribune.core import clock
from tribune.discussion import conf, spam
from tribune.discussion.models import (
    Comment,
    ModerationPolicy,
    SiteCommentsMode,
    Status,
    Vote,
)
from tribune.discussion.tests import factories
from tribune.newsroom.models import CommentsMode
from tribune.newsroom.tests import factories as newsroom

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    factories.rules()
    return newsroom.article()


def form_data(**fields):
    data = {
        "body": "The footbridge reopened sooner than promised.",
        "name": "Ada Reader",
        "email": "ada@example.org",
        "website": "",
        "key": fields.pop("key", "a" * 32),
        "started": spam.issue_form_token(),
        "nickname": "",
    }
    data.update(fields)
    return data


def post(client, article, **fields):
    return client.post(
        reverse("discussion:post", args=[article.pk]), form_data(**fields)
    )


def html(response):
    return response.content.decode()


def test_empty_thread_shows_zero_and_invites_comments(client, article):
    page = html(client.get(article.url))
    assert "0 Comments" in page
    assert "Would love your thoughts, please comment." in page
    assert 'id="comment-form"' in page


def test_header_counts_only_approved_comments(client, article):
    thread = factories.thread(article)
    factories.comment(in_thread=thread)
    factories.comment(in_thread=thread)
    factories.comment(
        in_thread=thread, settings=factories.rules(moderation=ModerationPolicy.HOLD_ALL)
    )
    page = html(client.get(article.url))
    assert "2 Comments" in page
    assert "Would love your thoughts" not in page


def test_guest_post_redirects_to_the_comment_and_sets_the_guest_cookie(client, article):
    response = post(client, article)
    comment = Comment.objects.get()
    assert response.status_code == 303
    assert response["Location"].endswith(f"?comment={comment.pk}#comment-{comment.pk}")
    assert conf.get("GUEST_COOKIE") in response.cookies
    assert comment.guest_token
    page = html(client.get(response["Location"]))
    assert "The footbridge reopened sooner than promised." in page
    assert "ada@example.org" not in page


def test_signed_in_reader_posts_under_their_account(client, article):
    reader = factories.user(first_name="Bo", last_name="Lind")
    client.force_login(reader)
    page = html(client.get(article.url))
    assert 'name="email"' not in page
    assert "Commenting as Bo Lind." in page
    client.post(
        reverse("discussion:post", args=[article.pk]),
        {"body": "Signed in.", "key": "b" * 32, "started": spam.issue_form_token()},
    )
    comment = Comment.objects.get()
    assert (comment.author, comment.author_name) == (reader, "Bo Lind")


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"email": ""}, "email", "Please give your email address"),
        ({"email": "nope"}, "email", "does not look right"),
        ({"name": ""}, "name", "Please give a name."),
        ({"body": ""}, "body", "Please write a comment."),
        ({"body": "x" * 5001}, "body", "at most 5000 characters"),
        ({"website": "javascript:alert(1)"}, "website", "http:// or https://"),
        ({"parent": "999999"}, None, "not available"),
    ],
)
def test_bad_input_shows_the_error_by_the_field_and_keeps_the_text(
    client, article, fields, field, message
):
    fields.setdefault("body", "Kept words <b>here</b>")
    response = post(client, article, **fields)
    assert response.status_code == 400
    page = html(response)
    if field:
        error = re.search(rf'data-error-for="{field}">([^<]*)</span>', page).group(1)
        assert message in error
    else:
        assert message in page
    if fields["body"] == "Kept words <b>here</b>":
        assert "Kept words &lt;b&gt;here&lt;/b&gt;</textarea>" in page
    assert not Comment.objects.exists()


def test_form_sent_too_quickly_is_refused(client, article, settings):
    settings.DISCUSSION_MIN_FILL_SECONDS = 3
    token = spam.issue_form_token()
    response = post(client, article, started=token)
    assert response.status_code == 400
    assert "quicker than people type" in html(response)
    with time_machine.travel(clock.now() + dt.timedelta(seconds=5)):
        assert post(client, article, started=token).status_code == 303


def test_filled_honeypot_is_refused(client, article):
    assert post(client, article, nickname="bot").status_code == 400
    assert not Comment.objects.exists()


def test_double_submit_creates_one_comment(client, article):
    first = post(client, article, key="c" * 32)
    second = post(client, article, key="c" * 32)
    assert first["Location"] == second["Location"]
    assert Comment.objects.count() == 1


def test_rate_limited_poster_sees_a_message(client, article, settings):
    settings.DISCUSSION_RATE_PER_IP_PER_MINUTE = 1
    assert post(client, article, key="1" * 32).status_code == 303
    response = post(client, article, key="2" * 32, email="other@example.org")
    assert response.status_code == 400
    assert "faster than we allow" in html(response)


def test_reply_is_nested_under_its_parent(client, article):
    top = factories.comment(in_thread=factories.thread(article))
    response = post(client, article, parent=str(top.pk))
    reply = Comment.objects.get(parent=top)
    page = html(client.get(response["Location"]))
    box = page[page.index(f'id="comment-{top.pk}"') :]
    assert box.index('class="comment__replies"') < box.index(f'id="comment-{reply.pk}"')


def test_deep_replies_say_whom_they_answer(client, article):
    parent = factories.comment(in_thread=factories.thread(article), name="Level 0")
    for level in range(1, 7):
        parent = factories.comment(parent=parent, name=f"Level {level}")
    page = html(client.get(article.url))
    assert "in reply to Level 4" in page
    assert "in reply to Level 5" in page
    assert "in reply to Level 3" not in page


def test_large_counts_are_grouped_as_the_language_writes_them(client, article):
    thread = factories.thread(article)
    factories.comment(in_thread=thread)
    # The counter is what a thousand posts would leave; posting them is not the point.
    type(thread).objects.filter(pk=thread.pk).update(comment_count=1455)
    page = html(client.get(article.url))
    assert "1,455 Comments" in page
    assert '<span class="discussion-bubble__count">1,455</span>' in page


def test_reply_link_without_js_prepares_the_form(client, article):
    top = factories.comment(in_thread=factories.thread(article), name="Farid A.")
    page = html(client.get(f"{article.url}?replyto={top.pk}"))
    assert "Replying to Farid A. <a" in page  # no second period after the name
    assert f'name="parent" value="{top.pk}"' in page


def test_held_comment_is_shown_only_to_its_author(client, article, settings):
    factories.rules(moderation=ModerationPolicy.HOLD_ALL)
    response = post(client, article)
    own = html(client.get(response["Location"]))
    assert "Awaiting moderation" in own
    assert "The footbridge reopened" in own
    assert "0 Comments" in own
    client.cookies.clear()
    other = html(client.get(article.url))
    assert "The footbridge reopened" not in other


def test_vote_without_js_counts_and_returns_to_the_comment(client, article):
    comment = factories.comment(in_thread=factories.thread(article))
    response = client.post(
        reverse("discussion:vote", args=[comment.pk]), {"value": "up"}
    )
    assert response.status_code == 303
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    page = html(client.get(response["Location"]))
    assert '<span class="vote__score" data-score>1</span>' in page
    assert 'value="none" aria-pressed="true"' in page
    client.post(reverse("discussion:vote", args=[comment.pk]), {"value": "none"})
    assert not Vote.objects.exists()


def test_author_cannot_vote_on_own_comment(client, article):
    post(client, article)
    comment = Comment.objects.get()
    response = client.post(
        reverse("discussion:vote", args=[comment.pk]), {"value": "up"}
    )
    assert response.status_code == 403
    assert "cannot vote" in html(response)


def test_sort_link_is_remembered_in_a_cookie(client, article):
    thread = factories.thread(article)
    old = factories.comment(in_thread=thread, body="Older words")
    new = factories.comment(in_thread=thread, body="Newer words")
    response = client.get(reverse("discussion:sort", args=[article.pk, "newest"]))
    assert response.status_code == 302
    assert client.cookies[conf.get("SORT_COOKIE")].value == "newest"
    page = html(client.get(article.url))
    assert page.index(f"comment-{new.pk}") < page.index(f"comment-{old.pk}")
    assert '<a href="/comments/' in page and 'data-sort="newest" aria-current' in page


def test_most_voted_puts_the_best_comment_first(client, article):
    thread = factories.thread(article)
    plain = factories.comment(in_thread=thread)
    liked = factories.comment(in_thread=thread)
    from tribune.discussion import services

    for _ in range(3):
        services.vote(
            comment=liked, viewer=factories.guest_viewer(), value=1, state="open"
        )
    page = html(client.get(f"{article.url}?sort=voted"))
    assert page.index(f'id="comment-{liked.pk}"') < page.index(
        f'id="comment-{plain.pk}"'
    )


def test_most_voted_orders_by_score_and_best_by_wilson_bound(client, article):
    from tribune.discussion import services

    thread = factories.thread(article)
    three = factories.comment(in_thread=thread)  # 3 up: score 3, bound 0.65
    four = factories.comment(in_thread=thread)  # 6 up, 2 down: score 4, bound 0.52
    for comment, value in [(three, 1)] * 3 + [(four, 1)] * 6 + [(four, -1)] * 2:
        services.vote(
            comment=comment, viewer=factories.guest_viewer(), value=value, state="open"
        )
    voted = html(client.get(f"{article.url}?sort=voted"))
    assert voted.index(f'id="comment-{four.pk}"') < voted.index(
        f'id="comment-{three.pk}"'
    )
    best = html(client.get(f"{article.url}?sort=best"))
    assert best.index(f'id="comment-{three.pk}"') < best.index(
        f'id="comment-{four.pk}"'
    )
    assert 'data-sort="best"' in best


def test_large_thread_pages_and_permalinks_beyond_the_first_page(
    client, article, settings
):
    settings.DISCUSSION_PAGE_SIZE = 3
    thread = factories.thread(article)
    comments = [factories.comment(in_thread=thread) for _ in range(5)]
    first = html(client.get(article.url))
    assert f'id="comment-{comments[2].pk}"' in first
    assert f'id="comment-{comments[3].pk}"' not in first
    assert "Load more comments" in first and "View all comments" in first
    second = html(client.get(f"{article.url}?cpage=2"))
    assert f'id="comment-{comments[4].pk}"' in second
    focused = html(client.get(f"{article.url}?comment={comments[4].pk}"))
    assert f'comment--focus" id="comment-{comments[4].pk}"' in focused
    everything = html(client.get(f"{article.url}?call=1"))
    assert all(f'id="comment-{c.pk}"' in everything for c in comments)


def test_permalink_to_a_reply_in_a_collapsed_chain_opens_it(client, article):
    top = factories.comment(in_thread=factories.thread(article))
    replies = [
        factories.comment(parent=top) for _ in range(conf.get("COLLAPSE_AFTER") + 1)
    ]
    page = html(client.get(article.url))
    assert f"View {len(replies)} replies" in page
    assert '<details class="comment__more">' in page
    focused = html(client.get(f"{article.url}?comment={replies[-1].pk}"))
    assert '<details class="comment__more" open>' in focused


def test_fragment_returns_the_list_for_the_script(client, article):
    comment = factories.comment(in_thread=factories.thread(article))
    response = client.get(reverse("discussion:fragment", args=[article.pk]))
    assert response.status_code == 200
    assert f'id="comment-{comment.pk}"' in html(response)
    assert "<html" not in html(response)


def test_author_edits_within_the_window_and_sees_edited(client, article):
    response = post(client, article)
    comment = Comment.objects.get()
    url = reverse("discussion:edit", args=[comment.pk])
    assert "The footbridge reopened" in html(client.get(url))
    response = client.post(url, {"body": "Corrected *text*"})
    assert response.status_code == 303
    page = html(client.get(response["Location"]))
    assert "<em>text</em>" in page and "Edited" in page


def test_edit_after_window_or_from_another_browser_is_refused(client, article):
    post(client, article)
    comment = Comment.objects.get()
    url = reverse("discussion:edit", args=[comment.pk])
    with time_machine.travel(clock.now() + dt.timedelta(minutes=16)):
        assert client.get(url).status_code == 400
        response = client.post(url, {"body": "late"})
        assert response.status_code == 400
        assert "can no longer be edited" in html(response)
    client.cookies.clear()
    assert client.post(url, {"body": "stolen"}).status_code == 400
    comment.refresh_from_db()
    assert comment.body_markdown.startswith("The footbridge")


def test_deleted_comment_with_replies_leaves_a_placeholder(client, article):
    post(client, article)
    comment = Comment.objects.get()
    factories.comment(parent=comment, body="An answer")
    url = reverse("discussion:delete", args=[comment.pk])
    assert "Delete your comment?" in html(client.get(url))
    response = client.post(url)
    page = html(client.get(response["Location"]))
    assert "This comment was deleted." in page
    assert "An answer" in page
    assert "The footbridge reopened" not in page


def test_deleted_comment_without_replies_disappears(client, article):
    post(client, article)
    comment = Comment.objects.get()
    client.post(reverse("discussion:delete", args=[comment.pk]))
    page = html(client.get(article.url))
    assert "This comment was deleted." not in page
    assert f'id="comment-{comment.pk}"' not in page


def test_report_form_records_the_report(client, article):
    comment = factories.comment(in_thread=factories.thread(article))
    url = reverse("discussion:report", args=[comment.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "insults"}, follow=True)
    assert "The moderators will look" in html(response)
    assert comment.reports.get().reason == "insults"


def test_closed_thread_is_readable_without_form_or_votes(client):
    factories.rules()
    article = newsroom.article(comments=CommentsMode.CLOSED)
    comment = factories.comment(in_thread=factories.thread(article))
    page = html(client.get(article.url))
    assert comment.body_html in page
    assert "Comments on this report are closed." in page
    assert 'id="comment-form"' not in page
    assert "data-vote" not in page
    response = post(client, article)
    assert response.status_code == 400
    assert not Comment.objects.exclude(pk=comment.pk).exists()


def test_hidden_thread_shows_no_comment_section(client):
    factories.rules()
    article = newsroom.article(comments=CommentsMode.HIDDEN)
    assert 'id="comments"' not in html(client.get(article.url))


def test_site_default_closes_reports_left_on_default(client):
    factories.rules(comments=SiteCommentsMode.CLOSED)
    article = newsroom.article()
    assert "Comments on this report are closed." in html(client.get(article.url))


def test_unknown_comment_is_404(client, article):
    assert client.post(reverse("discussion:vote", args=[999999])).status_code == 404
    assert client.get(reverse("discussion:edit", args=[999999])).status_code == 404


def test_statuses_other_than_approved_are_not_counted(client, article):
    thread = factories.thread(article)
    comment = factories.comment(in_thread=thread)
    Comment.objects.filter(pk=comment.pk).update(status=Status.SPAM)
    page = html(client.get(article.url))
    assert comment.body_html not in page


def test_posted_text_is_stored_without_private_use_or_bidi_controls(client, article):
    post(
        client,
        article,
        body="See \ue000csrf\ue001 here\u202e.",
        name="Ada \u202egro.elpmaxe\u202c\u2066",
        website="https://example.org/\u200fpage\U000f0001",
    )
    comment = Comment.objects.get()
    assert comment.body_markdown == "See csrf here."
    assert comment.author_name == "Ada gro.elpmaxe"
    assert comment.author_website == "https://example.org/page"


def test_huge_comment_page_number_is_not_found(client, article):
    factories.comment(in_thread=factories.thread(article))
    assert client.get(article.url + "?cpage=" + "9" * 30).status_code == 404
    assert client.get(article.url + f"?cpage={2**31}").status_code == 404
    assert client.get(article.url + "?comment=" + "9" * 30).status_code == 200
    assert client.get(article.url + "?replyto=" + "9" * 30).status_code == 200
    assert client.get(article.url + "?cpage=2").status_code == 200


def test_cookie_less_reports_from_one_ip_do_not_hide_a_comment(client, article):
    # Issue 11, finding 4: each cookie-less request used to be a new reporter.
    factories.rules(reports_to_hide=3, reports_per_ip_per_hour=5)
    comment = factories.comment(in_thread=factories.thread(article))
    url = reverse("discussion:report", args=[comment.pk])
    statuses = []
    for _ in range(8):
        client.cookies.clear()
        statuses.append(client.post(url, {"reason": "spam"}).status_code)
    comment.refresh_from_db()
    assert comment.status == Status.APPROVED
    assert statuses == [303] * 5 + [429] * 3
    assert comment.reports.count() == 5
    assert not comment.reports.filter(counted=True).exists()


def test_reports_from_known_guests_on_different_networks_hide_a_comment(article):
    factories.rules(reports_to_hide=2, report_min_guest_age_hours=24)
    comment = factories.comment(in_thread=factories.thread(article))
    other = factories.comment(in_thread=comment.thread)
    readers = [Client(REMOTE_ADDR=ip) for ip in ("198.51.100.1", "203.0.113.2")]
    with time_machine.travel(clock.now(), tick=False) as traveller:
        for reader in readers:  # each gets its guest cookie by voting
            vote = reader.post(
                reverse("discussion:vote", args=[other.pk]), {"value": "up"}
            )
            assert vote.status_code == 303
        traveller.shift(dt.timedelta(hours=25))
        for reader in readers:
            reader.post(
                reverse("discussion:report", args=[comment.pk]), {"reason": "abuse"}
            )
    comment.refresh_from_db()
    assert comment.status == Status.PENDING
    assert comment.report_count == 2


def test_cookie_less_votes_from_one_ip_stop_counting_after_the_limit(client, article):
    # Issue 11, finding 5: 25 up-votes from one IP by dropping the cookie.
    factories.rules(new_guests_per_ip_per_hour=10)
    comment = factories.comment(in_thread=factories.thread(article))
    url = reverse("discussion:vote", args=[comment.pk])
    responses = []
    for _ in range(25):
        client.cookies.clear()
        responses.append(client.post(url, {"value": "up"}))
    comment.refresh_from_db()
    assert comment.upvotes == 10
    assert [r.status_code for r in responses] == [303] * 10 + [429] * 15
    assert "Too many new visitors from your network" in html(responses[-1])


def test_votes_per_network_are_limited_for_one_guest_too(client, article):
    factories.rules(votes_per_ip_per_hour=3)
    thread = factories.thread(article)
    comments = [factories.comment(in_thread=thread) for _ in range(5)]
    codes = [
        client.post(
            reverse("discussion:vote", args=[c.pk]), {"value": "up"}
        ).status_code
        for c in comments
    ]
    assert codes == [303] * 3 + [429] * 2
    assert Vote.objects.count() == 3


def test_form_token_expires_after_two_hours_with_a_clear_error(client, article):
    started = spam.issue_form_token()
    with time_machine.travel(clock.now() + dt.timedelta(hours=2, minutes=1)):
        response = post(client, article, started=started)
    assert response.status_code == 400
    assert "This form is too old. Please send it again." in html(response)
    assert not Comment.objects.exists()


# Issue 17: without JavaScript, a refused post shows its errors at the form, with
# the field to fix focused, and a successful post answers 303 so a reload is a GET.


def _tag(page, pattern):
    return re.search(pattern, page).group(0)


def _summary_position(page):
    form = page.index('<form class="comment-form" id="comment-form"')
    summary = page.index('id="comment-form-errors"')
    first_field = page.index("<textarea")
    return form, summary, first_field


def test_refused_post_shows_the_error_summary_first_in_the_form(client, article):
    response = post(client, article, name="", body="Kept words")
    assert response.status_code == 400
    page = html(response)
    form, summary, first_field = _summary_position(page)
    # Nothing but the opening tag's end and whitespace between form and summary.
    assert form < summary < first_field
    assert re.fullmatch(r"[^<]*<div [^>]*", page[form:summary].split(">", 1)[1])
    assert 'aria-describedby="comment-form-errors"' in _tag(
        page, r'<form class="comment-form"[^>]*>'
    )
    box = _tag(page, r'<div [^>]*id="comment-form-errors"[^>]*>')
    assert 'role="alert"' in box
    summary_html = page[summary : page.index("</div>", summary)]
    assert "Please give a name." in summary_html
    assert 'href="#id_name"' in summary_html


def test_refused_post_puts_autofocus_on_the_first_invalid_field_only(client, article):
    page = html(post(client, article, name="", email="", body="Kept words"))
    name = _tag(page, r'<input [^>]*name="name"[^>]*>')
    assert "autofocus" in name
    assert 'aria-invalid="true"' in name
    assert page.count("autofocus") == 1
    assert "Kept words</textarea>" in page


def test_refused_post_without_a_field_error_focuses_the_comment(client, article):
    # The honeypot refusal names no field: the summary carries it, the text stays.
    response = post(client, article, nickname="bot", body="Kept words")
    assert response.status_code == 400
    page = html(response)
    form, summary, first_field = _summary_position(page)
    assert form < summary < first_field
    body = _tag(page, r'<textarea [^>]*name="body"[^>]*>')
    assert "autofocus" in body
    assert page.count("autofocus") == 1
    assert "Kept words</textarea>" in page


def test_rate_limited_post_shows_its_message_in_the_summary(client, article, settings):
    settings.DISCUSSION_RATE_PER_IP_PER_MINUTE = 1
    post(client, article, key="1" * 32)
    page = html(post(client, article, key="2" * 32, email="other@example.org"))
    _form, summary, _first = _summary_position(page)
    assert "faster than we allow" in page[summary : page.index("</div>", summary)]
    assert "autofocus" in _tag(page, r'<textarea [^>]*name="body"[^>]*>')


def test_article_page_has_no_summary_or_autofocus_before_a_post(client, article):
    page = html(client.get(article.url))
    assert "comment-form-errors" not in page
    assert "autofocus" not in page


def test_successful_post_answers_see_other_so_a_reload_does_not_post(client, article):
    response = post(client, article, key="d" * 32)
    assert response.status_code == 303
    comment = Comment.objects.get()
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    # What the browser does with a 303: a GET of the comment's page.
    followed = client.get(response["Location"])
    assert followed.status_code == 200
    assert f'id="comment-{comment.pk}"' in html(followed)
    assert Comment.objects.count() == 1


def test_report_answers_see_other_and_shows_thanks_on_the_get(client, article):
    comment = factories.comment(in_thread=factories.thread(article))
    url = reverse("discussion:report", args=[comment.pk])
    response = client.post(url, {"reason": "Off topic"})
    assert response.status_code == 303
    assert response["Location"] == f"{url}?sent=1"
    assert comment.reports.count() == 1
    thanks = client.get(response["Location"])
    assert "The moderators will look at this comment." in html(thanks)
    assert comment.reports.count() == 1


def test_delete_answers_see_other(client, article):
    post(client, article)
    comment = Comment.objects.get()
    response = client.post(reverse("discussion:delete", args=[comment.pk]))
    assert response.status_code == 303
    assert response["Location"].endswith(f"#comment-{comment.pk}")
