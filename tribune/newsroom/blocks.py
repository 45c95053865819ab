"""StreamField blocks an editor can place in a report's body."""

from __future__ import annotations

import nh3
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=200)
    level = blocks.ChoiceBlock(
        choices=[("h2", _("Section")), ("h3", _("Subsection"))], default="h2"
    )

    class Meta:
        icon = "title"
        template = "newsroom/blocks/heading.html"


class FigureBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    caption = blocks.CharBlock(required=False, max_length=300)
    credit = blocks.CharBlock(required=False, max_length=120)

    class Meta:
        icon = "image"
        template = "newsroom/blocks/figure.html"


class MediaBlock(blocks.StructBlock):
    """A file of the site's documents: played (audio, video) or linked (PDF ...)."""

    document = DocumentChooserBlock()
    player = blocks.ChoiceBlock(
        choices=[
            ("audio", _("Audio player")),
            ("video", _("Video player")),
            ("link", _("Link to the file")),
        ],
        default="link",
    )
    caption = blocks.CharBlock(required=False, max_length=300)

    class Meta:
        icon = "doc-full"
        template = "newsroom/blocks/media.html"
        label = _("Audio, video or file")


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock()
    attribution = blocks.CharBlock(required=False, max_length=200)

    class Meta:
        icon = "openquote"
        template = "newsroom/blocks/quote.html"


class SupportBlock(blocks.StructBlock):
    """A "Support us" panel; empty means the site's default panel."""

    panel = SnippetChooserBlock("newsroom.SupportPanel", required=False)

    class Meta:
        icon = "pick"
        template = "newsroom/blocks/support.html"
        label = _("Support us")


class FeedbackPromptBlock(blocks.StructBlock):
    """A passage the editor asks readers about, with a question and a button."""

    passage = blocks.RichTextBlock(features=["bold", "italic", "link"])
    question = blocks.CharBlock(max_length=200, default=_("Do you agree?"))

    class Meta:
        icon = "help"
        template = "newsroom/blocks/feedback_prompt.html"
        label = _("Feedback prompt")


# Markup kept from an import: no scripts, styles, forms, frames or outside images.
_HTML_TAGS = nh3.ALLOWED_TAGS - {"img", "map", "area"}


def clean_html(markup: str) -> str:
    """`markup` with only harmless tags and attributes left (nh3)."""
    return nh3.clean(markup, tags=_HTML_TAGS, link_rel="noopener noreferrer nofollow")


class HTMLBlock(blocks.RawHTMLBlock):
    """Markup with no block of its own (an imported table of contents, code,
    a definition list), cleaned when saved and again when shown."""

    def get_prep_value(self, value: str) -> str:
        return clean_html(str(value or ""))

    def render_basic(self, value: str, context: object = None) -> SafeString:
        return mark_safe(clean_html(str(value or "")))  # noqa: S308 - cleaned by nh3

    class Meta:
        icon = "code"
        label = _("HTML (cleaned)")


# What a report's paragraph may hold; the WordPress import converts to the same.
PARAGRAPH_FEATURES = [
    "bold",
    "italic",
    "link",
    "document-link",
    "ol",
    "ul",
    "superscript",
    "subscript",
]


class ArticleBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        features=PARAGRAPH_FEATURES,
        template="newsroom/blocks/paragraph.html",
    )
    heading = HeadingBlock()
    figure = FigureBlock()
    media = MediaBlock()
    quote = QuoteBlock()
    embed = EmbedBlock(
        max_width=800, icon="media", template="newsroom/blocks/embed.html"
    )
    table = TableBlock(template="newsroom/blocks/table.html")
    support = SupportBlock()
    feedback_prompt = FeedbackPromptBlock()
    # The site template of the same name shows the funding goal bar here.
    goal_bar = blocks.StaticBlock(
        admin_text=_("The reader-funding goal bar."),
        icon="success",
        label=_("Goal bar"),
        template="newsroom/blocks/goal_bar.html",
    )
    html = HTMLBlock()
