"""``verify`` on REAL NCS 2.7.0 build directories (tests/fixtures/ncs-real/).

Each fixture is what NCS 2.7.0 itself produced (``west build --cmake-only``
through ../shared/tools/ncs-real, trimmed by its collect.sh; reproduce with
``scripts/make-real-fixtures.sh CASE``). Clean cases build Nordic's own test
or a hand-written app (tests/fixtures/ncs-real-apps/); each fault case changes
ONE input of a clean app the way users get it wrong. The expected verdicts
below are reasoned by hand from the fixture's files and from what NCS printed
(each case's PROVENANCE.yml gives the full reasoning and the commands), never
copied from the tool's output.

A verdict is the exit code and the EXACT set of check names. Where the tool
cannot yet catch a fault, ``pending`` describes the finding that is missing
(the words its message must contain); the test is then a strict xfail naming
the missing check, so it turns into a failure the day the check lands and the
table must be completed with the check's name.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, REPO_ROOT, run_cli, run_west

REAL = FIXTURES / "ncs-real"
APPS = FIXTURES / "ncs-real-apps"

# what collect.sh copies (../shared/tools/ncs-real/collect.sh): top-level files, and per
# image (one folder down) the same image files; plus the two files make-real-fixtures.sh
# adds: the hand-written PROVENANCE.yml and cmake-messages.txt
_IMAGE_FILES = (r"CMakeCache\.txt|zephyr/\.config|zephyr/zephyr\.dts"
                r"|zephyr/include/generated/(pm_config|ncs_version|ncs_commit)\.h")
COLLECTED = re.compile(r"(domains\.yaml|partitions[^/]*\.yml|regions[^/]*\.yml|pm[^/]*\.config"
                       rf"|(?:[^/]+/)?(?:{_IMAGE_FILES}))")
ADDED = ("PROVENANCE.yml", "cmake-messages.txt")


@dataclass(frozen=True)
class Verdict:
    exit_code: int
    names: frozenset[str]
    why: str
    # a finding the tool does not produce yet: (missing check, words its message must hold)
    pending: tuple[str, tuple[str, ...]] | None = None
    # the tool gets this case wrong for another reason than a missing finding: why
    xfail: str | None = None


def V(exit_code: int, names: set[str], why: str, pending=None, xfail=None) -> Verdict:
    return Verdict(exit_code, frozenset(names), why, pending, xfail)


EXPECTED: dict[str, Verdict] = {
    # ---- clean builds: NCS's own test and hand-written apps
    "nrf52840dk-ncs-test": V(0, set(), (
        "Nordic's own test: mcuboot_secondary in external_flash 0x0+0xf4000 = mcuboot_primary's "
        "size; both images choose nordic,pm-ext-flash = &mx25r64 and have CONFIG_NORDIC_QSPI_NOR=y "
        "with the 4096-byte layout page; MCUboot swap-move with CONFIG_BOOT_MAX_IMG_SECTORS=256 "
        ">= 244 sectors")),
    "nrf52840dk-ncs-test-child-image": V(0, set(), (
        "the same test as a child image: region gated on CONFIG_PM_EXTERNAL_FLASH_HAS_DRIVER, set "
        "in both images; same slots, chosen, driver, page and sector count")),
    "nrf5340dk-ncs-test-netcore": V(0, set(), (
        "network-core update: mcuboot_primary_1 in ram_flash (CONFIG_FLASH_SIMULATOR=y in "
        "MCUboot), "
        "mcuboot_secondary_1 0xf4000+0x40000 external = its size; overwrite-only; two images")),
    "nrf9160dk-spi-nor": V(0, set(), (
        "SPI NOR region gated on CONFIG_PM_OVERRIDE_EXTERNAL_DRIVER_CHECK, set in both images with "
        "CONFIG_SPI_NOR=y and page 4096; secondary 0xf0000 = primary; 256 >= 240 sectors")),
    "nrf52840dk-qspi": V(0, set(), (
        "the hand-written base of the faults: same slots as Nordic's test, driver, page 4096 and "
        "256 sectors in MCUboot from sysbuild/mcuboot.conf, chosen in both images")),
    "nrf52840dk-dts-partitions": V(0, set(), (
        "Partition Manager off: both zephyr.dts have boot 0x0+0x10000, slot0 0x10000+0xe8000 and "
        "slot1 on the MX25R64 0x0+0xe8000 from the one shared dtsi; QSPI driver, page 4096 in "
        "both; "
        "256 >= 232 sectors")),
    "nrf52840dk-qspi-child-image": V(0, set(), (
        "the hand-written app as a child image: same slots, driver, chosen, page and sectors; "
        "region gated on CONFIG_PM_EXTERNAL_FLASH_HAS_DRIVER, set in both images")),
    "nrf52840dk-qspi-pm-static": V(0, set(), (
        "the clean app with pm_static.yml = a clean build's partitions.yml, as the NCS docs say to "
        "freeze a layout: the same slots again")),
    # ---- one input changed, the way users get it wrong
    "fault-app-chosen-missing": V(1, {"requested-slot-missing"}, (
        "the app overlay lacks nordic,pm-ext-flash: sysbuild creates no external_flash region and "
        "Partition Manager drops mcuboot_secondary from every output while "
        "SB_CONFIG_PM_EXTERNAL_FLASH_MCUBOOT_SECONDARY=y: no update can ever be stored")),
    "fault-child-image-app-chosen-missing": V(0, {"requested-slot-missing", "secondary-internal"}, (
        "the same mistake in a child-image build: PM_EXTERNAL_FLASH_MCUBOOT_SECONDARY's default is "
        "not taken, so the secondary goes INTERNAL (0x86000+0x7a000) and the primary is halved; "
        "consistent and updatable (secondary-internal info), but not what MCUboot was configured "
        "for: a requested-slot-missing warning")),
    "fault-mcuboot-qspi-driver-missing": V(1, {"driver-disabled"}, (
        "MCUboot's own board conf sets CONFIG_NORDIC_QSPI_NOR=n and the fragment no longer turns "
        "it "
        "on: the region (gated on the app's driver) and the slot exist, MCUboot's flash map leaves "
        "the secondary out")),
    "fault-max-img-sectors-too-small": V(1, {"max-img-sectors"}, (
        "CONFIG_BOOT_MAX_IMG_SECTORS=128 < 0xf4000/4096 = 244: MCUboot's boot_read_sectors() fails "
        "('BOOT_MAX_IMG_SECTORS=128 - too small?') and no update is ever applied")),
    "fault-mcuboot-page-size-65536": V(1, {"sector-layout-mismatch"}, (
        "MCUboot sees the secondary as 64 KiB sectors, the primary as 4 KiB: swap-move's "
        "boot_slots_compatible() refuses every upgrade")),
    "fault-mcuboot-chosen-missing": V(1, {"chosen-missing"}, (
        "MCUboot's pm_config.h names the secondary's device DT_CHOSEN(nordic_pm_ext_flash), which "
        "MCUboot's devicetree does not have")),
    "fault-dts-slot1-app-only": V(1, {"layout-mismatch"}, (
        "the shared dtsi is included only by the app: MCUboot keeps the board's own partitions "
        "(boot 0x0+0xc000, slot0 0xc000+0x76000, slot1 0x82000+0x76000 in internal flash) while "
        "the "
        "app uses boot 0x0+0x10000, slot0 0x10000+0xe8000 and slot1 on the MX25R64")),
    "fault-nrf9160-override-check-missing": V(1, {"driver-disabled"}, (
        "nRF9160 DK SPI NOR without CONFIG_PM_OVERRIDE_EXTERNAL_DRIVER_CHECK in the app: sysbuild "
        "gates external_flash on CONFIG_NORDIC_QSPI_NOR, which neither image has, so both flash "
        "maps leave mcuboot_secondary out")),
    "fault-pm-static-secondary-gap": V(2, set(), (
        "NCS refused to configure (Partition Manager: 'Statically defined partitions are not "
        "packed "
        "at start of region external_flash'): no Partition Manager output, so nothing can be "
        "verified, and the board-default slots in zephyr.dts must not be judged")),
    # ---- MCUboot modes: the frozen layout with mcuboot_secondary resized, per mode
    # (swap_move.c / swap_scratch.c boot_slots_compatible of sdk-mcuboot v2.1.0-ncs1;
    # one 4 KiB trailer sector: 256 * 3 * 4 + 8 * 4 + 16 = 3120 bytes)
    "mode-swap-move-secondary-one-sector-smaller": V(0, set(), (
        "swap-move, primary 244 sectors, secondary 243: num_sectors_pri == num_sectors_sec + 1 "
        "is accepted")),
    "mode-swap-move-secondary-two-sectors-smaller": V(0, set(), (
        "swap-move, primary 244, secondary 242: app_max_sectors() = 244 - 1 trailer sector = 243 "
        "== 242 + 1 is accepted (MCUboot's optimal distribution)")),
    "mode-swap-move-secondary-one-sector-larger": V(1, {"slot-size-mismatch"}, (
        "swap-move, primary 244, secondary 245: none of 244 == 245, 244 == 246, 243 == 246: "
        "'Cannot upgrade: not a compatible amount of sectors'")),
    "mode-overwrite-only-secondary-one-sector-smaller": V(1, {"slot-size-mismatch"}, (
        "overwrite-only (CONFIG_BOOT_UPGRADE_ONLY=y) builds swap_scratch.c, whose walk ends both "
        "slots together: 244 against 243 sectors is 'Cannot upgrade: slots are not compatible' "
        "although swap-move accepts the same layout")),
    "mode-overwrite-only-equal-slots": V(0, set(), (
        "overwrite-only with the clean frozen layout: 244 == 244 sectors, the rest as the clean "
        "case")),
    "fault-pm-static-secondary-size": V(1, {"slot-size-mismatch"}, (
        "pm_static.yml gives mcuboot_secondary 0xf0000 against mcuboot_primary 0xf4000 (240 vs 244 "
        "sectors): swap-move's boot_slots_compatible() refuses every upgrade")),
}


def _cases() -> list:
    params = []
    for name, verdict in sorted(EXPECTED.items()):
        marks = ()
        reason = verdict.xfail or (verdict.pending and verdict.pending[0])
        if reason:
            marks = pytest.mark.xfail(strict=True, reason=reason)
        params.append(pytest.param(name, marks=marks, id=name))
    return params


def _verify_json(build: Path) -> tuple[int, dict]:
    code, out, err = run_cli(["verify", "-d", str(build), "--format", "json"])
    assert "Traceback" not in err
    return code, json.loads(out)


def _matches(finding: dict, words: tuple[str, ...]) -> bool:
    text = " ".join(str(finding.get(k) or "") for k in ("message", "hint", "file"))
    return all(w in text for w in words)


def _assert_verdict(code: int, doc: dict, verdict: Verdict) -> None:
    findings = doc["findings"]
    seen = [f"{f['name']} ({f['severity']}) {f.get('image')}: {f['message']}" for f in findings]
    if verdict.pending:
        _check, words = verdict.pending
        pending = [f for f in findings if _matches(f, words)]
        assert pending, f"no finding says {words}: {seen}"
        findings = [f for f in findings if f not in pending]
    names = {f["name"] for f in findings}
    assert (code, names) == (verdict.exit_code, set(verdict.names)), seen


@pytest.mark.parametrize("name", _cases())
def test_verify_real_ncs_build(name, tmp_path):
    build = shutil.copytree(REAL / name, tmp_path / "build")
    code, doc = _verify_json(build)
    _assert_verdict(code, doc, EXPECTED[name])


# ---------------------------------------------------------- fixture hygiene


def _fixture_dirs() -> list[str]:
    return sorted(p.name for p in REAL.iterdir() if p.is_dir())


def test_every_fixture_has_a_verdict_and_every_verdict_a_fixture():
    assert _fixture_dirs() == sorted(EXPECTED)


def test_every_fixture_is_made_by_the_script():
    """scripts/make-real-fixtures.sh --list names exactly the committed fixtures,
    so each one can be rebuilt with the commands its PROVENANCE.yml gives."""
    listed = subprocess.run(["bash", str(REPO_ROOT / "scripts" / "make-real-fixtures.sh"),
                             "--list"], capture_output=True, text=True, check=True).stdout
    assert sorted(listed.split()) == _fixture_dirs()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_provenance_states_the_same_verdict(name):
    """PROVENANCE.yml records the verdict with its reasoning; the table above
    must say the same (one of them was not edited alone)."""
    prov = yaml.safe_load((REAL / name / "PROVENANCE.yml").read_text())
    verdict = EXPECTED[name]
    assert prov["name"] == name
    assert prov["ncs_version"].startswith("2.7.0")
    assert f"make-real-fixtures.sh {name}" in prov["commands"]["reproduce"]
    assert "build.sh " in prov["commands"]["build"] or "--no-sysbuild" in prov["commands"]["build"]
    assert "collect.sh" in prov["commands"]["collect"]
    expected = prov["expected"]
    assert expected["exit_code"] == verdict.exit_code
    assert set(expected["codes"]) == set(verdict.names)
    assert bool(expected.get("pending")) == bool(verdict.pending)
    assert expected["reasoning"] and prov["changed_input"] and prov["ncs_reported"]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_holds_only_collected_files(name):
    """Trimmed by collect.sh and nothing else: every file is one collect.sh copies
    (or the two the script adds), and NCS's configure result is recorded."""
    root = REAL / name
    for path in root.rglob("*"):
        if path.is_file():
            rel = path.relative_to(root).as_posix()
            assert rel in ADDED or COLLECTED.fullmatch(rel), rel
    assert (root / "cmake-messages.txt").read_text().startswith("# configure exit code: ")


# ---------------------------------------------------------- through the real west

E2E = ["nrf52840dk-ncs-test", "fault-max-img-sectors-too-small", "fault-mcuboot-chosen-missing"]


@pytest.mark.e2e
@pytest.mark.parametrize("name", E2E)
def test_west_verify_real_ncs_build(name, workspaces, west_env, tmp_path):
    """`west extflash verify --format json` in an offline workspace, as a user runs it."""
    build = shutil.copytree(REAL / name, tmp_path / "build")
    proc = run_west(["extflash", "verify", "-d", str(build), "--format", "json"],
                    cwd=workspaces["project"], env=west_env, check=False)
    assert "Traceback" not in proc.stderr
    _assert_verdict(proc.returncode, json.loads(proc.stdout), EXPECTED[name])


# ---------------------------------------------------------- device forms (NCS >= 2.2)


def test_ncs_27_names_the_secondary_device_by_the_chosen_in_every_image():
    """checks/device.py's version table says NCS >= 2.2 writes
    PM_MCUBOOT_SECONDARY_DEV DT_CHOSEN(nordic_pm_ext_flash) (resolved by each
    image's own chosen, so chosen-missing judges it) instead of NCS 2.1's node
    path: every real NCS 2.7.0 pm_config.h that has an external secondary,
    nRF9160 DK /ns with TF-M included, says so."""
    headers = [h for h in REAL.glob("*/**/zephyr/include/generated/pm_config.h")
               if "PM_MCUBOOT_SECONDARY_DEV " in h.read_text()]
    external = [h for h in headers if "PM_MCUBOOT_SECONDARY_DEV DT_CHOSEN" in h.read_text()]
    assert any("nrf9160dk-spi-nor" in str(h) for h in external)
    for header in headers:
        devs = re.findall(r"#define PM_MCUBOOT_SECONDARY_DEV (\S+)", header.read_text())
        assert devs in (["DT_CHOSEN(nordic_pm_ext_flash)"], ["flash_controller"]), (header, devs)
