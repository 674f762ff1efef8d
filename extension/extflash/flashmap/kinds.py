"""What a row of the flash map is, and how each renderer shows it: the one
table of kinds, labels and colours (text, JSON and HTML all read it).

Partition names are Partition Manager's (sdk-nrf ``subsys/partition_manager``
``pm.yml.*`` files: ``mcuboot``, ``mcuboot_pad``, ``mcuboot_primary``,
``mcuboot_primary_app``, ``mcuboot_secondary``, ``mcuboot_primary_1``,
``mcuboot_secondary_1``, ``b0``, ``b0n``, ``s0``, ``s1``, ``provision``,
``settings_storage``, ``nvs_storage``, ``littlefs_storage``, ...) and, for
devicetree builds, the node labels of Zephyr's board files
(``boot_partition``, ``slot0_partition`` .. ``slot3_partition``,
``storage_partition``), mapped onto the same kinds.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


@dataclass(frozen=True)
class Style:
    label: str  # legend text
    fill: str  # HTML/SVG colour
    ansi: str  # terminal colour (SGR)


class PartKind(str, Enum):
    BOOTLOADER = "bootloader"
    PRIMARY = "primary-slot"
    SECONDARY = "secondary-slot"
    NETCORE_PRIMARY = "netcore-primary-slot"
    NETCORE_SECONDARY = "netcore-secondary-slot"
    CODE = "code"
    PAD = "header-pad"
    DATA = "data"
    FREE = "free"  # Partition Manager's unassigned rest of a region
    OTHER = "other"
    GAP = "gap"  # no partition at all

    def __str__(self) -> str:
        return self.value

    @property
    def style(self) -> Style:
        return KIND2STYLE[self]


KIND2STYLE: dict[PartKind, Style] = {
    PartKind.BOOTLOADER: Style("bootloader (MCUboot, b0, b0n, s0/s1)", "#4f5d75", "\x1b[94m"),
    PartKind.PRIMARY: Style("MCUboot primary slot", "#2a7ab0", "\x1b[34m"),
    PartKind.SECONDARY: Style("MCUboot secondary slot (update)", "#e07a1f", "\x1b[33m"),
    PartKind.NETCORE_PRIMARY: Style("network-core primary slot", "#7d5ba6", "\x1b[35m"),
    PartKind.NETCORE_SECONDARY: Style("network-core secondary slot", "#c45ab3", "\x1b[95m"),
    PartKind.CODE: Style("image code", "#6fb1d9", "\x1b[36m"),
    PartKind.PAD: Style("image header pad", "#a9c4d6", "\x1b[2m"),
    PartKind.DATA: Style("data (settings, storage, provision)", "#4e9f6b", "\x1b[32m"),
    PartKind.FREE: Style("unused (Partition Manager free space)", "#e9edf1", "\x1b[2m"),
    PartKind.OTHER: Style("other partition", "#b7a57a", ""),
    PartKind.GAP: Style("gap (no partition)", "#ffffff", "\x1b[2m"),
}

DIFF_STYLE = Style("differs between images", "#d7263d", "\x1b[91m")

# PM names (and devicetree labels) -> kind; anything else is decided in kind_of
NAME2KIND: dict[str, PartKind] = {
    "mcuboot": PartKind.BOOTLOADER,
    "boot_partition": PartKind.BOOTLOADER,
    "b0": PartKind.BOOTLOADER,
    "b0n": PartKind.BOOTLOADER,
    "s0": PartKind.BOOTLOADER,
    "s1": PartKind.BOOTLOADER,
    "s0_image": PartKind.BOOTLOADER,
    "s1_image": PartKind.BOOTLOADER,
    "mcuboot_primary": PartKind.PRIMARY,
    "mcuboot_primary_app": PartKind.PRIMARY,
    "slot0_partition": PartKind.PRIMARY,
    "slot0_ns_partition": PartKind.PRIMARY,
    "mcuboot_secondary": PartKind.SECONDARY,
    "mcuboot_secondary_app": PartKind.SECONDARY,
    "slot1_partition": PartKind.SECONDARY,
    "slot1_ns_partition": PartKind.SECONDARY,
    "mcuboot_primary_1": PartKind.NETCORE_PRIMARY,
    "slot2_partition": PartKind.NETCORE_PRIMARY,
    "mcuboot_secondary_1": PartKind.NETCORE_SECONDARY,
    "slot3_partition": PartKind.NETCORE_SECONDARY,
    "mcuboot_pad": PartKind.PAD,
    "provision": PartKind.DATA,
    "otp": PartKind.DATA,
}
_DATA_WORDS = ("storage", "settings", "nvs", "littlefs", "fcb", "data", "provision",
               "lfs", "log", "coredump")
_BOOT_PREFIXES = ("b0_", "b0n_", "s0_", "s1_", "mcuboot_sram", "boot_")


_CODE_NAMES = ("app", "tfm", "tfm_secure", "tfm_nonsecure", "spm", "code_partition")


def kind_of(name: str, *, images: frozenset[str] = frozenset(), is_free: bool = False
            ) -> PartKind:
    """The kind of a partition called ``name``; ``images`` are the build's
    image names (a Partition Manager partition named after an image holds
    that image's code, e.g. ``empty_net_core``, ``ipc_radio``)."""
    if is_free:
        return PartKind.FREE
    if name in NAME2KIND:
        return NAME2KIND[name]
    low = name.lower()
    if low.endswith("_pad"):
        return PartKind.PAD
    if low in _CODE_NAMES or name in images or low.startswith(("tfm_", "app_")):
        return PartKind.CODE
    if low.startswith(_BOOT_PREFIXES):
        return PartKind.BOOTLOADER
    if any(w in low for w in _DATA_WORDS):
        return PartKind.DATA
    return PartKind.OTHER


class MemoryKind(str, Enum):
    INTERNAL = "internal"
    EXTERNAL = "external"
    RAM_FLASH = "ram-flash"
    OTHER = "other"

    def __str__(self) -> str:
        return self.value


# PM region name -> (kind, title)
REGION2MEMORY: dict[str, tuple[MemoryKind, str]] = {
    "flash_primary": (MemoryKind.INTERNAL, "internal flash"),
    "external_flash": (MemoryKind.EXTERNAL, "external NOR flash"),
    "ram_flash": (MemoryKind.RAM_FLASH, "RAM flash (network-core update staging)"),
    "otp": (MemoryKind.OTHER, "OTP (UICR)"),
}


def memory_title(region: str, device: str | None) -> tuple[MemoryKind, str]:
    kind, title = REGION2MEMORY.get(region, (MemoryKind.OTHER, region))
    if kind is MemoryKind.INTERNAL and device and "rram" in device:
        title = "internal RRAM"
    return kind, title
