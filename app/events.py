"""In-process signals between features, so they stay decoupled (blinker, as Flask uses).

Receivers run synchronously inside the sender's transaction: what they write commits or rolls
back with the change that caused it.
"""

from blinker import Namespace

_signals = Namespace()

# Sent by assessments after a submitted attempt passes a module, with user (User) and
# module_id (int). Certificates listens and issues any course certificate now complete.
module_passed = _signals.signal("module-passed")
