"""Slot sizes and ``CONFIG_BOOT_MAX_IMG_SECTORS``.

With Partition Manager MCUboot does not compute the sector count
(``BOOT_MAX_IMG_SECTORS_AUTO`` defaults to ``y if !PARTITION_MANAGER_ENABLED``),
so init writes it. MCUboot needs ``BOOT_MAX_IMG_SECTORS`` >= the number of
sectors of every slot it opens (``boot_read_sectors()`` fails with "Failed
reading sectors; BOOT_MAX_IMG_SECTORS=N - too small?" otherwise).

Formula (README "init: BOOT_MAX_IMG_SECTORS"):

    app slot  = internal flash size - MCUboot partition size
                (mcuboot_primary spans mcuboot_pad + app, and TF-M on /ns
                targets; PM gives mcuboot_secondary the same size, share_size)
    net slot  = 0x40000 with --netcore (mcuboot_primary_1 in ram_flash and
                mcuboot_secondary_1 in external flash: NRF53_RAM_FLASH_SIZE, the
                flash_sim0 node of sdk-nrf modules/mcuboot/flash_sim.overlay)
    sectors   = ceil(max(app slot, net slot) / sector size)

The sector size is the internal erase block (4096); init also sets the
external driver's layout page size to it, so both slots have equal sectors
(swap-move requires that). Anything else the application places in internal
flash (settings, NVS, ...) only makes the slot smaller, and a larger MCUboot
too, so the count is an upper bound: a little status area is spent, an
upgrade is never refused.
"""

from __future__ import annotations

from extflash.boards import Board
from extflash.errors import BoardError
from extflash.scaffold.model import Geometry
from extflash.units import hex_size

NRF53_RAM_FLASH_SIZE = 0x40000


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def compute(board: Board, sector_size: int, netcore: bool) -> Geometry:
    explanation: list[str] = []
    soc = board.soc
    if soc is None:  # boards.resolve_board gives every board a SoC (--soc for custom ones)
        raise BoardError(f"the SoC of {board.hwmv2} is unknown",
                         hint="give it with --soc, for example --soc nrf52840")
    mcuboot = soc.mcuboot_size(board.flash.driver == "spi")
    app_slot = soc.internal_flash_size - mcuboot
    explanation.append(
        f"primary slot = {soc.name} internal flash {hex_size(soc.internal_flash_size)} "
        f"- MCUboot partition {hex_size(mcuboot)} = {hex_size(app_slot)}"
    )
    net_slot = NRF53_RAM_FLASH_SIZE if netcore else None
    needed = app_slot + (net_slot or 0)
    if needed > board.flash.size:
        raise BoardError(
            f"external flash {board.flash.node} is {hex_size(board.flash.size)}, smaller than "
            f"the secondary slot(s) {hex_size(needed)}",
            hint="check --flash-size, or use a larger flash device",
        )
    largest = max(app_slot, net_slot or 0)
    sectors = _ceil_div(largest, sector_size)
    if net_slot:
        explanation.append(f"network core slot = {hex_size(net_slot)} (NRF53_RAM_FLASH_SIZE)")
    explanation.append(
        f"CONFIG_BOOT_MAX_IMG_SECTORS = ceil({hex_size(largest)} / {sector_size}) = {sectors}"
    )
    return Geometry(app_slot, net_slot, sector_size, sectors, tuple(explanation))
