"""Content shared by the Partition Manager layouts (sysbuild and child image):
the flash driver options, MCUboot's settings and the devicetree overlays.

Sources (README "init: what gets written"; shared/reference/ncs-facts.md
sections 5, 8, 9.3):

- QSPI NOR: ``CONFIG_NORDIC_QSPI_NOR=y``, layout page 4096, stack write buffer
  16 (sdk-mcuboot ``boot/zephyr/boards/thingy53_nrf5340_cpuapp.conf``, NCS
  Matter samples' ``sysbuild/mcuboot/boards/nrf52840dk_nrf52840.conf``)
- SPI NOR: ``CONFIG_SPI=y``, ``CONFIG_SPI_NOR=y``,
  ``CONFIG_SPI_NOR_SFDP_DEVICETREE=y`` (the board nodes carry ``sfdp-bfp``),
  layout page 4096 (NCS Matter ``nrf7002dk_nrf5340_cpuapp.conf``, the nRF9160
  external flash configuration); the SPI_NOR page size has no 4096 default
  (``Kconfig.nrf`` sets one only for QSPI), so it is always written.
- ``CONFIG_MULTITHREADING=y`` in MCUboot for SPI NOR before NCS 3.1
  (sdk-mcuboot ``nrf54l15dk_nrf54l15_cpuapp_ext_flash.conf`` at v2.1.0-ncs3/5;
  removed by b0ad9704 "remove redundant multithreading configuration" for 3.1).
"""

from __future__ import annotations

import re

from extflash.kconfig import HexInt
from extflash.ncs import NcsVersion
from extflash.scaffold.model import OverlaySpec, Request, Setting
from extflash.units import hex_size

V2_2 = NcsVersion(2, 2)
V3_1 = NcsVersion(3, 1)

MCUBOOT_UPGRADE_MODES = (
    "CONFIG_BOOT_SWAP_USING_SCRATCH", "CONFIG_BOOT_SWAP_USING_MOVE",
    "CONFIG_BOOT_SWAP_USING_OFFSET", "CONFIG_BOOT_SWAP_WITHOUT_SCRATCH",
    "CONFIG_BOOT_DIRECT_XIP", "CONFIG_BOOT_RAM_LOAD", "CONFIG_BOOT_FIRMWARE_LOADER",
)


# The other members of sysbuild's MCUBOOT_MODE choice (overwrite-only excluded)
SB_MODES = tuple(f"SB_CONFIG_MCUBOOT_MODE_{m}" for m in (
    "SINGLE_APP", "SWAP_USING_OFFSET", "SWAP_USING_MOVE", "SWAP_WITHOUT_SCRATCH",
    "SWAP_SCRATCH", "DIRECT_XIP", "DIRECT_XIP_WITH_REVERT", "RAM_LOAD", "FIRMWARE_UPDATER",
    "SINGLE_APP_RAM_LOAD"))


def before(version: NcsVersion | None, limit: NcsVersion) -> bool:
    """True when the version is known and older than ``limit``."""
    return version is not None and version.release < limit


def header(request: Request, generation: str, spelling: str, what: str) -> tuple[str, ...]:
    f = request.board.flash
    return (
        f"Written by `west extflash init` for {spelling}, {generation}.",
        f"{what}: MCUboot's secondary slot in external flash &{f.node} "
        f"({f.compatible}, {hex_size(f.size)}).",
    )


def driver_settings(request: Request, for_mcuboot: bool) -> list[Setting]:
    board, page = request.board, request.page_size
    f = board.flash
    disabled = board.mcuboot_disables_driver if for_mcuboot else None
    if disabled and before(request.version, NcsVersion.parse(disabled["since"])):
        disabled = None
    settings = [Setting("CONFIG_FLASH", True)]
    if f.driver == "qspi":
        settings.append(Setting(
            "CONFIG_NORDIC_QSPI_NOR", True,
            _disabled_comment(disabled) if disabled else ()))
        settings.append(Setting(
            "CONFIG_NORDIC_QSPI_NOR_FLASH_LAYOUT_PAGE_SIZE", page,
            (f"{page}-byte sectors, the same as internal flash (default 65536)",)))
        settings.append(Setting(
            "CONFIG_NORDIC_QSPI_NOR_STACK_WRITE_BUFFER_SIZE", 16,
            ("QSPI DMA cannot read internal flash; writes go through a stack buffer",)))
        return settings
    settings.append(Setting("CONFIG_SPI", True))
    settings.append(Setting("CONFIG_SPI_NOR", True,
                            _disabled_comment(disabled) if disabled else ()))
    if f.sfdp_bfp:
        settings.append(Setting(
            "CONFIG_SPI_NOR_SFDP_DEVICETREE", True,
            (f"the sfdp-bfp table of &{f.node} in the board devicetree",)))
    settings.append(Setting(
        "CONFIG_SPI_NOR_FLASH_LAYOUT_PAGE_SIZE", page,
        (f"{page}-byte sectors, the same as internal flash (default 65536)",)))
    if for_mcuboot and (request.version is None or before(request.version, V3_1)):
        settings.append(Setting(
            "CONFIG_MULTITHREADING", True,
            ("the SPI NOR driver in MCUboot needs it before NCS 3.1",)))
    return settings


def _disabled_comment(disabled: dict) -> tuple[str, ...]:
    return (f"sdk-mcuboot {disabled['file']} sets {disabled['symbol']}=n;",
            "this fragment is applied after it and turns the driver back on")


def sectors_setting(request: Request, geometry) -> Setting:
    return Setting(
        "CONFIG_BOOT_MAX_IMG_SECTORS", geometry.max_sectors,
        tuple(geometry.explanation), at_least=True)


def driver_check_override(request: Request, prefix: str) -> Setting:
    return Setting(
        f"{prefix}PM_OVERRIDE_EXTERNAL_DRIVER_CHECK", True,
        ("in this NCS range Partition Manager keeps the external flash region only",
         "with CONFIG_NORDIC_QSPI_NOR; init enables the SPI NOR driver in both images"))


def mcuboot_overlay_target(app_dir, overlay_name: str) -> tuple[str, str]:
    """Where MCUboot's devicetree settings go, and the path prefix from there
    back to the application directory (for an ``#include``).

    - no ``sysbuild/mcuboot/`` directory: ``sysbuild/mcuboot.overlay``, which
      sysbuild passes as ``mcuboot_DTC_OVERLAY_FILE`` (zephyr
      ``share/sysbuild/cmake/modules/sysbuild_extensions.cmake``, NCS 2.7.0 l.286-291);
    - a ``sysbuild/mcuboot/`` directory is MCUboot's whole configuration
      directory (``<image>_APPLICATION_CONFIG_DIR``, same file l.262-268); a
      ``sysbuild/mcuboot.overlay`` would set ``DTC_OVERLAY_FILE`` and so switch
      off its ``boards/<board>.overlay`` and ``app.overlay`` (zephyr
      ``cmake/modules/configuration_files.cmake`` l.77-95: only when
      ``DTC_OVERLAY_FILE`` is unset are they looked for). The settings go into
      the file Zephyr uses there: ``boards/<board>.overlay`` when it exists,
      else ``app.overlay`` when that exists (a new board overlay would replace
      it), else a new ``boards/<board>.overlay``.
    """
    config_dir = app_dir / "sysbuild" / "mcuboot"
    if not config_dir.is_dir():
        return "sysbuild/mcuboot.overlay", "../"
    if not (config_dir / "boards" / overlay_name).is_file() and \
            (config_dir / "app.overlay").is_file():
        return "sysbuild/mcuboot/app.overlay", "../../"
    return f"sysbuild/mcuboot/boards/{overlay_name}", "../../../"


# MCUboot with the SPI NOR driver on nRF54L: sdk-nrf
# tests/modules/mcuboot/external_flash/sysbuild/mcuboot/boards/nrf54l15dk_nrf54l15_cpuapp.conf
# @1fbdd8d (CONFIG_SPI_NRFX_RAM_BUFFER_SIZE=32, "Disable fprotect to allow boot with a
# bigger MCUboot image": CONFIG_FPROTECT=n) and boards/nrf54l15dk_nrf54l15_cpuapp.overlay
# @bbb065b (boot_partition 68 KiB = 0x11000). The nRF54L15 MCUboot partition of
# Partition Manager (CONFIG_PM_PARTITION_SIZE_MCUBOOT, 0xd800 by default: sdk-nrf
# modules/mcuboot/boot/zephyr/Kconfig @009bef3) does not hold the driver; above
# about 62 KiB fprotect makes MCUboot stop at boot ("Protect mcuboot flash failed").
NRF54L_SPI_MCUBOOT_SIZE = 0x11000


def nrf54l_spi_mcuboot_settings(request: Request, partition_manager: bool) -> list[Setting]:
    soc = request.board.soc.id if request.board.soc else ""
    if request.board.flash.driver != "spi" or not soc.startswith("nrf54l"):
        return []
    out = [Setting("CONFIG_SPI_NRFX_RAM_BUFFER_SIZE", 32,
                   ("as NCS tests/modules/mcuboot/external_flash does for the nRF54L15 DK",))]
    if partition_manager:
        out.append(Setting(
            "CONFIG_PM_PARTITION_SIZE_MCUBOOT", HexInt(NRF54L_SPI_MCUBOOT_SIZE),
            ("MCUboot with the SPI NOR driver does not fit the default 0xd800;",
             "68 KiB as NCS's external-flash test gives it"), at_least=True))
    out.append(Setting(
        "CONFIG_FPROTECT", False,
        ("an MCUboot partition above about 62 KiB stops at boot with fprotect",
         "(\"Protect mcuboot flash failed\"); NCS's external-flash test disables it")))
    return out


# Files Zephyr and sysbuild look up with FILE_SUFFIX: <name>_<suffix>.<ext> is
# used when it exists, else <name>.<ext> (zephyr cmake/modules/extensions.cmake
# zephyr_file(... SUFFIX) / zephyr_file_suffix, NCS 2.7.0): prj.conf, boards/
# <board>.conf and .overlay, app.overlay (cmake/modules/configuration_files.cmake
# l.47-92), sysbuild.conf (share/sysbuild/cmake/modules/sysbuild_kconfig.cmake
# l.46) and sysbuild/<image>.conf (sysbuild_extensions.cmake l.275). Not
# sysbuild/<image>.overlay (l.287, no suffix) nor an #include'd .dtsi.
_SUFFIXED_RE = re.compile(r"^(prj\.conf|app\.overlay|sysbuild\.conf|sysbuild/[^/]+\.conf|"
                          r"boards/[^/]+\.(conf|overlay))$")


def suffixed(rel: str, suffix: str) -> str:
    """``prj.conf`` -> ``prj_release.conf``."""
    stem, dot, ext = rel.rpartition(".")
    return f"{stem}_{suffix}.{ext}"


def with_file_suffix(request: Request, specs: list) -> list:
    """``--file-suffix``: every file Zephyr looks up with FILE_SUFFIX is
    written where that build reads it: the suffixed file when it exists,
    else the plain one (the fallback the build then uses)."""
    from dataclasses import replace

    suffix = request.file_suffix
    if not suffix:
        return specs
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}", suffix):
        from extflash.errors import UsageError

        raise UsageError(f"--file-suffix {suffix!r} is not a FILE_SUFFIX name",
                         hint="give the word after the underscore, e.g. --file-suffix release "
                              "for prj_release.conf")
    out = []
    for spec in specs:
        if _SUFFIXED_RE.match(spec.path) and (request.app_dir / suffixed(spec.path, suffix)
                                               ).is_file():
            spec = replace(spec, path=suffixed(spec.path, suffix))
        out.append(spec)
    return out


def suffix_warnings(request: Request, paths: list[str]) -> list[str]:
    """Suffixed variants of the files init writes, which a build with
    ``-DFILE_SUFFIX=...`` reads instead of the plain ones."""
    out = []
    for path_text in paths:
        if not _SUFFIXED_RE.match(path_text):
            continue
        stem, _, ext = path_text.rpartition(".")
        folder = (request.app_dir / stem).parent
        name = stem.rsplit("/", 1)[-1]
        try:
            found = sorted(folder.glob(f"{name}_*.{ext}"))
        except OSError:
            continue
        for path in found:
            suffix = path.name[len(name) + 1:-len(ext) - 1]
            if suffix and suffix != request.file_suffix and "_" not in suffix:
                rel = path.relative_to(request.app_dir).as_posix()
                out.append(f"{rel}: a build with -DFILE_SUFFIX={suffix} reads it instead of "
                           f"{path_text}; run init with --file-suffix {suffix} for that build")
    return out


def mcuboot_overlay_name(board) -> str:
    """MCUboot's ``boards/<board>.overlay`` name: MCUboot is built for the
    secure target of a ``/ns`` (TF-M) board."""
    name = board.overlay_name(True)
    if board.hwmv2.endswith("/ns"):
        base = board.hwmv2.removesuffix("/ns").replace("/", "_")
        name = base + (f"_{board.revision.replace('.', '_')}" if board.revision else "") \
            + ".overlay"
    return name


def overlays(request: Request, spelling: str, generation: str, app_path: str,
             mcuboot_path: str, chosen_in_board: bool) -> list[OverlaySpec]:
    f = request.board.flash
    chosen = None if chosen_in_board else f.node
    status = f.node if f.needs_status_okay else None
    # on every board a status = "disabled" the user wrote on the flash node is a
    # conflict (the node is okay in the board's devicetree, the user turned it off);
    # an overlay that needs nothing else is only checked when it exists
    specs = []
    app = OverlaySpec(app_path, header(request, generation, spelling, "Application image"),
                      chosen, status, status_guard=f.node)
    if not app.empty or (request.app_dir / app_path).is_file():
        specs.append(app)
    mcuboot = OverlaySpec(mcuboot_path, header(request, generation, spelling, "MCUboot image"),
                          chosen, status, code_partition=True, status_guard=f.node)
    if not mcuboot.empty or (request.app_dir / mcuboot_path).is_file():
        specs.append(mcuboot)
    return specs


def sysbuild_netcore_settings() -> list[Setting]:
    """sysbuild.conf for an nRF5340 network-core update with its secondary
    slot in external flash (sysbuild/Kconfig.mcuboot, Kconfig.netcore):
    multi-image update, overwrite-only."""
    return [
        Setting("SB_CONFIG_SECURE_BOOT_NETCORE", True, ("nRF5340 network core update",)),
        Setting("SB_CONFIG_NETCORE_APP_UPDATE", True),
        Setting("SB_CONFIG_MCUBOOT_NRF53_MULTI_IMAGE_UPDATE", True),
        Setting("SB_CONFIG_MCUBOOT_MODE_OVERWRITE_ONLY", True,
                ("a reverted application core would break the network core otherwise",),
                exclusive=SB_MODES),
    ]
