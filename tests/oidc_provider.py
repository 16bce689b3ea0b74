"""A small but real OpenID Connect provider for the tests, shaped like Microsoft Entra ID.

It serves HTTP on a local port from its own thread: per-tenant discovery at
/<tenant>/v2.0/.well-known/openid-configuration, a JWKS, an authorisation endpoint that signs in
the user named by `login_hint` (no form: tests drive it) and a token endpoint that checks the
client secret, the redirect URI, single use of the code and the PKCE S256 verifier, then returns
an RS256-signed ID token. As in Entra ID, one signing key serves every tenant, so only `tid` and
`iss` tell tenants apart.

Tests can make it misbehave the way an attacker's token would: `overrides` changes or (with None)
removes claims of the next tokens, and `sign_with` signs them with another key.
"""

import base64
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from html import escape
from urllib.parse import urlencode

from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey
from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response


@dataclass
class Tenant:
    """One directory: its registered application and its people (login -> claims)."""

    tenant_id: str
    client_id: str
    client_secret: str
    redirect_uri: str
    users: dict[str, dict] = field(default_factory=dict)


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):  # keep the test output clean
        pass


class OidcProvider:
    """The provider; start() serves it, stop() ends it."""

    def __init__(self):
        self.key = RSAKey.generate_key(2048, parameters={"kid": "test-key-1"})
        self.tenants: dict[str, Tenant] = {}
        self.codes: dict[str, dict] = {}
        self.overrides: dict = {}
        self.sign_with: RSAKey | None = None
        self.token_requests: list[dict] = []
        self._server = None
        self.base_url = ""

    # -- set-up used by tests
    def add_tenant(self, tenant_id: str, *, client_id: str, client_secret: str, redirect_uri: str) -> Tenant:
        tenant = Tenant(tenant_id, client_id, client_secret, redirect_uri)
        self.tenants[tenant_id] = tenant
        return tenant

    def add_user(self, tenant_id: str, login: str, **claims) -> dict:
        claims.setdefault("oid", secrets.token_hex(16))
        self.tenants[tenant_id].users[login] = claims
        return claims

    def issuer(self, tenant_id: str) -> str:
        return f"{self.base_url}/{tenant_id}/v2.0"

    def reset(self) -> None:
        self.overrides, self.sign_with = {}, None

    # -- HTTP
    def start(self) -> "OidcProvider":
        self._server = make_server("127.0.0.1", 0, self._wsgi, threaded=True, request_handler=_QuietHandler)
        self.base_url = f"http://127.0.0.1:{self._server.server_port}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def _wsgi(self, environ, start_response):
        request = Request(environ)
        parts = [p for p in request.path.split("/") if p]
        tenant = self.tenants.get(parts[0]) if parts else None
        route = "/".join(parts[1:])
        if tenant is None:
            response = _json({"error": "invalid_tenant"}, 400)
        elif route == "v2.0/.well-known/openid-configuration":
            response = _json(self._metadata(tenant))
        elif route == "discovery/v2.0/keys":
            response = _json(KeySet([self.key]).as_dict(private=False))
        elif route == "oauth2/v2.0/authorize":
            response = self._authorize(tenant, request)
        elif route == "oauth2/v2.0/token" and request.method == "POST":
            response = self._token(tenant, request)
        else:
            response = _json({"error": "not_found"}, 404)
        return response(environ, start_response)

    def _metadata(self, tenant: Tenant) -> dict:
        root = f"{self.base_url}/{tenant.tenant_id}"
        return {
            "issuer": self.issuer(tenant.tenant_id),
            "authorization_endpoint": f"{root}/oauth2/v2.0/authorize",
            "token_endpoint": f"{root}/oauth2/v2.0/token",
            "jwks_uri": f"{root}/discovery/v2.0/keys",
            "response_types_supported": ["code"],
            "subject_types_supported": ["pairwise"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
            "scopes_supported": ["openid", "profile", "email"],
        }

    def _authorize(self, tenant: Tenant, request: Request) -> Response:
        args = request.args
        if args.get("client_id") != tenant.client_id or args.get("redirect_uri") != tenant.redirect_uri:
            return _json({"error": "unauthorized_client"}, 400)
        if args.get("response_type") != "code" or args.get("code_challenge_method") != "S256":
            return _json({"error": "invalid_request"}, 400)
        if "login_hint" not in args:  # a person at a browser: ask who signs in
            return _login_form(args)
        user = tenant.users.get(args.get("login_hint", ""))
        query = {"state": args.get("state", "")}
        if user is None:
            query["error"] = "access_denied"
        else:
            code = secrets.token_urlsafe(24)
            self.codes[code] = {
                "tenant": tenant.tenant_id,
                "user": user,
                "nonce": args.get("nonce"),
                "challenge": args.get("code_challenge"),
                "redirect_uri": args.get("redirect_uri"),
            }
            query["code"] = code
        return Response(status=302, headers={"Location": tenant.redirect_uri + "?" + urlencode(query)})

    def _token(self, tenant: Tenant, request: Request) -> Response:
        form = request.form
        self.token_requests.append(dict(form))
        if form.get("client_id") != tenant.client_id or form.get("client_secret") != tenant.client_secret:
            return _json({"error": "invalid_client"}, 401)
        grant = self.codes.pop(form.get("code", ""), None)  # a code works once
        if grant is None or grant["tenant"] != tenant.tenant_id:
            return _json({"error": "invalid_grant"}, 400)
        if form.get("redirect_uri") != grant["redirect_uri"]:
            return _json({"error": "invalid_grant"}, 400)
        verifier = form.get("code_verifier", "")
        digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if not verifier or digest != grant["challenge"]:
            return _json({"error": "invalid_grant", "error_description": "PKCE"}, 400)
        now = int(time.time())
        claims = {
            "iss": self.issuer(tenant.tenant_id),
            "aud": tenant.client_id,
            "tid": tenant.tenant_id,
            "sub": secrets.token_hex(8),
            "iat": now,
            "nbf": now,
            "exp": now + 3600,
            "ver": "2.0",
            **({"nonce": grant["nonce"]} if grant["nonce"] else {}),
            **grant["user"],
        }
        for name, value in self.overrides.items():
            if value is None:
                claims.pop(name, None)
            else:
                claims[name] = value
        key = self.sign_with or self.key
        id_token = jwt.encode({"alg": "RS256", "kid": key.kid}, claims, key)
        return _json(
            {
                "access_token": secrets.token_urlsafe(16),
                "token_type": "Bearer",
                "expires_in": 3600,
                "id_token": id_token,
            }
        )


def _login_form(args) -> Response:
    hidden = "".join(
        f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">' for k, v in args.items(multi=True)
    )
    body = (
        '<!doctype html><html lang="en"><head><title>Test provider: sign in</title></head><body>'
        '<main><h1>Test provider</h1><form method="get">'
        f'{hidden}<label for="login_hint">User name</label> <input id="login_hint" name="login_hint">'
        ' <button type="submit">Sign in</button></form></main></body></html>'
    )
    return Response(body, mimetype="text/html")


def _json(data, status: int = 200) -> Response:
    return Response(json.dumps(data), status=status, mimetype="application/json")
