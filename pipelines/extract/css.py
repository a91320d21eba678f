"""A small CSS matcher over a page's element index, so a selector costs a dict
look-up plus a few checks instead of a scan of the whole tree.

Supported: type, ``.class``, ``#id``, ``[attr]``, ``[attr=v]``, ``[attr~=v]``,
``[attr*=v]``, ``[attr^=v]``, ``[attr$=v]``, ``:not(<compound>)``, and the
descendant (space) and child (``>``) combinators.  :func:`parse` returns None
for anything else; callers then fall back to lxml's ``CSSSelector``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from lxml.html import HtmlElement

PART = re.compile(
    r"(?P<comb>\s*>\s*|\s+)"
    r"|(?P<tag>[a-zA-Z][\w-]*|\*)"
    r"|\.(?P<cls>[\w-]+)"
    r"|#(?P<id>[\w-]+)"
    r"|\[(?P<attr>[\w:-]+)(?:(?P<op>[~*^$]?=)\s*(?P<q>[\"']?)(?P<value>[^\"'\]]*)(?P=q))?\]"
    r"|:not\((?P<not>[^()]*)\)"
)
ATTR_TESTS: dict[str, Callable[[str, str], bool]] = {
    "": lambda have, want: True,
    "=": lambda have, want: have == want,
    "~=": lambda have, want: want in have.split(),
    "*=": lambda have, want: want in have,
    "^=": lambda have, want: have.startswith(want),
    "$=": lambda have, want: have.endswith(want),
}


class Index:
    """Elements of one tree by class token and id (built at once) and by tag
    (on first use), each list in document order."""

    def __init__(self, root: HtmlElement):
        self.root = root
        self.by_class: dict[str, list[HtmlElement]] = {}
        self.by_id: dict[str, list[HtmlElement]] = {}
        self._by_tag: dict[str, list[HtmlElement]] = {}
        for el in root.xpath("//*[@class]"):
            for token in el.get("class").split():
                self.by_class.setdefault(token, []).append(el)
        for el in root.xpath("//*[@id]"):
            self.by_id.setdefault(el.get("id"), []).append(el)

    def tag(self, name: str) -> list[HtmlElement]:
        found = self._by_tag.get(name)
        if found is None:
            found = self._by_tag[name] = list(self.root.iter(name))
        return found

    def everything(self) -> list[HtmlElement]:
        return [el for el in self.root.iter() if isinstance(el.tag, str)]


@dataclass(frozen=True)
class Compound:
    tag: str | None = None
    classes: tuple[str, ...] = ()
    ident: str | None = None
    attrs: tuple[tuple[str, str, str], ...] = ()
    nots: tuple[Compound, ...] = ()

    def matches(self, el: HtmlElement) -> bool:
        if self.tag is not None and el.tag != self.tag:
            return False
        if self.ident is not None and el.get("id") != self.ident:
            return False
        if self.classes and not set(self.classes) <= set((el.get("class") or "").split()):
            return False
        for name, op, value in self.attrs:
            have = el.get(name)
            if have is None or not ATTR_TESTS[op](have, value):
                return False
        return not any(n.matches(el) for n in self.nots)

    def candidates(self, index: Index) -> list[HtmlElement]:
        if self.ident is not None:
            return index.by_id.get(self.ident, [])
        if self.classes:
            return min((index.by_class.get(c, []) for c in self.classes), key=len)
        if self.tag is not None:
            return index.tag(self.tag)
        return index.everything()


@dataclass(frozen=True)
class Complex:
    """The rightmost compound and, leftwards, (combinator, compound) pairs."""

    subject: Compound
    chain: tuple[tuple[str, Compound], ...]

    def select(self, index: Index) -> list[HtmlElement] | None:
        """The matches in the indexed tree, or None when the index cannot narrow
        the search (no class/id to look up: lxml's XPath scan is faster then)."""
        subject = self.subject
        if subject.ident or subject.classes or (subject.tag and not self.chain):
            pool = subject.candidates(index)
        elif self.chain and _keyed(self.chain[0][1]):
            pool = self._below_anchors(index)
        else:
            return None
        return [el for el in pool if self.matches(el)]

    def _below_anchors(self, index: Index) -> list[HtmlElement]:
        (combinator, compound), rest = self.chain[0], self.chain[1:]
        anchors = Complex(compound, rest).select(index) or []
        tag = self.subject.tag
        found = (a.iterchildren(tag) if combinator == ">" else a.iterdescendants(tag)
                 for a in anchors)  # fmt: skip
        return list(dict.fromkeys(el for group in found for el in group))

    def matches(self, el: HtmlElement) -> bool:
        return self.subject.matches(el) and _chain_holds(el, self.chain)


def _keyed(compound: Compound) -> bool:
    return compound.ident is not None or bool(compound.classes)


def _chain_holds(el: HtmlElement, chain: tuple[tuple[str, Compound], ...]) -> bool:
    if not chain:
        return True
    (combinator, compound), rest = chain[0], chain[1:]
    if combinator == ">":
        parent = el.getparent()
        return parent is not None and compound.matches(parent) and _chain_holds(parent, rest)
    return any(compound.matches(a) and _chain_holds(a, rest) for a in el.iterancestors())


def parse(selector: str) -> Complex | None:
    """``selector`` (one alternative, no commas) as a :class:`Complex`, or None."""
    compounds: list[Compound] = []
    combinators: list[str] = []
    parts: dict[str, list] = _empty()
    pos, text = 0, selector.strip()
    while pos < len(text):
        m = PART.match(text, pos)
        if m is None:
            return None
        pos = m.end()
        if m["comb"] is not None:
            if not _flush(parts, compounds):
                return None
            combinators.append(">" if ">" in m["comb"] else " ")
        elif not _add(parts, m):
            return None
    if not _flush(parts, compounds) or len(combinators) != len(compounds) - 1:
        return None
    chain = tuple(zip(reversed(combinators), reversed(compounds[:-1]), strict=True))
    return Complex(compounds[-1], chain)


def _empty() -> dict[str, list]:
    return {"tag": [], "cls": [], "id": [], "attr": [], "not": []}


def _add(parts: dict[str, list], m: re.Match[str]) -> bool:
    if m["tag"] is not None:
        parts["tag"].append(None if m["tag"] == "*" else m["tag"].lower())
    elif m["cls"] is not None:
        parts["cls"].append(m["cls"])
    elif m["id"] is not None:
        parts["id"].append(m["id"])
    elif m["attr"] is not None:
        parts["attr"].append((m["attr"].lower(), m["op"] or "", m["value"] or ""))
    else:
        negated = parse(m["not"])
        if negated is None or negated.chain:
            return False
        parts["not"].append(negated.subject)
    return True


def _flush(parts: dict[str, list], compounds: list[Compound]) -> bool:
    """Close the compound being read; False when it is empty."""
    if not any(parts.values()):
        return False
    compounds.append(
        Compound(
            tag=parts["tag"][0] if parts["tag"] else None,
            classes=tuple(parts["cls"]),
            ident=parts["id"][0] if parts["id"] else None,
            attrs=tuple(parts["attr"]),
            nots=tuple(parts["not"]),
        )
    )
    parts.update(_empty())
    return True
