"""A small CSS matcher over a page's element index, so a selector costs a dict
look-up plus a few checks instead of a scan of the whole tree.

Supported: type, ``.class``, ``#id``, ``[attr]``, ``[attr=v]``, ``[attr~=v]``,
``[attr*=v]``, ``[attr^=v]``, ``[attr$=v]``, ``:not(<compound>)``, the
descendant (space) and child (``>``) combinators, and comma groups of such
selectors.  :func:`parse` returns None for anything else; callers then fall
back to lxml's ``CSSSelector``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any, cast

from lxml import etree
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

#: Attribute tests that lxml's CSS translation runs in XPath with the same meaning.
XPATH_SAME = frozenset({"", "=", "^=", "*="})

#: Attributes rare enough that the elements carrying them are a better pool than a tag's.
RARE_ATTRS = ("rel", "itemprop", "itemtype", "itemscope")
#: The rare attributes every page is asked about (``rel`` links, microdata properties);
#: the others are looked up when a selector first needs them.
ASKED_ATTRS = ("rel", "itemprop")
#: The attributes :class:`Index` keys elements by, of the root and its descendants.
KEYED_ATTRS = etree.XPath(
    " | ".join(f"descendant-or-self::*/@{name}" for name in ("class", "id", *ASKED_ATTRS))
)
CLASS_VALUES = etree.XPath("descendant-or-self::*/@class")
#: Every class token a selector's :class:`Compound` names, filled as compounds are
#: made: an :class:`Index` lists elements by these only (a block theme's element has
#: half a dozen layout classes no selector asks for).
SELECTOR_CLASSES: set[str] = set()


class Index:
    """Elements of one tree by class token, id and rare attribute, each list in
    document order, built from one XPath over those attributes (libxml2 walks the
    tree in C; only elements that carry one get a Python proxy).  Elements by tag
    are listed on first request.  ``found`` memoises whole-page selector results
    (see :meth:`Selector.on_page`)."""

    def __init__(self, root: HtmlElement):
        self.root = root
        self.by_tag: dict[str, list[HtmlElement]] = {}
        self._by_class: dict[str, list[HtmlElement]] = {}
        self._classes_known = len(SELECTOR_CLASSES)
        self.by_id: dict[str, list[HtmlElement]] = {}
        self.by_attr: dict[str, list[HtmlElement]] = {name: [] for name in ASKED_ATTRS}
        #: elements by ``rel`` token: a page's head holds dozens of ``<link rel>``
        #: that a ``[rel~=tag]`` test would otherwise go through one by one
        self.by_rel: dict[str, list[HtmlElement]] = {}
        self.found: dict[object, list[HtmlElement]] = {}
        by_class, by_id, by_attr, by_rel = self._by_class, self.by_id, self.by_attr, self.by_rel
        wanted = SELECTOR_CLASSES
        for value in KEYED_ATTRS(root):  # one loop, no calls inside: this runs for every value
            name = value.attrname
            if name == "class":
                el = None
                for token in value.split():
                    if token not in wanted:
                        continue
                    if el is None:
                        el = value.getparent()
                    if token in by_class:
                        by_class[token].append(el)
                    else:
                        by_class[token] = [el]
            elif name == "id":
                by_id.setdefault(str(value), []).append(value.getparent())
            else:
                el = value.getparent()
                by_attr[name].append(el)
                if name == "rel":
                    for token in dict.fromkeys(value.split()):
                        by_rel.setdefault(token, []).append(el)

    @property
    def by_class(self) -> dict[str, list[HtmlElement]]:
        """Elements by class token, for every token of :data:`SELECTOR_CLASSES`
        that the tree has; listed again when selectors made since named more."""
        if self._classes_known != len(SELECTOR_CLASSES):
            self._classes_known = len(SELECTOR_CLASSES)
            self._by_class = _by_class(CLASS_VALUES(self.root))
        return self._by_class

    def tag(self, name: str) -> list[HtmlElement]:
        found = self.by_tag.get(name)
        if found is None:
            found = self.by_tag[name] = list(self.root.iter(name))
        return found

    def attr(self, name: str) -> list[HtmlElement]:
        """Elements that carry attribute ``name``."""
        found = self.by_attr.get(name)
        if found is None:
            found = self.by_attr[name] = self.root.xpath(f"//*[@{name}]")
        return found


def _by_class(values: list[Any]) -> dict[str, list[HtmlElement]]:
    """Elements by class token from their ``class`` attributes (smart strings)."""
    found: dict[str, list[HtmlElement]] = {}
    for value in values:
        for token in value.split():
            if token in SELECTOR_CLASSES:
                found.setdefault(token, []).append(value.getparent())
    return found


@dataclass(frozen=True)
class Compound:
    tag: str | None = None
    classes: tuple[str, ...] = ()
    ident: str | None = None
    attrs: tuple[tuple[str, str, str], ...] = ()
    nots: tuple[Compound, ...] = ()

    def __post_init__(self) -> None:
        SELECTOR_CLASSES.update(self.classes)

    def matches(self, el: HtmlElement) -> bool:
        if self.tag is not None and el.tag != self.tag:
            return False
        if self.ident is not None and el.get("id") != self.ident:
            return False
        if self.classes:
            tokens = (el.get("class") or "").split()
            for token in self.classes:  # loops, not any(): this runs for every candidate
                if token not in tokens:
                    return False
        for name, op, value in self.attrs:
            have = el.get(name)
            if have is None or not ATTR_TESTS[op](have, value):
                return False
        return not self.nots or not any(negated.matches(el) for negated in self.nots)

    def candidates(self, index: Index, chained: bool) -> list[HtmlElement] | None:
        """A pool holding every match, or None when the index cannot narrow it."""
        if self.ident is not None:
            return index.by_id.get(self.ident, [])
        if len(self.classes) == 1:
            return index.by_class.get(self.classes[0], [])
        if self.classes:
            return min((index.by_class.get(c, []) for c in self.classes), key=len)
        rel, rare = self._rel_and_rare
        if rel is not None:
            return index.by_rel.get(rel, [])
        if rare is not None:
            return index.attr(rare)
        if self.tag is not None and not chained and not self.in_c:
            return index.tag(self.tag)
        return None

    @cached_property
    def _rel_and_rare(self) -> tuple[str | None, str | None]:
        """The token of a ``[rel~=token]`` test, and the first attribute tested that
        :data:`RARE_ATTRS` lists (any attribute, for a compound without a tag)."""
        rel = next((value for name, op, value in self.attrs if name == "rel" and op == "~="), None)
        rare = [name for name, _, _ in self.attrs if name in RARE_ATTRS or self.tag is None]
        return rel, rare[0] if rare else None

    def below(self, el: HtmlElement) -> list[HtmlElement]:
        """Matches among ``el`` and its descendants, in document order (needs a tag)."""
        return [found for found in el.iter(self.tag) if self.matches(found)]

    @cached_property
    def in_c(self) -> bool:
        """True when lxml's XPath finds the matches faster than a test of each
        element of the tag: attribute tests whose XPath means exactly what
        :data:`ATTR_TESTS` mean (``a[href]``, ``meta[content]``; not ``~=``, which
        XPath splits on fewer kinds of white space)."""
        tests = [op for _, op, _ in self.attrs]
        return bool(tests) and not self.nots and all(op in XPATH_SAME for op in tests)

    @property
    def keyed(self) -> bool:
        return self.ident is not None or bool(self.classes)

    @cached_property
    def single_key(self) -> bool:
        """True when the pool :meth:`candidates` gives is exactly the matches."""
        return not (self.tag or self.attrs or self.nots) and (
            (self.ident is not None and not self.classes)
            or (self.ident is None and len(self.classes) == 1)
        )

    @cached_property
    def exact_pool(self) -> bool:
        """True when the pool :meth:`candidates` gives unchained is exactly the
        matches: one class or id alone, or a tag alone (``h1``)."""
        bare_tag = self.tag is not None and not (self.classes or self.ident or self.attrs)
        return self.single_key or (bare_tag and not self.nots)


@dataclass(frozen=True)
class Complex:
    """The rightmost compound and, leftwards, (combinator, compound) pairs."""

    subject: Compound
    chain: tuple[tuple[str, Compound], ...]

    def select(self, index: Index) -> list[HtmlElement] | None:
        """The matches in the indexed tree, or None when the index cannot narrow
        the search (no class/id to look up: lxml's XPath scan is faster then)."""
        pool = self.subject.candidates(index, bool(self.chain))
        if pool is None:
            if not (self.chain and self.chain[0][1].keyed):
                return None
            pool = self._below_anchors(index)
        elif not self.chain:
            if self.subject.exact_pool:
                return list(pool)
        elif len(pool) > 1 and self._one_anchor(index):
            # ``.post-content > .widget-container``: the one anchor's children
            # are fewer than every widget's container, and in document order
            pool = self._below_anchors(index)
        return [el for el in pool if self.matches(el)] if pool else []

    def _one_anchor(self, index: Index) -> bool:
        """At most one element has what the compound left of the subject needs."""
        anchor = self.chain[0][1]
        pool = anchor.candidates(index, True) if anchor.keyed else None
        return pool is not None and len(pool) <= 1

    @property
    def lookup(self) -> tuple[bool, str] | None:
        """(True, class) or (False, id) when the index's list for that class or id
        is exactly the matches (``.entry-content``, ``#comments``), else None."""
        if self.chain or not self.subject.single_key:
            return None
        if self.subject.ident is not None:
            return False, self.subject.ident
        return True, self.subject.classes[0]

    def _below_anchors(self, index: Index) -> list[HtmlElement]:
        (combinator, compound), rest = self.chain[0], self.chain[1:]
        anchors = Complex(compound, rest).select(index) or []
        if not anchors:
            return []
        tag = self.subject.tag
        found = (a.iterchildren(tag) if combinator == ">" else a.iterdescendants(tag)
                 for a in anchors)  # fmt: skip
        return list(dict.fromkeys(el for group in found for el in group))

    def matches(self, el: HtmlElement) -> bool:
        return self.subject.matches(el) and _chain_holds(el, self.chain)

    def needs(self) -> tuple[frozenset[str], frozenset[str]]:
        """The classes and ids some element of the tree must have for a match."""
        compounds = [self.subject, *(compound for _, compound in self.chain)]
        classes = frozenset(c for compound in compounds for c in compound.classes)
        return classes, frozenset(c.ident for c in compounds if c.ident is not None)


@dataclass(frozen=True)
class Group:
    """Comma-separated selectors: their union in document order."""

    parts: tuple[Complex, ...]

    def select(self, index: Index) -> list[HtmlElement] | None:
        results = [part.select(index) for part in self.parts]
        if any(found is None for found in results):
            return None
        filled = [found for found in results if found]
        if len(filled) <= 1:
            return filled[0] if filled else []
        tags = {part.subject.tag for part in self.parts}
        if len(tags) != 1 or None in tags:
            return None  # no cheap document order to merge in
        union = {el for found in filled for el in found}
        return [el for el in index.tag(cast(str, tags.pop())) if el in union]

    def needs(self) -> tuple[frozenset[str], frozenset[str]]:
        """What every part needs: a page lacking it matches none of them."""
        needs = [part.needs() for part in self.parts]
        return (frozenset.intersection(*(classes for classes, _ in needs)),
                frozenset.intersection(*(ids for _, ids in needs)))  # fmt: skip


def _chain_holds(el: HtmlElement, chain: tuple[tuple[str, Compound], ...]) -> bool:
    if not chain:
        return True
    (combinator, compound), rest = chain[0], chain[1:]
    if combinator == ">":
        parent = el.getparent()
        return parent is not None and compound.matches(parent) and _chain_holds(parent, rest)
    for ancestor in el.iterancestors():
        if compound.matches(ancestor) and _chain_holds(ancestor, rest):
            return True
    return False


def parse(selector: str) -> Complex | Group | None:
    """``selector`` (one alternative) as a :class:`Complex` (a :class:`Group`
    when it has commas), or None."""
    if "," in selector:
        parts = [_complex(part) for part in selector.split(",")]
        return Group(tuple(parts)) if all(parts) else None  # type: ignore[arg-type]
    return _complex(selector)


def _complex(selector: str) -> Complex | None:
    compounds: list[Compound] = []
    combinators: list[str] = []
    parts: dict[str, list[Any]] = _empty()
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


def _empty() -> dict[str, list[Any]]:
    return {"tag": [], "cls": [], "id": [], "attr": [], "not": []}


def _add(parts: dict[str, list[Any]], m: re.Match[str]) -> bool:
    if m["tag"] is not None:
        parts["tag"].append(None if m["tag"] == "*" else m["tag"].lower())
    elif m["cls"] is not None:
        parts["cls"].append(m["cls"])
    elif m["id"] is not None:
        parts["id"].append(m["id"])
    elif m["attr"] is not None:
        parts["attr"].append((m["attr"].lower(), m["op"] or "", m["value"] or ""))
    else:
        negated = _complex(m["not"])
        if negated is None or negated.chain:
            return False
        parts["not"].append(negated.subject)
    return True


def _flush(parts: dict[str, list[Any]], compounds: list[Compound]) -> bool:
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
