"""The hand-written OpenAPI 3.1 document of the discussion API (served as JSON)."""

from __future__ import annotations

from typing import Any

_ERROR = {"$ref": "#/components/responses/Error"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": schema}},
    }


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


_COMMENT_ID = {
    "name": "comment_id",
    "in": "path",
    "required": True,
    "schema": {"type": "integer"},
}
# Every write reads its body: these come before any other check.
_BODY_ERRORS = {"413": _ERROR, "415": _ERROR}
_CSRF = {
    "name": "X-CSRFToken",
    "in": "header",
    "required": True,
    "description": "The csrftoken cookie's value; every write needs it.",
    "schema": {"type": "string"},
}

DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "Tribune discussion API",
        "version": "1.0.0",
        "description": (
            "Comments under reports. Readers are identified by their session "
            "(signed-in accounts) or by a signed guest cookie that the API sets "
            "on the first write. Errors always have the shape "
            '{"error": {"code": ..., "message": ...}}, with "field" when one '
            "input is at fault."
        ),
    },
    "paths": {
        "/api/threads/{page_id}/comments": {
            "parameters": [
                {
                    "name": "page_id",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "integer"},
                }
            ],
            "get": {
                "operationId": "listThreadPage",
                "summary": "One page of top-level comments with all their replies.",
                "parameters": [
                    {
                        "name": "sort",
                        "in": "query",
                        "schema": {
                            "type": "string",
                            "enum": ["oldest", "newest", "voted", "best", "inline"],
                            "default": "oldest",
                        },
                    },
                    {
                        "name": "cursor",
                        "in": "query",
                        "description": "next_cursor of the previous page.",
                        "schema": {"type": "string"},
                    },
                ],
                "responses": {
                    "200": _json(_ref("ThreadPage"), "The page."),
                    "400": _ERROR,
                    "404": _ERROR,
                },
            },
            "post": {
                "operationId": "postComment",
                "summary": "Post a comment or a reply.",
                "parameters": [_CSRF],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": _ref("NewComment")}},
                },
                "responses": {
                    "201": _json(_ref("Posted"), "The comment, approved or held."),
                    "400": _ERROR,
                    "403": _ERROR,
                    "404": _ERROR,
                    "429": _ERROR,
                    **_BODY_ERRORS,
                },
            },
        },
        "/api/threads/{page_id}/passages": {
            "parameters": [
                {
                    "name": "page_id",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "integer"},
                }
            ],
            "get": {
                "operationId": "listPassages",
                "summary": "Commented passages of a report (inline feedback).",
                "responses": {
                    "200": _json(
                        {
                            "type": "object",
                            "properties": {
                                "passages": {
                                    "type": "array",
                                    "items": _ref("Passage"),
                                }
                            },
                        },
                        "Anchored passages with the comments the reader sees.",
                    ),
                    "404": _ERROR,
                },
            },
        },
        "/api/comments/{comment_id}": {
            "parameters": [_COMMENT_ID],
            "patch": {
                "operationId": "editComment",
                "summary": "Edit one's own comment within the edit window.",
                "parameters": [_CSRF],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["body"],
                                "properties": {"body": {"type": "string"}},
                            }
                        }
                    },
                },
                "responses": {
                    "200": _json(_ref("CommentEnvelope"), "The edited comment."),
                    "400": _ERROR,
                    "403": _ERROR,
                    "404": _ERROR,
                    **_BODY_ERRORS,
                },
            },
            "delete": {
                "operationId": "deleteComment",
                "summary": "Delete one's own comment within the edit window.",
                "parameters": [_CSRF],
                "responses": {
                    "200": _json(_ref("CommentEnvelope"), "The deleted comment."),
                    "403": _ERROR,
                    "404": _ERROR,
                    **_BODY_ERRORS,
                },
            },
        },
        "/api/comments/{comment_id}/vote": {
            "parameters": [_COMMENT_ID],
            "post": {
                "operationId": "voteComment",
                "summary": "Vote up (1), down (-1) or withdraw (0).",
                "parameters": [_CSRF],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["value"],
                                "properties": {
                                    "value": {"type": "integer", "enum": [-1, 0, 1]}
                                },
                            }
                        }
                    },
                },
                "responses": {
                    "200": _json(_ref("CommentEnvelope"), "Fresh counters."),
                    "400": _ERROR,
                    "403": _ERROR,
                    "404": _ERROR,
                    "429": _ERROR,
                    **_BODY_ERRORS,
                },
            },
        },
        "/api/comments/{comment_id}/report": {
            "parameters": [_COMMENT_ID],
            "post": {
                "operationId": "reportComment",
                "summary": "Report a comment to the moderators.",
                "parameters": [_CSRF],
                "requestBody": {
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "reason": {"type": "string", "maxLength": 300}
                                },
                            }
                        }
                    }
                },
                "responses": {
                    "201": _json(
                        {
                            "type": "object",
                            "properties": {"reported": {"type": "integer"}},
                        },
                        "Recorded.",
                    ),
                    "400": _ERROR,
                    "403": _ERROR,
                    "404": _ERROR,
                    "429": _ERROR,
                    **_BODY_ERRORS,
                },
            },
        },
        "/api/counts": {
            "get": {
                "operationId": "countComments",
                "summary": "Visible comment counts for many report URLs at once.",
                "parameters": [
                    {
                        "name": "url",
                        "in": "query",
                        "required": True,
                        "description": "A report's path or full URL; at most 100.",
                        "schema": {"type": "array", "items": {"type": "string"}},
                        "style": "form",
                        "explode": True,
                    }
                ],
                "responses": {
                    "200": _json(
                        {
                            "type": "object",
                            "properties": {
                                "counts": {
                                    "type": "object",
                                    "additionalProperties": {
                                        "type": ["integer", "null"]
                                    },
                                    "description": "null for URLs that are no report.",
                                }
                            },
                        },
                        "Counts by the URL as given.",
                    ),
                    "400": _ERROR,
                },
            }
        },
    },
    "components": {
        "responses": {
            "Error": _json(
                {
                    "type": "object",
                    "required": ["error"],
                    "properties": {
                        "error": {
                            "type": "object",
                            "required": ["code", "message"],
                            "properties": {
                                "code": {"type": "string"},
                                "message": {"type": "string"},
                                "field": {"type": "string"},
                            },
                        }
                    },
                },
                "What went wrong, for people (message) and programs (code).",
            )
        },
        "schemas": {
            "Comment": {
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "parent": {"type": ["integer", "null"]},
                    "depth": {"type": "integer"},
                    "reply_to": {
                        "type": ["string", "null"],
                        "description": "Set when the reply sits at the depth cap.",
                    },
                    "status": {
                        "type": "string",
                        "enum": ["approved", "pending", "deleted", "removed"],
                    },
                    "author": {
                        "type": ["object", "null"],
                        "properties": {
                            "name": {"type": "string"},
                            "website": {"type": ["string", "null"]},
                        },
                    },
                    "body_html": {
                        "type": ["string", "null"],
                        "description": "Sanitised HTML; null for placeholders.",
                    },
                    "created_at": {"type": "string", "format": "date-time"},
                    "edited_at": {"type": ["string", "null"], "format": "date-time"},
                    "score": {"type": "integer"},
                    "upvotes": {"type": "integer"},
                    "downvotes": {"type": "integer"},
                    "my_vote": {"type": "integer", "enum": [-1, 0, 1]},
                    "can_edit": {"type": "boolean"},
                    "can_vote": {"type": "boolean"},
                    "replies": {"type": "array", "items": _ref("Comment")},
                },
            },
            "CommentEnvelope": {
                "type": "object",
                "properties": {"comment": _ref("Comment")},
            },
            "ThreadPage": {
                "type": "object",
                "properties": {
                    "page": {"type": "integer"},
                    "state": {"type": "string", "enum": ["open", "closed"]},
                    "count": {"type": "integer"},
                    "sort": {"type": "string"},
                    "comments": {"type": "array", "items": _ref("Comment")},
                    "next_cursor": {"type": ["string", "null"]},
                    "form_token": {
                        "type": "string",
                        "pattern": "^form:[0-9A-Za-z]+:[0-9A-Za-z_-]+$",
                        "description": "Send back as `started` when posting.",
                    },
                },
            },
            "NewComment": {
                "type": "object",
                "required": ["body", "started"],
                "properties": {
                    "body": {"type": "string", "maxLength": 5000},
                    "name": {"type": "string", "description": "Guests only."},
                    "email": {"type": "string", "description": "Guests only."},
                    "website": {"type": "string"},
                    "parent": {"type": ["integer", "null"]},
                    "notify": {
                        "type": "string",
                        "enum": ["none", "replies", "all"],
                        "description": "Email the author about replies or all"
                        " new comments (guests confirm by email first).",
                    },
                    "verify_email": {
                        "type": "boolean",
                        "description": "Guests only: mail a link that confirms"
                        " the address; once opened, this browser's comments"
                        " skip the first-time guest hold.",
                    },
                    "key": {
                        "type": "string",
                        "description": "Idempotency key chosen by the client (its"
                        " first 64 characters count): a resent key returns the"
                        " first comment instead of posting it again.",
                    },
                    "started": {
                        "type": "string",
                        "pattern": "^form:[0-9A-Za-z]+:[0-9A-Za-z_-]+$",
                        "description": "The form token: `form_token` of a thread"
                        " page (GET /api/threads/{page_id}/comments), a signed"
                        " timestamp `form:<time>:<signature>`. Refused"
                        ' ("too_fast") when sent sooner than'
                        " DISCUSSION_MIN_FILL_SECONDS after it was issued, and"
                        ' ("form_expired") after DISCUSSION_FORM_MAX_AGE_HOURS.',
                        "examples": ["form:1xa4kn:84iAUL10_8NV_thaeZV43MsbCxyQ"],
                    },
                    "passage": {
                        "$ref": "#/components/schemas/Quote",
                        "description": "Makes it inline feedback on this passage"
                        " (top-level comments only).",
                    },
                },
            },
            "Quote": {
                "type": "object",
                "required": ["block", "exact"],
                "properties": {
                    "block": {
                        "type": "string",
                        "description": "Paragraph id: <stream block id>.<n>.",
                    },
                    "exact": {"type": "string", "maxLength": 5000},
                    "prefix": {"type": "string"},
                    "suffix": {"type": "string"},
                },
            },
            "Passage": {
                "type": "object",
                "properties": {
                    "block": {"type": "string"},
                    "exact": {"type": "string"},
                    "prefix": {"type": "string"},
                    "suffix": {"type": "string"},
                    "start": {"type": "integer"},
                    "end": {"type": "integer"},
                    "count": {"type": "integer"},
                    "comments": {"type": "array", "items": {"type": "integer"}},
                },
            },
            "Posted": {
                "type": "object",
                "properties": {
                    "comment": _ref("Comment"),
                    "html": {"type": "string"},
                    "count": {"type": "integer"},
                    "held": {
                        "type": "boolean",
                        "description": "Depends only on what the poster proved"
                        " (account, verified address, this browser's approved"
                        " comments), never on the typed address.",
                    },
                },
            },
        },
    },
}
