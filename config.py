"""Settings read from the environment; one class per mode, chosen by APP_ENV."""

import json
import os
import tempfile
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
DEV_SECRET = "dev-secret-not-for-production"


# Where a shaken officer can get support (shown beside content warnings, apart from the routes for
# reporting modern slavery). WELLBEING_SUPPORT overrides it with a JSON list of
# {"name": ..., "url": ... (optional), "text": ...}: add the force's own occupational health service.
DEFAULT_WELLBEING_SUPPORT = [
    {
        "name": "National Police Wellbeing Service (Oscar Kilo)",
        "url": "https://www.oscarkilo.org.uk/",
        "text": "Wellbeing advice and resources for police officers and staff.",
    },
    {
        "name": "Police Care UK",
        "url": "https://www.policecare.org.uk/",
        "text": "Confidential support for serving and former police officers, staff and volunteers, "
        "and their families.",
    },
    {
        "name": "Your force's occupational health or wellbeing service",
        "url": "",
        "text": "Your supervisor or your force's intranet can put you in touch, in confidence.",
    },
]


def _json_list(name: str, default: list) -> list:
    """A JSON list from the environment (the default when unset)."""
    value = os.environ.get(name, "").strip()
    return json.loads(value) if value else default


def _bool(name: str, default: bool) -> bool:
    """Read a boolean environment variable ("1", "true", "yes" are true)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _database_url() -> str:
    """DATABASE_URL, or a SQLite file under instance/ by default."""
    url = os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'instance' / 'app.db'}")
    # Heroku-style URLs name the old driver; psycopg 3 is the one installed.
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url[len("postgres://") :]
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


class Config:
    """Development defaults: SQLite under instance/, a development secret, mail to the outbox."""

    ENV_NAME = "development"
    SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET)
    SQLALCHEMY_DATABASE_URI = _database_url()
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    CONTENT_DIR = Path(os.environ.get("CONTENT_DIR", BASE_DIR / "content"))
    FORCES_CSV = Path(os.environ.get("FORCES_CSV", BASE_DIR / "content" / "forces.csv"))
    # Where each force sits on the national page's hexagon map (app/metrics/hexmap.py).
    FORCE_HEXES_CSV = Path(os.environ.get("FORCE_HEXES_CSV", BASE_DIR / "content" / "force_hexes.csv"))
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")
    # Open Badges signing keys (RSA PEM files; default instance/credential-keys) and issuer name.
    CREDENTIAL_KEYS_DIR = os.environ.get("CREDENTIAL_KEYS_DIR", "")
    CREDENTIAL_ISSUER_NAME = os.environ.get("CREDENTIAL_ISSUER_NAME", "Modern slavery training for UK police")

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_HTTPONLY = True
    IDLE_TIMEOUT = timedelta(minutes=int(os.environ.get("IDLE_TIMEOUT_MINUTES", "30")))
    # Absolute session lifetime: a shift plus overtime; then sign in again.
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    MAX_CONTENT_LENGTH = 5 * 1024 * 1024

    LOCKOUT_THRESHOLD = int(os.environ.get("LOCKOUT_THRESHOLD", "5"))
    LOCKOUT_MINUTES = int(os.environ.get("LOCKOUT_MINUTES", "15"))
    # memory:// counts per process: fine for one development server, wrong for several gunicorn
    # workers (each keeps its own counters). Production uses a shared store such as Redis.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_ENABLED = _bool("RATELIMIT_ENABLED", True)
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "20 per minute")
    # Per client address: each feedback message becomes an email to the service team.
    FEEDBACK_RATE_LIMIT = os.environ.get("FEEDBACK_RATE_LIMIT", "5 per minute")
    VERIFY_RATE_LIMIT = os.environ.get("VERIFY_RATE_LIMIT", "30 per minute")
    # Per signed-in user, one budget shared by every PDF and CSV the app generates.
    EXPORT_RATE_LIMIT = os.environ.get("EXPORT_RATE_LIMIT", "30 per minute")
    RATELIMIT_HEADERS_ENABLED = True

    # Days a certified officer has to do the update a synced law change assigns (app/law_updates).
    LAW_UPDATE_DUE_DAYS = int(os.environ.get("LAW_UPDATE_DUE_DAYS", "60"))

    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "587"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_USE_TLS = _bool("MAIL_USE_TLS", True)
    MAIL_FROM = os.environ.get("MAIL_FROM", "training@example.police.uk")
    # The mail queue (app/queue.py): redis://... in production, else a SQLite file under instance/.
    QUEUE_URL = os.environ.get("QUEUE_URL", "")
    QUEUE_IMMEDIATE = _bool("QUEUE_IMMEDIATE", False)  # run jobs in the enqueuing process (tests)
    QUEUE_RETRIES = int(os.environ.get("QUEUE_RETRIES", "5"))
    QUEUE_RETRY_DELAY = int(os.environ.get("QUEUE_RETRY_DELAY", "30"))  # seconds, doubling each retry

    # Fernet keys for TOTP secrets at rest, comma-separated, the first encrypts (rotation: put the
    # new key first, run `flask users seal-totp-secrets`, then drop the old one). Empty: a key
    # derived from SECRET_KEY (changing SECRET_KEY then makes every second factor unreadable).
    TOTP_ENCRYPTION_KEYS = os.environ.get("TOTP_ENCRYPTION_KEYS", "")

    # Reverse proxies in front of the app that set X-Forwarded-For/-Proto/-Host. 0 trusts no
    # forwarded header (a client could otherwise pick its own address and dodge rate limits).
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))

    HSTS = False
    # The national metrics are read from a snapshot at most this old (0: computed every request).
    METRICS_SNAPSHOT_SECONDS = int(os.environ.get("METRICS_SNAPSHOT_SECONDS", "600"))
    # On PostgreSQL, the national figures' dearest statement runs on a second connection while
    # the request's runs the rest (app.metrics.background).
    METRICS_PARALLEL = _bool("METRICS_PARALLEL", True)
    # The commissioner's headline lists the forces whose uptake (police officers currently
    # certified, % of the officer figure) is below this percentage.
    METRICS_UPTAKE_TARGET = float(os.environ.get("METRICS_UPTAKE_TARGET", "75"))
    # Who runs the service (the data controller) and how people reach them. These fill the privacy
    # notice, the accessibility statement, the help page and the feedback route; the development
    # values read as real text so no page shows an authoring instruction. Set them in production.
    SERVICE_OPERATOR = os.environ.get("SERVICE_OPERATOR", "The Modern Slavery Training Unit")
    WELLBEING_SUPPORT = _json_list("WELLBEING_SUPPORT", DEFAULT_WELLBEING_SUPPORT)
    SERVICE_CONTACT_EMAIL = os.environ.get("SERVICE_CONTACT_EMAIL", "msa-training@example.police.uk")
    # Where the feedback form's messages are emailed (through the mail queue). Empty: each message
    # is kept in the audit log instead, for administrators to read at /admin/audit.
    FEEDBACK_EMAIL = os.environ.get("FEEDBACK_EMAIL", SERVICE_CONTACT_EMAIL)
    PRIVACY_CONTACT = os.environ.get("PRIVACY_CONTACT", "The data protection officer, dpo@example.police.uk")
    PRIVACY_LAWFUL_BASIS = os.environ.get(
        "PRIVACY_LAWFUL_BASIS",
        "Public task (UK GDPR Article 6(1)(e)): police forces train their officers and staff to "
        "identify and protect victims of modern slavery under the Modern Slavery Act 2015.",
    )
    PRIVACY_RETENTION = os.environ.get(
        "PRIVACY_RETENTION",
        "Your account, learning record and certificates are kept while you work for a police force "
        "and for 6 years after your account is deactivated, so that your training can be proved. "
        "The audit log is kept for 6 years.",
    )
    ACCESSIBILITY_EMAIL = os.environ.get("ACCESSIBILITY_EMAIL", SERVICE_CONTACT_EMAIL)
    # A telephone number and its opening hours; empty leaves the telephone line out.
    ACCESSIBILITY_PHONE = os.environ.get("ACCESSIBILITY_PHONE", "")
    ACCESSIBILITY_RESPONSE_DAYS = int(os.environ.get("ACCESSIBILITY_RESPONSE_DAYS", "10"))
    # Who to contact about the monthly releases: printed on each spreadsheet's cover sheet.
    METRICS_RELEASE_CONTACT = os.environ.get(
        "METRICS_RELEASE_CONTACT", f"{SERVICE_OPERATOR}, {SERVICE_CONTACT_EMAIL}"
    )
    # Roles that must sign in with a second factor (TOTP). Off in development so the demo logins
    # work with a password alone; on for leads, commissioners and admins in production.
    MFA_REQUIRED_ROLES = frozenset(
        r for r in os.environ.get("MFA_REQUIRED_ROLES", "").split(",") if r.strip()
    )
    # The read-only API: bearer tokens live this long (seconds); requests per token and token
    # requests per client are limited (Flask-Limiter syntax).
    API_TOKEN_SECONDS = int(os.environ.get("API_TOKEN_SECONDS", "900"))
    API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "120 per minute")
    API_TOKEN_RATE_LIMIT = os.environ.get("API_TOKEN_RATE_LIMIT", "10 per minute")
    API_TITLE = "Modern Slavery Training: force API"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api"
    OPENAPI_JSON_PATH = "openapi.json"
    # Tests may move the clock (cool-downs, due dates); never enabled in production.
    ALLOW_TIME_TRAVEL = _bool("ALLOW_TIME_TRAVEL", False)


class TestingConfig(Config):
    """Tests: a throwaway database (TEST_DATABASE_URL or in-memory SQLite), no rate limits."""

    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "testing-secret"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    ALLOW_TIME_TRAVEL = True
    PUBLIC_BASE_URL = "http://localhost"
    QUEUE_IMMEDIATE = True  # jobs run synchronously, deterministic (huey's immediate mode)
    METRICS_SNAPSHOT_SECONDS = 0  # tests that exercise snapshots turn them on themselves
    # A test's data sits in a transaction no other connection sees (tests/conftest.py); the
    # tests of app.metrics.background turn it on with committed data.
    METRICS_PARALLEL = False
    CREDENTIAL_KEYS_DIR = tempfile.mkdtemp(prefix="credential-keys-")  # never the repo's instance/


class ProductionConfig(Config):
    """Production: a real secret is required, cookies are Secure, HSTS is sent."""

    ENV_NAME = "production"
    SESSION_COOKIE_NAME = "__Host-session"  # Secure, Path=/, no Domain (ASVS V3.3.1)
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    HSTS = True
    ALLOW_TIME_TRAVEL = False
    MFA_REQUIRED_ROLES = frozenset(
        r.strip()
        for r in os.environ.get("MFA_REQUIRED_ROLES", "training_lead,commissioner,admin").split(",")
        if r.strip()
    )

    @classmethod
    def check(cls) -> None:
        """Refuse to start with a missing or development secret key."""
        secret = os.environ.get("SECRET_KEY", "")
        if not secret or secret == DEV_SECRET or len(secret) < 32:
            raise RuntimeError(
                "SECRET_KEY must be set to a random value of at least 32 characters in production "
                "(for example: python -c 'import secrets; print(secrets.token_hex(32))')."
            )
        cls.SECRET_KEY = secret

    @classmethod
    def warnings(cls) -> list[str]:
        """Settings that work but are wrong for a production deployment; logged at start-up."""
        found = []
        if cls.RATELIMIT_ENABLED and cls.RATELIMIT_STORAGE_URI.startswith("memory://"):
            found.append(
                "RATELIMIT_STORAGE_URI is memory://: each worker process keeps its own rate-limit "
                "counters, so with several gunicorn workers every limit is that many times looser "
                "and a restart resets it. Set RATELIMIT_STORAGE_URI=redis://host:6379/0 "
                "(docs/operations.md)."
            )
        if not cls.TOTP_ENCRYPTION_KEYS:
            found.append(
                "TOTP_ENCRYPTION_KEYS is empty: two-factor secrets are encrypted with a key "
                "derived from SECRET_KEY, so changing SECRET_KEY would make every second factor "
                "unreadable. Set TOTP_ENCRYPTION_KEYS (docs/operations.md)."
            )
        return found


CONFIGS = {"development": Config, "testing": TestingConfig, "production": ProductionConfig}


def config_from_env() -> type[Config]:
    """The config class named by APP_ENV (development by default)."""
    name = os.environ.get("APP_ENV", "development")
    if name not in CONFIGS:
        raise RuntimeError(f"APP_ENV must be one of {', '.join(CONFIGS)}; got {name!r}.")
    return CONFIGS[name]
