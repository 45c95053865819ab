import pytest
from django.urls import reverse

from tribune.discussion import conf, spam
from tribune.discussion.models import (
    Comment,
    ModerationPolicy,
    SiteCommentsMode,
    Status,
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
    # The comment form (the newsletter's sign-up below the report asks for one).
    form = page.split('id="comment-form"', 1)[1].split("</form>", 1)[0]
    assert 'name="email"' not in form
    assert "Commenting as Bo Lind." in page
    client.post(
        reverse("discussion:post", args=[article.pk]),
        {"body": "Signed in.", "key": "b" * 32, "started": spam.issue_form_token()},
    )
    comment = Comment.objects.get()
    assert (comment.author, comment.author_name) == (reader, "Bo Lind")


def test_double_submit_creates_one_comment(client, article):
    first = post(client, article, key="c" * 32)
    second = post(client, article, key="c" * 32)
    assert first["Location"] == second["Location"]
    assert Comment.objects.count() == 1


def test_reply_is_nested_under_its_parent(client, article):
    top = factories.comment(in_thread=factories.thread(article))
    response = post(client, article, parent=str(top.pk))
    reply = Comment.objects.get(parent=top)
    page = html(client.get(response["Location"]))
    box = page[page.index(f'id="comment-{top.pk}"') :]
    assert box.index('class="comment__replies"') < box.index(f'id="comment-{reply.pk}"')


def test_deep_replies_say_whom_they_answer(client, article):
    parent = top = factories.comment(
        in_thread=factories.thread(article), name="Level 0"
    )
    for level in range(1, 7):
        parent = factories.comment(parent=parent, name=f"Level {level}")
    # Six replies pass the fold: the conversation is whole at its permalink.
    page = html(client.get(f"{article.url}?comment={top.pk}"))
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
    # The folded conversation's replies come when it is opened (test_folds).
    assert f'data-more-replies="{top.pk}"' in page
    assert f'id="comment-{replies[-1].pk}"' not in page
    focused = html(client.get(f"{article.url}?comment={replies[-1].pk}"))
    assert '<details class="comment__more" open>' in focused


def test_fragment_returns_the_list_for_the_script(client, article):
    comment = factories.comment(in_thread=factories.thread(article))
    response = client.get(reverse("discussion:fragment", args=[article.pk]))
    assert response.status_code == 200
    assert f'id="comment-{comment.pk}"' in html(response)
    assert "<html" not in html(response)


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
