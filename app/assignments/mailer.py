"""Delivering reminders: by SMTP when MAIL_SERVER is set, otherwise into the outbox table.

Every delivered reminder also leaves an OutboxMessage row (the record of what was sent). A failed
send marks the reminder failed with the error and is tried again on the next run; an older
undelivered reminder is superseded by a newer one for the same officer and assignment (so an
officer never gets yesterday's and today's reminder together), or cancelled when the officer no
longer needs reminding (work complete, assignment withdrawn, account deactivated).
"""

import smtplib
from collections.abc import Callable
from datetime import date

from flask_babel import force_locale, gettext
from sqlalchemy import select

from app.assignments.models import Assignment, Reminder
from app.auth.models import User
from app.clock import today as clock_today
from app.clock import utcnow
from app.content.models import Course
from app.extensions import db
from app.formatting import N_, uk_date
from app.i18n import choose_language
from app.mail.models import OutboxMessage
from app.mail.sending import MailSettings, Smtp, email_message


def _english(message: str, **values) -> str:
    return message % values if values else message


def compose(
    *,
    name: str,
    course_title: str,
    kind: str,
    due_on: date,
    message: str,
    url: str,
    gettext=_english,
    language: str = "en",
) -> tuple[str, str]:
    """Subject and plain-text body of a reminder (no personal data beyond the recipient's name).
    `gettext` translates each message (flask_babel.gettext under the recipient's locale, and
    `language` their dates); English without it."""
    _ = gettext
    due = uk_date(due_on, language=language)
    if kind == "overdue":
        subject = _(N_("Overdue training: %(title)s"), title=course_title)
        opening = _(
            N_("Your training “%(title)s” was due on %(date)s and is overdue."), title=course_title, date=due
        )
    else:
        subject = _(N_("Training due soon: %(title)s"), title=course_title)
        opening = _(N_("Your training “%(title)s” is due on %(date)s."), title=course_title, date=due)
    lines = [_(N_("Dear %(name)s,"), name=name), "", opening]
    if message:
        lines += ["", _(N_("Message from your training lead:")), message]
    lines += [
        "",
        _(N_("Continue your training: %(url)s"), url=url),
        "",
        _(N_("This is an automated reminder from Modern Slavery Training for UK Policing.")),
    ]
    return subject, "\n".join(lines)


def _settle(rows: list[tuple], due: dict[tuple[int, int], date]) -> tuple[list[tuple], dict[str, int]]:
    """Keep the newest undelivered reminder per officer and assignment; settle the others.

    Older ones are superseded by the newer; one for an officer no longer due (complete, withdrawn,
    deactivated, moved out of the group) is cancelled.
    """
    counts = {"superseded": 0, "cancelled": 0}
    newest: dict[tuple[int, int], tuple] = {}
    for row in sorted(rows, key=lambda r: (r[0].day, r[0].id), reverse=True):
        reminder = row[0]
        key = (reminder.assignment_id, reminder.user_id)
        if key in newest:
            reminder.status = "superseded"
            counts["superseded"] += 1
        elif key not in due:
            reminder.status = "cancelled"
            counts["cancelled"] += 1
        else:
            newest[key] = row
    return list(newest.values()), counts


def due_dates(today: date) -> dict[tuple[int, int], date]:
    """(assignment id, user id) -> due date for every officer due soon or overdue today."""
    from app.assignments import queries
    from app.assignments import status as rules

    _, flagged = queries.force_overview(
        None, include_withdrawn=False, today=today, flag=frozenset({rules.OVERDUE, rules.DUE_SOON})
    )
    return {(s.assignment.id, o.person.id): o.derived.due_on for s, o in flagged}


def deliver(
    settings: MailSettings,
    *,
    base_url: str,
    today: date | None = None,
    after_each: Callable[[], None] | None = None,
) -> dict[str, int]:
    """Send every pending or failed reminder; return counts of what happened.

    `after_each` runs after each reminder is settled (the CLI commits there, so a crash half-way
    never sends the same reminder twice).
    """
    today = today or clock_today()
    rows = db.session.execute(
        select(Reminder, User, Assignment, Course)
        .join(User, User.id == Reminder.user_id)
        .join(Assignment, Assignment.id == Reminder.assignment_id)
        .join(Course, Course.id == Assignment.course_id)
        .where(Reminder.status.in_(("pending", "failed")))
    ).all()
    due = due_dates(today) if rows else {}
    to_send, counts = _settle(rows, due)
    counts.update(sent=0, failed=0)
    smtp = Smtp(settings) if settings.server else None
    url = base_url.rstrip("/") + "/training"
    try:
        for reminder, user, assignment, course in sorted(to_send, key=lambda r: r[0].id):
            due_on = due[(reminder.assignment_id, reminder.user_id)]
            # In the officer's language: their own choice, else their force's default.
            language = choose_language(user.language, None, getattr(user.force, "default_language", None))
            with force_locale(language):
                subject, body = compose(
                    name=user.name,
                    course_title=course.title,
                    kind=reminder.kind,
                    due_on=due_on,
                    message=assignment.message,
                    url=url,
                    gettext=gettext,
                    language=language,
                )
            reminder.tries += 1
            try:
                if smtp is not None:
                    smtp.send(email_message(settings.sender, user.email, subject, body))
            except (smtplib.SMTPException, OSError) as exc:
                reminder.status = "failed"
                reminder.last_error = f"{type(exc).__name__}: {exc}"[:1000]
                counts["failed"] += 1
            else:
                reminder.status, reminder.sent_at, reminder.last_error = "sent", utcnow(), None
                message = OutboxMessage(to=user.email, subject=subject[:200], body=body)
                db.session.add(message)
                db.session.flush()
                reminder.outbox_message_id = message.id
                counts["sent"] += 1
            db.session.flush()
            if after_each is not None:
                after_each()
    finally:
        if smtp is not None:
            smtp.close()
    db.session.flush()
    return counts
