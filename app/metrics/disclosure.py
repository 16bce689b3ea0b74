"""Statistical disclosure control for every count the commissioner sees: cell-key perturbation.

The method is the one the ONS used for Census 2021 tables (its SML package
`cell_key_perturbation` implements the same look-up on pandas; this module is the look-up alone,
small and pure, so it runs on the aggregates the database returns):

- every person has a record key, a fixed secret random number 0-255 (users.record_key);
- the cell key of a count is the sum of the record keys of the people counted, modulo 256;
- the p-table gives the noise for (count, cell key); the published figure is count + noise;
- a figure whose perturbed value is below THRESHOLD is not shown ([c]), zeros included.

The same people always make the same cell key, so a figure gets the same noise in every table,
filter, page, export and release: asking again, or from another page, reveals nothing more.
Totals are cells of their own (their own people, their own key), so tables need not add up, and
differencing two published figures leaves the noise of both in the answer.

What is published about the method (docs/metrics.md): the noise is at most MAX_NOISE either way,
and figures below THRESHOLD are not shown. Record keys, cell keys and the noise of any figure never
leave the server.
"""

from __future__ import annotations

from dataclasses import dataclass

MODULUS = 256
THRESHOLD = 10  # a perturbed count below this is not shown
MAX_NOISE = 3  # the published bound: no shown count is more than this from the true count

# How many of the 256 cell keys give each noise, for counts of 4 or more: half get none, and
# larger moves are rarer. (Changing this changes every published figure: it is part of the
# methodology version in app.metrics.release_data.)
NOISE_SHARES = {0: 128, -1: 46, 1: 46, -2: 13, 2: 13, -3: 5, 3: 5}


@dataclass(frozen=True)
class Cell:
    """A count and the sum of the record keys of the people in it (any size; reduced here)."""

    count: int
    key_sum: int = 0

    def __add__(self, other: Cell) -> Cell:
        return Cell(self.count + other.count, self.key_sum + other.key_sum)

    @property
    def cell_key(self) -> int:
        """The cell key: the record keys' sum modulo 256."""
        return self.key_sum % MODULUS


def _row(count: int) -> tuple[int, ...]:
    """The p-table row for a count: the noise for each cell key 0-255. Noise never takes a count
    below zero (those keys get no noise instead), and a zero stays zero."""
    if count <= 0:
        return (0,) * MODULUS
    slots: list[int] = []
    for noise in (-3, -2, -1, 0, 1, 2, 3):
        slots += [noise if count + noise >= 0 else 0] * NOISE_SHARES[noise]
    # Interleave so that neighbouring cell keys do not share a noise (a cell key one record key
    # away from another says nothing about its noise).
    order = sorted(range(MODULUS), key=lambda k: (k * 167) % MODULUS)
    row = [0] * MODULUS
    for slot, key in zip(slots, order, strict=True):
        row[key] = slot
    return tuple(row)


# Rows differ only for counts 0-3 (where negative results are cut); 4 and above share one row.
_PTABLE = {count: _row(count) for count in range(5)}


def noise(count: int, cell_key: int) -> int:
    """The p-table look-up: the noise added to a count with this cell key."""
    return _PTABLE[min(max(count, 0), 4)][cell_key % MODULUS]


def perturb(cell: Cell) -> int:
    """The count as published, before the threshold."""
    return cell.count + noise(cell.count, cell.cell_key)


def shown(cell: Cell) -> int | None:
    """The count as published: perturbed, or None when the perturbed value is below THRESHOLD."""
    value = perturb(cell)
    return value if value >= THRESHOLD else None


def rate(numerator: int | None, denominator: int | None) -> float | None:
    """A rate from published (perturbed) counts: None when either is not shown or the base is
    under the threshold. Capped at 1, since noise can lift a numerator above its base."""
    if numerator is None or denominator is None or denominator < THRESHOLD:
        return None
    return min(numerator / denominator, 1.0)
