"""The hand-written posts of the replica (editions 1 and 2).

Each spec names its date (Europe/Berlin), title, topic, authors, categories,
tags and features; :func:`base_posts` turns them into :class:`Post` objects.
Features: ``seed``, ``long``, ``images``, ``links``, ``comments``, ``english``,
``edited`` (modified months later in edition 1), ``edited2`` (body and date
change in edition 2), ``removed2`` (gone in edition 2), ``new2`` (only in
edition 2).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import NamedTuple

from tests.replica import bodies
from tests.replica.corpus import (
    AUTHORS,
    CATEGORIES,
    COMMENTERS,
    SEED_CREDIT,
    SEED_NEXT,
    SEED_PREVIOUS,
    SEED_TITLE,
    SENTENCES,
    TAGS,
)
from tests.replica.model import BERLIN, Block, Comment, Image, Post


class Spec(NamedTuple):
    date: str
    title: str
    topic: str
    authors: str
    categories: str
    tags: str
    features: str = ""


_TABLE = """\
2016-02-16 09:30 | Digitale Verwaltung: Was Bürger von ihrer Behörde erwarten | egov | michael-kraemer | e-government | verwaltungsdigitalisierung studie
2016-05-10 14:00 | Cloud-Strategie: Fünf Fragen vor dem Umzug ins Rechenzentrum | cloud | sabine-oezdemir | cloud | multi-cloud
2016-08-23 10:15 | Arbeiten 4.0: Wie die Digitalisierung unsere Büros verändert | work | christine-siepe | digital-workplace | arbeiten-4-0 new-work
2016-11-08 08:45 | IT-Sicherheit im Mittelstand: Die größten Risiken | security | thomas-becker | it-sicherheit | cyberangriffe datenschutz
2017-02-14 11:00 | Die E-Akte kommt: Erfahrungen aus drei Landesverwaltungen | egov | michael-kraemer | e-government | e-akte verwaltungsdigitalisierung
2017-04-04 09:00 | Chatbots im Kundenservice: Mehr als ein Trend? | ki | julia-hoffmann | kundenservice kuenstliche-intelligenz | chatbot ki | comments
2017-06-20 13:30 | Ein Jahr bis zur DSGVO: Was Unternehmen jetzt tun sollten | security | thomas-becker | it-sicherheit | dsgvo datenschutz
2017-10-17 10:00 | Kubernetes in der Praxis: Container-Plattformen richtig betreiben | cloud | sabine-oezdemir | cloud | kubernetes multi-cloud
2017-12-05 15:20 | Open Data: Wie Kommunen ihre Daten nutzbar machen | digital | michael-kraemer | digitale-transformation e-government | open-data smart-city
2018-02-20 09:10 | Machine Learning: Wie Maschinen aus Daten lernen | ki | julia-hoffmann | kuenstliche-intelligenz | machine-learning ki
2018-05-24 08:00 | Die DSGVO ist da: Die wichtigsten Pflichten im Überblick | security | thomas-becker | it-sicherheit | dsgvo datenschutz | long
2018-09-06 11:40 | Homeoffice richtig einrichten: Tipps für den Arbeitsplatz zu Hause | work | daniel-wagner | digital-workplace | homeoffice arbeiten-4-0
2018-11-21 09:00 | {SEED_PREVIOUS} | egov | michael-kraemer | e-government | veranstaltung verwaltungsdigitalisierung
2018-11-28 10:30 | {SEED_TITLE} | digital | christine-siepe | digitale-transformation | digitalisierung smart-city | seed
2018-12-04 11:15 | {SEED_NEXT} | egov | michael-kraemer | e-government | studie verwaltungsdigitalisierung
2019-02-12 10:00 | Multi-Cloud-Management: Den Überblick behalten | cloud | sabine-oezdemir | cloud | multi-cloud kubernetes
2019-04-09 09:30 | Das Onlinezugangsgesetz: Halbzeit für die Verwaltungsdigitalisierung | egov | michael-kraemer | e-government | ozg verwaltungsdigitalisierung
2019-06-18 14:45 | Phishing erkennen: So schützen Sie sich vor gefälschten E-Mails | security | thomas-becker | it-sicherheit | cyberangriffe | removed2
2019-09-03 10:20 | New Work: Wie flexible Arbeitsmodelle die Zusammenarbeit stärken | work | christine-siepe daniel-wagner | digital-workplace | new-work arbeiten-4-0
2019-11-19 08:30 | KI in der Verwaltung: Chancen und Grenzen | ki | julia-hoffmann | kuenstliche-intelligenz e-government | ki verwaltungsdigitalisierung
2020-01-28 09:00 | „Cloud & Co.“: Was Behörden jetzt wissen müssen | cloud | sabine-oezdemir | cloud e-government | multi-cloud souveraenitaet
2020-03-24 16:10 | Plötzlich Homeoffice: Was wir in den ersten zwei Wochen gelernt haben | work | daniel-wagner | digital-workplace | homeoffice new-work | comments
2020-06-16 10:00 | Cybersicherheit in der Pandemie: Angriffe auf Remote-Arbeitsplätze nehmen zu | security | thomas-becker | it-sicherheit | cyberangriffe homeoffice
2020-09-22 11:30 | Digitale Bürgerdienste: Der Weg zum Bürgerkonto | egov | michael-kraemer | e-government | ozg digitalisierung
2020-11-10 09:45 | Kundenservice im Wandel: Omnichannel als Erfolgsfaktor | service | julia-hoffmann | kundenservice | chatbot digitalisierung
2021-02-09 10:00 | Souveräne Cloud für die öffentliche Hand: Anforderungen und Lösungen | cloud | sabine-oezdemir | cloud | souveraenitaet multi-cloud | edited2
2021-05-04 09:00 | Digital Government in Germany: Lessons from the Online Access Act | en | michael-kraemer | e-government | ozg digitalisierung | english
2021-07-13 13:00 | Smart City Dortmund: Drei Jahre nach dem Start der Allianz | digital | christine-siepe | digitale-transformation | smart-city dortmund | links
2021-10-19 08:15 | Ransomware: Notfallplan statt Lösegeld | security | thomas-becker | it-sicherheit | cyberangriffe datenschutz
2022-01-25 10:30 | Hybrides Arbeiten: Das Büro als Ort der Begegnung | work | christine-siepe | digital-workplace | new-work homeoffice
2022-04-12 09:20 | Datengetriebene Verwaltung: Mit Analytics bessere Entscheidungen treffen | ki | julia-hoffmann | kuenstliche-intelligenz e-government | machine-learning open-data
2022-06-28 11:00 | Green IT: Wie Rechenzentren nachhaltiger werden | cloud | sabine-oezdemir | cloud | nachhaltigkeit | images
2022-10-04 10:10 | Registermodernisierung: Das Once-Only-Prinzip wird Realität | egov | michael-kraemer | e-government | verwaltungsdigitalisierung ozg
2023-01-17 09:00 | ChatGPT und Co.: Was generative KI für Unternehmen bedeutet | ki | julia-hoffmann | kuenstliche-intelligenz | ki machine-learning
2023-03-21 14:00 | Zero Trust: Sicherheit neu gedacht | security | thomas-becker | it-sicherheit | cyberangriffe
2023-06-13 10:45 | Der digitale Arbeitsplatz in der Verwaltung: Ein Praxisbericht | work | daniel-wagner | digital-workplace e-government | arbeiten-4-0 e-akte
2023-09-26 12:00 | 25 Jahre Ausbildung bei Materna: Ein Jubiläum | company | christine-siepe | unternehmen |
2023-11-28 09:30 | Self-Service im Kundenservice: Portale richtig gestalten | service | julia-hoffmann | kundenservice | digitalisierung chatbot
2024-02-20 10:00 | Der AI Act ist beschlossen: Was jetzt auf Unternehmen zukommt | ki | julia-hoffmann | kuenstliche-intelligenz | ki datenschutz
2024-05-14 08:30 | NIS2-Richtlinie: Neue Pflichten für Betreiber wichtiger Einrichtungen | security | thomas-becker | it-sicherheit | cyberangriffe datenschutz | edited
2024-09-17 15:00 | Smart Country Convention 2024: Unsere Highlights | egov | michael-kraemer | e-government unternehmen | veranstaltung ozg | edited2
2024-12-03 10:00 | Nachhaltige Digitalisierung: Ressourcen schonen mit IT | digital | christine-siepe | digitale-transformation | nachhaltigkeit digitalisierung
2025-02-11 09:15 | Kubernetes-Plattformen souverän betreiben | cloud | sabine-oezdemir | cloud | kubernetes souveraenitaet
2025-04-08 11:20 | Service-Roboter und KI-Assistenten: Ein Blick in die Zukunft | ki | julia-hoffmann | kuenstliche-intelligenz kundenservice | ki chatbot
2025-06-24 10:00 | Digitale Identitäten: Die EUDI-Wallet kommt | egov | michael-kraemer | e-government | digitalisierung ozg
2025-09-09 09:00 | OZG 2.0: Was die Novelle für Kommunen bedeutet | egov | michael-kraemer | e-government | ozg verwaltungsdigitalisierung | new2
2025-10-14 10:30 | KI-Agenten im Kundenservice: Erste Erfahrungen aus der Praxis | ki | julia-hoffmann | kundenservice kuenstliche-intelligenz | ki chatbot | new2
2025-11-18 08:45 | Sicher in die Cloud: Ein Leitfaden für Behörden | cloud | sabine-oezdemir thomas-becker | cloud it-sicherheit | multi-cloud datenschutz | new2
"""


def _parse(table: str) -> tuple[Spec, ...]:
    """One spec a line: date | title | topic | authors | categories | tags | features."""
    specs = []
    for line in table.splitlines():
        cells = [c.strip() for c in line.split("|")]
        cells += [""] * (7 - len(cells))
        title = cells[1].format(
            SEED_PREVIOUS=SEED_PREVIOUS, SEED_TITLE=SEED_TITLE, SEED_NEXT=SEED_NEXT
        )
        specs.append(Spec(cells[0], title, *cells[2:7]))
    return tuple(specs)


SPECS: tuple[Spec, ...] = _parse(_TABLE)

#: Edition-2 modification dates of the ``edited2`` posts, in spec order.
EDITED2_DATES = ("2025-11-05 14:30", "2025-11-12 09:05")
EDITED_DATE = "2024-10-30 14:20"
_CREDITS = (
    "©Gorodenkoff - stock.adobe.com",
    "©ipopba - stock.adobe.com",
    "©Rawpixel.com - stock.adobe.com",
    None,
    "©Materna",
)
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def slugify(title: str) -> str:
    """WordPress's ``sanitize_title`` with the German locale's transliteration."""
    text = title.lower().translate(_UMLAUTS).replace(".", "-")
    text = re.sub(r"[^a-z0-9\s-]", "", text)
    return re.sub(r"[\s-]+", "-", text).strip("-")


def local(stamp: str) -> datetime:
    return datetime.strptime(stamp, "%Y-%m-%d %H:%M").replace(tzinfo=BERLIN)


def post_id_of(index: int) -> int:
    """Ids grow with date and leave gaps, as attachments and revisions take ids."""
    return 812 + index * 47 + (index * 13) % 11


def base_posts(edition: int) -> list[Post]:
    """The hand-written posts served in ``edition``, oldest first."""
    posts = [_build(i, spec, edition) for i, spec in enumerate(SPECS)]
    return [p for p in posts if _served(p, edition)]


def _served(post: Post, edition: int) -> bool:
    features = post.extra["features"].split()
    if edition >= 2:
        return "removed2" not in features
    return "new2" not in features


def _build(index: int, spec: Spec, edition: int) -> Post:
    post_id = post_id_of(index)
    slug = slugify(spec.title)
    features = spec.features.split()
    published = local(spec.date)
    hero = _hero(index, post_id, slug, published, "seed" in features)
    blocks = _blocks(spec, post_id, slug, published)
    modified = _modified(index, spec, published, edition)
    if edition >= 2 and "edited2" in features:
        blocks = (*blocks, bodies.update_paragraph())
    return Post(
        post_id=post_id,
        slug=slug,
        title=spec.title,
        description=_description(blocks),
        published=published,
        modified=modified,
        authors=tuple(AUTHORS[a] for a in spec.authors.split()),
        tags=tuple(TAGS[t] for t in spec.tags.split()),
        categories=tuple(CATEGORIES[c] for c in spec.categories.split()),
        hero=hero,
        language="en" if "english" in features else "de",
        make_blocks=lambda: blocks,
        comments=_comments(post_id, published) if "comments" in features else (),
        extra={"features": spec.features, "topic": spec.topic},
    )


def _modified(index: int, spec: Spec, published: datetime, edition: int) -> datetime | None:
    features = spec.features.split()
    if edition >= 2 and "edited2" in features:
        edited = [s for s in SPECS if "edited2" in s.features.split()]
        return local(EDITED2_DATES[edited.index(spec)])
    if "edited" in features:
        return local(EDITED_DATE)
    if index % 3 == 0:
        return None
    return published + timedelta(minutes=10 + (index * 37) % 300)


def _hero(index: int, post_id: int, slug: str, published: datetime, seed: bool) -> Image:
    stock = 100_000_000 + post_id * 7919 % 900_000_000
    folder = f"wp-content/uploads/{published:%Y/%m}"
    return Image(
        media_id=post_id + 1,
        slug=f"adobestock_{stock}",
        src=f"{folder}/AdobeStock_{stock}.jpeg",
        alt=f"Symbolbild zum Beitrag {slug.replace('-', ' ')}",
        caption="Freie Kühlung im Rechenzentrum" if slug.startswith("green-it") else None,
        credit=SEED_CREDIT if seed else _CREDITS[index % len(_CREDITS)],
    )


def _body_images(post_id: int, published: datetime) -> tuple[Image, Image]:
    folder = f"wp-content/uploads/{published:%Y/%m}"
    return (
        Image(
            post_id + 2,
            "rechenzentrum-abwaerme",
            f"{folder}/rechenzentrum-abwaerme.jpg",
            "Wärmetauscher im Keller eines Rechenzentrums",
            "Abwärme aus dem Rechenzentrum heizt benachbarte Gebäude.",
            "©Gorodenkoff - stock.adobe.com",
        ),
        Image(
            post_id + 3,
            "pue-diagramm",
            f"{folder}/pue-diagramm.png",
            "Diagramm: Entwicklung der Power Usage Effectiveness 2015 bis 2022",
            None,
            None,
        ),
    )


def _blocks(spec: Spec, post_id: int, slug: str, published: datetime) -> tuple[Block, ...]:
    features = spec.features.split()
    if "seed" in features:
        return tuple(bodies.seed_body())
    if "long" in features:
        return tuple(bodies.long_body(post_id))
    if "images" in features:
        return tuple(bodies.image_body(post_id, _body_images(post_id, published)))
    if "english" in features:
        return tuple(bodies.english_body(post_id))
    if "links" in features:
        return tuple(bodies.linked_body(spec.topic, post_id, f"{slugify(SEED_TITLE)}/", SEED_TITLE))
    return tuple(bodies.prose(spec.topic, post_id))


def _description(blocks: tuple[Block, ...]) -> str:
    first = next(b for b in blocks if b.kind == "p")
    text = "".join(p if isinstance(p, str) else p.text for p in first.inline)
    sentence = re.split(r"(?<=[.!?])\s+(?=[A-ZÄÖÜ])", text)[0]
    return sentence if len(sentence) <= 160 else sentence[:157].rsplit(" ", 1)[0] + " …"


def _comments(post_id: int, published: datetime) -> tuple[Comment, ...]:
    texts = SENTENCES["work"][:3] if post_id % 2 else SENTENCES["service"][:3]
    return tuple(
        Comment(
            comment_id=post_id * 10 + i,
            name=COMMENTERS[(post_id + i) % len(COMMENTERS)],
            date=published + timedelta(days=1 + i * 3, hours=2 + i, minutes=7 * i),
            text=f"Danke für den Beitrag! {text}",
        )
        for i, text in enumerate(texts)
    )
