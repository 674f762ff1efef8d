"""Number formatting in the form NCS developers read: hex with a human size."""

from __future__ import annotations


def human_size(n: int) -> str:
    """``0xf4000`` -> ``976 KiB``; exact multiples only use the larger unit."""
    if n < 0:
        return f"-{human_size(-n)}"
    for unit, factor in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= factor:
            value = n / factor
            return f"{value:.0f} {unit}" if n % factor == 0 else f"{value:.1f} {unit}"
    return f"{n} B"


def hex_size(n: int) -> str:
    """``0xf4000 (976 KiB)``: how every size and address appears in messages."""
    return f"{n:#x} ({human_size(n)})"


def hex_addr(n: int) -> str:
    return f"{n:#x}"
