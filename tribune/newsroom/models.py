"""Newsroom pages and snippets: home, series, reports, authors, support panels."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db import models
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageManager
from wagtail.search import index
from wagtail.snippets.models import register_snippet
from wagtail.url_routing import RouteResult

from tribune.core import clock
from tribune.newsroom import routing
from tribune.newsroom.blocks import ArticleBodyBlock
from tribune.newsroom.querysets import ArticlePageQuerySet, SeriesPageQuerySet

PAGE_SIZE = 12


class Author(index.Indexed, models.Model):
    """A byline: a person who writes for the outlet."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    role = models.CharField(max_length=120, blank=True)
    bio = RichTextField(blank=True, features=["bold", "italic", "link"])
    email = models.EmailField(
        _("email (private)"),
        blank=True,
        help_text=_(
            "For the newsroom only: never shown on pages, feeds or the API. "
            "Kept from an import."
        ),
    )
    photo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("role"),
        FieldPanel("bio"),
        FieldPanel("photo"),
        FieldPanel("email"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("newsroom:author", args=[self.slug])


class SupportPanel(models.Model):
    """The "Support us" box shown above and below reports and placeable in a body."""

    name = models.CharField(max_length=100, help_text=_("For editors only."))
    heading = models.CharField(
        max_length=120, default=_("Support independent reporting")
    )
    text = RichTextField(features=["bold", "italic", "link"])
    donate_label = models.CharField(max_length=60, default=_("Support us"))
    donate_url = models.CharField(
        max_length=300,
        blank=True,
        help_text=_("Where the main button leads; empty uses the donate page."),
    )
    paypal_url = models.URLField(blank=True)
    patreon_url = models.URLField(blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("heading"),
        FieldPanel("text"),
        MultiFieldPanel(
            [
                FieldPanel("donate_label"),
                FieldPanel("donate_url"),
                FieldPanel("paypal_url"),
                FieldPanel("patreon_url"),
            ],
            heading=_("Links"),
        ),
    ]

    def __str__(self) -> str:
        return self.name


register_snippet(Author)
register_snippet(SupportPanel)


@register_setting(icon="pick")
class NewsroomSettings(BaseSiteSetting):
    """Site-wide editorial choices."""

    support_panel = models.ForeignKey(
        SupportPanel,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Shown at the top and bottom of every report that allows it."),
    )
    donate_url = models.CharField(
        max_length=300,
        default="/support/",
        help_text=_("The donate page address used when a panel names none."),
    )
    tagline = models.CharField(max_length=200, blank=True)

    panels = [
        FieldPanel("support_panel"),
        FieldPanel("donate_url"),
        FieldPanel("tagline"),
    ]


class HomePage(Page):
    """The front page: the latest reports from every series."""

    intro = models.CharField(max_length=300, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    max_count = 1

    def route(self, request: HttpRequest, path_components: list[str]) -> Any:
        """Wagtail's route, from this process's memory of where an address led
        when the page is still there (newsroom/routing.py)."""
        found = routing.find(self, path_components)
        if found is not None:
            return RouteResult(found)
        result = super().route(request, path_components)
        page, args, kwargs = result
        if not args and not kwargs:
            routing.remember(self, path_components, page)
        return result

    def get_context(
        self, request: HttpRequest, *args: Any, **kwargs: Any
    ) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context["page_obj"] = paginate(
            request, ArticlePage.objects.listed_under(self).pinned_first()
        )
        context["series_list"] = SeriesPage.objects.listed_under(self)
        return context


class SeriesPage(Page):
    """A running series or section, e.g. a daily situation report."""

    description = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("description")]
    objects = PageManager.from_queryset(SeriesPageQuerySet)()
    parent_page_types = ["newsroom.HomePage"]
    subpage_types = ["newsroom.ArticlePage"]
    search_fields = [*Page.search_fields, index.SearchField("description")]

    def get_context(
        self, request: HttpRequest, *args: Any, **kwargs: Any
    ) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context["page_obj"] = paginate(request, ArticlePage.objects.listed_under(self))
        return context


class ArticlePageTag(TaggedItemBase):
    content_object = ParentalKey(
        "newsroom.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class CommentsMode(models.TextChoices):
    DEFAULT = "default", _("Site default")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed (readable)")
    HIDDEN = "hidden", _("Hidden")


class ArticlePage(Page):
    """A report: dated headline, byline, lead and a rich body."""

    date = models.DateField(_("publication date"), default=clock.today)
    dateline = models.CharField(
        max_length=80, blank=True, help_text=_("Place the report was filed from.")
    )
    lead = models.TextField(help_text=_("One or two sentences that open the report."))
    authors = ParentalManyToManyField(Author, blank=True, related_name="articles")
    image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Lead picture, also used for social previews."),
    )
    image_caption = models.CharField(max_length=300, blank=True)
    body = StreamField(ArticleBodyBlock(), blank=True)
    tags = ClusterTaggableManager(
        through=ArticlePageTag, blank=True, verbose_name=_("topics")
    )
    objects = PageManager.from_queryset(ArticlePageQuerySet)()
    show_support = models.BooleanField(
        _("show Support us panels"),
        default=True,
        help_text=_(
            "The site's Support us panel at the top and bottom of this report."
        ),
    )
    comments = models.CharField(
        max_length=10, choices=CommentsMode.choices, default=CommentsMode.DEFAULT
    )
    pinned = models.BooleanField(
        _("pinned"),
        default=False,
        help_text=_("Shown first on the home page, before newer reports."),
    )
    newsletter = models.BooleanField(
        _("send to newsletter"),
        default=True,
        help_text=_(
            "Mail this report to the newsletter's subscribers when it is first "
            "published (once; later edits are not sent)."
        ),
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("date"), FieldPanel("dateline"), FieldPanel("authors")],
            heading=_("Byline"),
        ),
        FieldPanel("lead"),
        MultiFieldPanel(
            [FieldPanel("image"), FieldPanel("image_caption")], heading=_("Picture")
        ),
        FieldPanel("body"),
        FieldPanel("tags"),
    ]
    settings_panels = [
        *Page.settings_panels,
        FieldPanel("show_support"),
        FieldPanel("pinned"),
        FieldPanel("comments"),
        FieldPanel("newsletter"),
    ]
    parent_page_types = ["newsroom.SeriesPage"]
    subpage_types: list[str] = []
    search_fields = [
        *Page.search_fields,
        index.SearchField("lead"),
        index.SearchField("body"),
        index.RelatedFields("authors", [index.SearchField("name")]),
        index.FilterField("date"),
    ]

    class Meta:
        ordering = ["-date", "-first_published_at"]

    def get_context(
        self, request: HttpRequest, *args: Any, **kwargs: Any
    ) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        # Queried only if the report's part is rendered, not when it is kept.
        context["byline"] = SimpleLazyObject(
            lambda: list(self.authors.select_related("photo").all())
        )
        context["topics"] = SimpleLazyObject(lambda: list(self.tags.all()))
        context["series"] = SimpleLazyObject(lambda: SeriesPage.objects.parent_of(self))
        return context


class StandardPage(Page):
    """A plain page (about us, contact, imprint): a title and a body, no byline
    or date, and no discussion unless an editor opens one; may hold further
    plain pages."""

    body = StreamField(ArticleBodyBlock(), blank=True)
    # Hidden by default: "About us" wants no comments; a page moved in from
    # WordPress with comments open or held keeps its discussion (decision 0031).
    comments = models.CharField(
        max_length=10, choices=CommentsMode.choices, default=CommentsMode.HIDDEN
    )

    content_panels = [*Page.content_panels, FieldPanel("body")]
    settings_panels = [*Page.settings_panels, FieldPanel("comments")]
    parent_page_types = ["newsroom.HomePage", "newsroom.StandardPage"]
    subpage_types = ["newsroom.StandardPage"]
    search_fields = [*Page.search_fields, index.SearchField("body")]

    class Meta:
        verbose_name = _("plain page")

    def get_context(
        self, request: HttpRequest, *args: Any, **kwargs: Any
    ) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context["subpages"] = self.get_children().live().public().order_by("path")
        return context


# The pages that may carry a discussion (discussion.Thread.page is any Page).
DiscussedPage = ArticlePage | StandardPage
DISCUSSED_PAGE_TYPES: tuple[type[ArticlePage], type[StandardPage]] = (
    ArticlePage,
    StandardPage,
)


def paginate(request: HttpRequest, queryset: Any, per_page: int = PAGE_SIZE) -> Any:
    """The requested page of a list; a bad page number gives the nearest real page."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))
