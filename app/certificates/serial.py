"""Certificate serials: random, human-typable codes such as ``MSA-7K3Q-9XW2-HT5M-PD4R``.

Format: the prefix ``MSA`` then 16 symbols in four groups of four. The first 15 symbols are random
(15 x 5 = 75 bits from `secrets`); the last is a check symbol. The alphabet is Crockford's base32
(digits and letters without I, L, O, U), so serials survive being read aloud or typed from paper.

The check symbol makes the weighted sum ``sum(x_k * 2**(n-k))`` over GF(32) equal zero, computed
by Horner's rule (a Damm-style check over the field, irreducible polynomial x^5 + x^2 + 1). Because
the field has no zero divisors, any single substitution changes the sum by ``e * 2**j != 0``, and
swapping adjacent symbols a, b changes it by ``(a + b) * 2**j * 3 != 0`` (in characteristic 2,
3 = x + 1 is not zero), so every single typo and every adjacent transposition, including one that
involves the check symbol, is caught.
"""

import secrets

from app.formatting import N_

PREFIX = "MSA"
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RANDOM_SYMBOLS = 15
LENGTH = RANDOM_SYMBOLS + 1
GROUP = 4
ENTROPY_BITS = RANDOM_SYMBOLS * 5

_VALUES = {symbol: value for value, symbol in enumerate(ALPHABET)}
# Crockford's decoding rules: letters easily confused with digits are read as those digits.
_CONFUSIONS = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = str.maketrans("", "", " -\t\u2010\u2011\u2012\u2013\u2014")
_POLY = 0b100101  # x^5 + x^2 + 1, irreducible over GF(2)


class SerialError(ValueError):
    """A serial that cannot be a certificate serial; the message is safe to show a user.

    `template` (marked for the catalogue) and `values` give the message again, for a page to
    translate: `gettext(error.template, **error.values)`."""

    def __init__(self, template: str, **values):
        super().__init__(template % values if values else template)
        self.template = template
        self.values = values


def _times_two(value: int) -> int:
    """Multiply a GF(32) element by x, reducing by the field polynomial."""
    value <<= 1
    return value ^ _POLY if value & 0b100000 else value


def _syndrome(values: list[int]) -> int:
    """Evaluate the symbols as a polynomial at x (Horner's rule); zero for a valid serial."""
    total = 0
    for value in values:
        total = _times_two(total) ^ value
    return total


def _check_symbol(body: str) -> str:
    """The symbol that makes the syndrome of body + symbol zero."""
    return ALPHABET[_times_two(_syndrome([_VALUES[c] for c in body]))]


def _group(symbols: str) -> str:
    """The canonical printed form: prefix and hyphen-separated groups."""
    groups = [symbols[i : i + GROUP] for i in range(0, len(symbols), GROUP)]
    return "-".join([PREFIX, *groups])


def new_serial() -> str:
    """A fresh random serial in canonical grouped form."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_SYMBOLS))
    return _group(body + _check_symbol(body))


def normalise(text: str) -> str:
    """Upper-case, drop separators and the prefix, and read O as 0 and I/L as 1."""
    compact = text.upper().translate(_SEPARATORS)
    if len(compact) == LENGTH + len(PREFIX) and compact.startswith(PREFIX):
        compact = compact[len(PREFIX) :]
    return compact.translate(_CONFUSIONS)


def parse(text: str) -> str:
    """The canonical form of a typed serial, or SerialError saying what is wrong with it."""
    symbols = normalise(text)
    if len(symbols) != LENGTH:
        raise SerialError(
            N_(
                "A serial has %(length)s characters after %(prefix)s- (four groups of four); this one has %(count)s."  # noqa: E501
            ),
            length=LENGTH,
            prefix=PREFIX,
            count=len(symbols),
        )
    unknown = sorted({c for c in symbols if c not in _VALUES})
    if unknown:
        raise SerialError(
            N_(
                "A serial uses only digits and the letters A-Z without I, L, O and U; it cannot contain %(symbols)s."  # noqa: E501
            ),
            symbols=" ".join(unknown),
        )
    if _syndrome([_VALUES[c] for c in symbols]) != 0:
        raise SerialError(N_("That serial has a typo: the check character does not match."))
    return _group(symbols)


def is_valid(text: str) -> bool:
    """Whether text is a well-formed serial (after normalising)."""
    try:
        parse(text)
    except SerialError:
        return False
    return True
