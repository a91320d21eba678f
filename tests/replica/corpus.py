"""Words of the replica: the seed post, authors, terms and a pool of sentences.

The seed post's paragraphs and Christine Siepe's bio are read verbatim from
``seed/materna-blog-post.txt`` (the one first-hand view of the live blog).
"""

from __future__ import annotations

from pathlib import Path

from tests.replica.model import Author, Term

SEED_FILE = Path(__file__).with_name("seed") / "materna-blog-post.txt"
BLOG_NAME = "Der Materna Blog"
CLAIM = "Der Materna Blog – wissen was los ist"
SEED_TITLE = "Dortmund: Eine Region digitalisiert sich"
SEED_CREDIT = "©SFIO CRACHO - stock.adobe.com"
SEED_PREVIOUS = "Smart Country Convention: Mehr digitale Projekte in Behörden wagen"
SEED_NEXT = "Studie E-Government Monitor 2018 zeigt: E-Government schreitet nur langsam voran"


def _seed_lines() -> list[str]:
    return [line.strip() for line in SEED_FILE.read_text(encoding="utf-8").splitlines()]


def seed_paragraphs() -> list[str]:
    """The six body paragraphs: between the h1 line and ``Schlagwörter:``."""
    lines = _seed_lines()
    start = lines.index(SEED_TITLE) + 1
    end = next(i for i, line in enumerate(lines) if line.startswith("Schlagwörter:"))
    return [line for line in lines[start:end] if line]


def seed_bio() -> str:
    lines = _seed_lines()
    start = lines.index("Autoreninfo") + 1
    return next(line for line in lines[start:] if line)


AUTHORS: dict[str, Author] = {
    a.slug: a
    for a in (
        Author(3, "christine-siepe", "Christine Siepe", seed_bio()),
        Author(
            5,
            "michael-kraemer",
            "Michael Krämer",
            "Michael Krämer ist Senior Consultant für E-Government bei Materna und berät"
            " Bund, Länder und Kommunen bei der Umsetzung des Onlinezugangsgesetzes.",
        ),
        Author(
            7,
            "sabine-oezdemir",
            "Sabine Özdemir",
            "Sabine Özdemir verantwortet als Cloud-Architektin Migrationsprojekte in"
            " Rechenzentren von Behörden und Unternehmen. Sie schreibt über Multi-Cloud,"
            " Container und Betriebsmodelle.",
        ),
        Author(
            8,
            "thomas-becker",
            "Thomas Becker",
            "Thomas Becker ist Experte für Informationssicherheit und leitet das"
            " Kompetenzzentrum IT-Sicherheit & Datenschutz.",
        ),
        Author(
            11,
            "julia-hoffmann",
            "Julia Hoffmann",
            "Julia Hoffmann beschäftigt sich als Data Scientist mit Künstlicher"
            " Intelligenz und maschinellem Lernen im Kundenservice.",
        ),
        Author(14, "daniel-wagner", "Daniel Wagner", None),
    )
}

_CATEGORY_NAMES = (
    ("e-government", "E-Government"),
    ("cloud", "Cloud & Infrastruktur"),
    ("kuenstliche-intelligenz", "Künstliche Intelligenz"),
    ("it-sicherheit", "IT-Sicherheit"),
    ("digital-workplace", "Digital Workplace"),
    ("digitale-transformation", "Digitale Transformation"),
    ("kundenservice", "Kundenservice"),
    ("unternehmen", "Unternehmen"),
)
_TAG_NAMES = (
    ("digitalisierung", "Digitalisierung"),
    ("smart-city", "Smart City"),
    ("ozg", "OZG"),
    ("verwaltungsdigitalisierung", "Verwaltungsdigitalisierung"),
    ("e-akte", "E-Akte"),
    ("multi-cloud", "Multi-Cloud"),
    ("kubernetes", "Kubernetes"),
    ("ki", "KI"),
    ("chatbot", "Chatbot"),
    ("machine-learning", "Machine Learning"),
    ("datenschutz", "Datenschutz"),
    ("dsgvo", "DSGVO"),
    ("cyberangriffe", "Cyberangriffe"),
    ("arbeiten-4-0", "Arbeiten 4.0"),
    ("new-work", "New Work"),
    ("homeoffice", "Homeoffice"),
    ("dortmund", "Dortmund"),
    ("veranstaltung", "Veranstaltung"),
    ("studie", "Studie"),
    ("nachhaltigkeit", "Nachhaltigkeit"),
    ("open-data", "Open Data"),
    ("souveraenitaet", "Digitale Souveränität"),
)
CATEGORIES: dict[str, Term] = {
    slug: Term(20 + i, slug, name, "category") for i, (slug, name) in enumerate(_CATEGORY_NAMES)
}
TAGS: dict[str, Term] = {
    slug: Term(40 + i, slug, name, "post_tag") for i, (slug, name) in enumerate(_TAG_NAMES)
}

#: Sentences by topic; bodies are paragraphs of 3–4 of them.
SENTENCES: dict[str, tuple[str, ...]] = {
    "egov": (
        "Bürgerinnen und Bürger erwarten heute, dass sie Behördengänge online erledigen können.",
        (
            "Das Onlinezugangsgesetz verpflichtet Bund, Länder und Kommunen, ihre Leistungen"
            " digital anzubieten."
        ),
        (
            "Viele Verwaltungen stehen dabei vor der Frage, wie sie gewachsene Fachverfahren"
            " an zentrale Portale anbinden."
        ),
        (
            "Ein durchgängig digitaler Antrag spart nicht nur Papier, sondern verkürzt auch die"
            " Bearbeitungszeit erheblich."
        ),
        "Entscheidend ist, dass die Prozesse hinter dem Formular ebenfalls digitalisiert werden.",
        (
            "Die E-Akte bildet dafür die Grundlage, denn sie macht Vorgänge ortsunabhängig"
            " bearbeitbar."
        ),
        (
            "Föderale Strukturen erschweren zwar die Abstimmung, bieten aber auch Raum für"
            " erfolgreiche Pilotprojekte."
        ),
        (
            "Das Prinzip „Einer für alle“ sorgt dafür, dass gute Lösungen nicht mehrfach"
            " entwickelt werden müssen."
        ),
        (
            "Nutzerfreundlichkeit wird damit zum wichtigsten Maßstab für gelungene"
            " Verwaltungsdigitalisierung."
        ),
    ),
    "cloud": (
        "Immer mehr Unternehmen verlagern ihre Anwendungen in die Cloud.",
        (
            "Dabei zeigt sich, dass eine reine Lift-and-Shift-Migration selten die erhofften"
            " Einsparungen bringt."
        ),
        (
            "Container und Kubernetes erlauben es, Anwendungen flexibel zwischen verschiedenen"
            " Umgebungen zu verschieben."
        ),
        "Eine Multi-Cloud-Strategie reduziert die Abhängigkeit von einzelnen Anbietern.",
        "Gleichzeitig steigen die Anforderungen an Governance, Kostenkontrolle und Betrieb.",
        (
            "Gerade öffentliche Auftraggeber achten auf Rechenzentren in Deutschland und auf"
            " digitale Souveränität."
        ),
        (
            "Automatisierung ist der Schlüssel, um Infrastruktur reproduzierbar und sicher"
            " bereitzustellen."
        ),
        (
            "Wer früh in die Qualifizierung seiner Teams investiert, profitiert langfristig"
            " von der neuen Flexibilität."
        ),
    ),
    "ki": (
        "Künstliche Intelligenz ist längst im Alltag vieler Unternehmen angekommen.",
        (
            "Chatbots beantworten Standardanfragen rund um die Uhr und entlasten so die"
            " Mitarbeitenden im Kundenservice."
        ),
        (
            "Die Qualität der Ergebnisse hängt jedoch maßgeblich von der Qualität der"
            " Trainingsdaten ab."
        ),
        (
            "Machine Learning erkennt Muster in großen Datenmengen, die Menschen leicht"
            " übersehen würden."
        ),
        (
            "Transparenz und Nachvollziehbarkeit sind wichtige Voraussetzungen für das"
            " Vertrauen in KI-Systeme."
        ),
        "Der europäische AI Act schafft dafür erstmals einen verbindlichen Rechtsrahmen.",
        "Erfolgreiche Projekte beginnen meist mit einem klar umrissenen Anwendungsfall.",
        "Generative Sprachmodelle eröffnen zusätzlich neue Möglichkeiten für die Wissensarbeit.",
    ),
    "security": (
        "Die Zahl der Cyberangriffe auf Unternehmen und Behörden steigt seit Jahren.",
        "Besonders häufig gelangen Angreifer über gefälschte E-Mails in die Netzwerke.",
        "Regelmäßige Schulungen sensibilisieren die Beschäftigten für typische Angriffsmuster.",
        "Ein Informationssicherheits-Managementsystem schafft klare Zuständigkeiten und Abläufe.",
        (
            "Die Datenschutz-Grundverordnung verlangt, dass personenbezogene Daten angemessen"
            " geschützt werden."
        ),
        (
            "Backups, die getrennt vom Produktivnetz aufbewahrt werden, sind die beste"
            " Versicherung gegen Ransomware."
        ),
        "Zero Trust bedeutet, dass kein Zugriff ohne Prüfung als vertrauenswürdig gilt.",
        "Sicherheit muss daher von Anfang an in jedes Projekt eingeplant werden.",
    ),
    "work": (
        "Die Arbeitswelt verändert sich durch die Digitalisierung grundlegend.",
        "Mobiles Arbeiten ist für viele Beschäftigte inzwischen selbstverständlich geworden.",
        "Kollaborationswerkzeuge ersetzen zunehmend die klassische Abstimmung per E-Mail.",
        "Führungskräfte müssen lernen, Teams auf Distanz zu führen und Vertrauen aufzubauen.",
        "Moderne Büroflächen werden zu Orten der Begegnung und des kreativen Austauschs.",
        "Arbeiten 4.0 bedeutet auch, Weiterbildung als dauerhafte Aufgabe zu verstehen.",
        (
            "Eine gute technische Ausstattung ist die Voraussetzung für produktives Arbeiten"
            " im Homeoffice."
        ),
        "Klare Regeln zur Erreichbarkeit schützen vor einer Entgrenzung der Arbeitszeit.",
    ),
    "digital": (
        "Die Digitalisierung betrifft inzwischen nahezu alle Branchen und Lebensbereiche.",
        (
            "Städte und Regionen vernetzen ihre Infrastruktur, um Verkehr und Energie"
            " effizienter zu steuern."
        ),
        (
            "Offene Daten schaffen Transparenz und ermöglichen neue Anwendungen für Bürger und"
            " Unternehmen."
        ),
        (
            "Erfolgreiche Vorhaben verbinden technologische Innovation mit einem echten"
            " Mehrwert für die Menschen."
        ),
        (
            "Kooperationen zwischen Wirtschaft, Wissenschaft und Verwaltung beschleunigen"
            " die Entwicklung."
        ),
        "Nachhaltigkeit wird dabei zu einem zentralen Kriterium für IT-Entscheidungen.",
        "Veranstaltungen und Messen bieten eine gute Gelegenheit, Erfahrungen auszutauschen.",
        "Am Ende entscheidet die Akzeptanz der Nutzer über den Erfolg jeder digitalen Lösung.",
    ),
    "service": (
        "Kundinnen und Kunden erwarten heute schnelle Antworten auf allen Kanälen.",
        "Ein moderner Kundenservice verbindet Telefon, E-Mail, Chat und soziale Medien.",
        "Self-Service-Portale ermöglichen es, einfache Anliegen ohne Wartezeit zu klären.",
        "Die Auswertung von Serviceanfragen liefert wertvolle Hinweise für die Produktentwicklung.",
        (
            "Automatisierte Vorqualifizierung sorgt dafür, dass Anfragen direkt beim richtigen"
            " Ansprechpartner landen."
        ),
        "Zufriedene Kunden empfehlen ein Unternehmen deutlich häufiger weiter.",
        "Servicequalität lässt sich nur verbessern, wenn sie regelmäßig gemessen wird.",
    ),
    "company": (
        "Materna begleitet seit über vierzig Jahren Kunden aus Verwaltung und Wirtschaft.",
        "Unsere Beschäftigten bringen Erfahrung aus zahlreichen Digitalisierungsprojekten mit.",
        "Als Ausbildungsbetrieb bieten wir jedes Jahr jungen Menschen den Einstieg in IT-Berufe.",
        "Der Austausch mit Kunden und Partnern steht bei unseren Veranstaltungen im Mittelpunkt.",
        "Wir freuen uns über das große Interesse und den regen Austausch vor Ort.",
        "Auch im kommenden Jahr werden wir wieder mit eigenen Beiträgen vertreten sein.",
    ),
}

ENGLISH_SENTENCES: tuple[str, ...] = (
    "Public administrations across Europe are under pressure to offer their services online.",
    "Germany has set itself ambitious goals with the Online Access Act.",
    "Interoperable platforms allow authorities to share solutions instead of building them again.",
    "Citizens expect the same convenience from the public sector as from online shops.",
    "Secure digital identities are a key building block for trustworthy e-government.",
    "Cloud services operated in European data centres support digital sovereignty.",
    "Successful projects put users first and measure their satisfaction continuously.",
    "Cross-border cooperation helps to spread good practice throughout the European Union.",
)

COMMENTERS: tuple[str, ...] = (
    "Markus Vogel",
    "Anna Lehmann",
    "Peter Schulte",
    "Katrin Brandt",
)
