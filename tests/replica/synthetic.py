"""Filler posts for a large replica (``n_posts``): deterministic, bodies lazy.

Dates spread evenly from 2016 to mid-2025 but skip the seed post's week, so
the seed's previous/next posts stay its neighbours at any size.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from tests.replica import bodies
from tests.replica.catalog import slugify
from tests.replica.corpus import AUTHORS, CATEGORIES, TAGS
from tests.replica.model import BERLIN, Image, Post

START = datetime(2016, 1, 4, 8, 0, tzinfo=BERLIN)
END = datetime(2025, 6, 20, 18, 0, tzinfo=BERLIN)
SKIP_FROM = datetime(2018, 11, 20, tzinfo=BERLIN)
SKIP_TO = datetime(2018, 12, 6, tzinfo=BERLIN)
FIRST_ID = 100_000

_TOPIC_CATEGORY = {
    "egov": "e-government",
    "cloud": "cloud",
    "ki": "kuenstliche-intelligenz",
    "security": "it-sicherheit",
    "work": "digital-workplace",
    "digital": "digitale-transformation",
    "service": "kundenservice",
    "company": "unternehmen",
}
_SUBJECTS = {
    "egov": ("Verwaltung digital", "OZG-Umsetzung", "E-Akte", "Bürgerportal"),
    "cloud": ("Cloud-Migration", "Container-Betrieb", "Multi-Cloud", "Rechenzentrum"),
    "ki": ("KI im Einsatz", "Machine Learning", "Sprachmodelle", "Datenqualität"),
    "security": ("IT-Sicherheit", "Notfallmanagement", "Datenschutz", "Zero Trust"),
    "work": ("Arbeiten 4.0", "Hybrides Arbeiten", "Digital Workplace", "Teamarbeit"),
    "digital": ("Smart City", "Open Data", "Digitale Region", "Green IT"),
    "service": ("Kundenservice", "Self-Service", "Omnichannel", "Servicequalität"),
    "company": ("Materna intern", "Ausbildung", "Messen und Events", "Partnerschaften"),
}
_PHRASES = (
    "Was Entscheider jetzt wissen sollten",
    "Fünf Erfahrungen aus der Praxis",
    "Ein Blick hinter die Kulissen",
    "Wie der Einstieg gelingt",
    "Zwischen Anspruch und Wirklichkeit",
    "Die wichtigsten Trends",
    "Checkliste für Projektverantwortliche",
)


def synthetic_posts(count: int) -> list[Post]:
    """``count`` filler posts, oldest first, with unique slugs."""
    step = (END - START - (SKIP_TO - SKIP_FROM)) / max(count, 1)
    posts, slugs = [], set[str]()
    for i in range(count):
        moment = START + step * i
        if moment >= SKIP_FROM:
            moment += SKIP_TO - SKIP_FROM
        posts.append(_post(i, moment.replace(second=30, microsecond=0), slugs))
    return posts


def _post(i: int, published: datetime, slugs: set[str]) -> Post:
    rng = random.Random(i)
    topic = rng.choice(sorted(_TOPIC_CATEGORY))
    title = f"{rng.choice(_SUBJECTS[topic])}: {rng.choice(_PHRASES)} (Teil {i // 56 + 1})"
    slug, suffix = slugify(title), 2
    while slug in slugs:
        slug, suffix = f"{slugify(title)}-{suffix}", suffix + 1
    slugs.add(slug)
    post_id = FIRST_ID + 4 * i
    stock = 300_000_000 + i
    return Post(
        post_id=post_id,
        slug=slug,
        title=title,
        description=f"{title.split(':', maxsplit=1)[0]}: Hintergründe und Empfehlungen.",
        published=published,
        modified=published + timedelta(hours=rng.randint(1, 400)) if i % 2 else None,
        authors=(AUTHORS[rng.choice(sorted(AUTHORS))],),
        tags=tuple(TAGS[t] for t in rng.sample(sorted(TAGS), 2)),
        categories=(CATEGORIES[_TOPIC_CATEGORY[topic]],),
        hero=Image(
            post_id + 1,
            f"adobestock_{stock}",
            f"wp-content/uploads/{published:%Y/%m}/AdobeStock_{stock}.jpeg",
            f"Symbolbild {title.split(':', maxsplit=1)[0]}",
            None,
            "©ipopba - stock.adobe.com",
        ),
        language="de",
        make_blocks=lambda: tuple(bodies.prose(topic, post_id)),
        extra={"features": "synthetic", "topic": topic},
    )
