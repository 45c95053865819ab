"""Every write to the discussion, one module per entity.

`posting` (authors: post, edit, delete), `voting`, `moderation` (status changes,
reader reports, moderators' actions), `inline` (passages on comments,
re-anchoring), `importing` (bulk imports), `accounts` (reader sign-up).  The
public functions of the first four are importable from here too.
"""

from tribune.discussion.services.inline import Reanchored, reanchor_article
from tribune.discussion.services.moderation import (
    moderate_comments,
    moderate_edit_comment,
    release_comment,
    report_comment,
    undo_moderation,
)
from tribune.discussion.services.posting import (
    check_not_banned,
    delete_comment,
    edit_comment,
    get_or_create_thread,
    post_comment,
)
from tribune.discussion.services.voting import vote

__all__ = [
    "Reanchored",
    "check_not_banned",
    "delete_comment",
    "edit_comment",
    "get_or_create_thread",
    "moderate_comments",
    "moderate_edit_comment",
    "post_comment",
    "reanchor_article",
    "release_comment",
    "report_comment",
    "undo_moderation",
    "vote",
]
