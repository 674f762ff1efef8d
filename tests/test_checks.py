"""The checks: registry contract, one negative case per check against the
committed fixtures (exactly the expected codes), clean fixtures clean, and
the same checks on a devicetree-partition model (issue #5's path)."""

from __future__ import annotations

import pickle
import re
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, TESTS_DIR
from extflash import checks
from extflash.checks import slots
from extflash.errors import ArtefactError
from extflash.model import (
    EXTERNAL_FLASH,
    Build,
    Devicetree,
    DtNode,
    Image,
    Location,
    MemoryMap,
    Partition,
    Partitioning,
    Region,
    Role,
    Severity,
)
from extflash.verify import verify_build

BUILDS = FIXTURES / "builds"
CASES = sorted(p for p in (TESTS_DIR / "cases").iterdir() if (p / "case.yml").is_file())
CLEAN = sorted(p.name for p in BUILDS.iterdir() if p.is_dir())


def materialize(case_dir: Path, dest: Path) -> Path:
    meta = yaml.safe_load((case_dir / "case.yml").read_text())
    build = dest / "build"
    shutil.copytree(BUILDS / meta["base"], build)
    if (case_dir / "files").is_dir():
        shutil.copytree(case_dir / "files", build, dirs_exist_ok=True)
    for rel in meta["remove"]:
        (build / rel).unlink()
    return build


# ---------------------------------------------------------------- registry


def starts_lower(text: str) -> bool:
    """Messages are lower-case; a leading symbol or proper name keeps its
    spelling (CONFIG_..., SB_CONFIG_..., MCUboot, a file name)."""
    first = text.split()[0]
    return text[0].islower() or "_" in first or first in ("MCUboot", "MCUboot's") or "/" in first


def test_registry_codes_and_names_are_unique_and_well_formed():
    codes = [c.code for c in checks.CHECKS]
    names = [c.name for c in checks.CHECKS]
    assert len(set(codes)) == len(codes) and len(set(names)) == len(names)
    for c in checks.CHECKS:
        assert re.fullmatch(r"EXF[0-3][0-9]{2}", c.code)
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", c.name)
        assert c.docs.startswith("https://docs.nordicsemi.com/")
        assert c.summary and c.hint and starts_lower(c.summary)
        for section in ("What it checks", "Why it matters", "How to fix", "See also"):
            assert section in c.explanation, (c.name, section)


def test_registry_has_the_names_ci_integrations_use():
    required = {"driver-disabled", "chosen-missing", "override-without-driver",
                "driver-not-flagged", "max-img-sectors", "sector-layout-mismatch",
                "slot-size-mismatch", "secondary-not-external", "partition-overlap",
                "partition-out-of-region", "schema", "artefact-missing"}
    assert required <= {c.name for c in checks.CHECKS}


# checks whose negative builds are devicetree-partition builds tested elsewhere
TESTED_ELSEWHERE = {"EXF107": "tests/test_dts_mode.py",
                    # real corpus builds/files and hand-written tables with their NCS source
                    "EXF109": "tests/test_pm_model.py", "EXF110": "tests/test_pm_model.py",
                    "EXF306": "tests/test_pm_model.py",
                    # copies of real corpus builds with one change
                    "EXF010": "tests/test_evidence.py", "EXF011": "tests/test_evidence.py",
                    "EXF012": "tests/test_evidence.py", "EXF013": "tests/test_evidence.py",
                    "EXF014": "tests/test_evidence.py",
                    # signed images: signed with imgtool at test time, not committed
                    **dict.fromkeys(("EXF130", "EXF131", "EXF132", "EXF133"),
                                    "tests/test_signed_image.py")}


def test_every_check_has_a_negative_case():
    covered = {d.name.split("-", 1)[0] for d in CASES}
    assert covered | set(TESTED_ELSEWHERE) == {c.code for c in checks.CHECKS}
    for d in CASES:  # <CODE>-<name>[-<variant>]
        code = d.name.split("-", 1)[0]
        assert d.name.startswith(f"{code}-{checks.find(code).name}")  # -dts: devicetree builds


def test_find_by_code_any_case_and_by_name():
    assert checks.find("exf204") is checks.find("max-img-sectors")
    assert checks.find("EXF999") is None


# ---------------------------------------------------------------- fixtures


@pytest.mark.parametrize("name", CLEAN)
def test_clean_fixture_has_zero_findings(name):
    report = verify_build(BUILDS / name)
    assert report.verified and report.findings == (), [f.message for f in report.findings]
    assert (BUILDS / name / "PROVENANCE.yml").is_file()


@pytest.mark.parametrize("case_dir", CASES, ids=[c.name for c in CASES])
def test_negative_case_reports_exactly_the_expected_codes(case_dir, tmp_path):
    meta = yaml.safe_load((case_dir / "case.yml").read_text())
    report = verify_build(materialize(case_dir, tmp_path))
    assert sorted({f.code for f in report.findings}) == sorted(meta["expect"]), [
        f"{f.code}: {f.message}" for f in report.findings]
    for f in report.findings:
        assert starts_lower(f.message) and not f.message.endswith(".")
        assert f.hint and f.docs and f.name == checks.find(f.code).name


def test_report_is_picklable():
    report = verify_build(BUILDS / "nrf5340dk-netcore")
    assert pickle.loads(pickle.dumps(report)) == report


def test_max_img_sectors_tells_unreadable_from_too_few(tmp_path):
    """users-peers key finding 3: same boot message, two causes."""
    build = materialize(TESTS_DIR / "cases" / "EXF204-max-img-sectors", tmp_path)
    text = verify_build(build).findings[0].message
    assert "244 sectors" in text and "CONFIG_BOOT_MAX_IMG_SECTORS=128" in text
    assert "the slots themselves are readable" in text
    config = build / "mcuboot" / "zephyr" / ".config"
    config.write_text(config.read_text().replace("CONFIG_NORDIC_QSPI_NOR=y",
                                                 "# CONFIG_NORDIC_QSPI_NOR is not set"))
    config.write_text(config.read_text().replace("CONFIG_PM_EXTERNAL_FLASH_HAS_DRIVER=y",
                                                 "# CONFIG_PM_EXTERNAL_FLASH_HAS_DRIVER is not "
                                                 "set"))
    findings = {f.code: f for f in verify_build(build).findings}
    assert set(findings) == {"EXF201", "EXF204"}
    assert "mcuboot cannot read mcuboot_secondary at all" in findings["EXF204"].message


def test_sector_sizes_come_from_devicetree_and_kconfig(tmp_path):
    build = materialize(TESTS_DIR / "cases" / "EXF205-sector-layout-mismatch", tmp_path)
    message = verify_build(build).findings[0].message
    assert "4096-byte sectors (erase-block-size of /soc/rram-controller@5004b000/rram@0" in message
    assert "65536-byte sectors (CONFIG_SPI_NOR_FLASH_LAYOUT_PAGE_SIZE=65536" in message


def test_chosen_missing_names_the_overlay_that_defined_the_node(tmp_path):
    build = materialize(TESTS_DIR / "cases" / "EXF302-flash-bus-disabled", tmp_path)
    (finding,) = verify_build(build).findings
    assert "sysbuild/mcuboot_ext_flash.overlay" in finding.message  # status set there
    assert finding.location.defined_in.startswith("zephyr/dts/arm/nordic/nrf54l15_cpuapp.dtsi:")


# ------------------------------------------------ devicetree-partition builds


def _dts_build(secondary_size=0xf4000, mcuboot_driver=True, page=4096, max_sectors=256):
    """A hand-built NCS 3.4-style model: no PM, each image has its own map."""
    flash = DtNode("/soc/flash-controller@4001e000/flash@0", ("flash0",), ("soc-nv-flash",),
                   None, ((0, 0x100000),), {"erase-block-size": 4096, "write-block-size": 4},
                   "/soc/flash-controller@4001e000")
    qspi = DtNode("/soc/qspi@40029000", ("qspi",), ("nordic,nrf-qspi",), "okay", (), {}, "/soc")
    ext = DtNode("/soc/qspi@40029000/mx25r6435f@0", ("mx25r64",), ("nordic,qspi-nor",), None,
                 ((0, 0),), {"size": 0x4000000}, "/soc/qspi@40029000")
    tree = Devicetree({"zephyr,flash": flash.path}, {n.path: n for n in (flash, qspi, ext)},
                      Location("x/zephyr/zephyr.dts"))

    def image_map(image):
        return MemoryMap(image, {
            "mcuboot_primary": Partition("mcuboot_primary", 0xc000, 0xf4000, device=flash.path),
            "mcuboot_secondary": Partition("mcuboot_secondary", 0, secondary_size, EXTERNAL_FLASH,
                                           device=ext.path)},
            {EXTERNAL_FLASH: Region(EXTERNAL_FLASH, 0, 0x800000, device=ext.path)})

    base = {"CONFIG_FLASH": True}
    mcuboot_cfg = base | {"CONFIG_NORDIC_QSPI_NOR": mcuboot_driver,
                          "CONFIG_NORDIC_QSPI_NOR_FLASH_LAYOUT_PAGE_SIZE": page,
                          "CONFIG_BOOT_MAX_IMG_SECTORS": max_sectors,
                          "CONFIG_BOOT_SWAP_USING_MOVE": True}
    app = Image("app", Role.APP, "app", base | {"CONFIG_NORDIC_QSPI_NOR": True}, None, tree,
                memory_map=image_map("app"))
    boot = Image("mcuboot", Role.MCUBOOT, "mcuboot", mcuboot_cfg,
                 Location("mcuboot/zephyr/.config"),
                 tree, memory_map=image_map("mcuboot"))
    return Build(Path("/x"), "sysbuild", Partitioning.DTS, {}, {"app": app, "mcuboot": boot})


def _codes(build):
    return sorted({f.code for f in checks.run(build)})


def test_devicetree_build_flows_through_the_same_checks():
    assert _codes(_dts_build()) == []
    assert _codes(_dts_build(secondary_size=0xe0000)) == ["EXF103"]
    assert _codes(_dts_build(mcuboot_driver=False)) == ["EXF201"]
    assert _codes(_dts_build(page=65536)) == ["EXF205"]
    assert _codes(_dts_build(max_sectors=128)) == ["EXF204"]


def test_slots_helper_resolves_devicetree_nodes():
    build = _dts_build()
    boot = build.mcuboot
    (secondary,) = slots.external_slots(build, boot)
    assert slots.ext_flash_node(build, boot, secondary).labels == ("mx25r64",)
    assert slots.gating_symbol(build, boot, secondary)[0] == "CONFIG_NORDIC_QSPI_NOR"
    assert slots.sector_size(build, boot, secondary).value == 4096
    assert slots.internal_erase_block(boot).value == 4096


def test_larger_secondary_under_swap_move_is_an_error():
    """sdk-mcuboot v2.1.0-ncs1 swap_move.c boot_slots_compatible: a secondary
    with more sectors than the primary is "not a compatible amount of
    sectors" (no b0 here, so no PM_S1_ADDRESS patch)."""
    build = _dts_build(secondary_size=0x100000)
    assert build.mcuboot.is_y("CONFIG_BOOT_SWAP_USING_MOVE")
    findings = checks.run(build)
    # each image of a devicetree build has its own layout, so each reports
    assert [(f.code, f.severity, f.image) for f in findings] == [
        ("EXF103", Severity.ERROR, "app"), ("EXF103", Severity.ERROR, "mcuboot")]


# ------------------------------------------------------ scenario variants


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, (path, old)
    path.write_text(text.replace(old, new))


def test_spi_nor_board_with_qspi_gate_hints_the_sysbuild_override(tmp_path):
    """F5: sysbuild NCS 2.7-3.0 gates the external region on
    CONFIG_NORDIC_QSPI_NOR; an SPI-NOR board needs the override."""
    build = Path(shutil.copytree(BUILDS / "nrf54l15dk-spi-nor", tmp_path / "b"))
    _edit(build / "regions.yml", "default_driver_kconfig: CONFIG_PM_EXTERNAL_FLASH_HAS_DRIVER",
          "default_driver_kconfig: CONFIG_NORDIC_QSPI_NOR")
    for header in build.glob("*/zephyr/include/generated/pm_config.h"):
        header.write_text(header.read_text().replace(
            "DEFAULT_DRIVER_KCONFIG CONFIG_PM_EXTERNAL_FLASH_HAS_DRIVER",
            "DEFAULT_DRIVER_KCONFIG CONFIG_NORDIC_QSPI_NOR"))
    findings = verify_build(build).findings
    # one sysbuild setting fixes both images: one finding (the whole build) naming both
    assert [(f.code, f.image) for f in findings] == [("EXF201", None)]
    assert "SB_CONFIG_PM_OVERRIDE_EXTERNAL_DRIVER_CHECK=y" in findings[0].hint
    assert ("CONFIG_NORDIC_QSPI_NOR is not set in smp_svr/zephyr/.config and "
            "mcuboot/zephyr/.config") in findings[0].message


def test_chosen_pointing_to_disabled_node(tmp_path):
    """nRF91 DKs ship the flash node disabled: MCUboot must enable it too."""
    build = Path(shutil.copytree(BUILDS / "nrf54l15dk-spi-nor", tmp_path / "b"))
    dts = build / "mcuboot" / "zephyr" / "zephyr.dts"
    text = dts.read_text()
    head, node = text.split("mx25r64: mx25r6435f@0 {", 1)
    node = node.replace('status = "okay";', 'status = "disabled";', 1)
    dts.write_text(head + "mx25r64: mx25r6435f@0 {" + node)
    (finding,) = verify_build(build).findings
    assert finding.code == "EXF301" and 'its status is "disabled"' in finding.message
    assert 'mx25r64 { status = "okay"; }' in finding.hint


def test_child_image_hints_name_child_image_files(tmp_path):
    build = Path(shutil.copytree(BUILDS / "nrf52840dk-child-image", tmp_path / "b"))
    _edit(build / "mcuboot" / "zephyr" / ".config", "CONFIG_BOOT_MAX_IMG_SECTORS=256",
          "CONFIG_BOOT_MAX_IMG_SECTORS=128")
    (finding,) = verify_build(build).findings
    assert finding.hint == "set CONFIG_BOOT_MAX_IMG_SECTORS=256 in child_image/mcuboot.conf"


def test_readme_section_lists_every_check():
    text = (FIXTURES.parent.parent / "README.rst").read_text()
    for c in checks.CHECKS:
        assert re.search(rf"{c.code}\s+{re.escape(c.name)}\s+{c.severity}", text), c.code


def test_ncs28_spi_nor_without_the_override_in_mcuboot(tmp_path):
    """nRF9160 DK, NCS 2.8 (G2): the region is gated on the override; an
    MCUboot without it drops the slot although CONFIG_SPI_NOR=y (U9)."""
    build = Path(shutil.copytree(BUILDS / "nrf9160dk-spi-nor", tmp_path / "b"))
    _edit(build / "mcuboot" / "zephyr" / ".config", "CONFIG_PM_OVERRIDE_EXTERNAL_DRIVER_CHECK=y",
          "# CONFIG_PM_OVERRIDE_EXTERNAL_DRIVER_CHECK is not set")
    (finding,) = verify_build(build).findings
    assert (finding.code, finding.image) == ("EXF201", "mcuboot")
    assert finding.message.startswith("CONFIG_PM_OVERRIDE_EXTERNAL_DRIVER_CHECK is not set in "
                                      "mcuboot/zephyr/.config")
    assert "SB_CONFIG_PM_OVERRIDE_EXTERNAL_DRIVER_CHECK=y" in finding.hint


def test_nrf9160dk_flash_node_left_disabled_in_mcuboot(tmp_path):
    """The board ships mx25r64 disabled (F10 board facts): only the app
    overlay enabled it."""
    build = Path(shutil.copytree(BUILDS / "nrf9160dk-spi-nor", tmp_path / "b"))
    dts = build / "mcuboot" / "zephyr" / "zephyr.dts"
    head, node = dts.read_text().split("mx25r64: mx25r6435f@1 {", 1)
    node = node.replace('status = "okay"; /* in nrf/samples/cellular/modem_shell/sysbuild/'
                        'mcuboot.overlay', 'status = "disabled"; /* in zephyr/boards/nordic/'
                        'nrf9160dk/nrf9160dk_nrf9160_common_0_14_0.dtsi', 1)
    dts.write_text(head + "mx25r64: mx25r6435f@1 {" + node)
    (finding,) = verify_build(build).findings
    assert finding.code == "EXF301"
    assert "status set in zephyr/boards/nordic/nrf9160dk/nrf9160dk_nrf9160_common_0_14_0.dtsi" \
        in finding.message


# ------------------------------------------------ checks never raise on data

_SYMBOLS = ("CONFIG_BOOT_MAX_IMG_SECTORS", "CONFIG_NORDIC_QSPI_NOR", "CONFIG_SPI_NOR",
            "CONFIG_NORDIC_QSPI_NOR_FLASH_LAYOUT_PAGE_SIZE", "CONFIG_UPDATEABLE_IMAGE_NUMBER",
            "CONFIG_PM_EXTERNAL_FLASH_HAS_DRIVER", "CONFIG_BOOT_MAX_IMG_SECTORS_AUTO",
            "CONFIG_PM_OVERRIDE_EXTERNAL_DRIVER_CHECK", "CONFIG_BOOT_SWAP_USING_MOVE")


def _kconfig_values():
    from hypothesis import strategies as st

    raw = st.one_of(st.sampled_from(["y", "n", "0", "-1", "0x0", "65536", '""', '"text"', "0x",
                                     "99999999999999999999", "m"]),
                    st.text(alphabet="0123456789abcdefxy\"-", max_size=8))
    return st.dictionaries(st.sampled_from(_SYMBOLS), raw, max_size=5)


def test_checks_never_raise_on_odd_kconfig_values(tmp_path_factory):
    from hypothesis import HealthCheck, given, settings

    base = tmp_path_factory.mktemp("odd") / "b"
    shutil.copytree(BUILDS / "nrf5340dk-netcore", base)
    config = base / "mcuboot" / "zephyr" / ".config"
    original = config.read_text()

    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
    @given(_kconfig_values())
    def run(values):
        lines = [line for line in original.splitlines()
                 if not any(line.startswith((f"{s}=", f"# {s} is not set")) for s in values)]
        config.write_text("\n".join(lines + [f"{s}={v}" for s, v in values.items()]) + "\n")
        try:
            report = verify_build(base)
        except ArtefactError as e:  # a value Kconfig cannot write: one clear line
            assert str(e).startswith(str(config)) and "\n" not in str(e)
            return
        assert all(f.message and f.hint for f in report.findings)

    run()


# ------------------------------------------------------------- fixturegen


# the currency test of every generated fixture and case: tests/test_fixturegen.py


def test_generate_many_writes_verifiable_builds(tmp_path):
    from fixturegen import generate_many

    paths = generate_many(tmp_path, 6)
    assert len(paths) == 6 and len({p.parent.name for p in paths}) == 5
    for path in paths[:5]:
        assert verify_build(path).findings == ()


def test_netcore_ram_flash_slot_needs_the_flash_simulator_in_mcuboot(tmp_path):
    """mcuboot_primary_1 lives in ram_flash, gated on CONFIG_FLASH_SIMULATOR."""
    build = Path(shutil.copytree(BUILDS / "nrf5340dk-netcore", tmp_path / "b"))
    _edit(build / "mcuboot" / "zephyr" / ".config", "CONFIG_FLASH_SIMULATOR=y",
          "# CONFIG_FLASH_SIMULATOR is not set")
    (finding,) = verify_build(build).findings
    assert finding.code == "EXF201" and "mcuboot_primary_1 in ram_flash" in finding.message
    assert "SB_CONFIG_MCUBOOT_NRF53_MULTI_IMAGE_UPDATE=y" in finding.hint
