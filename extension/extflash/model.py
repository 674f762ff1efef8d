"""The data ``verify`` judges: a build described as images, memory maps,
slots and regions, independent of where the facts came from.

Two sources feed the same model (README.rst, "NCS generations"):

- Partition Manager builds (child image, NCS <= 2.9; sysbuild, NCS 2.7 to
  3.3, and 3.4 with ``SB_CONFIG_PARTITION_MANAGER=y``): one ``MemoryMap``
  per PM domain from ``partitions*.yml`` + ``regions*.yml``, shared by all
  images of that domain; each image additionally has ``pm_config.h``.
- Devicetree-partition builds (NCS >= 3.4 default): each image has its own
  ``MemoryMap`` built from the ``fixed-partitions`` in its ``zephyr.dts``.

Checks receive a ``Build`` and never read files; loaders build it and never
judge. Every fact keeps a ``Location`` so findings can point at the file
(and the node, key or line) it came from.

This module imports nothing from the rest of the package and keeps no
global state. Lookup dicts are named ``x2y``; no ``get_`` prefixes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum, IntEnum
from pathlib import Path

# Slot names as Partition Manager spells them; devicetree builds map their
# labels onto these (scripts/pm_to_dts.py in sdk-nrf uses the same table).
PRIMARY = "mcuboot_primary"
SECONDARY = "mcuboot_secondary"
PRIMARY_1 = "mcuboot_primary_1"  # nRF5340 network core, staged in ram_flash
SECONDARY_1 = "mcuboot_secondary_1"
DTS_LABEL2SLOT = {
    "slot0_partition": PRIMARY,
    "slot1_partition": SECONDARY,
    "slot2_partition": PRIMARY_1,
    "slot3_partition": SECONDARY_1,
}

# Codes of the two checks whose findings the loaders record while reading
# (Build.load_findings); the checks registry gives them severity and docs.
ARTEFACT_MISSING = ("EXF001", "artefact-missing")
SCHEMA = ("EXF002", "schema")
# a value a check needs is present but cannot be decoded (a finding, never a default)
UNDECODABLE_VALUE = ("EXF010", "undecodable-value")
# a file is present but holds nothing decodable (empty, binary, another encoding)
ARTEFACT_UNDECODABLE = ("EXF011", "artefact-undecodable")

# Region names as Partition Manager spells them.
FLASH_PRIMARY = "flash_primary"
EXTERNAL_FLASH = "external_flash"
RAM_FLASH = "ram_flash"


class Evidence(str, Enum):
    """The kinds of input a check needs; a missing or undecodable one names
    the checks it blocked (table in checks/artefacts.py)."""

    SYSBUILD_KCONFIG = "sysbuild Kconfig output"
    IMAGE = "image folder"
    IMAGE_KCONFIG = "image Kconfig output"
    IMAGE_DEVICETREE = "image devicetree"
    PM_HEADER = "pm_config.h"
    PM_CONFIG = "pm.config"
    PARTITIONS = "Partition Manager partitions"
    REGIONS = "Partition Manager regions"
    CMAKE_CACHE = "CMake cache"

    def __str__(self) -> str:
        return self.value


class Severity(IntEnum):
    """Ordered so that sorting puts errors first."""

    ERROR = 0
    WARNING = 1
    INFO = 2

    def __str__(self) -> str:
        return self.name.lower()


class Role(str, Enum):
    """What an image is to the external-flash setup."""

    APP = "app"  # the default (main) application image
    MCUBOOT = "mcuboot"
    NETCORE = "netcore"  # an nRF5340 network-core image (ipc_radio, hci_ipc, b0n, ...)
    OTHER = "other"  # b0, s1_image, tfm, ...

    def __str__(self) -> str:
        return self.value


class Partitioning(str, Enum):
    PM = "partition-manager"
    DTS = "devicetree"
    NONE = "none"  # neither PM output nor devicetree slots found

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Location:
    """Where a fact came from.

    file: path relative to the build directory (or as given, for --static)
    detail: the place inside it: a YAML path (``/mcuboot_secondary/size``),
        a devicetree node path, a Kconfig symbol or a macro name
    line: 1-based line number when known
    defined_in: ``FILE:LINE`` of the source that set the fact: for
        devicetree facts the overlay/dts that zephyr.dts records for the
        node; loaders.lines adds the Kconfig fragment line of a symbol and
        the pm_static.yml entry of a partition when the build records them
    column: 1-based column when known
    no_line: why there is no line, when there is none (the file is missing,
        the symbol is absent from .config, ...); set by loaders.lines
    """

    file: str
    detail: str | None = None
    line: int | None = None
    defined_in: str | None = None
    column: int | None = None
    no_line: str | None = None

    def __str__(self) -> str:
        text = self.file
        if self.line is not None:
            text += f":{self.line}"
        if self.detail:
            text += f": {self.detail}"
        return text


@dataclass(frozen=True)
class Region:
    """A Partition Manager region, or the flash device of a devicetree map.

    name: ``flash_primary``, ``external_flash``, ``ram_flash``, ``sram_primary``, ...
    base: base address; size: bytes
    device: PM device string (``DT_CHOSEN(nordic_pm_ext_flash)``,
        ``flash_controller``) or the devicetree node path
    default_driver_kconfig: the Kconfig symbol gating the region
        (``CONFIG_PM_EXTERNAL_FLASH_HAS_DRIVER``), None when the file
        predates it (NCS < 2.1)
    erase_block: erase block size in bytes when known (devicetree)
    write_block: write block size in bytes when known (devicetree)
    """

    name: str
    base: int
    size: int
    device: str | None = None
    default_driver_kconfig: str | None = None
    placement: str | None = None
    erase_block: int | None = None
    write_block: int | None = None
    location: Location | None = None

    @property
    def end(self) -> int:
        return self.base + self.size


@dataclass(frozen=True)
class Partition:
    """A partition or MCUboot slot.

    address: absolute address; for PM ``external_flash`` partitions the
        offset from ``CONFIG_PM_EXTERNAL_FLASH_BASE`` (PM writes them so)
    region: region name (``flash_primary``, ``external_flash``, ...)
    device: PM ``device`` value or devicetree node path of the flash device
    span: names of the partitions this container spans (``span:``)
    inside: the container a partition is placed in (``inside: [name]``);
        Partition Manager adds it to that container's span
        (sdk-nrf v2.7.0 scripts/partition_manager.py, solve_inside)
    """

    name: str
    address: int
    size: int
    region: str = FLASH_PRIMARY
    device: str | None = None
    span: tuple[str, ...] = ()
    location: Location | None = None
    inside: tuple[str, ...] = ()

    @property
    def end(self) -> int:
        return self.address + self.size

    @property
    def is_container(self) -> bool:
        return bool(self.span)


@dataclass(frozen=True)
class Undecoded:
    """A partition key whose value is not what Partition Manager computes
    with (``size: CONFIG_PM_PARTITION_SIZE_X`` in a static file: PM reads
    static files with ``yaml.safe_load`` and never runs the C preprocessor
    over them, so the name stays a string)."""

    partition: str
    key: str
    raw: str | None  # None: the key is missing
    location: Location | None = None


@dataclass
class MemoryMap:
    """Partitions and regions as one image (or one PM domain) sees them.

    domain: PM domain (``""`` for the application domain, ``"CPUNET"``), or
        the image name for devicetree maps
    name2partition / name2region: lookups by PM name
    source: the file it was read from
    pm_config: PM builds: the domain's ``pm.config`` (``PM_*`` name -> raw
        value), None when absent
    """

    domain: str
    name2partition: dict[str, Partition] = field(default_factory=dict)
    name2region: dict[str, Region] = field(default_factory=dict)
    source: Location | None = None
    pm_config: dict[str, str] | None = None
    pm_config_location: Location | None = None
    undecoded: list[Undecoded] = field(default_factory=list)

    @property
    def slots(self) -> dict[str, Partition]:
        """The MCUboot slots present, by PM name."""
        return {n: p for n, p in self.name2partition.items()
                if n in (PRIMARY, SECONDARY, PRIMARY_1, SECONDARY_1)}


@dataclass(frozen=True)
class DtNode:
    """The facts checks need about one devicetree node.

    path: full node path; labels: its labels
    compatible: its compatible strings
    status: ``okay``/``disabled``/None when the property is absent (= okay)
    reg: ``(address, size)`` pairs
    props: other properties of interest, decoded (``size`` in bits for
        ``jedec,spi-nor``, ``erase-block-size``, ``write-block-size``, ...)
    parent: parent node path (the bus for a flash chip)
    """

    path: str
    labels: tuple[str, ...] = ()
    compatible: tuple[str, ...] = ()
    status: str | None = None
    reg: tuple[tuple[int, int], ...] = ()
    props: dict = field(default_factory=dict, hash=False, compare=False)
    parent: str | None = None
    location: Location | None = None
    undecodable: tuple[str, ...] = ()  # properties present but not decodable (status, reg...)

    @property
    def enabled(self) -> bool:
        # an undecodable status (loaders record it as None in ``status`` and
        # "status" in ``undecodable``) is not "enabled": it is a finding
        if "status" in self.undecodable:
            return False
        return self.status in (None, "okay", "ok")


@dataclass
class Devicetree:
    """What was read from one image's ``zephyr.dts``.

    chosen: chosen property -> node path (``nordic,pm-ext-flash``)
    path2node: the nodes checks look at (flash devices, their buses,
        partitions, chosen targets), by path
    """

    chosen: dict[str, str] = field(default_factory=dict)
    path2node: dict[str, DtNode] = field(default_factory=dict)
    source: Location | None = None

    def node(self, path: str | None) -> DtNode | None:
        return self.path2node.get(path) if path else None

    def chosen_node(self, prop: str) -> DtNode | None:
        return self.node(self.chosen.get(prop))


@dataclass
class Image:
    """One Zephyr image of the build.

    name: the sysbuild image name (``mcuboot``, the app's name, ``ipc_radio``)
    role: what it is (app, MCUboot, network core, other)
    dir: its build directory, relative to the build root (``""`` for the
        child-image application at the top level)
    config: its ``zephyr/.config``, symbol (with ``CONFIG_`` prefix) -> value
    config_location: where ``config`` came from
    devicetree: facts from its ``zephyr/zephyr.dts``
    pm_header: ``PM_*`` macros of its ``pm_config.h``, name -> raw value text
    domain: the PM domain it belongs to (``""`` app domain, ``"CPUNET"``)
    memory_map: devicetree builds only: the slots this image was built with
    """

    name: str
    role: Role
    dir: str
    config: dict[str, bool | int | str] | None = None
    config_location: Location | None = None
    devicetree: Devicetree | None = None
    pm_header: dict[str, str] | None = None
    pm_header_location: Location | None = None
    domain: str = ""
    memory_map: MemoryMap | None = None

    def kconfig(self, symbol: str, default=None):
        return default if self.config is None else self.config.get(symbol, default)

    def is_y(self, symbol: str) -> bool:
        return self.kconfig(symbol) is True

    def config_at(self, symbol: str) -> Location | None:
        """Where ``symbol`` is set (or would be) in this image's ``.config``:
        its file with the symbol as detail (loaders.lines adds the line)."""
        if self.config_location is None:
            return None
        return Location(self.config_location.file, symbol)


@dataclass(frozen=True)
class Finding:
    """One result of ``verify``: plain data, never raised.

    code / name: the check's stable code (``EXF201``) and kebab-case name
    image: the image it concerns, None when it concerns the whole build
    message: the facts with their values; hint: one imperative line
    docs: NCS documentation URL
    """

    code: str
    name: str
    severity: Severity
    message: str
    hint: str
    location: Location | None = None
    image: str | None = None
    docs: str | None = None
    evidence: Evidence | None = None  # loader findings: the kind of input concerned

    def __post_init__(self):
        # values from the build (partition names, paths, Kconfig strings) are
        # in the message: one finding stays one line, no escape runs (issue 12)
        from extflash.textsafe import printable

        for name in ("message", "hint"):
            value = getattr(self, name)
            if isinstance(value, str):
                object.__setattr__(self, name, printable(value))


@dataclass
class Build:
    """A whole build directory as checks see it.

    path: the build directory
    layout: ``sysbuild`` or ``child-image``
    partitioning: where the slots come from (PM output, devicetree, none)
    sysbuild_config: ``SB_CONFIG_*`` values of the sysbuild ``zephyr/.config``
    name2image: every image found
    domain2map: Partition Manager maps by domain (``""``, ``"CPUNET"``)
    board: the board target the build was made for, when recorded
    ncs_version: the NCS version as text, when the build records it
    notes: facts about what was (not) found, for the report header
    load_findings: findings the loaders produced (schema, artefact-missing)
    baseline: ``verify --baseline``: the layout document (``layoutdoc.LayoutDoc``)
        this build's layout must match, None without the option
    """

    path: Path
    layout: str
    partitioning: Partitioning = Partitioning.NONE
    sysbuild_config: dict[str, bool | int | str] | None = None
    name2image: dict[str, Image] = field(default_factory=dict)
    domain2map: dict[str, MemoryMap] = field(default_factory=dict)
    board: str | None = None
    ncs_version: str | None = None
    notes: list[str] = field(default_factory=list)
    load_findings: list[Finding] = field(default_factory=list)
    baseline: object | None = None
    signed_images: list = field(default_factory=list)  # loaders.signed_image.SignedImage

    def images(self, role: Role | None = None) -> list[Image]:
        return [i for i in self.name2image.values() if role is None or i.role is role]

    @property
    def app(self) -> Image | None:
        apps = self.images(Role.APP)
        return apps[0] if apps else None

    @property
    def mcuboot(self) -> Image | None:
        boots = self.images(Role.MCUBOOT)
        return boots[0] if boots else None

    def sb(self, symbol: str, default=None):
        """A sysbuild option, ``SB_CONFIG_`` prefix included."""
        if self.sysbuild_config is None:
            return default
        return self.sysbuild_config.get(symbol, default)
