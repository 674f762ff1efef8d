"""``migrate --to dts``: the files that carry a converted Partition Manager
layout (``extflash.migrate``) into an application, as specs for the same
merge and atomic write as ``init`` (``scaffold.plan``/``scaffold.apply``).

Files (the NCS partitioning guide: "Share the same layout between the
application and the MCUboot sysbuild image (for example, include a common
``*.dtsi`` from both ...)"; sdk-nrf ``bootloader_partitioning.rst``):

- ``boards/<board>_memory_map.dtsi``: the application core's whole map.
- ``boards/<board>.overlay``: ``#include`` of it and ``zephyr,code-partition``
  (``slot0_partition``; ``slot0_ns_partition`` with TF-M).
- MCUboot: ``sysbuild/mcuboot.overlay`` (``sysbuild/mcuboot/boards/<board>.overlay``
  when the application has a ``sysbuild/mcuboot/`` directory, which then is
  MCUboot's configuration directory): the same ``#include`` and
  ``zephyr,code-partition = &boot_partition``.
- nRF5340 network core: ``boards/<netcore board>_memory_map.dtsi`` with the
  flash1 partitions, included from ``sysbuild/<image>.overlay`` of every
  network-core image of the build (zephyr ``share/sysbuild/cmake/modules/
  sysbuild_extensions.cmake`` applies ``sysbuild/<image>.overlay`` to the
  image ``<image>``), each with its own ``zephyr,code-partition``.
- ``sysbuild.conf``: ``SB_CONFIG_BOOTLOADER_MCUBOOT=y`` and, on NCS before
  3.5 (Partition Manager removed there, so the symbol no longer exists),
  ``SB_CONFIG_PARTITION_MANAGER=n``.
- ``sysbuild/mcuboot.conf``: the external flash driver, its layout page and
  (before NCS 3.4, which has no ``CONFIG_BOOT_MAX_IMG_SECTORS_AUTO`` for
  external slots) the sector count, as MCUboot's ``.config`` of the
  Partition Manager build had them.
"""

from __future__ import annotations

import re
from pathlib import Path

from extflash.migrate import DtsMap, render
from extflash.ncs import NcsVersion
from extflash.scaffold.model import KconfigSpec, OverlaySpec, RawSpec, Setting, Spec

PM_SYMBOL = "SB_CONFIG_PARTITION_MANAGER"
V3_4 = NcsVersion(3, 4)
V3_5 = NcsVersion(3, 5)
# MCUboot Kconfig facts copied from the Partition Manager build's MCUboot .config
DRIVERS = ("CONFIG_NORDIC_QSPI_NOR", "CONFIG_SPI_NOR", "CONFIG_FLASH_MSPI_NOR")
PAGE_SIZES = ("CONFIG_NORDIC_QSPI_NOR_FLASH_LAYOUT_PAGE_SIZE",
              "CONFIG_SPI_NOR_FLASH_LAYOUT_PAGE_SIZE")
SECTORS = "CONFIG_BOOT_MAX_IMG_SECTORS"
NETCORE_CODE = {"b0n": "b0n_partition"}


def board_file_base(board: str) -> str:
    """``nrf9160dk@0.14.0/nrf9160/ns`` -> ``nrf9160dk_nrf9160_ns_0_14_0``
    (Zephyr's ``boards/<board>.overlay`` name for a target with a revision)."""
    name, _, rest = board.partition("/")
    name, _, revision = name.partition("@")
    base = "_".join(x for x in (name, rest.replace("/", "_")) if x)
    return base + ("_" + revision.replace(".", "_") if revision else "")


def netcore_board(board: str) -> str:
    """``nrf5340dk/nrf5340/cpuapp[/ns]`` -> ``nrf5340dk/nrf5340/cpunet``;
    HWMv1 ``nrf5340dk_nrf5340_cpuapp[_ns]`` -> ``nrf5340dk_nrf5340_cpunet``."""
    if "/" in board:
        parts = [p for p in board.split("/") if p != "ns"]
        return "/".join("cpunet" if p == "cpuapp" else p for p in parts)
    return board.removesuffix("_ns").replace("cpuapp", "cpunet")


def uses_mapped(version: NcsVersion | None) -> bool:
    """NCS 3.4 and later: ``zephyr,mapped-partition``; unknown: the LTS (3.4)."""
    return version is None or version.release >= V3_4


def writes_pm_symbol(version: NcsVersion | None) -> bool:
    return version is None or version.release < V3_5


def specs(*, app_dir: Path, board: str, version: NcsVersion | None, dm: DtsMap,
          header: list[str], net: DtsMap | None = None, net_images: tuple[str, ...] = (),
          mcuboot_config: dict | None = None, external: bool = True) -> list[Spec]:
    base = board_file_base(board)
    dtsi = f"{base}_memory_map.dtsi"
    out: list[Spec] = [
        RawSpec(f"boards/{dtsi}", render(dm, header)),
        OverlaySpec(f"boards/{base}.overlay", _comment(header, "application image"), None, None,
                    code_partition=True, code_partition_label=dm.code_partition, include=dtsi),
    ]
    mcuboot_overlay, include = mcuboot_overlay_path(app_dir, board, dtsi)
    out.append(OverlaySpec(mcuboot_overlay, _comment(header, "MCUboot image"), None, None,
                           code_partition=True, code_partition_label="boot_partition",
                           include=include))
    if net is not None and net.devices:
        nbase = board_file_base(netcore_board(board))
        ndtsi = f"{nbase}_memory_map.dtsi"
        out.append(RawSpec(f"boards/{ndtsi}", render(net, header)))
        app_label = "s0_partition" if net.part("s0_partition") else "slot0_partition"
        for image in net_images:
            out.append(OverlaySpec(
                f"sysbuild/{image}.overlay", _comment(header, f"network-core image {image}"),
                None, None, code_partition=True,
                code_partition_label=NETCORE_CODE.get(image, app_label),
                include=f"../boards/{ndtsi}"))
    sb = [Setting("SB_CONFIG_BOOTLOADER_MCUBOOT", True, exclusive=("SB_CONFIG_BOOTLOADER_NONE",))]
    if writes_pm_symbol(version):
        sb.append(Setting(PM_SYMBOL, False,
                          ("devicetree partitions (boards/" + dtsi + "): Partition Manager off",)))
    out.append(KconfigSpec("sysbuild.conf", _comment(header, "sysbuild"), tuple(sb)))
    boot = _mcuboot_settings(mcuboot_config, version) if external else []
    if boot:
        out.append(KconfigSpec("sysbuild/mcuboot.conf", _comment(header, "MCUboot image"),
                               tuple(boot)))
    return out


def _mcuboot_settings(config: dict | None, version: NcsVersion | None) -> list[Setting]:
    if not config:
        return []
    why = ("as MCUboot's .config of the Partition Manager build had it",)
    out = [Setting(s, True, why) for s in DRIVERS if config.get(s) is True]
    out += [Setting(s, config[s], why) for s in PAGE_SIZES if isinstance(config.get(s), int)]
    if not uses_mapped(version) and isinstance(config.get(SECTORS), int):
        out.append(Setting(SECTORS, config[SECTORS], why, at_least=True))
    return out


def mcuboot_overlay_path(app_dir: Path, board: str, dtsi: str) -> tuple[str, str]:
    """MCUboot's overlay and its ``#include``: where init puts MCUboot's
    devicetree lines (``common.mcuboot_overlay_path``: ``sysbuild/mcuboot.overlay``,
    or the board overlay or ``app.overlay`` of an existing ``sysbuild/mcuboot/``
    configuration directory, which must have its ``prj.conf``). MCUboot is
    built for the secure target of a ``/ns`` board."""
    from extflash.ncs import Layout
    from extflash.scaffold.layouts import common
    from extflash.scaffold.model import Request

    secure = board.removesuffix("/ns") if "/" in board else board.removesuffix("_ns")
    request = Request(app_dir=app_dir, board=None, layout=Layout.DTS, version=None)
    common.check_mcuboot_dir(request)
    path = common.mcuboot_overlay_path(request, board_file_base(secure))
    return path, "../" * path.count("/") + f"boards/{dtsi}"


def _comment(header: list[str], what: str) -> tuple[str, ...]:
    return (f"{header[0]}: {what}.",)


# Partitions the user defines in a file that now includes the migrated map
# would be merged into it by the devicetree compiler: a second layout.
_PARTITION_RE = re.compile(r"\bpartition@[0-9a-fA-F]+\s*\{|/delete-node/\s*&\w*partition\b"
                           r"|\bpartitions\s*\{")


def own_partitions(text: str) -> list[tuple[int, str]]:
    """(line, text) of every partition definition in an overlay, comments ignored."""
    from extflash.scaffold.overlay_merge import blank_comments

    code = blank_comments(text)
    found = []
    for m in _PARTITION_RE.finditer(code):
        line = code.count("\n", 0, m.start()) + 1
        found.append((line, text.splitlines()[line - 1].strip()))
    return found
