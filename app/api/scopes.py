"""API scopes and token lifetimes (pure).

A force's client reads that force's records (completions, certificates); a national client, the
commissioner's, reads the national aggregates only, as published with disclosure control. No
client holds both kinds.
"""

from app.formatting import N_

COMPLETIONS = "completions:read"
CERTIFICATES = "certificates:read"
AGGREGATES = "aggregates:read"
FORCE_SCOPES = {
    COMPLETIONS: N_("Course completions of the force's officers, with certificate status"),
    CERTIFICATES: N_("The status of one certificate of the force, by serial"),
}
NATIONAL_SCOPES = {
    AGGREGATES: N_("National figures per force, as the commissioner's report publishes them ([c] withheld)"),
}
SCOPES = {**FORCE_SCOPES, **NATIONAL_SCOPES}
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


def check_scopes(text: str, *, national: bool = False) -> str:
    """The scopes an admin gives a client, normalised: a force's client may hold only force scopes,
    a national client only the aggregates scope. ValueError for an unknown, empty or mixed set."""
    allowed = NATIONAL_SCOPES if national else FORCE_SCOPES
    chosen = set(text.split())
    if not chosen or not chosen <= set(allowed):
        lead = "A national client may hold only: " if national else "Choose at least one of: "
        raise ValueError(lead + ", ".join(sorted(allowed)))
    return " ".join(sorted(chosen))
