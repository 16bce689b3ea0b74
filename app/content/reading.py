"""Reading time of a lesson from its rendered HTML (pure)."""

import re
from html import unescape

WORDS_PER_MINUTE = 200  # a common figure for adult reading of instructional text
_TAG = re.compile(r"<[^>]+>")
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


def word_count(html: str) -> int:
    """Words a reader sees in sanitised lesson HTML (tags removed, entities decoded)."""
    return len(_WORD.findall(unescape(_TAG.sub(" ", html))))


def reading_minutes(html: str, words_per_minute: int = WORDS_PER_MINUTE) -> int:
    """Whole minutes to read, rounded up, at least 1."""
    return max(1, -(-word_count(html) // words_per_minute))
