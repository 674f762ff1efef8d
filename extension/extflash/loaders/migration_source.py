"""What ``migrate`` reads: the Partition Manager layout to move and the
devicetree facts needed to name its flash devices. Reads, never judges.

- From a build directory (``-d``): ``partitions.yml`` (and
  ``partitions_CPUNET.yml``) through ``load_build``, the flash devices from
  the application's ``/chosen`` in its ``zephyr.dts`` (``zephyr,flash`` for
  ``flash_primary``, ``nordic,pm-ext-flash`` for ``external_flash``), the
  network core's ``zephyr,flash`` from a network-core image's ``zephyr.dts``,
  and MCUboot's ``.config`` (which flash driver, layout page and sector count
  the Partition Manager build used).
- From ``--static pm_static.yml -b BOARD``: the file and the board data
  (``data/boards.yml``: the NOR node label; the SoC's internal flash node).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from extflash.errors import ArtefactError
from extflash.model import EXTERNAL_FLASH, FLASH_PRIMARY, MemoryMap, Role

CHOSEN_FLASH = "zephyr,flash"
CHOSEN_EXT = "nordic,pm-ext-flash"


@dataclass
class MigrationSource:
    """app_map: the application domain's layout; region2node: region ->
    (devicetree label of its flash device, absolute base); net_*: the nRF5340
    network core's domain (CPUNET), when the build has one; mcuboot_config:
    MCUboot's ``.config`` values, None when unknown."""

    description: str
    board: str | None
    origin: str  # what the layout came from, in the files' header
    app_map: MemoryMap
    region2node: dict[str, tuple[str, int]] = field(default_factory=dict)
    net_map: MemoryMap | None = None
    net_region2node: dict[str, tuple[str, int]] = field(default_factory=dict)
    net_images: tuple[str, ...] = ()
    mcuboot_config: dict | None = None
    build_layout: str | None = None  # sysbuild / child-image
    partitioning: str = "partition-manager"
    ext_base: int = 0  # regions.yml external_flash base_address (CONFIG_PM_EXTERNAL_FLASH_BASE)
    # devicetree partitions of the application that something in its
    # zephyr.dts refers to (an fstab entry, a chosen node): (region, label,
    # absolute address or chip offset, size, the referring lines)
    referenced: list[tuple[str, str, int, int]] = field(default_factory=list)


def _node_facts(tree, chosen: str) -> tuple[str, int] | None:
    node = tree.chosen_node(chosen) if tree is not None else None
    if node is None or not node.labels:
        return None
    return node.labels[0], node.reg[0][0] if node.reg else 0


def from_build(path: Path) -> MigrationSource:
    from extflash.loaders import load_build
    from extflash.loaders.devicetree import load_devicetree

    build = load_build(path)
    app_map = build.domain2map.get("")
    source = MigrationSource(f"the Partition Manager build {path}", build.board,
                             "Partition Manager layout (partitions.yml)",
                             app_map if app_map is not None else MemoryMap(""),
                             build_layout=build.layout, partitioning=str(build.partitioning))
    if app_map is None:
        return source
    app = build.app
    tree = app.devicetree if app is not None else None
    for region, chosen in ((FLASH_PRIMARY, CHOSEN_FLASH), (EXTERNAL_FLASH, CHOSEN_EXT)):
        facts = _node_facts(tree, chosen)
        if facts is not None:
            source.region2node[region] = facts
    ext = app_map.name2region.get(EXTERNAL_FLASH)
    source.ext_base = ext.base if ext is not None else 0
    if tree is not None and app is not None:
        source.referenced = _referenced_partitions(build.path / app.dir / "zephyr" / "zephyr.dts"
                                                   if app.dir else
                                                   build.path / "zephyr" / "zephyr.dts", tree)
    boot = build.mcuboot
    source.mcuboot_config = boot.config if boot is not None else None
    net = build.domain2map.get("CPUNET")
    if net is None and build.layout == "child-image":
        # child images: the network core's Partition Manager output is in its
        # own child image's directory (hci_rpmsg/partitions_CPUNET.yml)
        from extflash.loaders.pm_yaml import load_yaml, memory_map

        for image in build.images(Role.NETCORE):
            found = build.path / image.dir / "partitions_CPUNET.yml" if image.dir else None
            if found is not None and found.is_file():
                data = load_yaml(found, "Partition Manager partitions_CPUNET.yml")
                net = memory_map("CPUNET", data, f"{image.dir}/partitions_CPUNET.yml")
                break
    if net is not None:
        source.net_map = net
        images = [i for i in build.images(Role.NETCORE)]
        source.net_images = tuple(i.name for i in images)
        for image in images:
            dts = build.path / image.dir / "zephyr" / "zephyr.dts" if image.dir else None
            if dts is None or not dts.is_file():
                continue
            try:
                ntree = image.devicetree or load_devicetree(dts, f"{image.dir}/zephyr/zephyr.dts")
            except ArtefactError:
                continue
            facts = _node_facts(ntree, CHOSEN_FLASH)
            if facts is not None:
                source.net_region2node[FLASH_PRIMARY] = facts
                break
    return source


_REF_RE = re.compile(r"&([A-Za-z_][A-Za-z0-9_]*)")


def _referenced_partitions(path: Path, tree) -> list[tuple[str, str, int, int]]:
    """Partition nodes whose label the devicetree refers to, except through
    ``zephyr,code-partition`` (which the migrated overlays set themselves)."""
    from extflash.loaders.dts_memory_map import memory_map
    from extflash.loaders.files import read_text

    text = read_text(path, "devicetree zephyr.dts")
    refs = set()
    for line in text.splitlines():
        code = line.split("/*", 1)[0]
        if "zephyr,code-partition" in code:
            continue
        refs.update(_REF_RE.findall(code))
    found = []
    mm = memory_map(tree, "app", every=True)
    label2node = {label: node for node in tree.path2node.values() for label in node.labels}
    for label in sorted(refs):
        node = label2node.get(label)
        if node is None or not node.path.rsplit("/", 1)[-1].startswith("partition@"):
            continue
        part = next((p for p in (mm.name2partition.values() if mm else ())
                     if p.location is not None and p.location.detail == node.path), None)
        if part is not None:
            found.append((part.region, label, part.address, part.size))
    return found


def from_static(path: Path, board) -> MigrationSource:
    """``pm_static.yml`` and a resolved ``boards.Board``."""
    from extflash.loaders.pm_yaml import load_yaml, memory_map
    from extflash.scaffold.layouts.dts_memmap import SOC2DTS

    data = load_yaml(path, "static Partition Manager file (pm_static.yml)")
    if not isinstance(data, dict):
        raise ArtefactError("is not a mapping of partition names", path=path,
                            hint="give a pm_static.yml (west extflash verify --static checks it)")
    mm = memory_map("", data, path.name)
    source = MigrationSource(f"{path.name} for {board.hwmv2}", board.hwmv2, path.name, mm,
                             build_layout=None)
    soc = SOC2DTS.get(board.soc.id) if board.soc is not None else None
    if soc is not None:
        source.region2node[FLASH_PRIMARY] = (soc.internal_node, 0)
    if board.flash is not None:
        source.region2node[EXTERNAL_FLASH] = (board.flash.node, 0)
    return source
