"""The knowledge gaps' ranking (queries._gaps) against a plain reading of its definition: every
question's statistics from stats_from_sums, each tag's sums added with merge() in the rows'
order. _gaps works a question's discrimination out only for those it lists and adds a tag's sums
in place; the figures must come out the same, to the last bit."""

from hypothesis import given, settings
from hypothesis import strategies as st

from app.assessments.statistics import ItemSums, merge, stats_from_sums
from app.metrics.queries import MIN_OFFICERS, QuestionGap, _gaps


def reference(rows, limit, info, titles):
    questions, tag_sums, tag_officers = [], {}, {}
    for _force, module_id, key, sums in rows:
        text, tags = info.get((module_id, key), (key, ()))
        for tag in tags:
            tag_sums[tag] = merge(tag_sums.get(tag, ItemSums()), sums)
            tag_officers[tag] = max(tag_officers.get(tag, 0), sums.n)
        stats = stats_from_sums(sums)
        if sums.n >= MIN_OFFICERS and stats.facility is not None:
            title = titles.get(module_id, ("", ""))[1]
            questions.append(
                QuestionGap(
                    title, key, text, tags, sums.n, stats.facility, stats.discrimination_index, sums.n
                )
            )
    tags_out = []
    for tag, sums in tag_sums.items():
        stats = stats_from_sums(sums)
        if tag_officers[tag] >= MIN_OFFICERS and stats.facility is not None:
            tags_out.append(
                QuestionGap(
                    "", "", tag, (tag,), sums.n, stats.facility, stats.discrimination_index, tag_officers[tag]
                )
            )
    questions.sort(key=lambda g: (g.facility, g.module_title, g.question_key))
    tags_out.sort(key=lambda g: (g.facility, g.text))
    return questions[:limit], tags_out


@st.composite
def answered(draw):
    """Rows of (force, module id, key, sums) as question_sums returns them, with their texts,
    tags and module titles (the sums need not be consistent: the figures are compared, not
    checked)."""
    n_rows = draw(st.integers(0, 25))
    pairs = draw(
        st.lists(
            st.tuples(st.integers(1, 3), st.sampled_from("abcdefgh")),
            min_size=n_rows,
            max_size=n_rows,
            unique=True,
        )
    )
    rows, info = [], {}
    for module_id, key in pairs:
        n = draw(st.integers(0, 30))
        right = draw(st.integers(0, n))  # whole marks, so equal facilities happen often
        share = st.floats(0, 1, allow_nan=False)
        x2, y, y2, xy = (draw(share) * n for _ in range(4))
        sums = ItemSums(n, float(right), x2, y, y2, xy, draw(st.sampled_from([1.0, 2.0, 4.0])))
        rows.append((None, module_id, key, sums))
        if draw(st.booleans()):  # a question no version holds any more is shown by its key
            tags = tuple(draw(st.lists(st.sampled_from(["powers", "indicators", "s45", "nrm"]), unique=True)))
            info[(module_id, key)] = (f"Question {key}", tags)
    titles = {1: ("m1", "Spotting the signs"), 2: ("m2", "Spotting the signs"), 3: ("m3", "Powers")}
    return rows, info, titles


@settings(max_examples=300, deadline=None)
@given(answered(), st.integers(1, 12))
def test_the_ranking_equals_its_definition(case, limit):
    rows, info, titles = case
    assert _gaps(rows, limit, info, titles) == reference(rows, limit, info, titles)


def test_a_question_answered_by_too_few_officers_is_not_ranked_but_counts_for_its_topic():
    few = ItemSums(MIN_OFFICERS - 1, 2.0, 2.0, 4.0, 2.0, 1.0, 1.0)
    enough = ItemSums(MIN_OFFICERS, 5.0, 5.0, 5.0, 3.0, 3.0, 1.0)
    rows = [(None, 1, "a", few), (None, 1, "b", enough)]
    info = {(1, "a"): ("A", ("powers",)), (1, "b"): ("B", ("powers",))}
    questions, tags = _gaps(rows, 10, info, {1: ("m", "Module")})
    assert [q.question_key for q in questions] == ["b"]
    assert questions[0].facility == 0.5
    [powers] = tags
    assert (powers.text, powers.responses, powers.officers) == ("powers", 2 * MIN_OFFICERS - 1, MIN_OFFICERS)
    assert powers.facility == 7 / (2 * MIN_OFFICERS - 1)
