"""Board knowledge for ``init``: ``data/boards.yml`` loaded, validated and
looked up by board target.

Board targets are accepted in both spellings NCS has used:

- HWMv2 (NCS >= 2.7): ``nrf52840dk/nrf52840``, ``nrf9160dk@0.14.0/nrf9160/ns``
- HWMv1 (NCS <= 2.6): ``nrf52840dk_nrf52840``, ``nrf5340dk_nrf5340_cpuapp_ns``,
  ``nrf9160dk_nrf9160_ns@0.14.0``

A board overlay is named after the target with ``/`` -> ``_`` and, when a
revision is given, ``_<revision with . -> _>`` appended
(``boards/nrf9160dk_nrf9160_ns_0_14_0.overlay``), as Zephyr looks it up.

Nothing here prints or exits; problems are raised as ``UsageError`` /
``BoardError`` with a hint.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import yaml

from extflash.errors import BoardError, ExtflashError, UsageError
from extflash.ncs import NcsVersion
from extflash.resources import data_path, schema_path
from extflash.units import hex_size

_TARGET_RE = re.compile(
    r"^(?P<name>[A-Za-z0-9][A-Za-z0-9_-]*)"
    r"(?:@(?P<rev>[A-Za-z0-9][A-Za-z0-9._-]*))?"
    r"(?P<quals>(?:/[A-Za-z0-9][A-Za-z0-9_-]*)*)$"
)
_LABEL_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}\Z")  # \Z: "mx25r64\n" is not a label
_SIZE_RE = re.compile(r"^ *(0[xX][0-9a-fA-F]{1,16}|\d{1,20}) *([kKmM](?:i?[bB])?)? *\Z")
# sane ranges (issue 12): NOR flash behind Zephyr's 32-bit flash offsets is
# 64 KiB to 4 GiB; internal flash erase blocks are 1-8 KiB on nRF SoCs
# (nRF51 1 KiB, nRF52/53/91 4 KiB, nRF54L RRAM 4 KiB in Zephyr's devicetree)
SIZE_RANGES = {"--flash-size": (64 << 10, 4 << 30), "--erase-block": (256, 64 << 10)}
_TARGET_HINT = ("spell it like nrf52840dk/nrf52840, nrf5340dk_nrf5340_cpuapp or "
                "nrf9160dk@0.14.0/nrf9160/ns")
CUSTOM_OPTIONS = ("--flash-node", "--driver", "--flash-size", "--erase-block")


@dataclass(frozen=True)
class Soc:
    id: str
    name: str
    internal_flash_size: int
    erase_block: int
    write_block: int
    mcuboot_partition_size: int
    # MCUboot with the SPI NOR driver under Partition Manager (data/boards.yml sources)
    mcuboot_spi_nor_partition_size: int | None = None
    mcuboot_spi_nor_fprotect: bool = True

    def mcuboot_size(self, spi_nor: bool) -> int:
        """The MCUboot partition init plans with."""
        if spi_nor and self.mcuboot_spi_nor_partition_size:
            return self.mcuboot_spi_nor_partition_size
        return self.mcuboot_partition_size


@dataclass(frozen=True)
class ExternalFlash:
    """The NOR flash node: ``node`` is its devicetree label (``mx25r64``)."""

    node: str
    compatible: str
    bus: str
    driver: str  # "qspi" (nordic,qspi-nor) or "spi" (jedec,spi-nor)
    size: int
    default_status: str  # okay / disabled / varies
    sfdp_bfp: bool

    @property
    def needs_status_okay(self) -> bool:
        return self.default_status != "okay"


@dataclass(frozen=True)
class TargetName:
    """A board target as the user typed it, split into its parts."""

    text: str
    name: str
    revision: str | None
    qualifiers: tuple[str, ...]

    @property
    def without_revision(self) -> str:
        return "/".join((self.name, *self.qualifiers))


@dataclass(frozen=True)
class Board:
    """One board target with everything ``init`` needs to know about it."""

    id: str
    name: str
    hwmv2: str
    hwmv1: str | None
    soc: Soc | None
    flash: ExternalFlash
    revision: str | None = None
    hwmv1_revision: str | None = None
    mcuboot_disables_driver: dict | None = None
    chosen_in_board_since: NcsVersion | None = None
    netcore: bool = False
    min_ncs: NcsVersion | None = None
    custom: bool = False
    sources: tuple[str, ...] = field(default=())

    def spelling(self, hwmv2: bool) -> str:
        """The board target for ``west build -b``; HWMv1 when asked and known."""
        if hwmv2 or not self.hwmv1:
            name, _, rest = self.hwmv2.partition("/")
            rev = f"@{self.revision}" if self.revision else ""
            return f"{name}{rev}/{rest}" if rest else f"{name}{rev}"
        rev = self.revision or self.hwmv1_revision
        return f"{self.hwmv1}@{rev}" if rev else self.hwmv1

    def overlay_name(self, hwmv2: bool) -> str:
        """``boards/<this>.overlay`` in the application."""
        base = self.hwmv2.replace("/", "_") if (hwmv2 or not self.hwmv1) else self.hwmv1
        if self.revision:
            base += "_" + self.revision.replace(".", "_")
        return f"{base}.overlay"

    def chosen_in_board(self, version: NcsVersion | None, hwmv2: bool) -> bool:
        """Does the NCS board devicetree already choose ``nordic,pm-ext-flash``?"""
        if self.chosen_in_board_since is None:
            return False
        if version is None:
            return hwmv2  # every HWMv2 release (>= 2.7) is later than the change
        return version.release >= self.chosen_in_board_since


@dataclass(frozen=True)
class CustomFlash:
    node: str
    driver: str
    size: int
    erase_block: int


@dataclass(frozen=True)
class BoardData:
    socs: dict[str, Soc]
    boards: tuple[dict, ...]


# ---------------------------------------------------------------- loading


# boards.yml and its schema ship with extflash: libyaml's safe loader reads
# them in 3 ms instead of 26 ms with the pure-Python one (init's start-up cost)
_FAST_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _validate(data, path: Path) -> None:
    logging.getLogger("pykwalify").setLevel(logging.CRITICAL)
    from pykwalify.core import Core
    from pykwalify.errors import PyKwalifyException

    schema_file = schema_path("boards")
    try:
        schema = yaml.load(schema_file.read_text(encoding="utf-8"), Loader=_FAST_SAFE_LOADER)
        core = Core(source_data=data, schema_data=schema)
        core.validate(raise_exception=False)
        errors = list(core.validation_errors)
    except (PyKwalifyException, OSError, yaml.YAMLError) as e:
        errors = [str(e)]
    if errors:
        raise ExtflashError(
            f"does not match {schema_file.name}: {errors[0].split(' Path: ')[0]}"
            + (f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""),
            path=path,
            hint="this installation's board data is damaged; reinstall west-extflash",
        )


@lru_cache(maxsize=4)
def load_board_data(path: Path | None = None) -> BoardData:
    """Read and validate ``boards.yml``; cross-check references."""
    path = path or data_path("boards.yml")
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_FAST_SAFE_LOADER)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as e:
        raise ExtflashError(f"cannot read board data: {e}", path=path,
                            hint="reinstall west-extflash") from e
    _validate(data, path)
    socs = {
        s["id"]: Soc(s["id"], s["name"], s["internal_flash_size"], s["erase_block"],
                     s["write_block"], s["mcuboot_partition_size"],
                     s.get("mcuboot_spi_nor_partition_size"),
                     s.get("mcuboot_spi_nor_fprotect", True))
        for s in data["socs"]
    }
    seen: set[str] = set()
    for board in data["boards"]:
        for target in board["targets"]:
            if target["soc"] not in socs:
                raise ExtflashError(f"board {board['id']}: unknown soc '{target['soc']}'",
                                    path=path,
                                    hint="reinstall west-extflash")
            for name in (target["hwmv2"], target.get("hwmv1")):
                if name and name in seen:
                    raise ExtflashError(f"board target {name} is listed twice", path=path,
                                        hint="reinstall west-extflash")
                if name:
                    seen.add(name)
    return BoardData(socs, tuple(data["boards"]))


# ---------------------------------------------------------------- parsing


def _show(text: str) -> str:
    """``text`` for a one-line message: control characters escaped."""
    return "'" + text.encode("unicode_escape").decode("ascii") + "'"


def parse_target(text: str) -> TargetName:
    """Split and check a board target; refuse anything that could name a path."""
    if not text or not text.strip():
        raise UsageError("the board target is empty", hint=_TARGET_HINT)
    if ".." in text or "\\" in text or text.startswith("/") or text.endswith("/") or "//" in text:
        raise UsageError(f"{_show(text)} is not a board target: it looks like a path",
                         hint=_TARGET_HINT)
    m = _TARGET_RE.fullmatch(text)
    if not m:
        bad = sorted({c for c in text if not (c.isascii() and (c.isalnum() or c in "_-./@"))})
        what = f"character(s) {' '.join(repr(c) for c in bad)} are" if bad else "its form is"
        raise UsageError(f"{_show(text)} is not a board target: {what} not allowed",
                         hint=_TARGET_HINT)
    quals = tuple(q for q in m["quals"].split("/") if q)
    return TargetName(text, m["name"], m["rev"], quals)


def parse_size(text: str, option: str) -> int:
    """``8M``, ``8MiB``, ``0x800000``, ``4096``, ``4K`` -> bytes."""
    m = _SIZE_RE.fullmatch(text or "")
    if not m:
        raise UsageError(f"{option} {_show(text or '')} is not a size",
                         hint=f"give bytes, hex or K/M, for example {option} 0x800000 or 8M")
    value = int(m[1], 0)
    unit = (m[2] or "").lower()[:1]
    value *= {"": 1, "k": 1 << 10, "m": 1 << 20}[unit]
    if value <= 0:
        raise UsageError(f"{option} must be larger than 0", hint=f"for example {option} 8M")
    return value


def _in_range(value: int, text: str, option: str) -> int:
    low, high = SIZE_RANGES[option]
    if not low <= value <= high:
        raise UsageError(f"{option} {_show(text)} is outside {hex_size(low)} .. {hex_size(high)}",
                         hint=f"give the real size, for example {option} "
                              f"{'8M' if option == '--flash-size' else '4096'}")
    return value


def custom_flash(node: str | None, driver: str | None, size: str | None,
                 erase_block: str | None) -> CustomFlash | None:
    """The four custom-board options, all or none."""
    given = dict(zip(CUSTOM_OPTIONS, (node, driver, size, erase_block), strict=True))
    if not any(v is not None for v in given.values()):
        return None
    missing = [opt for opt, v in given.items() if v is None]
    if missing:
        raise UsageError(f"{', '.join(missing)} missing: a custom board needs all of "
                         f"{', '.join(CUSTOM_OPTIONS)}",
                         hint="for example --flash-node mx25r64 --driver spi --flash-size 8M "
                              "--erase-block 4096")
    if not _LABEL_RE.match(node):
        raise UsageError(f"--flash-node {_show(node)} is not a devicetree label",
                         hint="give the node label without '&', for example --flash-node mx25r64")
    erase = _in_range(parse_size(erase_block, "--erase-block"), erase_block, "--erase-block")
    if erase & (erase - 1):
        raise UsageError(f"--erase-block {hex_size(erase)} is not a power of two",
                         hint="nRF52/nRF53/nRF91/nRF54L internal flash erases 4096-byte pages")
    return CustomFlash(node, driver,
                       _in_range(parse_size(size, "--flash-size"), size, "--flash-size"), erase)


# ---------------------------------------------------------------- lookup


def _entry_for(data: BoardData, target: TargetName) -> tuple[dict, dict] | None:
    wanted = target.without_revision
    for board in data.boards:
        for t in board["targets"]:
            if wanted in (t["hwmv2"], t.get("hwmv1")):
                return board, t
    return None


def _revision(entry: dict, target: TargetName) -> tuple[str | None, dict]:
    revisions = {r["name"]: r for r in entry.get("revisions", [])}
    rev = target.revision
    if rev is None or not revisions:
        return rev, {}
    if rev not in revisions:
        raise BoardError(f"{entry['name']} has no board revision {rev}",
                         hint="known revisions: " + ", ".join(sorted(revisions)))
    info = revisions[rev]
    if "refuse" in info:
        default = entry.get("default_revision", "")
        example = target.text.replace(f"@{rev}", f"@{default}")
        raise BoardError(" ".join(info["refuse"].split()),
                         hint=f"build for revision {default} or later, for example -b {example}")
    return rev, info


def soc_names(data: BoardData | None = None) -> list[str]:
    """What ``--soc`` accepts: each SoC id, and the application-core SoCs also
    without ``_cpuapp`` (``nrf5340``, ``nrf54l15``)."""
    data = data or load_board_data()
    return sorted({*data.socs, *(i.removesuffix("_cpuapp") for i in data.socs)})


def resolve_soc(text: str, data: BoardData | None = None) -> Soc:
    """``--soc TEXT`` -> the SoC table entry (data/boards.yml ``socs``)."""
    data = data or load_board_data()
    for candidate in (text, f"{text}_cpuapp"):
        if candidate in data.socs:
            return data.socs[candidate]
    raise UsageError(f"--soc {_show(text)} is not a SoC init knows",
                     hint="known SoCs: " + ", ".join(soc_names(data)))


def resolve_board(text: str, custom: CustomFlash | None = None,
                  data: BoardData | None = None, soc: str | None = None) -> Board:
    """The board for ``-b TEXT`` (and the custom-board options and ``--soc``,
    if given)."""
    data = data or load_board_data()
    target = parse_target(text)
    given_soc = resolve_soc(soc, data) if soc is not None else None
    found = _entry_for(data, target)
    if found is None:
        if custom is None:
            ids = {b["id"]: b for b in data.boards}
            if target.name in ids:
                names = ", ".join(t["hwmv2"] for t in ids[target.name]["targets"])
                raise BoardError(f"{_show(text)} is not a target of {ids[target.name]['name']}",
                                 hint=f"use one of {names}")
            known = ", ".join(b["targets"][0]["hwmv2"] for b in data.boards if "flash" in b)
            raise BoardError(f"unknown board {_show(text)}",
                             hint=f"built-in boards: {known}; for another board give "
                                  f"{', '.join(CUSTOM_OPTIONS)}")
        if given_soc is None:
            raise UsageError(
                f"--soc missing: {_show(text)} is not a built-in board, so init needs its SoC "
                "for the internal flash and MCUboot sizes",
                hint="add --soc, one of " + ", ".join(soc_names(data)))
        return _custom_board(target, custom, given_soc)
    entry, t = found
    if given_soc is not None and given_soc.id != t["soc"]:
        raise UsageError(f"--soc {soc}: {t['hwmv2']} has the SoC {data.socs[t['soc']].name}",
                         hint="leave out --soc for a built-in board")
    rev, rev_info = _revision(entry, target)
    if custom is not None:
        board = _custom_board(target, custom, data.socs[t["soc"]])
        return replace(board, id=entry["id"], name=entry["name"], hwmv2=t["hwmv2"],
                       hwmv1=t.get("hwmv1"), revision=rev)
    if "flash" not in entry:
        raise BoardError(f"{entry['name']} ({t['hwmv2']}) has no external flash in its devicetree",
                         hint="if your board has a NOR flash, describe it with "
                              "--flash-node LABEL --driver {qspi,spi} --flash-size SIZE "
                              "--erase-block SIZE")
    f = entry["flash"]
    flash = ExternalFlash(
        node=rev_info.get("flash_node", f["node"]), compatible=f["compatible"], bus=f["bus"],
        driver=f["driver"], size=f["size"],
        default_status=rev_info.get("flash_default_status", f["default_status"]),
        sfdp_bfp=f["sfdp_bfp"],
    )
    disables = entry.get("mcuboot_disables_driver")
    if disables and disables.get("revision") not in (None, rev):
        disables = None
    since = entry.get("chosen_in_board_since")
    min_ncs = entry.get("min_ncs")
    return Board(
        id=entry["id"], name=entry["name"], hwmv2=t["hwmv2"], hwmv1=t.get("hwmv1"),
        soc=data.socs[t["soc"]], flash=flash, revision=rev,
        hwmv1_revision=entry.get("hwmv1_revision"), mcuboot_disables_driver=disables,
        chosen_in_board_since=NcsVersion.parse(since) if since else None,
        netcore=entry["netcore"], min_ncs=NcsVersion.parse(min_ncs) if min_ncs else None,
        sources=tuple(entry["sources"]),
    )


def _custom_board(target: TargetName, custom: CustomFlash, soc: Soc) -> Board:
    if soc.erase_block != custom.erase_block:
        soc = replace(soc, erase_block=custom.erase_block)
    flash = ExternalFlash(
        node=custom.node,
        compatible="nordic,qspi-nor" if custom.driver == "qspi" else "jedec,spi-nor",
        bus="qspi" if custom.driver == "qspi" else "spi", driver=custom.driver,
        size=custom.size, default_status="varies", sfdp_bfp=False,
    )
    name = target.without_revision
    return Board(id=name, name=f"custom board {name}", hwmv2=name, hwmv1=None, soc=soc,
                 flash=flash, revision=target.revision, custom=True,
                 sources=("command line: " + " ".join(CUSTOM_OPTIONS) + " --soc",))


def erase_block(board: Board, custom: CustomFlash | None = None) -> int:
    """The internal flash erase block: MCUboot's sector size and the external
    driver's layout page size."""
    if custom is not None:
        return custom.erase_block
    return board.soc.erase_block if board.soc else 4096
