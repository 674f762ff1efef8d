"""Layout ``sysbuild``: sysbuild with Partition Manager, NCS 2.7 to 3.3 (and
3.4 with ``SB_CONFIG_PARTITION_MANAGER=y``).

Files:

- ``sysbuild.conf``: ``SB_CONFIG_BOOTLOADER_MCUBOOT=y``,
  ``SB_CONFIG_PM_EXTERNAL_FLASH_MCUBOOT_SECONDARY=y`` (sysbuild forces
  ``CONFIG_PM_EXTERNAL_FLASH_MCUBOOT_SECONDARY`` into the application and
  MCUboot from it; a prj.conf line would be overwritten), and for SPI NOR
  boards on NCS 2.7 to 3.0 ``SB_CONFIG_PM_OVERRIDE_EXTERNAL_DRIVER_CHECK=y``
  (the sysbuild external region was gated on ``CONFIG_NORDIC_QSPI_NOR`` until
  sdk-nrf 5b17a6bead, NCS 3.1). ``--netcore`` adds the nRF5340 network core
  update (sdk-nrf ``doc/nrf/app_dev/device_guides/nrf53/simultaneous_multi_image_dfu_nrf5340.rst``).
- ``sysbuild/mcuboot.conf``: a fragment appended to MCUboot's configuration
  (``mcuboot_EXTRA_CONF_FILE``), so MCUboot's own prj.conf and board files stay.
- ``sysbuild/mcuboot.overlay``: becomes ``mcuboot_DTC_OVERLAY_FILE`` and so
  replaces MCUboot's ``boot/zephyr/app.overlay``; it therefore repeats that
  file's ``zephyr,code-partition = &boot_partition``.
- ``boards/<board>.overlay`` and ``prj.conf`` for the application image.
- An existing ``sysbuild/mcuboot/`` directory is MCUboot's configuration
  directory (sysbuild's ``mcuboot_APPLICATION_CONFIG_DIR``): MCUboot's lines go
  into ``sysbuild/mcuboot/boards/<board>.conf`` and its ``boards/<board>.overlay``
  (or its ``app.overlay`` when it has one and no board overlay), unless a
  ``sysbuild/mcuboot.conf`` / ``.overlay`` exists, which the build reads then
  (see ``common.mcuboot_kconfig_path``). A new ``sysbuild/mcuboot.overlay`` would
  switch the directory's overlays off.
- With ``--file-suffix S`` every file is replaced by its ``_S`` variant where one
  exists (``scaffold.paths.file_read_by_build``).
"""

from __future__ import annotations

from extflash.errors import UsageError
from extflash.ncs import V2_7, V3_1, V3_3, V3_4, NcsVersion
from extflash.scaffold.layouts import common
from extflash.scaffold.model import KconfigSpec, Request, Setting, Spec

V2_8 = NcsVersion(2, 8)

def check(request: Request) -> None:
    common.check_mcuboot_dir(request)
    if request.netcore and common.before(request.version, V2_8):
        raise UsageError(
            f"--netcore with sysbuild needs NCS 2.8.0 or later "
            f"(SB_CONFIG_MCUBOOT_NRF53_MULTI_IMAGE_UPDATE); this is NCS {request.version}",
            hint="use --layout child-image (built with --no-sysbuild) on NCS 2.7",
        )


def uses_hwmv2(request: Request) -> bool:
    return True


def generation(request: Request) -> str:
    v = request.version
    if v is None:
        return "NCS 2.7 to 3.3, sysbuild with Partition Manager"
    return f"NCS {v}, sysbuild with Partition Manager"


def _needs_driver_override(request: Request) -> bool:
    if request.board.flash.driver != "spi":
        return False
    v = request.version
    return v is None or (V2_7 <= v.release < V3_1)


def specs(request: Request, geometry) -> list[Spec]:
    board = request.board
    spelling = board.spelling(True)
    gen = generation(request)
    sb: list[Setting] = [
        Setting("SB_CONFIG_BOOTLOADER_MCUBOOT", True, exclusive=("SB_CONFIG_BOOTLOADER_NONE",)),
        Setting("SB_CONFIG_PM_EXTERNAL_FLASH_MCUBOOT_SECONDARY", True),
    ]
    if request.version is not None and request.version.release >= V3_4:
        sb.insert(0, Setting("SB_CONFIG_PARTITION_MANAGER", True,
                             ("Partition Manager is off by default from NCS 3.4",)))
    if _needs_driver_override(request):
        sb.append(common.driver_check_override(request, "SB_CONFIG_"))
    if request.netcore:
        sb += common.sysbuild_netcore_settings()
    mcuboot = common.driver_settings(request, for_mcuboot=True)
    mcuboot += common.mcuboot_partition_settings(request)
    mcuboot.append(common.sectors_setting(request, geometry))
    app = common.driver_settings(request, for_mcuboot=False)
    board_base = board.overlay_name(True).removesuffix(".overlay")
    out: list[Spec] = [
        KconfigSpec("sysbuild.conf", common.header(request, gen, spelling, "Sysbuild"), tuple(sb)),
        KconfigSpec(common.mcuboot_kconfig_path(request, board_base),
                    common.header(request, gen, spelling, "MCUboot image"), tuple(mcuboot)),
        KconfigSpec("prj.conf", common.header(request, gen, spelling, "Application image"),
                    tuple(app)),
    ]
    out += common.overlays(request, spelling, gen, f"boards/{board.overlay_name(True)}",
                           common.mcuboot_overlay_path(request, board_base),
                           board.chosen_in_board(request.version, True))
    return out


def warnings(request: Request) -> list[str]:
    v = request.version
    out = common.mcuboot_dir_warnings(request)
    if v is not None and v.release >= V3_3:
        out.append(
            f"Partition Manager is deprecated from NCS 3.3.0 and off by default from 3.4.0 "
            f"(this is NCS {v}); the devicetree-partition layout replaces it"
        )
    return out


def next_command(request: Request, app_arg: str) -> str:
    spelling = request.board.spelling(True)
    if app_arg:
        return f"west build -b {spelling} --sysbuild -p always {app_arg}"
    return f"west build -b {spelling} --sysbuild -p"
