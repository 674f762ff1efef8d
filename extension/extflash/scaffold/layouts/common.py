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

from extflash import kconfig
from extflash.errors import UsageError
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


def mcuboot_partition_settings(request: Request) -> list[Setting]:
    """Partition Manager layouts: an MCUboot that carries the SPI NOR driver
    needs a larger partition on SoCs whose NCS external-flash configuration
    says so (nRF54L15: 0x14000, sdk-mcuboot@0b2b291
    ``boot/zephyr/boards/nrf54l15dk_nrf54l15_cpuapp_ext_flash.conf``), and on
    nRF54L15 such an MCUboot no longer boots with ``CONFIG_FPROTECT``
    ("Protect mcuboot flash failed"), which NCS's own test turns off
    (sdk-nrf@1fbdd8d ``tests/modules/mcuboot/external_flash/sysbuild/mcuboot/
    boards/nrf54l15dk_nrf54l15_cpuapp.conf``: ``CONFIG_FPROTECT=n``)."""
    soc = request.board.soc
    if soc is None or request.board.flash.driver != "spi" or not soc.mcuboot_spi_nor_partition_size:
        return []
    size = soc.mcuboot_spi_nor_partition_size
    out = [Setting(
        "CONFIG_PM_PARTITION_SIZE_MCUBOOT", kconfig.Hex(size),
        (f"{hex_size(size)}: MCUboot with the SPI NOR driver, as NCS's {soc.name} "
         "external-flash configuration",
         "(sdk-mcuboot boot/zephyr/boards/nrf54l15dk_nrf54l15_cpuapp_ext_flash.conf)"),
        at_least=True)]
    if not soc.mcuboot_spi_nor_fprotect:
        out.append(Setting(
            "CONFIG_FPROTECT", False,
            ("an MCUboot this large hangs at boot with \"Protect mcuboot flash failed\";",
             "NCS's own test turns fprotect off (sdk-nrf tests/modules/mcuboot/external_flash/",
             "sysbuild/mcuboot/boards/nrf54l15dk_nrf54l15_cpuapp.conf); this weakens boot",
             "protection of the MCUboot partition")))
    return out


def sectors_setting(request: Request, geometry) -> Setting:
    return Setting(
        "CONFIG_BOOT_MAX_IMG_SECTORS", geometry.max_sectors,
        tuple(geometry.explanation), at_least=True)


def driver_check_override(request: Request, prefix: str) -> Setting:
    return Setting(
        f"{prefix}PM_OVERRIDE_EXTERNAL_DRIVER_CHECK", True,
        ("in this NCS range Partition Manager keeps the external flash region only",
         "with CONFIG_NORDIC_QSPI_NOR; init enables the SPI NOR driver in both images"))


def overlays(request: Request, spelling: str, generation: str, app_path: str,
             mcuboot_path: str, chosen_in_board: bool) -> list[OverlaySpec]:
    f = request.board.flash
    chosen = None if chosen_in_board else f.node
    status = f.node if f.needs_status_okay else None
    # always planned: with nothing to add (chosen and status from the board), an
    # existing overlay is still checked for a status = "disabled" on the flash node;
    # plan creates no file for an empty spec
    app = OverlaySpec(app_path, header(request, generation, spelling, "Application image"),
                      chosen, status, flash_node=f.node)
    mcuboot = OverlaySpec(mcuboot_path, header(request, generation, spelling, "MCUboot image"),
                          chosen, status, code_partition=True, flash_node=f.node)
    return [app, mcuboot]


# ------------------------------------------------ MCUboot's files under sysbuild
#
# zephyr share/sysbuild/cmake/modules/sysbuild_extensions.cmake (NCS 2.7.0 tree
# l.261-291; unchanged in zephyrproject-rtos/zephyr main, ExternalZephyrProject_Add):
# - a directory sysbuild/mcuboot/ becomes mcuboot_APPLICATION_CONFIG_DIR: MCUboot's
#   prj.conf, boards/<board>.conf/.overlay and app.overlay are then read from it and
#   no longer from bootloader/mcuboot/boot/zephyr (so its app.overlay's
#   zephyr,code-partition = &boot_partition is gone too);
# - sysbuild/mcuboot.conf, when it exists, becomes mcuboot_EXTRA_CONF_FILE (applied
#   after the directory's fragments, with or without the directory);
# - sysbuild/mcuboot.overlay, when it exists, becomes mcuboot_DTC_OVERLAY_FILE, and a
#   set DTC_OVERLAY_FILE stops zephyr cmake/modules/configuration_files.cmake (l.77-92)
#   from looking for boards/*.overlay and app.overlay: a new sysbuild/mcuboot.overlay
#   would silently switch off the overlays in sysbuild/mcuboot/.
# In the directory, a boards/<board>.overlay replaces app.overlay (configuration_files
# .cmake l.83-92: app.overlay only when no board overlay was found), and prj.conf is
# REQUIRED (l.47), boards/<board>.conf is added to it.

MCUBOOT_DIR = "sysbuild/mcuboot"


def mcuboot_dir(request: Request) -> bool:
    return (request.app_dir / MCUBOOT_DIR).is_dir()


def _exists(request: Request, rel: str) -> bool:
    from extflash.scaffold.paths import file_read_by_build

    return (request.app_dir / file_read_by_build(request.app_dir, rel, request.file_suffix)
            ).is_file()


def mcuboot_kconfig_path(request: Request, board_base: str) -> str:
    """Where MCUboot's Kconfig lines go under sysbuild."""
    if not mcuboot_dir(request) or _exists(request, "sysbuild/mcuboot.conf"):
        return "sysbuild/mcuboot.conf"
    return f"{MCUBOOT_DIR}/boards/{board_base}.conf"


def mcuboot_overlay_path(request: Request, board_base: str) -> str:
    """Where MCUboot's devicetree lines go under sysbuild."""
    if not mcuboot_dir(request) or _exists(request, "sysbuild/mcuboot.overlay"):
        return "sysbuild/mcuboot.overlay"
    board = f"{MCUBOOT_DIR}/boards/{board_base}.overlay"
    if not _exists(request, board) and _exists(request, f"{MCUBOOT_DIR}/app.overlay"):
        return f"{MCUBOOT_DIR}/app.overlay"
    return board


def check_mcuboot_dir(request: Request) -> None:
    if mcuboot_dir(request) and not _exists(request, f"{MCUBOOT_DIR}/prj.conf"):
        raise UsageError(
            f"{MCUBOOT_DIR}/ has no prj.conf: sysbuild makes that directory MCUboot's "
            "configuration directory, and MCUboot's build stops without a prj.conf in it",
            hint=f"copy bootloader/mcuboot/boot/zephyr/prj.conf into {MCUBOOT_DIR}/, or remove "
                 f"the {MCUBOOT_DIR}/ directory")


def mcuboot_dir_warnings(request: Request) -> list[str]:
    if mcuboot_dir(request) and _exists(request, "sysbuild/mcuboot.overlay"):
        return [f"sysbuild/mcuboot.overlay becomes mcuboot_DTC_OVERLAY_FILE, so the overlays in "
                f"{MCUBOOT_DIR}/ (boards/*.overlay, app.overlay) are not used; init writes "
                "into sysbuild/mcuboot.overlay, the file the build reads"]
    return []


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
