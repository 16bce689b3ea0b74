"""The application's clock: UTC now, movable in tests that allow time travel."""

import time
from datetime import UTC, date, datetime, timedelta

_offset = timedelta(0)


def utcnow() -> datetime:
    """Current time in UTC (naive, as stored in the database), plus any test offset."""
    return (datetime.now(UTC) + _offset).replace(tzinfo=None)


def unix_time() -> float:
    """Seconds since the Unix epoch, plus any test offset: what TOTP codes are made from.

    Never `utcnow().timestamp()`: a naive datetime's timestamp() reads it as local time, which is
    wrong by the UTC offset on a server outside UTC (an hour in British Summer Time).
    """
    return time.time() + _offset.total_seconds()


def today() -> date:
    """Today's date in UTC."""
    return utcnow().date()


def travel(delta: timedelta) -> None:
    """Move the clock forward (tests and browser journeys with ALLOW_TIME_TRAVEL only)."""
    global _offset
    _offset += delta


def reset() -> None:
    """Put the clock back to real time."""
    global _offset
    _offset = timedelta(0)
