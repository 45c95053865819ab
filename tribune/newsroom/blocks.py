"""StreamField blocks an editor can place in a report's body."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
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


class ArticleBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        features=["bold", "italic", "link", "ol", "ul", "superscript", "subscript"],
        template="newsroom/blocks/paragraph.html",
    )
    heading = HeadingBlock()
    figure = FigureBlock()
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
