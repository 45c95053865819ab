"""The demo newsroom: a fictional valley paper with two series, three authors and its reports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.files.images import ImageFile
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.images.models import AbstractImage
from wagtail.rich_text import RichText

from tribune.core import clock
from tribune.demo import pictures
from tribune.newsroom import services
from tribune.newsroom.models import (
    ArticlePage,
    Author,
    HomePage,
    NewsroomSettings,
    SeriesPage,
    SupportPanel,
)

OUTLET = "The Valley Ledger"

AUTHORS = [
    (
        "Mara Okafor",
        "mara-okafor",
        "Chief reporter",
        "Mara has covered the Aldern Valley for eleven years, from council budgets to the spring floods.",
    ),
    (
        "Tomas Lindqvist",
        "tomas-lindqvist",
        "Data and environment",
        "Tomas turns river gauges, budgets and bus timetables into charts readers can check for themselves.",
    ),
    (
        "Priya Raman",
        "priya-raman",
        "Community editor",
        "Priya runs the reader desk and writes about schools, libraries and the people who keep them open.",
    ),
]

SITUATION_FACTS = [
    (
        "Water levels keep falling at the Millbrook gauge",
        "The river stood 41 cm lower than at the same hour yesterday; two of the five closed roads reopened.",
    ),
    (
        "Temporary bridge opens to pedestrians",
        "Engineers cleared the footbridge at Ash Lane for walkers and cyclists after load tests overnight.",
    ),
    (
        "Drinking water advice lifted in the eastern wards",
        "Tests at three sampling points came back clean for the second day running.",
    ),
    (
        "Volunteers clear the last of the market square",
        "More than two hundred residents turned out with shovels and wheelbarrows on Saturday morning.",
    ),
    (
        "School buses return to the northern routes",
        "Four routes run on a shortened timetable while the Hollins Road culvert is rebuilt.",
    ),
    (
        "Insurance help desk extends its hours",
        "The desk at the library now opens until 8 pm on weekdays after long queues last week.",
    ),
    (
        "Rail replacement buses end on the valley line",
        "Trains call at every station again; the operator warns of slower running near the viaduct.",
    ),
    (
        "Council publishes the first damage survey",
        "Surveyors recorded 312 homes with water inside and 41 businesses closed for more than a week.",
    ),
]

TOWN_HALL = [
    (
        "Council weighs a flood levy on next year's budget",
        "Members debated a small surcharge to pay for raised embankments; a vote is due next month.",
        ["budget", "flooding"],
    ),
    (
        "Library hours to grow after reader petition",
        "The branch on Quarry Street will open on Sunday afternoons from January, funded by a local trust.",
        ["libraries", "community"],
    ),
    (
        "What the new bus timetable means for the valley villages",
        "Evening services double on the main route, but two hamlets lose their Saturday bus.",
        ["transport"],
    ),
    (
        "Planning panel approves riverside housing with conditions",
        "The developer must leave a thirty-metre green strip along the bank and fund a new crossing.",
        ["planning", "flooding"],
    ),
    (
        "How the valley's schools plan to catch up after the closures",
        "Head teachers describe extra lessons, weekend clubs and a shared tutor scheme.",
        ["schools", "community"],
    ),
    (
        "Reader questions answered: who pays to repair the old mill race?",
        "The channel belongs to three owners, and the answer depends on which stretch failed.",
        ["flooding", "heritage"],
    ),
]

PARAGRAPHS = [
    "Residents along the lower road said the change was visible from their doorsteps: the water that "
    "lapped at garden walls a week ago has drawn back to the far bank, leaving a line of silt on fences.",
    "Officials asked people to keep away from the embankment paths until inspectors have walked every "
    "section. Loose ground can give way without warning, they said, even where the surface looks dry.",
    "At the community centre, the morning queue was shorter than on any day since the first warnings. "
    "Volunteers handed out cleaning kits, dehumidifier loans and forms for the hardship fund.",
    "The figures come from the council's own gauges and from readings that readers sent in. Where the two "
    "disagree, this report gives the official number and notes the difference.",
    "Shop owners on the high street said footfall was returning slowly. Several have put up handwritten "
    "signs saying they are open, even while the floors inside are still drying.",
    "The next update is due at noon tomorrow. Readers who see damage that has not been reported can write "
    "to the newsroom; every message is read, and we correct this page when the facts change.",
]


@dataclass
class DemoNewsroom:
    home: HomePage
    authors: list[Author]
    articles: list[ArticlePage]


def _image(title: str, data: bytes) -> AbstractImage:
    image_model = get_image_model()
    existing = image_model.objects.filter(title=title).first()
    if existing:
        return existing
    from io import BytesIO

    slug = title.lower().replace(" ", "-")
    image = image_model(title=title, file=ImageFile(BytesIO(data), name=f"{slug}.png"))
    image.save()
    return image


def _body(
    seed: int, picture: AbstractImage, with_table: bool
) -> list[tuple[str, object]]:
    rotate = PARAGRAPHS[seed % len(PARAGRAPHS) :] + PARAGRAPHS[: seed % len(PARAGRAPHS)]
    body: list[tuple[str, object]] = [
        ("paragraph", RichText(f"<p>{rotate[0]}</p><p>{rotate[1]}</p>")),
        ("heading", {"text": "What we know", "level": "h2"}),
        ("paragraph", RichText(f"<p>{rotate[2]}</p>")),
        (
            "quote",
            {
                "quote": "We are not back to normal, but every day this week has been a little better "
                "than the one before.",
                "attribution": "A shopkeeper on the high street",
            },
        ),
        ("paragraph", RichText(f"<p>{rotate[3]}</p>")),
        (
            "figure",
            {
                "image": picture,
                "caption": "The valley seen from the ridge path.",
                "credit": "Illustration: The Valley Ledger",
            },
        ),
        ("paragraph", RichText(f"<p>{rotate[4]}</p><p>{rotate[5]}</p>")),
    ]
    if with_table:
        body.insert(
            3,
            (
                "table",
                {
                    "first_row_is_table_header": True,
                    "first_col_is_header": False,
                    "data": [
                        ["Gauge", "Level (cm)", "Change"],
                        ["Millbrook", "212", "-41"],
                        ["Ash Lane", "158", "-22"],
                        ["Hollins Weir", "301", "-17"],
                    ],
                },
            ),
        )
    body.append(("support", {"panel": None}))
    return body


def load() -> DemoNewsroom:
    """Create the demo outlet once; later runs find it and change nothing."""
    home = services.install_home_page(
        title=OUTLET,
        intro="Independent news from the Aldern Valley, paid for by its readers.",
    )
    authors = []
    for index, (name, slug, role, bio) in enumerate(AUTHORS):
        author, created = Author.objects.get_or_create(
            slug=slug, defaults={"name": name, "role": role, "bio": f"<p>{bio}</p>"}
        )
        if created or author.photo_id is None:
            author.photo = _image(f"Portrait {name}", pictures.portrait(index + 1))
            author.save(update_fields=["photo"])
        authors.append(author)
    panel, _ = SupportPanel.objects.get_or_create(
        name="Default",
        defaults={
            "heading": "This newsroom is paid for by its readers",
            "text": "<p>No owner, no paywall. If our reporting helped you this month, "
            "please chip in towards the goal.</p>",
            "donate_label": "Support us",
            "paypal_url": "https://paypal.example/valley-ledger",
            "patreon_url": "https://patreon.example/valley-ledger",
        },
    )
    site_settings = NewsroomSettings.for_site(home.get_site())
    if site_settings.support_panel_id is None:
        site_settings.support_panel = panel
        site_settings.tagline = "Independent news from the Aldern Valley"
        site_settings.save()

    if ArticlePage.objects.exists():
        return DemoNewsroom(home, authors, list(ArticlePage.objects.all()))

    situation = services.create_series(
        home=home,
        title="Situation Report",
        slug="situation-report",
        description="<p>A short daily update on the flood recovery: what changed, what is open, "
        "where to get help.</p>",
    )
    town = services.create_series(
        home=home,
        title="Town Hall",
        slug="town-hall",
        description="<p>Council decisions, budgets and planning, explained.</p>",
    )
    _plain_pages(home)
    today = clock.today()
    articles: list[ArticlePage] = []
    pictures_made = [
        _image(f"Valley view {i}", pictures.landscape(i)) for i in range(1, 5)
    ]
    for i, (headline, lead) in enumerate(SITUATION_FACTS):
        day = today - dt.timedelta(days=1 + i * 7)
        title = f"Situation Report, {day.day} {day:%B %Y}: {headline}"
        articles.append(
            _publish(
                situation,
                title,
                lead,
                day,
                authors[i % 2],
                i,
                pictures_made,
                ["flooding"],
                dateline="MILLBROOK",
            )
        )
    for j, (headline, lead, tags) in enumerate(TOWN_HALL):
        day = today - dt.timedelta(days=4 + j * 9)
        articles.append(
            _publish(
                town,
                headline,
                lead,
                day,
                authors[(j + 1) % 3],
                j + 10,
                pictures_made,
                tags,
                dateline="RIVERTON",
            )
        )
    return DemoNewsroom(home, authors, articles)


def _plain_pages(home: HomePage) -> None:
    """An "About us" plain page with a page below it."""
    about = services.create_plain_page(
        parent=home,
        title="About us",
        slug="about-us",
        body=[
            (
                "paragraph",
                RichText(
                    "<p>A small newsroom covering the Aldern Valley, owned by no one "
                    "and paid for by its readers.</p>"
                ),
            ),
            ("heading", {"text": "How we work", "level": "h2"}),
            (
                "paragraph",
                RichText(
                    "<p>We publish what we can check, and we say what we could not.</p>"
                ),
            ),
        ],
    )
    services.create_plain_page(
        parent=about,
        title="Corrections",
        slug="corrections",
        body=[
            (
                "paragraph",
                RichText(
                    "<p>Found a mistake? Tell us; corrections are noted at the end "
                    "of the report.</p>"
                ),
            )
        ],
    )


def _publish(
    series: SeriesPage,
    title: str,
    lead: str,
    day: dt.date,
    author: Author,
    seed: int,
    pics: list[AbstractImage],
    tags: list[str],
    dateline: str,
) -> ArticlePage:
    published = timezone.make_aware(dt.datetime.combine(day, dt.time(7, 30)))
    return services.create_article(
        series=series,
        title=title,
        lead=lead,
        date=day,
        dateline=dateline,
        body=_body(seed, pics[seed % len(pics)], with_table=seed % 3 == 0),
        authors=[author],
        tags=tags,
        image=pics[(seed + 1) % len(pics)],
        image_caption="The Aldern valley after the water receded.",
        first_published_at=published,
    )
