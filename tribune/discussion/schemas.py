"""The discussion API's request and response types (pydantic, through django-ninja).

`/api/openapi.json` is generated from them and validation follows them, so a field
changes in one place. Where an input had a more specific error than "wrong type"
(`bad_vote`, `invalid_parent`), a validator raises it as a DiscussionError, which
pydantic lets through unchanged.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from django.utils.translation import gettext as _
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    field_validator,
    model_validator,
)
from pydantic.json_schema import SkipJsonSchema

from tribune.core.converters import MAX_ID
from tribune.discussion.errors import DiscussionError, InvalidReplyError
from tribune.discussion.ranking import Order

# A form token: `form:<time>:<signature>` (spam.issue_form_token).
FORM_TOKEN = "^form:[0-9A-Za-z]+:[0-9A-Za-z_-]+$"  # noqa: S105 (a pattern)
MAX_COUNT_URLS = 100
# Text inputs: a string, or null for an empty one.
Text = str | None


def whole_number(value: Any) -> int | None:
    """The integer a JSON number is, or None: JSON Schema counts 2.0 as the
    integer 2; true and false are no numbers (though Python's bool is an int)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def described(**schema: Any) -> Any:
    """A JSON Schema keyword that documents what the services check (with their
    own error codes), without pydantic checking it first."""
    return Field(None, json_schema_extra=schema)


DateTime = Annotated[str, Field(json_schema_extra={"format": "date-time"})]


class Author(BaseModel):
    name: str
    website: str | None
    badge: Literal["supporter", "monthly"] | None = Field(
        description="The author's supporter badge, when a proved donor shows one."
    )


class Comment(BaseModel):
    id: int
    parent: int | None
    depth: int
    reply_to: str | None = Field(
        description="Set when the reply sits at the depth cap."
    )
    status: Literal["approved", "pending", "spam", "deleted", "removed"]
    author: Author | None
    body_html: str | None = Field(description="Sanitised HTML; null for placeholders.")
    created_at: DateTime
    edited_at: DateTime | None
    score: int
    upvotes: int
    downvotes: int
    my_vote: Literal[-1, 0, 1]
    can_edit: bool
    can_vote: bool
    replies: list[Comment]


class CommentEnvelope(BaseModel):
    comment: Comment


class ThreadPage(BaseModel):
    page: int
    state: Literal["open", "closed"]
    count: int
    sort: Order
    comments: list[Comment]
    next_cursor: str | None
    form_token: str = Field(
        pattern=FORM_TOKEN, description="Send back as `started` when posting."
    )


def _required(*names: str) -> ConfigDict:
    """Fields a request cannot succeed without, documented as required; a missing
    one is refused by the service that needs it, with its own error code."""
    return ConfigDict(json_schema_extra={"required": list(names)})


class Quote(BaseModel):
    """The passage an inline comment is about (top-level comments only)."""

    model_config = _required("block", "exact")

    block: Text = Field(None, description="Paragraph id: <stream block id>.<n>.")
    exact: Text = described(maxLength=5000)
    prefix: Text = None
    suffix: Text = None


class NewComment(BaseModel):
    model_config = _required("body", "started")

    body: Text = described(maxLength=5000)
    name: Text = Field(None, description="Guests only.")
    email: Text = Field(None, description="Guests only.")
    website: Text = None
    parent: StrictInt | None = Field(
        None,
        description="The id of the comment this replies to.",
        json_schema_extra={"minimum": 1, "maximum": MAX_ID},
    )
    notify: Text = Field(
        None,
        description="none, replies or all: email the author about replies or all"
        " new comments (guests confirm by email first).",
    )
    verify_email: StrictBool = Field(
        False,
        description="Guests only: mail a link that confirms the address; once"
        " opened, this browser's comments skip the first-time guest hold.",
    )
    key: Text = Field(
        None,
        description="Idempotency key chosen by the client (its first 64 characters"
        " count): a resent key returns the first comment instead of posting it again.",
    )
    started: Text = described(
        pattern=FORM_TOKEN,
        description="The form token: `form_token` of a thread page (GET"
        " /api/threads/{page_id}/comments), a signed timestamp"
        ' `form:<time>:<signature>`. Refused ("too_fast") when sent sooner than'
        ' DISCUSSION_MIN_FILL_SECONDS after it was issued, and ("form_expired")'
        " after DISCUSSION_FORM_MAX_AGE_HOURS.",
        examples=["form:1xa4kn:84iAUL10_8NV_thaeZV43MsbCxyQ"],
    )
    passage: Quote | None = Field(
        None,
        description="Makes it inline feedback on this passage (top-level comments"
        " only).",
    )
    confirm_offensive: StrictBool = Field(
        False,
        description="Send it anyway after a 409 offensive_language answer (its"
        ' error names this field in "confirm"): the comment is then held for a'
        " moderator.",
    )
    # The form's honeypot: people never fill it in; not part of the document.
    nickname: SkipJsonSchema[Text] = None

    @field_validator("parent", mode="before")
    @classmethod
    def _parent_names_a_comment(cls, value: Any) -> Any:
        if value is None:
            return None
        number = whole_number(value)
        if number is None:
            raise DiscussionError(
                _("parent must be a comment id."), field="parent", code="bad_type"
            )
        if not 0 < number <= MAX_ID:
            raise InvalidReplyError(field="parent")
        return number


class Edit(BaseModel):
    model_config = _required("body")

    body: Text = None


class VoteValue(BaseModel):
    value: Literal[-1, 0, 1]

    @model_validator(mode="before")
    @classmethod
    def _value_is_a_vote(cls, data: Any) -> Any:
        value = data.get("value") if isinstance(data, dict) else None
        number = whole_number(value)
        if number not in (-1, 0, 1):
            raise DiscussionError(
                _("value must be 1, -1 or 0."), field="value", code="bad_vote"
            )
        return {**data, "value": number}


class Report(BaseModel):
    reason: Text = described(
        maxLength=300, description="Longer reasons are cut to 300 characters."
    )


class CountsQuery(BaseModel):
    url: list[str] = Field(
        min_length=1,
        max_length=MAX_COUNT_URLS,
        description="A report's path or full URL.",
    )

    @model_validator(mode="before")
    @classmethod
    def _one_to_a_hundred(cls, data: Any) -> Any:
        urls = data.get("url") if isinstance(data, dict) else None
        if not urls:
            raise DiscussionError(_("Give at least one url parameter."), code="no_urls")
        if len(urls) > MAX_COUNT_URLS:
            raise DiscussionError(
                _("At most %(n)d urls at once.") % {"n": MAX_COUNT_URLS},
                code="too_many_urls",
            )
        return data


class Reported(BaseModel):
    reported: int


class Passage(BaseModel):
    block: str
    exact: str
    prefix: str
    suffix: str
    start: int
    end: int
    count: int
    comments: list[int]


class Passages(BaseModel):
    passages: list[Passage]


class Counts(BaseModel):
    counts: dict[str, int | None] = Field(
        description="By the URL as given; null for URLs that are no report."
    )


class Posted(BaseModel):
    comment: Comment
    html: str
    count: int
    held: bool = Field(
        description="Depends only on what the poster proved (account, verified"
        " address, this browser's approved comments), never on the typed address."
    )


class OwnComment(BaseModel):
    id: int
    parent: int | None
    status: Literal["approved", "pending"]
    held: bool = Field(description='Shown to its author as "Awaiting moderation".')
    html: str = Field(description="The comment's list item, as its author sees it.")
    editable_until: DateTime | None = Field(
        description="Until when the reader may edit or delete it; null when not."
    )


class MyVote(BaseModel):
    comment: int
    value: Literal[-1, 1]


class FormIdentity(BaseModel):
    name: str
    email: str
    website: str


class ThreadSubscription(BaseModel):
    scope: Literal["thread", "my_replies", "comment"]
    delivery: Literal["instant", "digest"]
    comment: int | None = Field(description="For replies to one comment.")
    confirmed: bool = Field(description="False until the address is confirmed.")


class ReaderState(BaseModel):
    page: int
    signed_in: bool
    identity: FormIdentity | None = Field(
        description="The reader's own name and address for the comment form."
    )
    votes: list[MyVote]
    comments: list[OwnComment] = Field(description="Newest first.")
    subscriptions: list[ThreadSubscription] = Field(
        description="The reader's notifications about this report (their account's,"
        " or their own address's)."
    )
    csrf_token: str = Field(
        description="Put into the page's forms (csrfmiddlewaretoken) or send as "
        "X-CSRFToken; the csrftoken cookie is set with this answer."
    )
    form_token: str = Field(
        pattern=FORM_TOKEN, description="Send back as `started` when posting."
    )
