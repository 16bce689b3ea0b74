"""Draw an attempt's questions from a bank and shuffle option order, deterministically per seed."""

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Collection, Hashable, Sequence

# Give up reshuffling after this many tries and rotate instead; with n >= 2 a fresh shuffle
# equals the correct order with probability at most 1/2, so this is never reached in practice.
_MAX_RESHUFFLES = 64


def _strata(bank: Sequence[tuple[str, tuple[str, ...]]]) -> dict[str | None, list[str]]:
    """Group question keys by their first tag (None for untagged), in bank order."""
    strata: dict[str | None, list[str]] = {}
    seen: set[str] = set()
    for key, tags in bank:
        if key in seen:
            raise ValueError(f"duplicate question key {key!r} in bank")
        seen.add(key)
        strata.setdefault(tags[0] if tags else None, []).append(key)
    return strata


def allocate(sizes: Sequence[int], n: int, rng: random.Random) -> list[int]:
    """Split n seats across strata by largest remainder, at least one each if n allows."""
    total = sum(sizes)
    if not 0 <= n <= total:
        raise ValueError("n must be between 0 and the bank size")
    quotas = [n * size / total for size in sizes]
    seats = [math.floor(quota) for quota in quotas]
    # Ties between equal remainders are broken at random so no tag is favoured across attempts.
    tie_break = [rng.random() for _ in sizes]
    by_remainder = sorted(range(len(sizes)), key=lambda i: (-(quotas[i] - seats[i]), tie_break[i]))
    for i in by_remainder[: n - sum(seats)]:
        seats[i] += 1
    if n >= len(sizes):
        for empty in [i for i, s in enumerate(seats) if s == 0]:
            # Take the seat from the stratum most over-represented relative to its quota.
            donor = max(
                (i for i, s in enumerate(seats) if s >= 2),
                key=lambda i: (seats[i] - quotas[i], -tie_break[i]),
            )
            seats[donor] -= 1
            seats[empty] += 1
    return seats


def draw_questions(
    bank: Sequence[tuple[str, tuple[str, ...]]],
    n: int | None,
    seed: int,
    avoid: Collection[str] = (),
) -> tuple[str, ...]:
    """Pick n question keys, stratified by first tag; returned in bank order; all when n is None.

    Keys in `avoid` (the questions of the officer's previous attempt) are drawn only where a
    stratum has too few other questions to fill its seats: the seats per stratum are the same as
    without `avoid`, and within a stratum unseen questions are taken first. With nothing to avoid
    the draw is the same as before for the same seed.
    """
    strata = _strata(bank)
    keys = [key for key, _tags in bank]
    if n is None or n >= len(keys):
        return tuple(keys)
    if n < 1:
        raise ValueError("n must be at least 1")
    rng = random.Random(seed)
    groups = list(strata.values())
    seats = allocate([len(group) for group in groups], n, rng)
    avoided = set(avoid)
    chosen: set[str] = set()
    for group, count in zip(groups, seats, strict=True):
        fresh = [key for key in group if key not in avoided]
        seen = [key for key in group if key in avoided]
        taken = rng.sample(fresh, min(count, len(fresh)))
        chosen.update(taken)
        chosen.update(rng.sample(seen, count - len(taken)))
    return tuple(key for key in keys if key in chosen)


def _rng_for(seed: int, question_key: Hashable) -> random.Random:
    """A generator fixed by (attempt seed, question key), stable across processes and versions."""
    digest = hashlib.sha256(f"{seed}\x1f{question_key}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def shuffled_options(option_keys: Sequence[str], seed: int, question_key: str) -> tuple[str, ...]:
    """Display order for one question in one attempt; never the authored order when n >= 2."""
    keys = list(option_keys)
    if len(set(keys)) != len(keys):
        raise ValueError(f"{question_key}: duplicate option keys")
    if len(keys) < 2:
        return tuple(keys)
    rng = _rng_for(seed, question_key)
    shuffled = keys[:]
    # The authored order is the answer for ordering questions, so showing it would give it away.
    for _ in range(_MAX_RESHUFFLES):
        rng.shuffle(shuffled)
        if shuffled != keys:
            return tuple(shuffled)
    return tuple(keys[1:] + keys[:1])
