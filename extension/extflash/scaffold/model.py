"""What ``init`` plans, as plain data.

A layout module (``scaffold/layouts/``) describes the files it wants as
*specs*: the Kconfig settings a fragment must contain, the devicetree
properties an overlay must set, or the exact text of a file it owns. The
merge modules turn each spec plus the file on disk into a ``FileChange``;
``plan`` collects them; ``apply`` writes them. Nothing here touches the disk.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from extflash.boards import Board
from extflash.ncs import Layout, NcsVersion


@dataclass(frozen=True)
class Setting:
    """One Kconfig assignment a fragment must contain.

    value: what we write (``True`` -> ``y``, int, str)
    comment: lines written above the assignment (without ``#``)
    at_least: an existing larger int value also satisfies (``CONFIG_BOOT_MAX_IMG_SECTORS``)
    exclusive: other symbols of the same Kconfig choice; an existing ``=y`` of
        one of them is a conflict (two ``y`` in one choice: Kconfig keeps the last)
    """

    symbol: str
    value: bool | int | str
    comment: tuple[str, ...] = ()
    at_least: bool = False
    exclusive: tuple[str, ...] = ()


@dataclass(frozen=True)
class KconfigSpec:
    path: str  # relative to the application directory, '/' separated
    header: tuple[str, ...]
    settings: tuple[Setting, ...]


@dataclass(frozen=True)
class OverlaySpec:
    """What a devicetree overlay must set for the external flash.

    chosen: label for ``nordic,pm-ext-flash`` (None: the board has it already)
    status_okay: label whose node must have ``status = "okay"`` (None: okay by default)
    code_partition: also choose ``zephyr,code-partition = &boot_partition``
        (an MCUboot overlay replaces MCUboot's own app.overlay, which sets it)
    code_partition_label: the partition ``zephyr,code-partition`` points at
    include: a file the overlay must ``#include`` (the ``dts`` layout's shared
        memory map), as written in the directive
    flash_node: label of the external flash node; a ``status`` other than
        ``"okay"`` the user set on it is a conflict on every board, also where
        the board devicetree has it okay and init writes no status itself
    """

    path: str
    header: tuple[str, ...]
    chosen: str | None
    status_okay: str | None
    code_partition: bool = False
    code_partition_label: str = "boot_partition"
    include: str | None = None
    flash_node: str | None = None

    @property
    def empty(self) -> bool:
        return self.chosen is None and self.status_okay is None and self.include is None


@dataclass(frozen=True)
class RawSpec:
    """A file whose whole text the layout owns (for example a shared .dtsi)."""

    path: str
    text: str


Spec = KconfigSpec | OverlaySpec | RawSpec


@dataclass(frozen=True)
class Request:
    """Everything the user asked for, resolved (board data looked up,
    version and layout decided)."""

    app_dir: Path
    board: Board
    layout: Layout
    version: NcsVersion | None
    netcore: bool = False
    force: bool = False
    page_size: int = 4096
    file_suffix: str | None = None  # the build's -DFILE_SUFFIX (init --file-suffix)


class Status(str, Enum):
    CREATE = "created"
    UPDATE = "updated"
    UNCHANGED = "unchanged"
    CONFLICT = "conflict"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Conflict:
    """A line the user wrote that says something else than we need.

    line: 1-based line number in ``path``
    have: the user's text (trimmed); need: what init would write
    at_least: a larger value than ``need`` would also do
    """

    path: str
    line: int
    what: str
    have: str
    need: str
    at_least: bool = False


@dataclass
class FileChange:
    path: str
    status: Status
    old: str | None  # decoded text on disk, None if absent
    new: str  # the text after init (== old when unchanged)
    newline: str = "\n"
    bom: bool = False
    conflicts: list[Conflict] = field(default_factory=list)
    forced: list[Conflict] = field(default_factory=list)  # replaced because of --force


@dataclass(frozen=True)
class Geometry:
    """Slot sizes and the sector count written to CONFIG_BOOT_MAX_IMG_SECTORS."""

    app_slot: int
    net_slot: int | None
    sector_size: int
    max_sectors: int
    explanation: tuple[str, ...]


@dataclass
class Plan:
    request: Request
    changes: list[FileChange]
    geometry: Geometry
    notes: list[str] = field(default_factory=list)  # things the user should know
    warnings: list[str] = field(default_factory=list)
    next_command: str = ""
    generation: str = ""
    board_spelling: str = ""  # the board target as this generation spells it

    @property
    def conflicts(self) -> list[Conflict]:
        return [c for ch in self.changes for c in ch.conflicts]

    @property
    def to_write(self) -> list[FileChange]:
        return [ch for ch in self.changes if ch.status in (Status.CREATE, Status.UPDATE)]
