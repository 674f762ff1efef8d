"""Geometry advice: for each MCUboot slot pair of a build, the largest image
MCUboot's mode can update, the signed image's size when the build has one,
and what each other mode would allow and cost. The limits are the same
function the ``image-slot-fit`` check uses (``checks/signed_image.limit``),
so advice and check cannot disagree.

Costs, from MCUboot's documentation and sources:
- swap-move: one spare sector in the primary slot; every sector is moved
  and swapped (3 writes); revert possible (sdk-mcuboot ``docs/design.md``,
  "Swap without using scratch").
- swap-using-offset (sdk-mcuboot ncs-v3.1.0 and later, ``swap_offset.c``):
  the spare sector moves to the secondary slot, which must be one sector
  larger; the update is written one sector into the secondary slot; revert
  possible.
- overwrite-only (``CONFIG_BOOT_UPGRADE_ONLY``): only magic and flags in
  the trailer; no revert, a bad image that boots cannot be rolled back.
- swap-scratch: needs a scratch partition in internal flash
  (``mcuboot_scratch`` / ``scratch_partition``) that every swap wears;
  offered only when the layout has one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extflash.checks.mcuboot_modes import SYMBOL2MODE, Mode
from extflash.model import Build

MODE2COST = {
    Mode.SWAP_MOVE: "one spare sector in the primary slot; revert possible",
    Mode.SWAP_SCRATCH: "uses the scratch partition the layout has, which every swap wears; "
                       "revert possible",
    Mode.SWAP_OFFSET: "the secondary slot one sector larger (NCS 3.1 or later); "
                      "revert possible",
    Mode.OVERWRITE: "no revert: an image that boots but misbehaves cannot be rolled back",
}
# sdk-nrf sysbuild/Kconfig.mcuboot (SB_CONFIG_MCUBOOT_NRF53_MULTI_IMAGE_UPDATE)
# and the network-core update through PCD: see check netcore-update-mode
NETCORE_NOTE = ("network-core updates are copied by the application core (PCD); the nRF5340 "
                "multi-image update needs overwrite-only MCUboot, so no other mode is offered")
MODE2SYMBOL = {mode: symbol for symbol, mode in reversed(SYMBOL2MODE)}


@dataclass(frozen=True)
class Option:
    mode: Mode
    symbol: str
    max_size: int
    gain: int  # bytes more (or less) than the current mode
    cost: str


@dataclass
class PairGeometry:
    primary: str
    secondary: str
    mode: Mode
    max_size: int
    trailer: int
    sector: int
    how: str
    image_file: str | None = None
    image_size: int | None = None
    options: list[Option] = field(default_factory=list)
    note: str | None = None


SCRATCH_NAMES = ("mcuboot_scratch", "scratch_partition")  # PM name, devicetree label


def _has_scratch(build: Build) -> bool:
    if any(n in mm.name2partition for mm in build.domain2map.values() for n in SCRATCH_NAMES):
        return True
    tree = build.mcuboot.devicetree if build.mcuboot else None
    return tree is not None and any(set(SCRATCH_NAMES) & set(node.labels)
                                    for node in tree.path2node.values())


def geometry(build: Build) -> list[PairGeometry]:
    from extflash.checks.signed_image import INDEX2PAIR, limit, pair_of

    mcuboot = build.mcuboot
    if mcuboot is None or mcuboot.config is None:
        return []
    result = []
    for pair in INDEX2PAIR.values():
        current = limit(build, mcuboot, pair)
        if current is None:
            continue
        g = PairGeometry(pair[0], pair[1], current.mode, current.max_size, current.trailer,
                         current.sector, current.how)
        for image in build.signed_images:
            if image.problem is None and pair_of(image) == pair:
                g.image_file, g.image_size = image.file, image.size
                break
        if pair == INDEX2PAIR[1]:
            g.note = NETCORE_NOTE
            result.append(g)
            continue
        for mode, cost in MODE2COST.items():
            if mode is current.mode or (mode is Mode.SWAP_SCRATCH and not _has_scratch(build)):
                continue
            extra = current.sector if mode is Mode.SWAP_OFFSET else 0
            other = limit(build, mcuboot, pair, mode=mode, secondary_extra=extra)
            if other is not None:
                g.options.append(Option(mode, MODE2SYMBOL[mode], other.max_size,
                                        other.max_size - current.max_size, cost))
        result.append(g)
    return result
