"""Metrics pages: the commissioner's national view and force drill-down (aggregates only), the
training lead's force dashboard (named officers allowed), their CSV and PDF exports, and the
monthly releases (frozen figures with ODS and CSV downloads)."""

from pathlib import Path

from flask import Blueprint, Response, abort, current_app, make_response, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from app.access import require_force, roles
from app.extensions import db
from app.forces.models import Force
from app.i18n import current_language, english
from app.metrics import ods, queries, release_data, services
from app.metrics import releases as published
from app.metrics.forms import FilterForm
from app.rate_limits import export_limit
from app.roles import Role
from app.web import error_page

bp = Blueprint("metrics", __name__)


def metric_display(key: str, value) -> str:
    """A figure formatted for the page."""
    return services.display(key, value)


def _labels() -> dict[str, str]:
    """The definitions' labels (marked N_ in app/metrics/definitions.py) in the page's language;
    translated here, not in the template, because some hold a literal % sign."""
    return {key: _(label) for key, label in services.LABELS.items()}


def _filters(with_place: bool = True) -> tuple[FilterForm, services.Filters]:
    """The filter form bound to the query string, and the filters it yields."""
    form = FilterForm(formdata=request.args)
    # One force (with_place False): nation and force type are removed below, so not read.
    nations, types = queries.filter_choices() if with_place else ((), ())
    form.set_choices(nations, types, queries.courses())
    if not with_place:  # one force: nation and force type do not apply (ignored if typed in)
        del form.nation, form.force_type
    form.validate()
    return form, services.filters_from(form, request.args)


def _status(form: FilterForm) -> int:
    """400 for a page whose filters had an error (shown beside the field, the filter dropped)."""
    return 400 if form.errors else 200


def _export_filters(with_place: bool = True) -> services.Filters:
    """An export's filters; one that failed validation is a 400, never a file for other filters
    than those asked for."""
    form, filters = _filters(with_place)
    if form.errors:
        messages = "; ".join(
            f"{form[name].label.text}: {' '.join(errors)}" for name, errors in form.errors.items()
        )
        abort(
            make_response(
                error_page(
                    400,
                    _(
                        "The export was not made because a filter is not valid. %(problems)s",
                        problems=messages,
                    ),
                )
            )
        )
    return filters


def _download(body, mimetype: str, filename: str) -> Response:
    return Response(
        body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


@bp.route("/metrics/national")
@roles(Role.COMMISSIONER, Role.ADMIN)
def national():
    """Every force's headline figures, sortable and filterable, with totals, charts and gaps."""
    form, filters = _filters()
    report = services.national_report(filters)
    return render_template(
        "metrics/national.html", form=form, report=report, columns=services.TABLE_KEYS, labels=_labels()
    ), _status(form)


@bp.route("/metrics/national.csv")
@export_limit
@roles(Role.COMMISSIONER, Role.ADMIN)
def national_csv():
    """The force table as CSV (small-number rule applied; no names)."""
    filters = _export_filters()
    report = services.national_csv(services.national_report(filters))
    return _download(report, "text/csv", f"national-metrics-{services.clock.today()}.csv")


@bp.route("/metrics/national.pdf")
@export_limit
@roles(Role.COMMISSIONER, Role.ADMIN)
def national_pdf():
    """The national report as a PDF for publication."""
    from app.metrics.report import render_report_pdf

    filters = _export_filters()
    report = services.national_report(filters)
    html = render_template(
        "metrics/report_pdf.html", report=report, columns=services.TABLE_KEYS, labels=_labels()
    )
    pdf = render_report_pdf(html, Path(current_app.static_folder))
    return _download(pdf, "application/pdf", f"national-metrics-{report.produced_on}.pdf")


@bp.route("/metrics/forces/<code>")
@roles(Role.COMMISSIONER, Role.ADMIN)
def force_detail(code: str):
    """One force for the commissioner: aggregates only, no teams, small numbers withheld."""
    force = db.one_or_404(db.select(Force).where(Force.code == code))
    return _force_page("metrics/force_detail.html", force, private=False)


def _force_page(template: str, force: Force, *, private: bool):
    """A force's figures (the lead's own, named; or the commissioner's, as published), filtered."""
    form, filters = _filters(with_place=False)
    report = services.force_report(force, filters, private=private)
    return render_template(
        template, form=form, report=report, force=force, columns=services.TABLE_KEYS, labels=_labels()
    ), _status(form)


def _lead_force() -> Force | None:
    """The force a dashboard shows: a lead's own (another force is 404); an admin picks one."""
    code = request.args.get("force", "")
    if current_user.role == Role.ADMIN:
        if not code:
            return None
        force = db.one_or_404(db.select(Force).where(Force.code == code))
    else:
        force = db.session.get(Force, current_user.force_id) if current_user.force_id else None
        if force is None or (code and code != force.code):
            abort(404)
    require_force(force.id)
    return force


@bp.route("/metrics/force")
@roles(Role.TRAINING_LEAD, Role.ADMIN)
def force_dashboard():
    """The training lead's dashboard: their force by team, weakest questions, officers overdue."""
    force = _lead_force()
    if force is None:
        forces = db.session.scalars(db.select(Force).order_by(Force.name)).all()
        return render_template("metrics/choose_force.html", forces=forces)
    return _force_page("metrics/force_dashboard.html", force, private=True)


@bp.route("/metrics/force.csv")
@export_limit
@roles(Role.TRAINING_LEAD, Role.ADMIN)
def force_csv():
    """The lead's force and team figures as CSV."""
    force = _lead_force()
    if force is None:
        abort(404)
    filters = _export_filters(with_place=False)
    report = services.force_report(force, filters, private=True)
    return _download(services.force_csv(report), "text/csv", f"{force.code}-metrics-{report.produced_on}.csv")


# --- monthly releases: frozen figures, read back, never recomputed -------------------------------


def _release_or_404(month: str, revision: int | None = None) -> published.ReleaseView:
    try:
        release_data.month_bounds(month)
    except release_data.ReleaseError:
        abort(404)
    release = published.get_release(month, revision)
    if release is None:
        abort(404)
    return published.view(release)


@bp.route("/metrics/releases")
@roles(Role.COMMISSIONER, Role.ADMIN)
def releases():
    """Every published release, newest month first, each revision listed."""
    return render_template("metrics/releases.html", releases=published.all_releases())


@bp.route("/metrics/releases/<month>")
@roles(Role.COMMISSIONER, Role.ADMIN)
def release(month: str):
    """A month's newest revision: its tables as published, with downloads."""
    return _release_page(_release_or_404(month))


@bp.route("/metrics/releases/<month>/<int:revision>")
@roles(Role.COMMISSIONER, Role.ADMIN)
def release_revision(month: str, revision: int):
    """One revision of a month, as published."""
    return _release_page(_release_or_404(month, revision))


def _release_page(shown: published.ReleaseView):
    return render_template(
        "metrics/release.html",
        shown=shown,
        revisions=published.revisions_of(shown.release.month),
        label=_month_label(shown.release.month),
        codes=release_data.CODES,
        notes=release_data.NOTES,
        text_keys=release_data.TEXT_KEYS,  # columns of words, aligned left; the rest are figures
        # Labels marked N_ (column labels, codes, notes) in the reader's language; gettext without
        # values, since a label may hold a percent sign ("Mean best score (%)").
        translated=_,
    )


def _month_label(month: str) -> str:
    """'November 2026', or in Welsh 'Tachwedd 2026' (the page; the downloads stay English)."""
    if current_language() != "cy":
        return release_data.month_label(month)
    from babel.dates import format_date

    first, _last = release_data.month_bounds(month)
    return format_date(first, "LLLL y", locale="cy")


def _release_filename(shown, extension: str) -> str:
    return f"modern-slavery-training-{shown.release.month}-revision-{shown.release.revision}.{extension}"


@bp.route("/metrics/releases/<month>/<int:revision>.ods")
@export_limit
@roles(Role.COMMISSIONER, Role.ADMIN)
def release_ods(month: str, revision: int):
    """The release as an OpenDocument spreadsheet (cover, contents, notes, one table a sheet)."""
    shown = _release_or_404(month, revision)
    return _download(
        ods.release_ods(shown.data, shown.info()),
        "application/vnd.oasis.opendocument.spreadsheet",
        _release_filename(shown, "ods"),
    )


@bp.route("/metrics/releases/<month>/<int:revision>.csv")
@export_limit
@roles(Role.COMMISSIONER, Role.ADMIN)
def release_csv(month: str, revision: int):
    """The release's tables by force as CSV, with the shorthand codes."""
    shown = _release_or_404(month, revision)
    body = release_data.release_csv(shown.data, shown.csv_context())
    return _download(body, "text/csv", _release_filename(shown, "csv"))


def release_cell(key: str, value) -> str:
    """A frozen release cell formatted for the page, its words in the reader's language: the
    officer figure's measure and the all-forces row translated, module titles marked as English
    (the frozen data and the downloads stay as published)."""
    if key == "headcount_measure" and value in services.MEASURE_LABELS:
        return _(services.MEASURE_LABELS[value])
    if key == "force_name" and value == "All forces":
        return _("All forces")
    if key in ("module_code", "module_title") and isinstance(value, str):
        return english(value)
    return release_data.display_cell(key, value)
