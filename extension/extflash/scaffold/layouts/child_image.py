"""Layout ``child-image``: MCUboot as a child image of the application with
Partition Manager, NCS 1.7 to 2.6 (and ``--no-sysbuild`` on 2.7 to 2.9;
removed in 3.0).

Files:

- ``prj.conf``: ``CONFIG_BOOTLOADER_MCUBOOT=y`` (what adds the MCUboot child
  image) and the flash driver. ``CONFIG_PM_EXTERNAL_FLASH_MCUBOOT_SECONDARY``
  is not written: it defaults to ``y if BOOTLOADER_MCUBOOT`` and depends on
  the ``nordic,pm-ext-flash`` chosen (sdk-nrf ``subsys/partition_manager/Kconfig``).
  ``CONFIG_PM_OVERRIDE_EXTERNAL_DRIVER_CHECK`` is written only before NCS 2.2:
  since 2.2 the child/parent external region is gated on
  ``CONFIG_PM_EXTERNAL_FLASH_HAS_DRIVER``, which ``CONFIG_SPI_NOR`` sets
  (sdk-nrf 286dee308a, f1ce5cefae).
- ``child_image/mcuboot.conf``: merged into MCUboot's configuration after its
  prj.conf and board file (``cmake/multi_image.cmake``), so MCUboot's own
  files stay in use.
- ``child_image/mcuboot.overlay``: the same chosen and status for MCUboot.
- ``boards/<board>.overlay`` for the application image.

``--netcore``: MCUboot gets the settings of sdk-nrf
``tests/modules/mcuboot/external_flash/child_image/mcuboot/boards/nrf5340dk_nrf5340_cpuapp.conf``
(``CONFIG_PCD_APP``, ``CONFIG_UPDATEABLE_IMAGE_NUMBER=2``, the flash simulator,
``CONFIG_BOOT_UPGRADE_ONLY=y``) and the application
``CONFIG_UPDATEABLE_IMAGE_NUMBER=2`` (NCS 2.7 simultaneous multi-image DFU doc).
"""

from __future__ import annotations

from extflash.errors import UsageError
from extflash.ncs import V2_7, V3_0, NcsVersion
from extflash.scaffold.layouts import common
from extflash.scaffold.model import KconfigSpec, Request, Setting, Spec

V1_7 = NcsVersion(1, 7)


def check(request: Request) -> None:
    if common.before(request.version, V1_7):
        raise UsageError(
            f"NCS {request.version} has no nordic,pm-ext-flash chosen node "
            "(added in NCS 1.7.0); init cannot configure it",
            hint="upgrade the SDK, or follow that release's ug_bootloader_external_flash page",
        )


def uses_hwmv2(request: Request) -> bool:
    v = request.version
    return v is not None and v.release >= V2_7


def generation(request: Request) -> str:
    v = request.version
    if v is None:
        return "NCS 1.7 to 2.9, child image (parent/child)"
    return f"NCS {v}, child image (parent/child)"


def specs(request: Request, geometry) -> list[Spec]:
    board = request.board
    hwmv2 = uses_hwmv2(request)
    spelling = board.spelling(hwmv2)
    gen = generation(request)
    spi_needs_override = board.flash.driver == "spi" and common.before(request.version, common.V2_2)

    app: list[Setting] = [Setting("CONFIG_BOOTLOADER_MCUBOOT", True, ("MCUboot as a child image",))]
    app += common.driver_settings(request, for_mcuboot=False)
    mcuboot = common.driver_settings(request, for_mcuboot=True)
    mcuboot += common.mcuboot_partition_settings(request)
    mcuboot.append(common.sectors_setting(request, geometry))
    if spi_needs_override:
        app.append(common.driver_check_override(request, "CONFIG_"))
        mcuboot.append(common.driver_check_override(request, "CONFIG_"))
    if request.netcore:
        app.append(Setting("CONFIG_UPDATEABLE_IMAGE_NUMBER", 2,
                           ("application and network core images",)))
        mcuboot += [
            Setting("CONFIG_PCD_APP", True, ("nRF5340 network core update",)),
            Setting("CONFIG_UPDATEABLE_IMAGE_NUMBER", 2),
            Setting("CONFIG_FLASH_SIMULATOR", True,
                    ("the network core cannot read external flash; its update is staged",
                     "in a RAM flash simulator")),
            Setting("CONFIG_FLASH_SIMULATOR_DOUBLE_WRITES", True),
            Setting("CONFIG_FLASH_SIMULATOR_STATS", False),
            Setting("CONFIG_BOOT_UPGRADE_ONLY", True,
                    ("a reverted application core would break the network core otherwise",),
                    exclusive=common.MCUBOOT_UPGRADE_MODES),
        ]
    out: list[Spec] = [
        KconfigSpec("prj.conf", common.header(request, gen, spelling, "Application image"),
                    tuple(app)),
        KconfigSpec("child_image/mcuboot.conf",
                    common.header(request, gen, spelling, "MCUboot child image"), tuple(mcuboot)),
    ]
    out += common.overlays(request, spelling, gen, f"boards/{board.overlay_name(hwmv2)}",
                           "child_image/mcuboot.overlay",
                           board.chosen_in_board(request.version, hwmv2))
    return out


def warnings(request: Request) -> list[str]:
    v = request.version
    if v is not None and V2_7 <= v.release < V3_0:
        return [f"child images are deprecated in NCS {v} (removed in 3.0.0); build with "
                "--no-sysbuild, and plan the move to --layout sysbuild"]
    return []


def next_command(request: Request, app_arg: str) -> str:
    spelling = request.board.spelling(uses_hwmv2(request))
    v = request.version
    flag = "" if common.before(v, V2_7) else " --no-sysbuild"
    if app_arg:
        return f"west build -b {spelling}{flag} -p always {app_arg}"
    return f"west build -b {spelling}{flag} -p"
