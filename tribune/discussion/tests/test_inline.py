"""Inline feedback services: posting on a passage and re-anchoring on publish."""

from __future__ import annotations

import pytest

from tribune.discussion import inline_selectors, passages, policies, services
from tribune.discussion.errors import InvalidCommentError
from tribune.discussion.models import Comment, PassageState
from tribune.discussion.submission import Guest, Quote, Submission
from tribune.discussion.tests import factories
from tribune.newsroom.tests import factories as newsroom

pytestmark = pytest.mark.django_db

FIRST = "The council voted to reopen the old river bridge in the spring."
SECOND = "Residents asked for a footpath and later buses on the north side."


def _report(*paragraphs: str):
    return newsroom.article(title="Bridge report", paragraphs=paragraphs)


def post(page, quote: Quote, body: str = "Good point.", **extra) -> Comment:
    return services.post_comment(
        Submission(
            quote=quote,
            thread=services.get_or_create_thread(article=page),
            state=policies.OPEN,
            rules=factories.rules(),
            viewer=factories.guest_viewer(),
            body=body,
            guest=Guest(name="Ada", email="ada@example.org"),
            throttle=False,
            **extra,
        )
    )


def block_id(page, n: int = 0) -> str:
    return passages.blocks_of(page.body)[n].id


def publish(page, *paragraphs: str, keep_ids: bool = True) -> None:
    """Publish a new revision; block i keeps its id unless `keep_ids` is false."""
    old = [child.id for child in page.body] if keep_ids else []
    page.body = [
        {"type": "paragraph", "value": f"<p>{t}</p>", "id": old[i]}
        if i < len(old)
        else {"type": "paragraph", "value": f"<p>{t}</p>"}
        for i, t in enumerate(paragraphs)
    ]
    page.save_revision().publish()
    page.refresh_from_db()


def test_paragraph_ids_count_top_level_elements_of_each_block() -> None:
    texts = passages.paragraph_texts(
        "<p>One <b>bold</b> word.</p><ul><li>a</li><li>b</li></ul><p>x<br/>y</p>"
    )
    assert texts == ["One bold word.", "ab", "xy"]


def test_posting_on_a_passage_stores_its_anchor() -> None:
    page = _report(FIRST, SECOND)
    quote = Quote(block_id(page, 1), "a footpath", "Residents asked for ", "")
    comment = post(page, quote)
    comment.refresh_from_db()
    assert comment.passage_state == PassageState.ANCHORED
    assert comment.passage_block == block_id(page, 1)
    assert SECOND[comment.passage_start : comment.passage_end] == "a footpath"
    assert comment.status == "approved"
    assert comment.thread.comment_count == 1


def test_a_quote_not_in_the_report_is_refused_and_nothing_is_written() -> None:
    page = _report(FIRST)
    with pytest.raises(InvalidCommentError) as error:
        post(page, Quote(block_id(page), "a tunnel under the river"))
    assert error.value.field == "passage"
    assert "not in the current version" in error.value.message
    assert not Comment.objects.exists()


def test_a_blank_quote_is_refused() -> None:
    page = _report(FIRST)
    with pytest.raises(InvalidCommentError, match="Select the words"):
        post(page, Quote(block_id(page), "   "))


def test_inline_comments_follow_the_rules_of_normal_comments() -> None:
    page = _report(FIRST)
    factories.rules(moderation="hold_all")
    comment = services.post_comment(
        Submission(
            quote=Quote(block_id(page), "river bridge"),
            thread=services.get_or_create_thread(article=page),
            state=policies.OPEN,
            rules=factories.rules(moderation="hold_all"),
            viewer=factories.guest_viewer(),
            body="Held?",
            guest=Guest(name="Ada", email="ada@example.org"),
            throttle=False,
        )
    )
    assert comment.status == "pending"
    with pytest.raises(InvalidCommentError):
        post(page, Quote(block_id(page), "river bridge"), body="")


def test_a_resent_inline_form_returns_the_first_comment() -> None:
    page = _report(FIRST)
    quote = Quote(block_id(page), "river bridge")
    first = post(page, quote, idempotency_key="k1")
    again = post(page, quote, idempotency_key="k1")
    assert first.pk == again.pk
    assert Comment.objects.count() == 1


def test_text_inserted_before_the_quote_keeps_it_attached() -> None:
    page = _report(FIRST, SECOND)
    comment = post(page, Quote(block_id(page, 1), "later buses"))
    publish(page, FIRST, "After a long meeting, " + SECOND)
    comment.refresh_from_db()
    text = passages.blocks_of(page.body)[1].text
    assert comment.passage_state == PassageState.ANCHORED
    assert text[comment.passage_start : comment.passage_end] == "later buses"
    assert comment.passage_method in ("exact", "context")


def test_a_lightly_edited_quote_stays_attached() -> None:
    page = _report(FIRST, SECOND)
    quote = "reopen the old river bridge in the spring"
    comment = post(page, Quote(block_id(page), quote))
    publish(page, FIRST.replace("old river", "old stone river"), SECOND)
    comment.refresh_from_db()
    assert comment.passage_state == PassageState.ANCHORED
    assert comment.passage_method == "fuzzy"
    assert "stone river bridge" in comment.passage_exact


def test_a_deleted_passage_orphans_its_comments_and_they_keep_their_quote() -> None:
    page = _report(FIRST, SECOND)
    comment = post(page, Quote(block_id(page, 1), "a footpath"))
    publish(page, FIRST)
    comment.refresh_from_db()
    assert comment.passage_state == PassageState.ORPHANED
    assert comment.passage_exact == "a footpath"
    assert comment.status == "approved"


def test_an_orphan_whose_words_come_back_is_anchored_again() -> None:
    page = _report(FIRST, SECOND)
    comment = post(page, Quote(block_id(page, 1), "a footpath"))
    publish(page, FIRST)
    publish(page, FIRST, SECOND)
    comment.refresh_from_db()
    assert comment.passage_state == PassageState.ANCHORED


def test_a_paragraph_moved_to_a_new_block_is_found_by_its_words() -> None:
    page = _report(FIRST, SECOND)
    comment = post(page, Quote(block_id(page, 1), "a footpath and later"))
    publish(page, "A new opening paragraph.", FIRST, SECOND, keep_ids=False)
    comment.refresh_from_db()
    assert comment.passage_state == PassageState.ANCHORED
    assert comment.passage_block == block_id(page, 2)


def test_whole_paragraph_quotes_the_paragraph() -> None:
    page = _report(FIRST, SECOND)
    quote = inline_selectors.whole_paragraph(article=page, block=block_id(page, 1))
    assert quote.exact == SECOND
    with pytest.raises(InvalidCommentError):
        inline_selectors.whole_paragraph(article=page, block="nope.0")


def test_list_passages_groups_comments_and_counts_replies() -> None:
    page = _report(FIRST, SECOND)
    quote = Quote(block_id(page), "river bridge")
    a = post(page, quote)
    post(page, quote)
    factories.comment(parent=a)
    post(page, Quote(block_id(page, 1), "footpath"))
    found = inline_selectors.list_passages(
        article=page, viewer=factories.guest_viewer()
    )
    assert [(p.exact, p.count) for p in found] == [
        ("river bridge", 3),
        ("footpath", 1),
    ]


def test_an_editors_feedback_prompt_passage_takes_inline_comments() -> None:
    page = newsroom.article(
        title="Prompted report",
        body=[
            {"type": "paragraph", "value": f"<p>{FIRST}</p>"},
            {
                "type": "feedback_prompt",
                "value": {
                    "passage": "<p>The works will end on time.</p>",
                    "question": "Do you agree?",
                },
            },
        ],
    )
    prompt = passages.blocks_of(page.body)[1]
    assert prompt.text == "The works will end on time."
    comment = post(page, Quote(prompt.id, prompt.text))
    comment.refresh_from_db()
    assert comment.passage_block == prompt.id
