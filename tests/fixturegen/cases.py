"""Negative cases: one per check, each a clean fixture with ONE fact
changed the way users get it wrong (users-peers U#, ncs-facts F#).

``python -m fixturegen`` writes each as ``tests/cases/<CODE>-<name>/``:
``case.yml`` (base fixture, expected codes, what it models, files to
remove) plus only the files that differ from the base fixture.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field

import yaml

from fixturegen.fixtures import all_fixtures
from fixturegen.pm import Part
from fixturegen.spec import BuildSpec
from fixturegen.writer import build_files


@dataclass(frozen=True)
class Case:
    dirname: str  # <CODE>-<name>
    base: str
    expect: tuple[str, ...]
    models: str
    mutate: Callable[[BuildSpec], None] = lambda spec: None
    remove: tuple[str, ...] = ()
    extra: dict = field(default_factory=dict)


def _part(spec: BuildSpec, name: str, domain: str = "") -> Part:
    return next(p for p in spec.domain(domain).parts if p.name == name)


def _drop_parts(spec: BuildSpec, *names: str) -> None:
    d = spec.domain("")
    d.parts = [p for p in d.parts if p.name not in names]


def _schema(spec):
    _part(spec, "mcuboot_secondary").placement = {"align": {"start": "4 bytes"}}


def _overlap(spec):
    spec.domain("").parts.append(Part("littlefs_storage", 0xf0000, 0x10000, "external_flash",
                                      device="DT_CHOSEN(nordic_pm_ext_flash)"))


def _out_of_region(spec):
    region = next(r for r in spec.domain("").regions if r.name == "external_flash")
    region.size = 0x200000  # a 16 Mbit part (p25q16h) in the regions, 8 MiB layout kept
    spec.domain("").parts.append(Part("littlefs_storage", 0x16e000, 0x100000, "external_flash",
                                      device="DT_CHOSEN(nordic_pm_ext_flash)"))


def _smaller_secondary(spec):
    _part(spec, "mcuboot_secondary").size = 0xe0000


def _internal_secondary(spec):
    d = spec.domain("")
    for p in d.parts:
        if p.name == "mcuboot_primary":
            p.size = 0x7a000
        elif p.name in ("app", "mcuboot_primary_app"):
            p.size = 0x79e00
        elif p.name == "mcuboot_secondary":
            p.address, p.size, p.region, p.device = 0x86000, 0x7a000, "flash_primary", None
            p.placement = {"after": ["mcuboot_primary"]}
        elif p.name == "external_flash":
            p.address, p.size = 0x0, 0x800000


def _no_netcore_slots(spec):
    _drop_parts(spec, "mcuboot_primary_1", "mcuboot_secondary_1", "ram_flash")
    spec.domain("").regions = [r for r in spec.domain("").regions if r.name != "ram_flash"]


def _copied_netcore_slots(spec):
    """A pm_static.yml copied from an nRF5340 project onto an nRF52840 (U28)."""
    from fixturegen.pm import Reg

    d = spec.domain("")
    ext = _part(spec, "external_flash")
    ext.address, ext.size = 0x134000, 0x6cc000
    d.parts += [Part("mcuboot_primary_1", 0x0, 0x40000, "ram_flash", device="flash_ctrl"),
                Part("mcuboot_secondary_1", 0xf4000, 0x40000, "external_flash",
                     device="DT_CHOSEN(nordic_pm_ext_flash)"),
                Part("ram_flash", 0x40000, 0x0, "ram_flash")]
    d.regions.append(Reg("ram_flash", 0x0, 0x40000, "flash_ctrl", "CONFIG_FLASH_SIMULATOR",
                         "start_to_end"))


def _pad(spec):
    spec.sysbuild["SB_CONFIG_PM_MCUBOOT_PAD"] = "0x200"


def _mcuboot_qspi_off(spec):
    spec.image("mcuboot").kconfig |= {"CONFIG_NORDIC_QSPI_NOR": False,
                                      "CONFIG_PM_EXTERNAL_FLASH_HAS_DRIVER": False,
                                      "CONFIG_NRFX_QSPI": False}


def _override_no_driver(spec):
    spec.image("mcuboot").kconfig |= {"CONFIG_PM_OVERRIDE_EXTERNAL_DRIVER_CHECK": True,
                                      "CONFIG_SPI_NOR": False}


def _out_of_tree_driver(spec):
    for name in ("external_flash", "mcuboot"):
        image = spec.image(name)
        image.props = {"mx25r64": {"compatible": '"atmel,at45"'}}
        image.kconfig |= {"CONFIG_NORDIC_QSPI_NOR": False, "CONFIG_SPI_FLASH_AT45": True,
                          "CONFIG_PM_EXTERNAL_FLASH_HAS_DRIVER": False}


def _sectors(spec):
    spec.image("mcuboot").kconfig["CONFIG_BOOT_MAX_IMG_SECTORS"] = 128


def _page(spec):
    spec.image("mcuboot").kconfig["CONFIG_SPI_NOR_FLASH_LAYOUT_PAGE_SIZE"] = 65536


def _swap_netcore(spec):
    spec.sysbuild |= {"SB_CONFIG_MCUBOOT_MODE_OVERWRITE_ONLY": False,
                      "SB_CONFIG_MCUBOOT_MODE_SWAP_USING_MOVE": True}
    spec.image("mcuboot").kconfig |= {"CONFIG_BOOT_UPGRADE_ONLY": False,
                                      "CONFIG_BOOT_SWAP_USING_MOVE": True,
                                      "CONFIG_USE_NRF53_MULTI_IMAGE_WITHOUT_UPGRADE_ONLY": True}


def _no_chosen(spec):
    image = spec.image("mcuboot")
    image.chosen = {k: v for k, v in image.chosen.items() if k != "nordic,pm-ext-flash"}


def _bus_off(spec):
    spec.image("mcuboot").status |= {"spi00": "disabled"}


def _write_block(spec):
    spec.image("mcuboot").props = {"mx25r64": {"write-block-size": "< 0x20 >"}}


def _other_chip(spec):
    image = spec.image("mcuboot")
    image.extra_nodes = (("/soc/peripheral@50000000/spi@4a000/mx25r6435f@1", ("mx25r64_cs1",),
                          (("compatible", '"jedec,spi-nor"'), ("status", '"okay"'),
                           ("reg", "< 0x1 >"), ("spi-max-frequency", "< 0x7a1200 >"),
                           ("size", "< 0x4000000 >"))),)
    image.chosen = image.chosen | {"nordic,pm-ext-flash": "mx25r64_cs1"}


CASES = (
    Case("EXF001-artefact-missing", "nrf52840dk-sysbuild", ("EXF001",),
         "a CI artefact copy that kept only some files: mcuboot/zephyr/zephyr.dts missing",
         remove=("mcuboot/zephyr/zephyr.dts",)),
    Case("EXF002-schema", "nrf52840dk-sysbuild", ("EXF002",),
         "hand-edited static layout: placement align start written as text", _schema),
    Case("EXF101-partition-overlap", "nrf52840dk-sysbuild", ("EXF101",),
         "littlefs_storage placed over the end of mcuboot_secondary in external flash (F11)",
         _overlap),
    Case("EXF102-partition-out-of-region", "nrf54l15dk-spi-nor", ("EXF102",),
         "partition beyond the end of a 2 MiB external chip (F11)", _out_of_region),
    Case("EXF103-slot-size-mismatch", "nrf52840dk-sysbuild", ("EXF103",),
         "secondary smaller than primary in pm_static.yml (U16, U23, U25, F8)", _smaller_secondary),
    Case("EXF104-secondary-not-external", "nrf52840dk-sysbuild", ("EXF104",),
         "SB_CONFIG_PM_EXTERNAL_FLASH_MCUBOOT_SECONDARY=y but pm_static.yml keeps the "
         "secondary internal (F9)", _internal_secondary),
    Case("EXF105-netcore-slots-missing", "nrf5340dk-netcore", ("EXF105",),
         "network-core update enabled with a static layout lacking mcuboot_primary_1/"
         "mcuboot_secondary_1 (U40, U44)", _no_netcore_slots),
    Case("EXF106-pad-size-mismatch", "nrf54l15dk-spi-nor", ("EXF106",),
         "SB_CONFIG_PM_MCUBOOT_PAD=0x200 on nRF54L where mcuboot_pad is 0x800 (F15)", _pad),
    Case("EXF108-foreign-netcore-slots", "nrf52840dk-sysbuild", ("EXF108",),
         "an nRF5340 static layout (mcuboot_primary_1 in ram_flash) copied onto an nRF52840 "
         "(U28)", _copied_netcore_slots),
    Case("EXF201-driver-disabled", "nrf52840dk-sysbuild", ("EXF201",),
         "MCUboot's nrf52840dk board conf sets CONFIG_NORDIC_QSPI_NOR=n and only a fragment "
         "was used (F4, U10)", _mcuboot_qspi_off),
    Case("EXF202-override-without-driver", "nrf54l15dk-spi-nor", ("EXF202",),
         "CONFIG_PM_OVERRIDE_EXTERNAL_DRIVER_CHECK=y in MCUboot without CONFIG_SPI_NOR "
         "(F6, U1-U3: __device_dts_ord_N link error)", _override_no_driver),
    Case("EXF203-driver-not-flagged", "nrf52840dk-sysbuild", ("EXF203",),
         "an AT45 DataFlash (driver outside PM's list) does not set "
         "CONFIG_PM_EXTERNAL_FLASH_HAS_DRIVER (F2)", _out_of_tree_driver),
    Case("EXF204-max-img-sectors", "nrf52840dk-sysbuild", ("EXF204",),
         "CONFIG_BOOT_MAX_IMG_SECTORS left at the default 128 for a 976 KiB slot (U14, F1)",
         _sectors),
    Case("EXF205-sector-layout-mismatch", "nrf54l15dk-spi-nor", ("EXF205",),
         "SPI NOR layout page left at 64 KiB with swap-move (U18, F7)", _page),
    Case("EXF206-netcore-update-mode", "nrf5340dk-netcore", ("EXF206",),
         "network-core multi-image update with swap-move instead of overwrite-only (F13)",
         _swap_netcore),
    Case("EXF301-chosen-missing", "nrf52840dk-sysbuild", ("EXF301",),
         "nordic,pm-ext-flash only in the app overlay, not in MCUboot's (U4, U5, F3)", _no_chosen),
    Case("EXF302-flash-bus-disabled", "nrf54l15dk-spi-nor", ("EXF302",),
         "spi00 left disabled in MCUboot's devicetree (U1, U8)", _bus_off),
    Case("EXF303-write-block-size", "nrf54l15dk-spi-nor", ("EXF303",),
         "external write block 32 bytes, larger than the RRAM's 16 (U19)", _write_block),
    Case("EXF304-chosen-mismatch", "nrf54l15dk-spi-nor", ("EXF304",),
         "MCUboot's overlay chooses a second chip select, the app the first", _other_chip),
)


def all_cases() -> tuple[Case, ...]:
    """Every negative case: these (Partition Manager builds) and the
    devicetree-partition ones of fixturegen.dts_builds."""
    from fixturegen.dts_builds import DTS_CASES

    return CASES + DTS_CASES


def base_spec(name: str) -> BuildSpec:
    return all_fixtures()[name]()


def case_spec(case: Case) -> BuildSpec:
    spec = copy.deepcopy(base_spec(case.base))
    case.mutate(spec)
    return spec


def case_files(case: Case, base: Callable[[str], BuildSpec] = base_spec) -> dict[str, str]:
    """A case folder's files: ``case.yml`` (base fixture, expected codes, what it
    models, changed and removed files) and ``files/<rel>`` for each file that
    differs from the base fixture."""
    before = build_files(base(case.base))
    after = build_files(case_spec(case))
    changed = {k: v for k, v in after.items() if k != "PROVENANCE.yml" and before.get(k) != v}
    meta = {"base": case.base, "expect": list(case.expect), "models": case.models,
            "changed": sorted(changed), "remove": list(case.remove)}
    files = {"case.yml": yaml.safe_dump(meta, sort_keys=False, width=100)}
    files |= {f"files/{rel}": text for rel, text in changed.items()}
    return files
