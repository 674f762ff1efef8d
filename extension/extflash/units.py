"""Number formatting in the form NCS developers read: hex with a human size."""

from __future__ import annotations


def human_size(n: int) -> str:
    """``0xf4000`` -> ``976 KiB``; exact multiples only use the larger unit."""
    if n < 0:
        return f"-{human_size(-n)}"
    for unit, factor in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= factor:
            if n % factor == 0:
                return f"{_digits(n // factor)} {unit}"
            tenths = (n * 10 + factor // 2) // factor  # integers: no float overflow
            return f"{_digits(tenths // 10)}.{tenths % 10} {unit}"
    return f"{n} B"


def _digits(n: int) -> str:
    """Decimal digits, or a short form for a number beyond Python's
    int-to-str limit (4300 digits) that no real size reaches."""
    if n.bit_length() > 64:
        return f"(a {n.bit_length()}-bit number)"
    return str(n)


def hex_size(n: int) -> str:
    """``0xf4000 (976 KiB)``: how every size and address appears in messages."""
    return f"{n:#x} ({human_size(n)})"


def hex_addr(n: int) -> str:
    return f"{n:#x}"
