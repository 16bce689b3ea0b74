"""Demo data for content: none. `make run` syncs content/ with `flask content sync` first."""


def load() -> None:
    """Nothing to add: the Makefile runs `flask content sync` before `flask demo load`."""
