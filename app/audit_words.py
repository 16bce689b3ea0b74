"""What each audited action means, in words, for the admin's audit log (page and CSV).

The words are marked for the catalogue (N_): the page shows them in its language with `_()`;
the CSV export keeps the English.

Every action code recorded with `audit.record` has an entry here; tests/unit/test_audit_words.py
reads the code base and fails for a new action without one.
"""

from app.formatting import N_

ACTIONS = {
    "api.client_created": N_("Created an API client"),
    "api.client_revoked": N_("Revoked an API client"),
    "api.read": N_("An API client read records"),
    "api.token_issued": N_("Issued an API access token"),
    "api.token_revoked": N_("Revoked an API access token"),
    "assignment.create": N_("Assigned a course"),
    "assignment.due_date": N_("Changed an assignment's due date"),
    "assignment.withdraw": N_("Withdrew an assignment"),
    "certificate.revoke": N_("Revoked a certificate"),
    "content.sync": N_("Synced the training content"),
    "force.headcount": N_("Updated a force's officer figure"),
    "force.language": N_("Set the language a force's people start in"),
    "feedback.received": N_("Feedback received (no feedback address is set)"),
    "force.sso_settings": N_("Changed a force's single sign-on settings"),
    "law_update.complete": N_("Completed a law-change update"),
    "mail_job.retried": N_("Retried an email whose retries had run out"),
    "metrics.release_published": N_("Published a statistics release"),
    "metrics.release_revised": N_("Revised a statistics release"),
    "reminders.send": N_("Sent reminders from the attention list"),
    "scim.token_revoked": N_("Revoked a force's SCIM token"),
    "scim.token_rotated": N_("Issued a new SCIM token for a force"),
    "scim.user_created": N_("Created a user through SCIM"),
    "scim.user_deactivated": N_("Deactivated a user through SCIM"),
    "scim.user_updated": N_("Updated a user through SCIM"),
    "team.create": N_("Created a team"),
    "user.activate": N_("Changed whether an account is active"),
    "user.create": N_("Created a user"),
    "user.deactivate": N_("Deactivated an account"),
    "user.mfa_code_failed": N_("Entered a wrong two-factor code"),
    "user.mfa_paused": N_("Two-factor sign-in paused after too many wrong codes"),
    "user.link_sent": N_("Sent a link to set a password"),
    "user.mfa_enabled": N_("Turned on two-factor sign-in"),
    "user.mfa_reset": N_("Reset a user's two-factor sign-in"),
    "user.password": N_("Set a user's password"),
    "user.recovery_code_used": N_("Signed in with a recovery code"),
    "user.sessions_ended": N_("Signed a user out everywhere"),
    "user.sso_created": N_("Created a user at a single sign-on"),
    "user.sso_invite": N_("Invited a user to sign in with single sign-on"),
    "user.sso_linked": N_("Linked a single sign-on identity to a user"),
    "user.sso_update": N_("Updated a user from their single sign-on"),
    "user.update": N_("Changed a user's details"),
    "users.import": N_("Imported users from a CSV file"),
    "users.import_refused": N_("Refused a CSV import of users (nothing was changed)"),
    "xapi.lrs_configured": N_("Set up the learning record store"),
    "xapi.lrs_removed": N_("Removed the learning record store"),
}


def in_words(action: str) -> str:
    """The action in words; an unknown code (from an older release) is shown as it is."""
    return ACTIONS.get(action, action)


# The detail keys audit.record writes most, in words (marked for the catalogue); any other key
# reads as itself: "already_reminded_today" -> "Already reminded today".
DETAILS = {
    "already_reminded_today": N_("Already reminded today"),
    "changes": N_("Changes"),
    "course": N_("Course"),
    "course_id": N_("Course ID"),
    "created": N_("Created"),
    "due_on": N_("Due on"),
    "email": N_("Email"),
    "ended": N_("Ended"),
    "fields": N_("Fields"),
    "force": N_("Force"),
    "kind": N_("Kind"),
    "language": N_("Language"),
    "month": N_("Month"),
    "name": N_("Name"),
    "new": N_("New"),
    "old": N_("Old"),
    "problem": N_("Problem"),
    "problems": N_("Problems"),
    "purpose": N_("Purpose"),
    "reason": N_("Reason"),
    "revision": N_("Revision"),
    "role": N_("Role"),
    "serial": N_("Serial"),
    "service_number": N_("Service number"),
    "source": N_("Source"),
    "team": N_("Team"),
    "teams_created": N_("Teams created"),
    "tenant_id": N_("Tenant ID"),
    "via": N_("Via"),
    "workforce_type": N_("Workforce type"),
}

# What an event is about (its target type), in words, for the page.
TARGETS = {
    "api_client": N_("API client"),
    "apiclient": N_("API client"),
    "assignment": N_("Assignment"),
    "certificate": N_("Certificate"),
    "content": N_("Content"),
    "force": N_("Force"),
    "import": N_("Import"),
    "law_update": N_("Law update"),
    "lawupdate": N_("Law update"),
    "mailjob": N_("Mail job"),
    "metrics_release": N_("Metrics release"),
    "team": N_("Team"),
    "user": N_("User"),
}


def detail_words(key: str) -> str:
    """A detail's key as words: "already_reminded_today" -> "Already reminded today"."""
    if key in DETAILS:
        return DETAILS[key]
    text = key.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def target_words(target_type: str) -> str:
    """What an event is about in words: "metrics_release" -> "Metrics release"."""
    if target_type in TARGETS:
        return TARGETS[target_type]
    return detail_words(target_type)
