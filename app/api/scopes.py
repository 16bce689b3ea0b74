"""API scopes and token lifetimes (pure)."""

COMPLETIONS = "completions:read"
CERTIFICATES = "certificates:read"
SCOPES = {
    COMPLETIONS: "Course completions of the force's officers, with certificate status",
    CERTIFICATES: "The status of one certificate of the force, by serial",
}
MAX_PER_PAGE = 100


def parse(requested: str | None, allowed: str) -> str:
    """The scopes granted: the requested ones the client holds (all it holds when none are asked).

    Raises ValueError when a requested scope is unknown or not held by the client.
    """
    held = set(allowed.split())
    asked = set((requested or "").split()) or held
    if not asked <= held or not asked <= set(SCOPES):
        raise ValueError("invalid scope")
    return " ".join(sorted(asked))


def check_scopes(text: str) -> str:
    """The scopes an admin gives a client, normalised; ValueError for an unknown or empty set."""
    chosen = set(text.split())
    if not chosen or not chosen <= set(SCOPES):
        raise ValueError("Choose at least one of: " + ", ".join(sorted(SCOPES)))
    return " ".join(sorted(chosen))
