"""One post contract: the record types of ``blog.post`` and ``pipelines.schema`` agree
with the Arrow schema, and every list of field names is one of theirs.

A field added to :class:`blog.post.Post` and not to :data:`pipelines.schema.COLUMNS`
(or the other way round), a type that disagrees (a list that is a string, a
timestamp that is an int), or a list naming a field that does not exist fails here.
"""

from __future__ import annotations

import ast
import dataclasses
import inspect
import re
import types
from datetime import datetime
from typing import Any, Union, get_args, get_origin, get_type_hints, is_typeddict

import pyarrow as pa
import pytest

from blog import post as contract
from blog.post import REQUIRED_FIELDS, PageFields, Post
from crawler.settings import HEALTH_COVERAGE_FLOORS
from pipelines import schema
from pipelines.archive.events import Event
from pipelines.archive.index import STATE_COLUMNS
from pipelines.extract.post import COMPARED, IMAGE_PARTS
from pipelines.health import COVERED_FIELDS
from pipelines.report.archive import POST_COLUMNS, VERSION_COLUMNS
from pipelines.schema import COLUMN_NAMES, COLUMNS, PAGE_FIELDS, VersionRow
from tests.support.crawl import REPO

ROW_HINTS = get_type_hints(VersionRow)
SCALARS = {
    str: pa.types.is_string,
    int: pa.types.is_integer,
    float: pa.types.is_floating,
    bool: pa.types.is_boolean,
}


def _optional(hint: Any) -> tuple[Any, bool]:
    """``hint`` without ``None``, and whether it admitted None."""
    if get_origin(hint) in (Union, types.UnionType) and type(None) in get_args(hint):
        rest = [arg for arg in get_args(hint) if arg is not type(None)]
        assert len(rest) == 1, f"{hint}: one type or None"
        return rest[0], True
    return hint, False


def mismatch(hint: Any, arrow: pa.DataType) -> str | None:
    """Why the Python type ``hint`` and the Arrow type ``arrow`` disagree, or None."""
    hint, _ = _optional(hint)
    args = get_args(hint)
    if hint is datetime:
        agrees = pa.types.is_timestamp(arrow) and arrow.tz == "UTC"
    elif hint in SCALARS:
        agrees = SCALARS[hint](arrow)
    elif get_origin(hint) is list and pa.types.is_list(arrow):
        return mismatch(args[0], arrow.value_type)
    elif get_origin(hint) is dict and pa.types.is_map(arrow):
        return mismatch(args[0], arrow.key_type) or mismatch(args[1], arrow.item_type)
    elif is_typeddict(hint) and pa.types.is_struct(arrow):
        return _struct_mismatch(hint, arrow)
    else:
        agrees = False
    return None if agrees else f"{hint} is not {arrow}"


def _struct_mismatch(record: Any, arrow: pa.StructType) -> str | None:
    hints = get_type_hints(record)
    names = [arrow.field(i).name for i in range(arrow.num_fields)]
    if list(hints) != names:
        return f"{record.__name__} has {list(hints)}, the struct {names}"
    for name, hint in hints.items():
        field = arrow.field(name)
        if _optional(hint)[1] and not field.nullable:
            return f"{record.__name__}.{name} may be None, the struct's field may not"
        if problem := mismatch(hint, field.type):
            return f"{record.__name__}.{name}: {problem}"
    return None


def test_the_page_fields_are_the_first_columns_in_their_order() -> None:
    assert COLUMN_NAMES[: len(PAGE_FIELDS)] == PAGE_FIELDS
    assert "field_sources" in get_type_hints(Post)
    assert "field_sources" not in PAGE_FIELDS


def test_every_column_is_a_field_of_the_archived_row_and_every_field_a_column() -> None:
    assert sorted(ROW_HINTS) == sorted(COLUMN_NAMES)
    assert len(COLUMN_NAMES) == len(set(COLUMN_NAMES))


@pytest.mark.parametrize("column", COLUMNS, ids=lambda c: c.name)
def test_each_column_has_the_type_of_its_field(column: schema.Column) -> None:
    assert mismatch(ROW_HINTS[column.name], column.type) is None


@pytest.mark.parametrize("column", COLUMNS, ids=lambda c: c.name)
def test_a_column_is_nullable_when_its_field_may_be_none_and_is_not_required(
    column: schema.Column,
) -> None:
    may_be_none = _optional(ROW_HINTS[column.name])[1]
    assert column.nullable == (may_be_none and column.name not in REQUIRED_FIELDS)


@pytest.mark.parametrize(
    ("hint", "arrow"),
    [
        (str, pa.int64()),
        (int, pa.string()),
        (datetime, pa.int64()),
        (datetime, pa.timestamp("us")),
        (list[str], pa.string()),
        (list[str], pa.list_(pa.int32())),
        (dict[str, str], pa.map_(pa.string(), pa.int64())),
        (contract.Author, pa.struct([pa.field("name", pa.string())])),
        (contract.BodyLink, pa.struct([pa.field("text", pa.string()), ("url", pa.string())])),
        (
            contract.Author,
            pa.struct(
                [
                    pa.field("name", pa.string()),
                    pa.field("url", pa.string(), nullable=False),
                    pa.field("bio", pa.string()),
                ]
            ),
        ),
    ],
)
def test_the_check_catches_types_that_disagree(hint: Any, arrow: pa.DataType) -> None:
    assert mismatch(hint, arrow) is not None


def test_required_fields_are_page_fields_stored_in_non_nullable_columns() -> None:
    nullable = {c.name for c in COLUMNS if c.nullable}
    assert set(REQUIRED_FIELDS) <= set(PAGE_FIELDS) - nullable


@pytest.mark.parametrize(
    ("name", "names", "within"),
    [
        ("NAVIGATION_FIELDS", schema.NAVIGATION_FIELDS, PAGE_FIELDS),
        ("CONTENT_FIELDS", schema.CONTENT_FIELDS, PAGE_FIELDS),
        ("health.COVERED_FIELDS", tuple(COVERED_FIELDS), PAGE_FIELDS),
        ("HEALTH_COVERAGE_FLOORS", tuple(HEALTH_COVERAGE_FLOORS), tuple(COVERED_FIELDS)),
        ("extract.post.COMPARED", COMPARED, PAGE_FIELDS),
        ("report POST_COLUMNS", POST_COLUMNS, COLUMN_NAMES),
        ("report VERSION_COLUMNS", VERSION_COLUMNS, COLUMN_NAMES),
        ("index.STATE_COLUMNS", STATE_COLUMNS, COLUMN_NAMES),
    ],
)
def test_every_list_of_fields_names_fields_of_the_contract(
    name: str, names: tuple[str, ...], within: tuple[str, ...]
) -> None:
    assert set(names) <= set(within), f"{name} names {set(names) - set(within)}"


def test_the_image_parts_are_the_image_record() -> None:
    assert tuple(get_type_hints(contract.Image)) == IMAGE_PARTS


def test_an_event_is_a_row_of_the_event_schema() -> None:
    assert [f.name for f in dataclasses.fields(Event)] == schema.EVENT_SCHEMA.names


def _field_docs(*records: type) -> dict[str, str]:
    """Each field's docstring (the string under its annotation), whitespace collapsed."""
    docs: dict[str, str] = {}
    for record in records:
        body = ast.parse(inspect.getsource(record)).body[0]
        assert isinstance(body, ast.ClassDef)
        for annotation, doc in zip(body.body, body.body[1:], strict=False):
            if isinstance(annotation, ast.AnnAssign) and isinstance(annotation.target, ast.Name):
                assert isinstance(doc, ast.Expr), f"{annotation.target.id} has no docstring"
                docs[annotation.target.id] = " ".join(doc.value.value.split())  # type: ignore[attr-defined]
    return docs


def test_every_field_is_documented_once_and_the_readme_says_the_same() -> None:
    docs = _field_docs(PageFields, Post, VersionRow)
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    table = dict(
        re.findall(r"^\| `(\w+)` \| `[^`]+` \| (?:yes|no) \| (.*) \|$", readme, re.MULTILINE)
    )
    assert list(docs) == list(ROW_HINTS)
    assert table == docs
    for record in (contract.Author, contract.Image, contract.RelatedLink, contract.BodyLink):
        assert list(_field_docs(record)) == list(get_type_hints(record))
