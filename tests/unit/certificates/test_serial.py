"""Certificate serials: format, entropy, normalising and typo detection."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.certificates import serial
from app.certificates.serial import SerialError, is_valid, new_serial, normalise, parse

bodies = st.text(alphabet=serial.ALPHABET, min_size=serial.RANDOM_SYMBOLS, max_size=serial.RANDOM_SYMBOLS)


def symbols_of(body: str) -> str:
    """The 16 bare symbols (body plus check) for a 15-symbol body."""
    return body + serial._check_symbol(body)


def test_new_serial_has_the_documented_shape():
    value = new_serial()
    prefix, *groups = value.split("-")
    assert prefix == "MSA"
    assert [len(g) for g in groups] == [4, 4, 4, 4]
    assert set("".join(groups)) <= set(serial.ALPHABET)
    assert is_valid(value)


def test_serials_carry_at_least_64_random_bits():
    bits = serial.RANDOM_SYMBOLS * math.log2(len(serial.ALPHABET))
    assert len(set(serial.ALPHABET)) == 32
    assert bits >= 64
    assert serial.ENTROPY_BITS == bits


def test_fresh_serials_do_not_repeat():
    values = {new_serial() for _ in range(2000)}
    assert len(values) == 2000


def test_alphabet_has_no_ambiguous_letters():
    assert not set("ILOU") & set(serial.ALPHABET)


@given(bodies)
def test_parse_round_trips_canonical_form(body):
    canonical = serial._group(symbols_of(body))
    assert parse(canonical) == canonical
    assert parse(canonical.lower().replace("-", " ")) == canonical
    assert normalise(canonical) == symbols_of(body)


@settings(max_examples=60)
@given(bodies)
def test_every_single_substitution_is_detected(body):
    symbols = symbols_of(body)
    for position, original in enumerate(symbols):
        for replacement in serial.ALPHABET.replace(original, ""):
            typo = symbols[:position] + replacement + symbols[position + 1 :]
            assert not is_valid(typo), (symbols, typo)


@settings(max_examples=200)
@given(bodies)
def test_every_adjacent_transposition_is_detected(body):
    symbols = symbols_of(body)
    for position in range(len(symbols) - 1):
        a, b = symbols[position], symbols[position + 1]
        if a == b:
            continue
        swapped = symbols[:position] + b + a + symbols[position + 2 :]
        assert not is_valid(swapped), (symbols, swapped)


def test_normalise_reads_confusable_letters_as_digits():
    canonical = serial._group(symbols_of("0111ABCDEFGHJKM"))
    typed = canonical.replace("0", "o").replace("1", "l", 1).replace("1", "I", 1)
    assert parse(f"  {typed.lower()}  ") == canonical


def test_parse_accepts_serial_without_prefix_or_hyphens():
    canonical = new_serial()
    assert parse(canonical.removeprefix("MSA-").replace("-", "")) == canonical


def test_a_typo_gets_the_check_character_message():
    canonical = new_serial()
    last = canonical[-1]
    typo = canonical[:-1] + ("0" if last != "0" else "1")
    with pytest.raises(SerialError, match="typo: the check character does not match"):
        parse(typo)


@pytest.mark.parametrize("text", ["", "MSA-1234", "MSA-7K3Q-9XW2-HT5M-PD4R-X"])
def test_wrong_length_says_how_long_a_serial_is(text):
    with pytest.raises(SerialError, match="A serial has 16 characters"):
        parse(text)


def test_letters_outside_the_alphabet_are_named():
    with pytest.raises(SerialError, match="cannot contain U"):
        parse("MSA-UUUU-UUUU-UUUU-UUUU")
    assert not is_valid("<script>alert(1)</script>")
