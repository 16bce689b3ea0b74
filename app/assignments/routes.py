"""Assignments: the officer's training list, the lead's assignments, reminders' outbox."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select

from app import audit, queue
from app.access import require_force, roles
from app.assignments import attention as attention_list
from app.assignments import officer_record as officer_records
from app.assignments import queries, services
from app.assignments import status as rules
from app.assignments.forms import AssignmentForm, DueDateForm, WithdrawForm
from app.assignments.models import Assignment
from app.auth.forms import EmptyForm
from app.auth.models import User
from app.bounds import int_arg, ints_in_range
from app.certificates import queries as cert_queries
from app.clock import today
from app.content.models import Course
from app.courses import queries as course_queries
from app.csv_cells import csv_text
from app.extensions import db
from app.forces.models import Force
from app.formatting import uk_date
from app.i18n import current_language
from app.rate_limits import export_limit
from app.roles import Role

bp = Blueprint("assignments", __name__)

PER_PAGE = 100
OFFICER_PICKER_LIMIT = 300  # above this, officers are named by service number only
ATTENTION_LIMIT = 500
ATTENTION_CSV_COLUMNS = (
    "Name",
    "Service number",
    "Email",
    "Team",
    "Force",
    "Course",
    "Status",
    "Due date",
    "Days left",
    "Last reminded on",
)
CSV_COLUMNS = (
    "Name",
    "Service number",
    "Email",
    "Team",
    "Status",
    "Due date",
    "Days left",
    "Completed on",
    "Completed late",
    "Certificate expires on",
)


def _forces() -> list[Force]:
    return list(db.session.scalars(select(Force).order_by(Force.name)))


def _chosen_force() -> Force | None:
    """?force=<code> (admins choose; a lead may only name their own), else the lead's force."""
    code = request.args.get("force", "").strip()
    if code:
        force = db.one_or_404(select(Force).where(Force.code == code))
    elif current_user.role == Role.ADMIN:
        return None
    else:
        force = db.session.get(Force, current_user.force_id) if current_user.force_id else None
        if force is None:
            abort(404)
    require_force(force.id)
    return force


def _load(assignment_id: int) -> Assignment:
    """The assignment, or 404 if it does not exist or belongs to a force the user cannot manage."""
    assignment = db.get_or_404(Assignment, assignment_id)
    require_force(assignment.force_id)
    return assignment


@bp.route("/training")
@roles(Role.OFFICER, Role.TRAINING_LEAD)
def my_training():
    """The officer's assigned courses, most urgent first, then optional courses."""
    assigned, optional = queries.my_training(current_user)
    return render_template(
        "assignments/my_training.html",
        assigned=assigned,
        optional=optional,
        resume=course_queries.continue_reading(current_user.id),
        certificates=cert_queries.latest_by_course(current_user.id),
        today=today(),
    )


@bp.route("/assignments")
@roles(Role.TRAINING_LEAD, Role.ADMIN)
def lead_assignments():
    """Assignments of the lead's force (admins: every force, or one) with completion."""
    force = _chosen_force()
    summaries, _ = queries.force_overview(force.id if force else None)
    return render_template(
        "assignments/list.html",
        force=force,
        summaries=summaries,
        forces=_forces() if current_user.role == Role.ADMIN else [],
    )


def _fill_choices(form: AssignmentForm, force: Force) -> list[User]:
    """Fill the course and team choices; the officers to suggest by name (none for a large force)."""
    form.course_id.choices = [("", _("Choose a course"))] + [
        (str(c.id), c.title) for c in queries.assignable_courses()
    ]
    form.team_ids.choices = [(str(t.id), t.name) for t in queries.force_teams(force.id)]
    return queries.force_officers(force.id, OFFICER_PICKER_LIMIT) or []


def _officer_problems(
    force: Force, text: str, numbered: bool, limit: int = 20
) -> tuple[list[str], list[str]]:
    """The service numbers or email addresses in `text` (one per line, or several on a line
    separated by commas), and one message for each that matches no active officer of the force,
    in the service's words (so another force's officer is never named), each after "Line n: "
    when `numbered`; at most `limit`."""
    refs, problems = [], []
    for number, line in enumerate((text or "").splitlines(), 1):
        for ref in services.split_refs(line):
            refs.append(ref)
            if len(problems) > limit:
                continue
            try:
                services.resolve_officers(force, (), [ref])
            except services.AssignmentError as exc:
                if len(problems) == limit:
                    problems.append(_("Check the other lines too."))
                elif numbered:
                    problems.append(_("Line %(number)s: %(problem)s", number=number, problem=exc.message))
                else:
                    problems.append(exc.message)
    return refs, problems


@bp.route("/assignments/new", methods=["GET", "POST"])
@roles(Role.TRAINING_LEAD, Role.ADMIN)
def new_assignment():
    """Assign a course to the whole force, teams or named officers with a due date."""
    force = _chosen_force()
    if force is None:  # an admin chooses the force first
        return render_template("assignments/choose_force.html", forces=_forces())
    form = AssignmentForm()
    suggestions = _fill_choices(form, force)
    if request.method == "GET" and request.args.get("course"):
        form.course_id.data = request.args["course"]
    valid = form.validate_on_submit()
    # Teams and officers count only under their own choice; a hidden field's value is ignored.
    scope = form.scope.data
    refs = []
    if form.is_submitted() and scope == "officers":
        for field, numbered in ((form.service_numbers, True), (form.add_officer, False)):
            found, problems = _officer_problems(force, field.data, numbered)
            refs += found
            if problems and not field.errors:
                field.errors = problems
                valid = False
    if valid:
        try:
            assignment = services.create_assignment(
                actor=current_user,
                force=force,
                course_id=ints_in_range([form.course_id.data])[0],
                scope=scope,
                due_on=form.due_on.data,
                message=form.message.data,
                team_ids=ints_in_range(form.team_ids.data) if scope == "teams" else [],
                refs=refs,
            )
        except services.AssignmentError as exc:
            db.session.rollback()
            form.form_errors.append(exc.message)
        else:
            db.session.commit()
            course = db.session.get(Course, assignment.course_id)
            flash(
                _(
                    "Assigned %(title)s, due %(date)s.",
                    title=course.title,
                    date=uk_date(assignment.due_on, language=current_language()),
                ),
                "success",
            )
            return redirect(url_for("assignments.assignment_detail", assignment_id=assignment.id))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "assignments/new.html", form=form, force=force, suggestions=suggestions, today=today()
    ), status


def _filters() -> dict:
    team = request.args.get("team", "")
    return {
        "team": int(team) if team.isdigit() else None,
        "status": request.args.get("status", "") if request.args.get("status", "") in rules.LABELS else "",
        "sort": request.args.get("sort", "urgency")
        if request.args.get("sort") in queries.SORTS
        else "urgency",
    }


@bp.route("/assignments/<int:assignment_id>")
@roles(Role.TRAINING_LEAD, Role.ADMIN)
def assignment_detail(assignment_id: int):
    """The officers an assignment covers with their status; filter by team and status."""
    assignment = _load(assignment_id)
    officers = queries.officer_statuses(assignment)
    counts = queries.status_counts(officers)
    chosen = _filters()
    shown = queries.filter_and_sort(officers, **chosen)
    page = max(int_arg("page", 1), 1)
    pages = max((len(shown) + PER_PAGE - 1) // PER_PAGE, 1)
    page = min(page, pages)
    return render_template(
        "assignments/detail.html",
        assignment=assignment,
        course=db.session.get(Course, assignment.course_id),
        force=db.session.get(Force, assignment.force_id),
        targets=queries.target_label(assignment),
        officers=shown[(page - 1) * PER_PAGE : page * PER_PAGE],
        total=len(officers),
        matching=len(shown),
        counts=counts,
        chosen=chosen,
        page=page,
        pages=pages,
        teams=queries.force_teams(assignment.force_id),
        labels=rules.LABELS,
        sorts=queries.SORTS,
        today=today(),
        percent=rules.completion_percent(counts.get(rules.COMPLETE, 0), len(officers)),
        modules_total=queries.modules_in_course(assignment.course_id),
    )


@bp.route("/assignments/<int:assignment_id>/export.csv")
@export_limit
@roles(Role.TRAINING_LEAD, Role.ADMIN)
def export_csv(assignment_id: int):
    """The drill-down as CSV (same filters), safe to open in a spreadsheet."""
    assignment = _load(assignment_id)
    officers = queries.filter_and_sort(queries.officer_statuses(assignment), **_filters())
    day = today()
    rows = (
        (
            row.person.name,
            row.person.service_number,
            row.person.email,
            row.person.team_name,
            row.derived.label,
            row.derived.due_on.isoformat(),
            row.derived.days_left(day) if row.derived.status != rules.COMPLETE else "",
            row.derived.completed_on.isoformat() if row.derived.completed_on else "",
            "yes" if row.derived.late else "",
            row.derived.expires_on.isoformat() if row.derived.expires_on else "",
        )
        for row in officers
    )
    text = csv_text(CSV_COLUMNS, rows)
    course = db.session.get(Course, assignment.course_id)
    filename = f"assignment-{assignment.id}-{course.slug}-{day.isoformat()}.csv"
    return Response(
        text, mimetype="text/csv", headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


@bp.route("/assignments/<int:assignment_id>/edit", methods=["GET", "POST"])
@roles(Role.TRAINING_LEAD, Role.ADMIN)
def edit_assignment(assignment_id: int):
    """Change an assignment's due date (audited); withdrawing is offered here too."""
    assignment = _load(assignment_id)
    form = DueDateForm(data={"due_on": assignment.due_on} if request.method == "GET" else None)
    error = None
    if form.validate_on_submit():
        try:
            services.change_due_date(assignment, form.due_on.data, actor=current_user)
        except services.AssignmentError as exc:
            db.session.rollback()
            error = exc.message
        else:
            db.session.commit()
            flash(
                _(
                    "Due date changed to %(date)s.",
                    date=uk_date(assignment.due_on, language=current_language()),
                ),
                "success",
            )
            return redirect(url_for("assignments.assignment_detail", assignment_id=assignment.id))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "assignments/edit.html",
        assignment=assignment,
        form=form,
        error=error,
        withdraw_form=WithdrawForm(),
        course=db.session.get(Course, assignment.course_id),
        today=today(),
    ), status


@bp.route("/assignments/<int:assignment_id>/withdraw", methods=["POST"])
@roles(Role.TRAINING_LEAD, Role.ADMIN)
def withdraw_assignment(assignment_id: int):
    """Withdraw an assignment (audited); officers' completed work stays."""
    assignment = _load(assignment_id)
    form = WithdrawForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.withdraw(assignment, actor=current_user, reason=form.reason.data or "")
    except services.AssignmentError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash(_("Assignment withdrawn. Officers' completed work is kept."), "success")
    return redirect(url_for("assignments.assignment_detail", assignment_id=assignment.id))


def _attention_filters(force: Force | None) -> attention_list.Filters:
    """?team=, ?course= and ?status= of the attention list; a team of another force is ignored."""
    team_id = int_arg("team")
    if team_id is not None and (
        force is None or team_id not in {t.id for t in queries.force_teams(force.id)}
    ):
        team_id = None
    status = request.args.get("status", rules.OVERDUE)
    return attention_list.Filters(
        team_id=team_id,
        course_id=int_arg("course"),
        status=status if status in attention_list.STATUS_CHOICES else rules.OVERDUE,
    )


@bp.route("/assignments/attention")
@roles(Role.TRAINING_LEAD, Role.ADMIN)
def attention():
    """Officers overdue or due soon (paged, filtered by team, course and status, with when each
    was last reminded, to remind or export) and certificates expiring in the next 60 days."""
    force = _chosen_force()
    force_id = force.id if force else None
    filters = _attention_filters(force)
    day = today()
    rows = attention_list.flagged(force_id, filters, day)
    pages = max((len(rows) + PER_PAGE - 1) // PER_PAGE, 1)
    page = min(max(int_arg("page", 1), 1), pages)
    shown = rows[(page - 1) * PER_PAGE : page * PER_PAGE]
    expiring = [
        row
        for row in queries.expiring_certificates(force_id)
        if (filters.team_id is None or row[1].team_id == filters.team_id)
        and (filters.course_id is None or row[0].course_id == filters.course_id)
    ]
    return render_template(
        "assignments/attention.html",
        force=force,
        today=day,
        filters=filters,
        link_args={
            "force": force.code if force and current_user.role == Role.ADMIN else None,
            **filters.args(),
        },
        rows=shown,
        total=len(rows),
        page=page,
        pages=pages,
        reminded=attention_list.last_reminded([o.person.id for _, o in shown]),
        statuses=attention_list.STATUS_CHOICES,
        teams=queries.force_teams(force.id) if force else [],
        courses=sorted(
            {s.course for s, _ in rows} | {c for c in queries.assignable_courses()}, key=lambda c: c.title
        ),
        expiring=expiring[:ATTENTION_LIMIT],
        expiring_total=len(expiring),
        days=queries.EXPIRING_DAYS,
        limit=ATTENTION_LIMIT,
        forces=_forces() if current_user.role == Role.ADMIN else [],
    )


@bp.route("/assignments/attention.csv")
@export_limit
@roles(Role.TRAINING_LEAD, Role.ADMIN)
def attention_csv():
    """The attention list (same filters, every page) as CSV, safe to open in a spreadsheet."""
    force = _chosen_force()
    filters = _attention_filters(force)
    day = today()
    rows = attention_list.flagged(force.id if force else None, filters, day)
    reminded = attention_list.last_reminded([o.person.id for _, o in rows])
    lines = (
        (
            officer.person.name,
            officer.person.service_number,
            officer.person.email,
            officer.person.team_name,
            summary.force.name,
            summary.course.title,
            officer.derived.label,
            officer.derived.due_on.isoformat(),
            officer.derived.days_left(day),
            reminded[officer.person.id].isoformat() if officer.person.id in reminded else "",
        )
        for summary, officer in rows
    )
    text = csv_text(ATTENTION_CSV_COLUMNS, lines)
    where = force.code if force else "all-forces"
    filename = f"attention-{where}-{day.isoformat()}.csv"
    return Response(
        text, mimetype="text/csv", headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


@bp.route("/assignments/attention/remind", methods=["POST"])
@roles(Role.TRAINING_LEAD, Role.ADMIN)
def attention_remind():
    """Remind the chosen officers, or every officer the filters pick, through the mail queue."""
    force = _chosen_force()
    filters = _attention_filters(force)
    back = url_for("assignments.attention", force=force.code if force else None, **filters.args())
    day = today()
    rows = attention_list.flagged(force.id if force else None, filters, day)
    if request.form.get("scope") == "all":
        chosen = [(s.assignment.id, o.person.id) for s, o in rows]
    else:
        chosen = []
        for value in request.form.getlist("officer"):
            parts = value.split(":")
            if len(parts) != 2:
                abort(400)
            chosen.append(tuple(ints_in_range(parts)))
    if not chosen:
        flash(_("Choose at least one officer to remind."), "error")
        return redirect(back)
    counts = attention_list.remind(
        chosen, rows=rows, actor=current_user, force_id=force.id if force else None, today=day
    )
    job = queue.submit("reminders", {"planned_on": day.isoformat()}) if counts["planned"] else None
    db.session.commit()
    if job is not None:
        queue.dispatch(job)
    sentences = [
        ngettext(
            "%(count)s reminder on the way.",
            "%(count)s reminders on the way.",
            counts["planned"],
            count=format(counts["planned"], ","),
        )
    ]
    if counts["already"]:
        sentences.append(
            ngettext(
                "Already reminded today, so not again: %(count)s officer.",
                "Already reminded today, so not again: %(count)s officers.",
                counts["already"],
                count=format(counts["already"], ","),
            )
        )
    if counts["stale"]:
        sentences.append(
            ngettext(
                "No longer on the list: %(count)s officer.",
                "No longer on the list: %(count)s officers.",
                counts["stale"],
                count=format(counts["stale"], ","),
            )
        )
    flash(" ".join(sentences), "success")
    return redirect(back)


@bp.route("/officers/<int:user_id>")
@roles(Role.TRAINING_LEAD, Role.ADMIN)
def officer_record(user_id: int):
    """One officer's training record: courses, modules, attempts, certificates and reminders."""
    user = db.get_or_404(User, user_id)
    if user.force_id is None and current_user.role != Role.ADMIN:
        abort(404)
    if user.force_id is not None:
        require_force(user.force_id)
    record = officer_records.officer_record(user, today())
    return render_template("assignments/officer.html", record=record, today=today())


@bp.route("/admin/outbox")
@roles(Role.ADMIN)
def outbox():
    """Reminder emails written to the outbox (or sent), and reminders not yet delivered."""
    page = max(int_arg("page", 1), 1)
    return render_template(
        "assignments/outbox.html",
        pagination=queries.outbox_page(page),
        undelivered=queries.undelivered_reminders(),
        dead_jobs=queries.dead_mail_jobs(),
        form=EmptyForm(),
    )


@bp.route("/admin/outbox/jobs/<int:job_id>/retry", methods=["POST"])
@roles(Role.ADMIN)
def retry_mail_job(job_id: int):
    """Put a dead mail job back on the queue (its retries ran out); CSRF-protected, admins only."""
    from app import queue
    from app.mail.models import MailJob

    job = db.get_or_404(MailJob, job_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if queue.retry(job):
        audit.record("mail_job.retried", actor=current_user, target=job, kind=job.kind)
        db.session.commit()
        queue.dispatch(job)
        flash(_("The email is back on the queue."), "success")
    else:
        flash(_("That email is not waiting for a retry."), "error")
    return redirect(url_for("assignments.outbox"))
