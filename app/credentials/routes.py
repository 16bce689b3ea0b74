"""Credential downloads for holders; the public keys, issuer, revocation list and a checker."""

from __future__ import annotations

import json

from flask import Blueprint, Response, abort, render_template, request
from sqlalchemy import select

from app.access import public, roles
from app.certificates import viewing
from app.certificates.models import Certificate
from app.credentials import keys, services
from app.extensions import db
from app.rate_limits import export_limit
from app.roles import Role

bp = Blueprint("credentials", __name__)
UPLOAD_LIMIT = 20_000


def _json(body: dict, mimetype: str = "application/json") -> Response:
    return Response(
        json.dumps(body, indent=2), mimetype=mimetype, headers={"Cache-Control": "public, max-age=300"}
    )


@bp.route("/certificates/<serial>/credential.jwt")
@export_limit
@roles(Role.OFFICER, Role.TRAINING_LEAD, Role.ADMIN)
def download(serial: str):
    """The certificate as an Open Badges 3.0 credential (VC-JWT): for whoever may see the PDF."""
    found = viewing.for_viewer(
        serial,
        lambda canonical: db.session.scalar(select(Certificate).where(Certificate.serial == canonical)),
    )
    if found.revoked_at is not None:
        abort(410)
    token = services.issue_jwt(found)
    return Response(
        token,
        mimetype="application/jwt",
        headers={
            "Content-Disposition": f'attachment; filename="certificate-{found.serial}.jwt"',
            "Cache-Control": "no-store",
        },
    )


@bp.route("/.well-known/jwks.json")
@public
def jwks():
    """Every signing key's public half, retired ones included."""
    keys.signing_key()  # the first key is made on first use
    return _json(keys.jwks(), "application/jwk-set+json")


@bp.route("/credentials/keys/<kid>")
@public
def key(kid: str):
    """One public key: what a credential's kid URL resolves to."""
    found = keys.load(kid) if len(kid) <= 40 else None
    if found is None:
        abort(404)
    return _json(found.as_dict(private=False), "application/jwk+json")


@bp.route("/credentials/issuer")
@public
def issuer():
    """The issuer profile named in every credential."""
    return _json(services.issuer_profile())


@bp.route("/credentials/revocations")
@public
def revocations():
    """The 1EdTechRevocationList of revoked credentials."""
    return _json(services.revocation_list())


@bp.route("/verify/credential", methods=["GET", "POST"])
@public
def verify_credential():
    """Check a credential pasted or uploaded: valid, expired, revoked, tampered or unknown."""
    verdict = None
    if request.method == "POST":
        upload = request.files.get("file")
        text = request.form.get("token", "")
        if upload is not None and upload.filename:
            text = upload.read(UPLOAD_LIMIT + 1).decode("utf-8", "replace")
        verdict = services.verify(text[: UPLOAD_LIMIT + 1])
    response = Response(render_template("credentials/verify.html", verdict=verdict))
    response.headers["Cache-Control"] = "no-store"
    return response
