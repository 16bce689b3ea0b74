"""The plural, date and time helpers every page, flash, email and PDF uses (app.formatting)."""

import subprocess
import sys
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from app.formatting import plural, uk_date, uk_datetime, uk_time


@pytest.mark.parametrize(
    ("count", "args", "expected"),
    [
        (1, ("officer",), "1 officer"),
        (3, ("officer",), "3 officers"),
        (0, ("officer",), "0 officers"),
        (1, ("new team",), "1 new team"),
        (2, ("new team",), "2 new teams"),
        (1234, ("officer",), "1,234 officers"),
        (2, ("person", "people"), "2 people"),
        (1, ("person", "people"), "1 person"),
    ],
)
def test_plural_agrees_with_the_count(count, args, expected):
    assert plural(count, *args) == expected


def test_dates_have_no_leading_zero():
    assert uk_date(date(2026, 12, 2)) == "2 December 2026"
    assert uk_date(date(2026, 12, 2), short=True) == "2 Dec 2026"


def test_a_datetime_gives_its_date_in_the_uk():
    # 23:30 UTC on 30 June is 00:30 on 1 July in British Summer Time.
    assert uk_date(datetime(2026, 6, 30, 23, 30)) == "1 July 2026"
    # In winter (GMT) UK time is UTC.
    assert uk_date(datetime(2026, 12, 31, 23, 30)) == "31 December 2026"


def test_naive_times_are_utc_and_shown_in_uk_time_in_summer():
    assert uk_datetime(datetime(2026, 7, 2, 14, 5)) == "2 July 2026, 3:05pm (UK time)"


def test_winter_times_are_gmt():
    assert uk_datetime(datetime(2026, 12, 2, 15, 5)) == "2 December 2026, 3:05pm (UK time)"


def test_aware_times_are_converted():
    new_york = timezone(timedelta(hours=-5))
    moment = datetime(2026, 12, 2, 10, 5, tzinfo=new_york)  # 15:05 UTC
    assert uk_datetime(moment) == "2 December 2026, 3:05pm (UK time)"
    assert uk_datetime(datetime(2026, 12, 2, 15, 5, tzinfo=UTC)) == "2 December 2026, 3:05pm (UK time)"


def test_midnight_crosses_the_date_in_summer():
    assert uk_datetime(datetime(2026, 6, 30, 23, 0)) == "1 July 2026, midnight (UK time)"


def test_the_clock_change_days():
    # 29 March 2026: clocks go forward at 01:00 UTC; 25 October 2026: back at 01:00 UTC.
    assert uk_time(datetime(2026, 3, 29, 0, 59)) == "12:59am"
    assert uk_time(datetime(2026, 3, 29, 1, 0)) == "2am"
    assert uk_time(datetime(2026, 10, 25, 0, 30)) == "1:30am"
    assert uk_time(datetime(2026, 10, 25, 1, 30)) == "1:30am"


@pytest.mark.parametrize(
    ("utc", "expected"),
    [
        (datetime(2026, 12, 2, 0, 0), "midnight"),
        (datetime(2026, 12, 2, 12, 0), "midday"),
        (datetime(2026, 12, 2, 9, 0), "9am"),
        (datetime(2026, 12, 2, 0, 1), "12:01am"),
        (datetime(2026, 12, 2, 12, 30), "12:30pm"),
        (datetime(2026, 12, 2, 23, 59), "11:59pm"),
    ],
)
def test_times_read_as_govuk_writes_them(utc, expected):
    assert uk_time(utc) == expected


def test_seconds_when_asked_for():
    assert uk_time(datetime(2026, 12, 2, 15, 5, 9), seconds=True) == "3:05:09pm"
    assert uk_time(datetime(2026, 12, 2, 0, 0, 0), seconds=True) == "12:00:00am"


def test_short_and_unlabelled_forms():
    moment = datetime(2026, 12, 2, 15, 5)
    assert uk_datetime(moment, short=True) == "2 Dec 2026, 3:05pm (UK time)"
    assert uk_datetime(moment, label=False) == "2 December 2026, 3:05pm"


def test_none_is_empty():
    assert uk_date(None) == ""
    assert uk_time(None) == ""
    assert uk_datetime(None) == ""


def test_module_imports_without_flask():
    code = (
        "import sys; import app.formatting\n"
        "assert not [m for m in sys.modules if m.split('.')[0] == 'flask']\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
