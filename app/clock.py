"""The application's clock: UTC now, movable in tests that allow time travel."""

from datetime import UTC, date, datetime, timedelta

_offset = timedelta(0)


def utcnow() -> datetime:
    """Current time in UTC (naive, as stored in the database), plus any test offset."""
    return (datetime.now(UTC) + _offset).replace(tzinfo=None)


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
