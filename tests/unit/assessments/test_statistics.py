"""Item statistics: hand-computed Moodle figures, and rows == sums for the rollup path."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.assessments.scoring import ScoringOption, ScoringQuestion, score
from app.assessments.statistics import (
    AttemptScores,
    ItemSums,
    add,
    attempt_scores,
    item_observations,
    item_statistics,
    merge,
    option_shares,
    stats_from_sums,
    sums_from_attempts,
)


def attempts(*rows, keys):
    """Rows of 0/1 marks, every question worth 1 point."""
    return [AttemptScores({k: (float(m), 1.0) for k, m in zip(keys, row, strict=True)}) for row in rows]


# Dataset A: three 1-point questions, four attempts.
#        q1 q2 q3
#   A1    1  1  1
#   A2    1  0  1
#   A3    0  1  0
#   A4    0  0  0
DATASET_A = attempts((1, 1, 1), (1, 0, 1), (0, 1, 0), (0, 0, 0), keys=("q1", "q2", "q3"))


def test_good_item_hand_computed():
    # q1: x = 1,1,0,0 (mean .5); rest y = (q2+q3)/2 = 1,.5,.5,0 (mean .5)
    # dx = .5,.5,-.5,-.5   dy = .5,0,0,-.5
    # Sxy = .25+0+0+.25 = .5   Sxx = 1   Syy = .5
    # r = .5 / sqrt(1 * .5) = 1/sqrt(2) = 0.70711
    # sd = sqrt(Sxx / 3) = sqrt(1/3) = 0.57735
    # cov_max: sorted x 0,0,1,1 with sorted y 0,.5,.5,1 -> .25+0+0+.25 = .5 -> DE = 100%
    stats = item_statistics(DATASET_A)["q1"]
    assert stats.n == 4
    assert stats.facility == 0.5
    assert stats.sd == pytest.approx(0.5773503, abs=1e-7)
    assert stats.discrimination_index == pytest.approx(0.7071068, abs=1e-7)
    assert stats.discriminative_efficiency == pytest.approx(100.0)
    assert stats.flags == ()


def test_item_unrelated_to_the_rest_has_zero_discrimination():
    # q2: x = 1,0,1,0; y = (q1+q3)/2 = 1,1,0,0; dx = .5,-.5,.5,-.5; dy = .5,.5,-.5,-.5
    # Sxy = .25-.25-.25+.25 = 0 -> r = 0, DE = 0% (< 15%: flagged)
    stats = item_statistics(DATASET_A)["q2"]
    assert stats.discrimination_index == pytest.approx(0.0, abs=1e-12)
    assert stats.discriminative_efficiency == pytest.approx(0.0, abs=1e-9)
    assert stats.flags == ("low discriminative efficiency",)


# Dataset B:
#        a  b  c
#   B1   1  1  0
#   B2   1  1  0
#   B3   0  0  1
#   B4   1  0  1
DATASET_B = attempts((1, 1, 0), (1, 1, 0), (0, 0, 1), (1, 0, 1), keys="abc")


def test_mis_keyed_item_has_negative_discrimination():
    # c: x = 0,0,1,1 (mean .5); y = (a+b)/2 = 1,1,0,.5 (mean .625)
    # dx = -.5,-.5,.5,.5   dy = .375,.375,-.625,-.125
    # Sxy = -.1875-.1875-.3125-.0625 = -.75
    # Syy = .140625+.140625+.390625+.015625 = .6875
    # r = -.75 / sqrt(1 * .6875) = -.75 / .8291562 = -0.9045340
    # cov_max: sorted y 0,.5,1,1 -> dy -.625,-.125,.375,.375 with dx -.5,-.5,.5,.5
    #   = .3125+.0625+.1875+.1875 = .75 -> DE = 100 * -.75/.75 = -100%
    stats = item_statistics(DATASET_B)["c"]
    assert stats.facility == 0.5
    assert stats.discrimination_index == pytest.approx(-0.9045340, abs=1e-7)
    assert stats.discriminative_efficiency == pytest.approx(-100.0)
    assert stats.flags == ("negative discrimination", "low discriminative efficiency")


def test_rest_of_test_without_variance_leaves_discrimination_undefined():
    # a: x = 1,1,0,1 (mean .75); y = (b+c)/2 = .5,.5,.5,.5 -> Var(y) = 0 -> None
    # sd: deviations .25,.25,-.75,.25 -> squares .0625*3 + .5625 = .75; sqrt(.75/3) = .5
    stats = item_statistics(DATASET_B)["a"]
    assert stats.facility == 0.75
    assert stats.sd == pytest.approx(0.5)
    assert stats.discrimination_index is None
    assert stats.discriminative_efficiency is None
    assert stats.flags == ()


def test_second_item_of_dataset_b():
    # b: x = 1,1,0,0; y = (a+c)/2 = .5,.5,.5,1 (mean .625); dy = -.125,-.125,-.125,.375
    # Sxy = -.0625-.0625+.0625-.1875 = -.25; Syy = 3*.015625+.140625 = .1875
    # r = -.25 / sqrt(.1875) = -.25 / .4330127 = -0.5773503
    # cov_max: sorted x 0,0,1,1 with sorted y .5,.5,.5,1 -> .0625+.0625-.0625+.1875 = .25 -> -100%
    stats = item_statistics(DATASET_B)["b"]
    assert stats.discrimination_index == pytest.approx(-0.5773503, abs=1e-7)
    assert stats.discriminative_efficiency == pytest.approx(-100.0)


def test_too_easy_and_too_hard_items_are_flagged():
    # easy: 1,1,1 -> facility 1 > .95; hard: 0,0,0 -> facility 0 < .05; both zero variance
    rows = attempts((1, 0, 1), (1, 0, 0), (1, 0, 1), keys=("easy", "hard", "other"))
    stats = item_statistics(rows)
    assert stats["easy"].facility == 1.0
    assert stats["easy"].sd == 0.0
    assert stats["easy"].discrimination_index is None
    assert stats["easy"].flags == ("too easy",)
    assert stats["hard"].facility == 0.0
    assert stats["hard"].flags == ("too hard",)


def test_one_attempt_gives_facility_only():
    stats = item_statistics(attempts((1, 0), keys="ab"))["a"]
    assert (stats.n, stats.facility, stats.sd, stats.discrimination_index) == (1, 1.0, None, None)


def test_rest_of_test_is_a_fraction_of_the_other_questions_max():
    # a: x = 1/1; y = (1 + 2) / (3 + 2) = .6
    # b: x = 1/3; y = (1 + 2) / (1 + 2) = 1
    # c: x = 2/2; y = (1 + 1) / (1 + 3) = .5
    observed = item_observations(AttemptScores({"a": (1, 1), "b": (1, 3), "c": (2, 2)}))
    assert observed["a"] == pytest.approx((1.0, 0.6))
    assert observed["b"] == pytest.approx((1 / 3, 1.0))
    assert observed["c"] == pytest.approx((1.0, 0.5))


def test_questions_without_a_rest_of_test_or_without_points_are_skipped():
    assert item_observations(AttemptScores({"only": (1, 1)})) == {}
    assert set(item_observations(AttemptScores({"a": (0, 0), "b": (1, 1), "c": (0, 1)}))) == {
        "b",
        "c",
    }


def test_attempt_scores_from_a_score_result():
    questions = [
        ScoringQuestion("s", "single", 2.0, (ScoringOption("a", True), ScoringOption("b"))),
        ScoringQuestion("o", "ordering", 3.0, tuple(ScoringOption(k) for k in "xyz")),
    ]
    result = score(questions, {"s": "a", "o": ["x", "z", "y"]})
    # s: 2 of 2; o: only x in place -> 3 * 1/3 = 1 of 3
    scores = attempt_scores(result).question_scores
    assert scores["s"] == (2.0, 2.0)
    assert scores["o"] == pytest.approx((1.0, 3.0))


# --- sums -------------------------------------------------------------------------------


def test_stats_from_sums_hand_computed():
    # Dataset A, q1: x = 1,1,0,0; y = 1,.5,.5,0
    # n = 4, Sx = 2, Sx2 = 2, Sy = 2, Sy2 = 1+.25+.25 = 1.5, Sxy = 1+.5 = 1.5
    # Var x = (2 - 2*2/4)/3 = 1/3; Var y = (1.5 - 1)/3 = 1/6; Cov = (1.5 - 1)/3 = 1/6
    # r = (1/6) / sqrt(1/18) = 0.7071068
    sums = ItemSums(n=4, sum_x=2, sum_x2=2, sum_y=2, sum_y2=1.5, sum_xy=1.5, max_points=1)
    stats = stats_from_sums(sums)
    assert stats.facility == 0.5
    assert stats.sd == pytest.approx(math.sqrt(1 / 3))
    assert stats.discrimination_index == pytest.approx(0.7071068, abs=1e-7)
    assert stats.discriminative_efficiency is None  # needs the distributions, not sums


def test_add_accumulates_and_empty_sums_have_no_statistics():
    sums = add(add(ItemSums(max_points=2.0), 1.0, 0.5), 0.5, 1.0)
    assert sums == ItemSums(2, 1.5, 1.25, 1.5, 1.25, 1.0, 2.0)
    assert stats_from_sums(ItemSums()).facility is None


def test_merge_keeps_the_larger_max_points():
    assert merge(ItemSums(max_points=1.0), ItemSums(max_points=2.0)).max_points == 2.0


def test_option_shares_hand_computed():
    # 4 responses: a twice, b once, one blank -> a 2/4, b 1/4, c 0
    assert option_shares(["a", "b", "a", None], options="abc") == {"a": 0.5, "b": 0.25, "c": 0.0}
    # multiple: a in 2 of 3 responses, b in 1 of 3
    shares = option_shares([("a", "b"), ("a",), ()])
    assert shares == pytest.approx({"a": 2 / 3, "b": 1 / 3})
    assert option_shares([]) == {}


# --- properties: rows == sums, merge associative -----------------------------------------

QUESTION_KEYS = ("q1", "q2", "q3", "q4")


@st.composite
def attempt(draw):
    keys = draw(st.lists(st.sampled_from(QUESTION_KEYS), min_size=2, unique=True))
    scores = {}
    for key in keys:
        maximum = draw(st.sampled_from([1.0, 2.0]))
        scores[key] = (maximum * draw(st.integers(0, 4)) / 4, maximum)
    return AttemptScores(scores)


ATTEMPTS = st.lists(attempt(), max_size=25)


def assert_close(a, b):
    if a is None or b is None:
        assert a is b
    else:
        assert a == pytest.approx(b, abs=1e-9)


@given(ATTEMPTS)
def test_statistics_from_rows_equal_statistics_from_sums(rows):
    from_rows = item_statistics(rows)
    from_sums = {key: stats_from_sums(s) for key, s in sums_from_attempts(rows).items()}
    assert set(from_rows) == set(from_sums)
    for key, expected in from_rows.items():
        got = from_sums[key]
        assert got.n == expected.n
        assert_close(got.facility, expected.facility)
        assert_close(got.sd, expected.sd)
        assert_close(got.discrimination_index, expected.discrimination_index)
        assert got.discriminative_efficiency is None
        drop = "low discriminative efficiency"
        assert got.flags == tuple(flag for flag in expected.flags if flag != drop)


@given(ATTEMPTS, ATTEMPTS, ATTEMPTS)
def test_merge_is_associative_and_matches_one_pass(a, b, c):
    parts = [sums_from_attempts(rows) for rows in (a, b, c)]
    whole = sums_from_attempts(a + b + c)
    for key in whole:
        sa, sb, sc = (part.get(key, ItemSums()) for part in parts)
        left = merge(merge(sa, sb), sc)
        right = merge(sa, merge(sb, sc))
        for merged in (left, right):
            assert merged.n == whole[key].n
            for name in ("sum_x", "sum_x2", "sum_y", "sum_y2", "sum_xy"):
                assert getattr(merged, name) == pytest.approx(getattr(whole[key], name))
        assert merge(sa, sb) == merge(sb, sa)
