"""Time travel for tests: a blueprint that create_app() registers only when ALLOW_TIME_TRAVEL is on.

Never registered in production (ProductionConfig forces the setting off), so there the address
does not exist at all rather than answering 404 from a check inside the view.
"""

from datetime import timedelta

from flask import Blueprint, abort, jsonify, request

from app import clock
from app.access import signed_in

bp = Blueprint("time_travel", __name__)


@bp.route("/_test/travel", methods=["POST"])
@signed_in
def travel():
    """Move this process's clock forward by `minutes` (1 minute to about 800 days)."""
    minutes = request.form.get("minutes", type=int)
    if minutes is None or not 0 < minutes <= 60 * 24 * 800:
        abort(400)
    clock.travel(timedelta(minutes=minutes))
    return jsonify(now=clock.utcnow().isoformat())
