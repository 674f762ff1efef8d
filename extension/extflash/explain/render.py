"""``explain`` results as text: per recognized message, its cause, what to
look at, where the wording comes from, and (with a build) the findings of
the checks that confirm it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from extflash.explain import Hit
from extflash.model import Finding
from extflash.textsafe import printable

_BOLD, _DIM, _RESET = "\x1b[1m", "\x1b[2m", "\x1b[0m"
# what flash_area_open returns (zephyr v3.6.99-ncs2 subsys/storage/flash_map/
# flash_map.c l.39 -ENOENT: no area with that ID; l.43 -ENODEV: device not ready)
_ERRNO = {"-2": "ENOENT, the slot is not in MCUboot's flash map",
          "-19": "ENODEV, the slot's flash device is missing or not ready in MCUboot"}
_SEVERITY = {"error": "\x1b[91m", "warning": "\x1b[93m", "info": "\x1b[96m"}


@dataclass(frozen=True)
class Confirmation:
    """What the build says: the findings of the checks a message names."""

    build: str
    findings: tuple[Finding, ...]
    code_of: dict  # check name -> code


def _paint(text: str, sgr: str, color: bool) -> str:
    return f"{sgr}{text}{_RESET}" if color else text


def _kconfig(symbol: str) -> str:
    return symbol if symbol.startswith("CONFIG_") else f"CONFIG_{symbol}"


def summary(hit: Hit) -> str:
    """The message with its values, in NCS terms."""
    g = hit.groups
    where = f" (image {hit.image})" if hit.image else ""
    name = hit.pattern.name
    if name == "kconfig-value-not-taken":
        unmet = f"; unmet dependencies: {g['deps']}" if g.get("deps") else ""
        return (f"{_kconfig(g['symbol'])} was assigned '{g['assigned']}' but got "
                f"'{g['got'] or '(unset)'}'{where}{unmet}")
    if name == "device-dts-ord-undefined":
        return f"no device for devicetree node with dependency ordinal {g['ordinal']}{where}"
    if name == "undefined-node-label":
        return f"devicetree label '{g['label']}' does not exist{where}"
    if name == "flash-region-overflowed":
        return f"the image is {g['bytes']} bytes larger than its partition{where}"
    if name == "open-flash-area-failed":
        meaning = _ERRNO.get(g["rc"], "an error MCUboot's flash map returned")
        return (f"MCUboot cannot open image {g['image']} slot {g['slot']} (flash area "
                f"{g['id']}): {g['rc']} = {meaning}")
    if name == "max-img-sectors-too-small":
        return f"MCUboot has CONFIG_BOOT_MAX_IMG_SECTORS={g['sectors']}"
    return hit.text + where


def render_text(hits: Sequence[Hit], log: str, *, confirmation: Confirmation | None = None,
                color: bool = False) -> str:
    lines = []
    for hit in hits:
        p = hit.pattern
        repeat = f" (x{hit.count})" if hit.count > 1 else ""
        # log text is the user's: control characters shown as escapes (textsafe)
        lines.append(_paint(f"{printable(log)}:{hit.line}: {p.stage} log: "
                            f"{printable(summary(hit))}{repeat}", _BOLD, color))
        lines.append(f"  message:  {printable(hit.text)}")
        lines.append(f"  cause:    {p.cause}")
        lines.append(f"  look at:  {p.look_at}")
        lines.append(_paint(f"  printed:  \"{p.printed}\" ({p.source}; {p.versions})",
                            _DIM, color))
        if not p.checks:
            lines.append("  checks:   none of verify's checks decides this one; see 'look at'")
        elif confirmation is None:
            names = ", ".join(p.checks)
            lines.append(f"  checks:   west extflash explain LOG -d BUILD runs {names}")
        else:
            lines.extend(_confirmed(p.checks, confirmation, color))
        lines.append("")
    if not hits:
        lines.append(f"{log}: no known MCUboot, devicetree, Kconfig or linker message found")
    else:
        lines.append(f"{len(hits)} known message{'s' if len(hits) != 1 else ''} in {log}")
    return "\n".join(lines) + "\n"


def _confirmed(names: Sequence[str], c: Confirmation, color: bool) -> list[str]:
    found = [f for f in c.findings if f.name in names]
    ran = ", ".join(f"{c.code_of[n]} {n}" for n in names)
    if not found:
        return [f"  checks:   {ran} found nothing in {c.build}: the build does not show "
                "this cause (the device may run another build, or the cause is at run time)"]
    out = [f"  checks:   {ran} on {c.build} confirm it:"]
    for f in found:
        where = f"{f.location}: " if f.location else ""
        sev = _paint(str(f.severity), _SEVERITY.get(str(f.severity), ""), color)
        out.append(f"    {f.code} {f.name} {sev}: {where}{f.message}")
        out.append(f"      hint: {f.hint}")
    return out
