"""parse_date: machine-readable, German visible, relative and date-only forms."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pipelines.extract.dates import find_dates, parse_date

NOW = datetime(2024, 1, 10, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2018-11-28T10:15:00+01:00", datetime(2018, 11, 28, 9, 15, tzinfo=UTC)),
        ("2018-11-28T09:15:00Z", datetime(2018, 11, 28, 9, 15, tzinfo=UTC)),
        ("2018-11-28T10:15:00", datetime(2018, 11, 28, 9, 15, tzinfo=UTC)),  # local Berlin
        ("2018-07-01T10:15:00", datetime(2018, 7, 1, 8, 15, tzinfo=UTC)),  # summer time
        # date-only means midnight in Berlin
        ("2018-11-28", datetime(2018, 11, 27, 23, 0, tzinfo=UTC)),
        ("28. November 2018", datetime(2018, 11, 27, 23, 0, tzinfo=UTC)),
        ("28.11.2018", datetime(2018, 11, 27, 23, 0, tzinfo=UTC)),
        ("28. Nov. 2018", datetime(2018, 11, 27, 23, 0, tzinfo=UTC)),
        ("3. März 2019", datetime(2019, 3, 2, 23, 0, tzinfo=UTC)),
        ("November 28, 2018", datetime(2018, 11, 27, 23, 0, tzinfo=UTC)),
        ("28.11.2018, 14:30 Uhr", datetime(2018, 11, 28, 13, 30, tzinfo=UTC)),
        # DST edges: the day clocks go back (CEST until 03:00) and forward
        ("2018-10-28", datetime(2018, 10, 27, 22, 0, tzinfo=UTC)),
        ("2018-10-29", datetime(2018, 10, 28, 23, 0, tzinfo=UTC)),
        ("25.03.2018", datetime(2018, 3, 24, 23, 0, tzinfo=UTC)),
        ("26.03.2018", datetime(2018, 3, 25, 22, 0, tzinfo=UTC)),
        # relative to now
        ("vor 3 Tagen", datetime(2024, 1, 7, 12, 0, tzinfo=UTC)),
        ("vor einer Stunde", datetime(2024, 1, 10, 11, 0, tzinfo=UTC)),
        ("vor 2 Wochen", datetime(2023, 12, 27, 12, 0, tzinfo=UTC)),
        ("gestern", datetime(2024, 1, 9, 12, 0, tzinfo=UTC)),
        ("3 days ago", datetime(2024, 1, 7, 12, 0, tzinfo=UTC)),
        # nothing to parse
        ("", None),
        ("kein Datum", None),
        ("28.11.1850", None),
    ],
)
def test_parse_date(text: str, expected: datetime | None) -> None:
    assert parse_date(text, now=NOW) == expected


def test_other_timezone() -> None:
    assert parse_date("2020-06-01", timezone="America/New_York") == datetime(
        2020, 6, 1, 4, 0, tzinfo=UTC
    )


def test_results_are_utc_aware() -> None:
    found = parse_date("28. November 2018")
    assert found is not None
    assert found.utcoffset() is not None
    assert found.tzinfo == UTC


def test_find_dates_in_order() -> None:
    text = "Veröffentlicht am 28. November 2018, aktualisiert 01.12.2018 – vor 3 Tagen"
    assert find_dates(text) == ["28. November 2018", "01.12.2018", "vor 3 Tagen"]
