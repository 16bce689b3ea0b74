"""Reading time per lesson: words seen, not markup; whole minutes rounded up."""

import pytest

from app.content.reading import reading_minutes, word_count


def test_counts_the_words_a_reader_sees_not_the_markup():
    html = '<h2 id="a-b">Speak to them</h2><p>Don&#x27;t <a href="/x">rush</a>: self-harm, s.52.</p>'
    assert word_count(html) == 8  # Speak to them Don't rush self-harm s 52


@pytest.mark.parametrize(("words", "minutes"), [(0, 1), (1, 1), (200, 1), (201, 2), (1000, 5)])
def test_minutes_round_up_and_are_at_least_one(words, minutes):
    assert reading_minutes("<p>" + "word " * words + "</p>") == minutes
