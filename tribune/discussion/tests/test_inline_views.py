"""Inline feedback over HTTP: the JSON API, the no-JS paragraph form, the filter."""

from __future__ import annotations

import pytest

from tribune.discussion import passages, spam
from tribune.discussion.models import Comment, PassageState
from tribune.discussion.submission import Quote
from tribune.discussion.tests import factories
from tribune.discussion.tests.test_inline import FIRST, SECOND, post, publish
from tribune.newsroom.tests import factories as newsroom

pytestmark = pytest.mark.django_db


@pytest.fixture
def report():
    factories.rules()
    return newsroom.article(title="Bridge report", paragraphs=(FIRST, SECOND))


def _ids(page) -> list[str]:
    return [b.id for b in passages.blocks_of(page.body)]


def _payload(**extra):
    data = {
        "body": "Is that so?",
        "name": "Ada",
        "email": "ada@example.org",
        "started": spam.issue_form_token(),
    }
    data.update(extra)
    return data


def test_api_posts_inline_feedback_and_lists_the_passage(client, report) -> None:
    block = _ids(report)[1]
    response = client.post(
        f"/api/threads/{report.pk}/comments",
        _payload(
            passage={
                "block": block,
                "exact": "a footpath",
                "prefix": "Residents asked for ",
                "suffix": " and later",
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert "a footpath" in response.json()["html"]
    listed = client.get(f"/api/threads/{report.pk}/passages").json()["passages"]
    assert listed == [
        {
            "block": block,
            "exact": "a footpath",
            "prefix": "Residents asked for ",
            "suffix": " and later buses on the north si",
            "start": 20,
            "end": 30,
            "count": 1,
            "comments": [response.json()["comment"]["id"]],
        }
    ]


def test_api_refuses_a_quote_that_is_not_in_the_report(client, report) -> None:
    response = client.post(
        f"/api/threads/{report.pk}/comments",
        _payload(passage={"block": _ids(report)[0], "exact": "a ferry"}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_passage"
    assert response.json()["error"]["field"] == "passage"
    assert not Comment.objects.exists()


def test_api_refuses_a_passage_that_is_not_an_object(client, report) -> None:
    response = client.post(
        f"/api/threads/{report.pk}/comments",
        _payload(passage="a footpath"),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_type"


def test_passages_of_hidden_comments_are_not_listed(client, report) -> None:
    factories.rules(comments="hidden")
    response = client.get(f"/api/threads/{report.pk}/passages")
    assert response.status_code == 404


def test_every_paragraph_has_a_comment_link_without_javascript(client, report):
    html = client.get(report.url).content.decode()
    stream = [child.id for child in report.body]
    for block in stream:
        assert f"/comments/{report.pk}/passage/{block}/" in html
    assert "Comment on this paragraph" in html


def test_no_comment_links_when_comments_are_closed(client, report) -> None:
    factories.rules(comments="closed")
    assert "Comment on this paragraph" not in client.get(report.url).content.decode()


def test_no_js_form_posts_a_comment_on_the_whole_paragraph(client, report) -> None:
    stream = report.body[1].id
    url = f"/comments/{report.pk}/passage/{stream}/"
    page = client.get(url)
    assert page.status_code == 200
    assert SECOND in page.content.decode()
    response = client.post(
        url,
        {
            "paragraph": f"{stream}.0",
            "body": "Footpaths matter.",
            "name": "Bo",
            "email": "bo@example.org",
            "started": spam.issue_form_token(),
            "notify": "none",
        },
    )
    assert response.status_code == 303
    comment = Comment.objects.get()
    assert comment.passage_exact == SECOND
    assert comment.passage_state == PassageState.ANCHORED
    assert f"#comment-{comment.pk}" in response["Location"]


def test_no_js_form_shows_errors_next_to_the_fields(client, report) -> None:
    stream = report.body[0].id
    response = client.post(
        f"/comments/{report.pk}/passage/{stream}/",
        {"paragraph": f"{stream}.0", "body": "", "started": spam.issue_form_token()},
    )
    assert response.status_code == 400
    assert "Please write a comment." in response.content.decode()
    response = client.post(
        f"/comments/{report.pk}/passage/{stream}/",
        {"paragraph": "", "body": "Hm.", "started": spam.issue_form_token()},
    )
    assert response.status_code == 400
    assert "Choose a paragraph of the report." in response.content.decode()
    assert not Comment.objects.exists()


def test_no_js_form_for_an_unknown_block_is_404(client, report) -> None:
    assert client.get(f"/comments/{report.pk}/passage/nope/").status_code == 404


def test_inline_filter_lists_only_inline_feedback_with_its_quote(client, report):
    factories.comment(
        in_thread=factories.thread(report), body="A plain comment about roads."
    )
    post(report, Quote(_ids(report)[0], "river bridge"), body="About the bridge.")
    html = client.get(report.url + "?sort=inline").content.decode()
    assert "Inline Feedbacks" in html
    assert "About the bridge." in html
    assert "A plain comment about roads." not in html
    assert "comment__quote" in html and "river bridge" in html
    assert "Show in the report" in html


def test_orphaned_feedback_shows_its_quote_and_a_note(client, report) -> None:
    post(report, Quote(_ids(report)[1], "a footpath"), body="Footpath!")
    publish(report, FIRST)
    html = client.get(report.url).content.decode()
    assert "Footpath!" in html
    assert "The passage was changed." in html


def test_passage_comments_fragment_shows_conversations_of_a_passage(client, report):
    first = post(report, Quote(_ids(report)[0], "river bridge"), body="Bridge one.")
    factories.comment(parent=first, body="A reply to bridge one.")
    other = post(report, Quote(_ids(report)[1], "footpath"), body="Path.")
    html = client.get(
        f"/comments/{report.pk}/passage-comments/?c={first.pk}"
    ).content.decode()
    assert "Bridge one." in html and "A reply to bridge one." in html
    assert f"comment-{other.pk}" not in html


@pytest.mark.parametrize("raw", ["\u00b2", "9" * 25, "0", "-3", "x"])
def test_passage_comments_with_ids_that_name_no_row_answer_normally(
    client, report, raw
):
    # "²".isdigit() is true but int() refuses it; 25 digits overflow the column.
    response = client.get(f"/comments/{report.pk}/passage-comments/", {"c": raw})
    assert response.status_code == 200


def test_article_page_with_inline_feedback_keeps_its_query_count(
    client, report, django_assert_max_num_queries
) -> None:
    for n in range(5):
        post(report, Quote(_ids(report)[0], "river bridge"), body=f"Note {n}.")
    client.get(report.url)
    with django_assert_max_num_queries(30):
        client.get(report.url + "?sort=inline")


def test_editors_see_orphaned_feedback_in_the_admin(client, report) -> None:
    post(report, Quote(_ids(report)[1], "a footpath"), body="Footpath!")
    post(report, Quote(_ids(report)[0], "river bridge"), body="Still here.")
    publish(report, FIRST)
    client.force_login(factories.user(is_staff=True, is_superuser=True))
    html = client.get("/admin/comments/orphans/").content.decode()
    assert "Footpath!" in html and "a footpath" in html
    assert "Still here." not in html
    assert "Orphaned inline feedback" in client.get("/admin/comments/").content.decode()


def test_the_prompt_question_leads_to_the_paragraph_form_without_js(client) -> None:
    factories.rules()
    page = newsroom.article(
        title="Prompted",
        body=[
            {
                "type": "feedback_prompt",
                "value": {
                    "passage": "<p>The works end on time.</p>",
                    "question": "Agree?",
                },
            }
        ],
    )
    html = client.get(page.url).content.decode()
    assert f"/comments/{page.pk}/passage/{page.body[0].id}/" in html
    form = client.get(f"/comments/{page.pk}/passage/{page.body[0].id}/")
    assert "The works end on time." in form.content.decode()
