"""In-process signals between features, so they stay decoupled (blinker, as Flask uses).

Receivers run synchronously inside the sender's transaction: what they write commits or rolls
back with the change that caused it.
"""

from blinker import Namespace

_signals = Namespace()

# Sent by assessments after a submitted attempt passes a module, with user (User) and
# module_id (int). Certificates listens and issues any course certificate now complete.
module_passed = _signals.signal("module-passed")

# Learning records (app.xapi listens and writes statements for the force's LRS, if it has one):
# lesson_read with user_id, lesson_id, module_version_id, at (a first read only);
# attempt_submitted with user, attempt (scored, submitted), passed (bool);
# certificate_issued with certificate.
lesson_read = _signals.signal("lesson-read")
attempt_submitted = _signals.signal("attempt-submitted")

# Sent by content sync for every synced module whose current version is marked
# `supersedes_for_law`, with module_id (int), version_id (int), version_number (int), summary (str),
# question_keys (list of str) and sections (a callable returning [{"ref", "title", "html"}]: the
# changed sections, rendered only if a receiver needs them). Law updates listens, records the change
# once and assigns the update to certified officers, inside the sync's transaction.
law_change_synced = _signals.signal("law-change-synced")

# The metrics summary (app.metrics.hooks) listens to these, so no feature imports metrics:
# module_started with user_id, module_id, at (a lesson opened or a quiz begun: the courses
# containing the module are started by then); certificate_revoked with user_id, course_id;
# course_modules_changed with course_id (content sync regrouped the course's modules).
module_started = _signals.signal("module-started")
certificate_revoked = _signals.signal("certificate-revoked")
course_modules_changed = _signals.signal("course-modules-changed")
# officers_imported with force_ids: a bulk import added officers to these forces in one statement
# (no ORM events), so the officer-state rollup recomputes their officers.
officers_imported = _signals.signal("officers-imported")

# Sent by certificates after a certificate is issued, with certificate (Certificate). Law updates
# listens: a certificate issued after a law change, for a module passed on an older version, is
# given the update at once. Learning records (app.xapi) and the metrics summary listen too.
certificate_issued = _signals.signal("certificate-issued")
