"""SCIM 2.0 endpoints per force (bearer token), and the admin page that rotates the tokens."""

from __future__ import annotations

import json

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from scim2_models import ResourceType, Schema, ServiceProviderConfig  # noqa: F401 (documented types)
from sqlalchemy import select

from app.access import public, roles
from app.extensions import csrf, db
from app.forces.models import Force
from app.roles import Role
from app.scim import services, tokens
from app.scim.mapping import LIST_SCHEMA, ScimError, parse_filter

bp = Blueprint("scim", __name__)
MEDIA_TYPE = "application/scim+json"
MAX_PAGE = 200
BASE = "/scim/v2/forces/<code>"


def _reply(body: dict | None, status: int = 200) -> Response:
    if body is None:
        return Response(status=status)
    return Response(json.dumps(body), status=status, mimetype=MEDIA_TYPE)


@bp.errorhandler(ScimError)
def _scim_error(error: ScimError):
    db.session.rollback()
    return _reply(error.body(), error.status)


def _force() -> Force:
    """The endpoint's force, when the request carries that force's token; 401 otherwise (also for
    an unknown force code, so the endpoint says nothing about which forces exist)."""
    code = request.view_args.get("code", "")
    force = db.session.scalar(select(Force).where(Force.code == code)) if len(code) <= 64 else None
    if force is None or not tokens.authorises(force, request.headers.get("Authorization")):
        db.session.rollback()
        raise ScimError(401, "a valid bearer token for this force is required.")
    return force


def _location(user_id) -> str:
    return url_for("scim.user", code=g.scim_force.code, user_id=user_id, _external=True)


def _body():
    payload = request.get_json(silent=True, force=True)
    if payload is None:
        raise ScimError(400, "the body must be JSON.", "invalidSyntax")
    return payload


def _int_arg(name: str, default: int, low: int, high: int) -> int:
    text = request.args.get(name, "")
    if not text:
        return default
    if not text.isdigit() or len(text) > 9:
        raise ScimError(400, f"{name} must be a whole number.", "invalidValue")
    return max(low, min(high, int(text)))


@bp.before_request
def _authenticate():
    if request.endpoint and (
        request.endpoint.startswith("scim.api_") or request.endpoint in ("scim.users", "scim.user")
    ):
        g.scim_force = _force()


@bp.route(f"{BASE}/Users", methods=["GET", "POST"])
@csrf.exempt
@public  # no session: the force's bearer token is checked before every request here
def users(code: str):  # noqa: ARG001 (the force comes from the token check)
    force = g.scim_force
    if request.method == "POST":
        created = services.create(force, _body())
        db.session.commit()
        return _reply(services.representation(force, created, _location(created.id)), 201)
    wanted = parse_filter(request.args.get("filter"))
    start = _int_arg("startIndex", 1, 1, 10**9)
    count = _int_arg("count", 100, 0, MAX_PAGE)
    if wanted:
        found = services.find(force, *wanted)
        total, found = len(found), found[start - 1 : start - 1 + count]
    else:
        found, total = services.page(force, start, count)
    db.session.commit()  # the token's last use
    return _reply(
        {
            "schemas": [LIST_SCHEMA],
            "totalResults": total,
            "startIndex": start,
            "itemsPerPage": len(found),
            "Resources": [services.representation(force, u, _location(u.id)) for u in found],
        }
    )


@bp.route(f"{BASE}/Users/<user_id>", methods=["GET", "PUT", "PATCH", "DELETE"])
@csrf.exempt
@public  # no session: the force's bearer token is checked before every request here
def user(code: str, user_id: str):  # noqa: ARG001
    force = g.scim_force
    target = services.account(force, user_id)
    if request.method == "PUT":
        services.replace(force, target, _body())
    elif request.method == "PATCH":
        services.patch(force, target, _body(), _location(target.id))
    elif request.method == "DELETE":
        services.deactivate(force, target)
        db.session.commit()
        return _reply(None, 204)
    db.session.commit()
    return _reply(services.representation(force, target, _location(target.id)))


@bp.route(f"{BASE}/ServiceProviderConfig")
@csrf.exempt
@public  # no session: the force's bearer token is checked before every request here
def api_service_provider_config(code: str):  # noqa: ARG001
    return _reply(
        {
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
            "patch": {"supported": True},
            "bulk": {"supported": False, "maxOperations": 0, "maxPayloadSize": 0},
            "filter": {"supported": True, "maxResults": MAX_PAGE},
            "changePassword": {"supported": False},
            "sort": {"supported": False},
            "etag": {"supported": False},
            "authenticationSchemes": [
                {"type": "oauthbearertoken", "name": "Bearer token", "description": "One token per force"}
            ],
        }
    )


@bp.route(f"{BASE}/ResourceTypes")
@csrf.exempt
@public  # no session: the force's bearer token is checked before every request here
def api_resource_types(code: str):  # noqa: ARG001
    return _reply(
        {
            "schemas": [LIST_SCHEMA],
            "totalResults": 1,
            "Resources": [
                {
                    "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
                    "id": "User",
                    "name": "User",
                    "endpoint": "/Users",
                    "schema": "urn:ietf:params:scim:schemas:core:2.0:User",
                    "schemaExtensions": [
                        {
                            "schema": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
                            "required": False,
                        }
                    ],
                }
            ],
        }
    )


# --- admin: tokens ------------------------------------------------------------------------------


@bp.route("/admin/scim")
@roles(Role.ADMIN)
def admin_tokens():
    forces = db.session.scalars(select(Force).order_by(Force.name)).all()
    return render_template(
        "scim/admin.html",
        rows=[(f, tokens.token_of(f)) for f in forces],
        base=url_for("scim.users", code="CODE", _external=True).replace("/CODE/Users", "/<code>"),
    )


@bp.route("/admin/scim/<code>/rotate", methods=["POST"])
@roles(Role.ADMIN)
def admin_rotate(code: str):
    force = db.session.scalar(select(Force).where(Force.code == code)) or abort(404)
    token = tokens.rotate(force, current_user)
    db.session.commit()
    return render_template(
        "scim/token.html",
        force=force,
        token=token,
        tenant_url=url_for("scim.users", code=force.code, _external=True).removesuffix("/Users"),
    )


@bp.route("/admin/scim/<code>/revoke", methods=["POST"])
@roles(Role.ADMIN)
def admin_revoke(code: str):
    force = db.session.scalar(select(Force).where(Force.code == code)) or abort(404)
    if tokens.revoke(force, current_user):
        flash(
            _(
                "The SCIM token of %(force_name)s was revoked: provisioning from its directory stops.",
                force_name=force.name,
            ),
            "success",
        )
    db.session.commit()
    return redirect(url_for("scim.admin_tokens"))
