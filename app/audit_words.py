"""What each audited action means, in words, for the admin's audit log (page and CSV).

Every action code recorded with `audit.record` has an entry here; tests/unit/test_audit_words.py
reads the code base and fails for a new action without one.
"""

ACTIONS = {
    "api.client_created": "Created an API client",
    "api.client_revoked": "Revoked an API client",
    "api.read": "An API client read records",
    "api.token_issued": "Issued an API access token",
    "api.token_revoked": "Revoked an API access token",
    "assignment.create": "Assigned a course",
    "assignment.due_date": "Changed an assignment's due date",
    "assignment.withdraw": "Withdrew an assignment",
    "certificate.revoke": "Revoked a certificate",
    "content.sync": "Synced the training content",
    "force.headcount": "Updated a force's officer figure",
    "force.language": "Set the language a force's people start in",
    "feedback.received": "Feedback received (no feedback address is set)",
    "force.sso_settings": "Changed a force's single sign-on settings",
    "law_update.complete": "Completed a law-change update",
    "mail_job.retried": "Retried an email whose retries had run out",
    "metrics.release_published": "Published a statistics release",
    "metrics.release_revised": "Revised a statistics release",
    "reminders.send": "Sent reminders from the attention list",
    "scim.token_revoked": "Revoked a force's SCIM token",
    "scim.token_rotated": "Issued a new SCIM token for a force",
    "scim.user_created": "Created a user through SCIM",
    "scim.user_deactivated": "Deactivated a user through SCIM",
    "scim.user_updated": "Updated a user through SCIM",
    "team.create": "Created a team",
    "user.activate": "Changed whether an account is active",
    "user.create": "Created a user",
    "user.deactivate": "Deactivated an account",
    "user.mfa_code_failed": "Entered a wrong two-factor code",
    "user.mfa_paused": "Two-factor sign-in paused after too many wrong codes",
    "user.link_sent": "Sent a link to set a password",
    "user.mfa_enabled": "Turned on two-factor sign-in",
    "user.mfa_reset": "Reset a user's two-factor sign-in",
    "user.password": "Set a user's password",
    "user.recovery_code_used": "Signed in with a recovery code",
    "user.sessions_ended": "Signed a user out everywhere",
    "user.sso_created": "Created a user at a single sign-on",
    "user.sso_invite": "Invited a user to sign in with single sign-on",
    "user.sso_linked": "Linked a single sign-on identity to a user",
    "user.sso_update": "Updated a user from their single sign-on",
    "user.update": "Changed a user's details",
    "users.import": "Imported users from a CSV file",
    "users.import_refused": "Refused a CSV import of users (nothing was changed)",
    "xapi.lrs_configured": "Set up the learning record store",
    "xapi.lrs_removed": "Removed the learning record store",
}


def in_words(action: str) -> str:
    """The action in words; an unknown code (from an older release) is shown as it is."""
    return ACTIONS.get(action, action)


def detail_words(key: str) -> str:
    """A detail's key as words: "already_reminded_today" -> "Already reminded today"."""
    text = key.replace("_", " ").strip()
    return text[:1].upper() + text[1:]
