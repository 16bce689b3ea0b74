"""Writes of the service pages: feedback, handed to the mail queue or, with no address, audited."""

from app import audit, queue

FEEDBACK_SUBJECT = "Feedback on Modern Slavery Training"


def feedback_body(doing: str, problem: str, reply_to: str, sender: str) -> str:
    """The feedback email's text (and the audit record's content): only what the person typed."""
    return "\n".join(
        [
            f"From: {sender}",
            f"Reply to: {reply_to or 'no address given (no reply wanted)'}",
            "",
            "What were you doing?",
            doing,
            "",
            "What went wrong, or what could be better?",
            problem,
        ]
    )


def submit_feedback(*, doing: str, problem: str, reply_to: str, user, to: str):
    """Record a feedback message; return the mail job to dispatch after the commit, or None.

    With a feedback address the message goes through the durable mail queue, like every other
    email (never sent inside the request). Without one it is kept in the audit log, which
    administrators already read, so no feedback is lost. The sender is described by role only:
    the form asks for an address when a reply is wanted.
    """
    signed_in = user is not None and user.is_authenticated
    sender = f"a signed-in {user.role.replace('_', ' ')}" if signed_in else "someone not signed in"
    if to:
        payload = {"to": to, "body": feedback_body(doing, problem, reply_to, sender)}
        return queue.submit("feedback", payload)
    audit.record(
        "feedback.received",
        actor=user if signed_in else None,
        doing=doing,
        problem=problem,
        reply_to=reply_to,
    )
    return None
