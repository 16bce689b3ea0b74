"""The knowledge gaps' question texts and tags, kept between requests (app.metrics.question_catalogue):
read again when a version is added, never when nothing changed, and from the latest version
holding a key (a refresher's answers under the bank's question)."""

from sqlalchemy import event

from app.metrics import question_catalogue
from tests.factories import ModuleVersionFactory, QuestionFactory, make_course


def _statements(database, call):
    seen = []

    def count(*_args):
        seen.append(1)

    engine = database.session.get_bind()
    event.listen(engine, "before_cursor_execute", count)
    try:
        result = call()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return result, len(seen)


def test_a_new_version_is_read_and_an_unchanged_catalogue_is_not(database):
    course = make_course(n_modules=1, questions=1, lessons=1)
    [module] = course.modules
    [question] = module.current_version.questions
    question.scenario_html = "<p>A <strong>car wash</strong> worker has no passport.</p>"
    question.tags = ["indicators"]
    database.session.flush()
    pair = (module.id, question.key)

    first, _ = _statements(database, lambda: question_catalogue.question_info({pair}))
    assert first == {pair: ("A car wash worker has no passport.", ("indicators",))}
    again, statements = _statements(database, lambda: question_catalogue.question_info({pair}))
    assert again == first
    assert statements == 1  # the versions' keys only: the questions are not read again

    # A content sync writes a new version (versions are never changed in place).
    newer = ModuleVersionFactory(module=module, number=2)
    QuestionFactory(
        module_version=newer, key=question.key, scenario_html="<p>" + "x" * 200 + "</p>", tags=["nrm"]
    )
    database.session.flush()
    text, tags = question_catalogue.question_info({pair})[pair]
    assert tags == ("nrm",)
    assert text == "x" * 157 + "..."  # cut to 160 characters


def test_a_key_answered_in_a_module_without_it_takes_the_latest_version_holding_it(database):
    bank, refresher = (make_course(n_modules=1, questions=1, lessons=1).modules[0] for _ in range(2))
    [question] = bank.current_version.questions
    question.tags = ["powers"]
    database.session.flush()
    info = question_catalogue.question_info({(refresher.id, question.key), (refresher.id, "no-such-key")})
    assert list(info) == [(refresher.id, question.key)]
    assert info[(refresher.id, question.key)][1] == ("powers",)
