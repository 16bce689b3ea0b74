"""Drawing questions and shuffling options: stratified, deterministic per seed."""

import math
import random
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.assessments.drawing import allocate, draw_questions, shuffled_options


def bank_of(*sizes_by_tag):
    """[("a", 5), ("b", 3)] -> five questions tagged a, three tagged b (plus a second tag)."""
    return [(f"{tag}-{i}", (tag, "common")) for tag, size in sizes_by_tag for i in range(size)]


def first_tags(bank, keys):
    """Count drawn keys per stratum (first tag, or None when untagged)."""
    tag_of = {key: (tags[0] if tags else None) for key, tags in bank}
    return Counter(tag_of[key] for key in keys)


# --- allocation, hand-computed ------------------------------------------------------------


def test_largest_remainder_breaks_ties_at_random():
    # sizes 5, 3, 2 of 10, n = 5: quotas 2.5, 1.5, 1.0 -> floors 2, 1, 1 (4 seats);
    # remainders .5, .5, 0 -> the last seat goes to the first or the second stratum.
    seen = {tuple(allocate([5, 3, 2], 5, random.Random(seed))) for seed in range(60)}
    assert seen == {(3, 1, 1), (2, 2, 1)}


def test_every_stratum_gets_a_seat_when_n_allows():
    # sizes 8, 1, 1, n = 3: quotas 2.4, .3, .3 -> floors 2, 0, 0; remainder .4 wins -> 3, 0, 0;
    # n >= 3 strata, so the two empty strata each take a seat from the first -> 1, 1, 1.
    assert allocate([8, 1, 1], 3, random.Random(0)) == [1, 1, 1]


def test_small_strata_may_go_without_when_n_is_too_small():
    # sizes 8, 1, 1, n = 2: quotas 1.6, .2, .2 -> floors 1, 0, 0; remainder .6 wins -> 2, 0, 0.
    assert allocate([8, 1, 1], 2, random.Random(0)) == [2, 0, 0]


def test_the_seat_is_taken_from_the_most_over_represented_stratum():
    # sizes 6, 3, 1, n = 5: quotas 3.0, 1.5, 0.5 -> floors 3, 1, 0; remainders 0, .5, .5 tie.
    # If the tie goes to the second stratum (3, 2, 0), the third needs a seat: the second is
    # over quota by .5, the first by 0, so the second gives it up. Either way: 3, 1, 1.
    for seed in range(30):
        assert allocate([6, 3, 1], 5, random.Random(seed)) == [3, 1, 1]


# --- draw_questions -----------------------------------------------------------------------


@pytest.mark.parametrize("n", [None, 10, 11, 100])
def test_all_questions_in_bank_order_when_n_is_none_or_covers_the_bank(n):
    bank = bank_of(("a", 5), ("b", 3), ("c", 2))
    assert draw_questions(bank, n, seed=7) == tuple(key for key, _ in bank)


def test_draw_is_stratified_by_first_tag():
    bank = bank_of(("a", 8), ("b", 1), ("c", 1))
    for seed in range(20):
        assert first_tags(bank, draw_questions(bank, 3, seed)) == {"a": 1, "b": 1, "c": 1}


def test_untagged_questions_form_their_own_stratum():
    bank = [("t1", ("x",)), ("t2", ("x",)), ("u1", ()), ("u2", ())]
    # quotas 1, 1 -> one tagged, one untagged
    for seed in range(20):
        drawn = draw_questions(bank, 2, seed)
        assert sum(key.startswith("u") for key in drawn) == 1


def test_bank_without_tags_is_a_simple_sample():
    bank = [(f"q{i}", ()) for i in range(10)]
    drawn = draw_questions(bank, 4, seed=3)
    assert len(set(drawn)) == 4


@pytest.mark.parametrize("n", [0, -1])
def test_n_below_one_is_rejected(n):
    with pytest.raises(ValueError, match="at least 1"):
        draw_questions(bank_of(("a", 3)), n, seed=1)


def test_duplicate_keys_in_bank_are_rejected():
    with pytest.raises(ValueError, match="duplicate"):
        draw_questions([("q", ()), ("q", ())], 1, seed=1)


BANKS = st.lists(st.sampled_from(["a", "b", "c", "d", None]), min_size=1, max_size=30).map(
    lambda tags: [(f"q{i}", (tag, "extra") if tag else ()) for i, tag in enumerate(tags)]
)


@given(BANKS, st.integers(1, 30), st.integers(0, 2**63))
def test_draw_is_deterministic_distinct_and_from_the_bank(bank, n, seed):
    drawn = draw_questions(bank, n, seed)
    assert drawn == draw_questions(bank, n, seed)
    assert len(drawn) == min(n, len(bank))
    assert len(set(drawn)) == len(drawn)
    keys = [key for key, _ in bank]
    assert list(drawn) == [key for key in keys if key in set(drawn)]  # bank order


@given(BANKS, st.integers(1, 30), st.integers(0, 2**63))
def test_draw_covers_every_tag_when_n_allows_and_stays_proportional(bank, n, seed):
    if n >= len(bank):
        return
    sizes = Counter(tags[0] if tags else None for _, tags in bank)
    drawn = first_tags(bank, draw_questions(bank, n, seed))
    if n >= len(sizes):
        assert set(drawn) == set(sizes)
    for tag, count in drawn.items():
        assert count <= math.ceil(n * sizes[tag] / len(bank))


# --- shuffled_options ---------------------------------------------------------------------


def test_two_options_are_always_swapped():
    for seed in range(20):
        assert shuffled_options(["a", "b"], seed, "q") == ("b", "a")


def test_one_option_is_left_alone():
    assert shuffled_options(["a"], 5, "q") == ("a",)


def test_duplicate_option_keys_are_rejected():
    with pytest.raises(ValueError, match="duplicate"):
        shuffled_options(["a", "a"], 1, "q")


def test_order_varies_with_seed_and_question():
    keys = list("abcde")
    by_seed = {shuffled_options(keys, seed, "q") for seed in range(30)}
    by_question = {shuffled_options(keys, 1, f"q{i}") for i in range(30)}
    assert len(by_seed) > 10
    assert len(by_question) > 10


@given(
    st.lists(st.text(min_size=1, max_size=4), min_size=2, max_size=9, unique=True),
    st.integers(0, 2**63),
    st.text(max_size=10),
)
def test_shuffle_is_a_deterministic_permutation_never_in_authored_order(keys, seed, question):
    shown = shuffled_options(keys, seed, question)
    assert shown == shuffled_options(tuple(keys), seed, question)
    assert sorted(shown) == sorted(keys)
    assert list(shown) != keys


# --- avoiding the previous attempt's questions ----------------------------------------------


@pytest.mark.parametrize("seed", range(20))
def test_nothing_to_avoid_draws_as_before(seed):
    bank = bank_of(("a", 12), ("b", 8), ("c", 5))
    assert draw_questions(bank, 10, seed, avoid=()) == draw_questions(bank, 10, seed)


@pytest.mark.parametrize("seed", range(20))
def test_previous_questions_are_avoided_where_the_bank_allows(seed):
    bank = bank_of(("a", 12), ("b", 8), ("c", 5))
    first = draw_questions(bank, 10, seed)
    second = draw_questions(bank, 10, seed + 1000, avoid=first)
    assert not set(first) & set(second)
    # The same seats per stratum as without anything to avoid.
    assert first_tags(bank, second) == first_tags(bank, draw_questions(bank, 10, seed + 1000))


@pytest.mark.parametrize("seed", range(20))
def test_a_stratum_too_small_to_avoid_repeats_takes_every_unseen_question_first(seed):
    bank = bank_of(("a", 6), ("b", 2))
    avoid = {"a-0", "a-1", "a-2", "a-3", "b-0"}
    drawn = draw_questions(bank, 6, seed, avoid=avoid)
    seats = first_tags(bank, draw_questions(bank, 6, seed))
    assert first_tags(bank, drawn) == seats
    # Every unseen question of a stratum is drawn before any seen one.
    for tag in ("a", "b"):
        unseen = {key for key, tags in bank if tags[0] == tag and key not in avoid}
        in_stratum = {key for key in drawn if key.startswith(f"{tag}-")}
        assert unseen <= in_stratum or in_stratum <= unseen


def test_avoid_may_name_keys_no_longer_in_the_bank():
    bank = bank_of(("a", 4))
    assert len(draw_questions(bank, 2, 3, avoid={"gone-1", "a-0"})) == 2
    assert "a-0" not in draw_questions(bank, 2, 3, avoid={"gone-1", "a-0"})
