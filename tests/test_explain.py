"""``west extflash explain``: every log in tests/logs (real NCS 2.7.0 build
output, logs quoted by Nordic's documentation and by users, and logs
composed from MCUboot's and Zephyr's source strings, each line cited in
tests/logs/PROVENANCE.yml) is explained as the cause its source states, and
with the matching build the check that proves it is reported."""

from __future__ import annotations

import io
import re
import shutil
import sys
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURES, TESTS_DIR, run_cli
from extflash import checks
from extflash.explain import scan
from extflash.explain.patterns import PATTERNS

LOGS = TESTS_DIR / "logs"
PROVENANCE = yaml.safe_load((LOGS / "PROVENANCE.yml").read_text())["logs"]
NCS27 = Path("/root/ncs-real/ws-2.7.0")


def _build(spec: dict, tmp: Path) -> Path:
    if "fixture" in spec:
        return FIXTURES / "builds" / spec["fixture"]
    case = TESTS_DIR / "cases" / spec["case"]
    meta = yaml.safe_load((case / "case.yml").read_text())
    dest = tmp / spec["case"]
    shutil.copytree(FIXTURES / "builds" / meta["base"], dest)
    shutil.copytree(case / "files", dest, dirs_exist_ok=True)
    return dest


def test_every_log_has_provenance_and_every_provenance_a_log():
    files = {p.relative_to(LOGS).as_posix() for p in LOGS.rglob("*.log")}
    assert files == set(PROVENANCE)
    for name, entry in PROVENANCE.items():
        assert entry["origin"].strip(), name


@pytest.mark.parametrize("name", sorted(PROVENANCE))
def test_log_is_explained_as_its_source_says(name):
    entry = PROVENANCE[name]
    hits = scan((LOGS / name).read_text())
    seen = []
    for hit in hits:
        if hit.pattern.name not in seen:
            seen.append(hit.pattern.name)
    assert seen == entry["expect"]
    for pattern, images in entry.get("images", {}).items():
        assert [h.image for h in hits if h.pattern.name == pattern] == images


@pytest.mark.parametrize("name", sorted(n for n, e in PROVENANCE.items() if "build" in e))
def test_build_confirms_the_cause(name, tmp_path):
    entry = PROVENANCE[name]
    build = _build(entry["build"], tmp_path)
    code, out, err = run_cli(["explain", str(LOGS / name), "-d", str(build)])
    assert code == 0, err
    assert err == ""
    confirmed = set(re.findall(r"^    (EXF\d{3}) [a-z-]+ (?:error|warning|info): ", out, re.M))
    assert confirmed == set(entry["confirm"]), out
    if not entry["confirm"]:
        assert "found nothing in" in out


def test_without_a_build_it_says_what_to_look_at():
    code, out, _ = run_cli(["explain", str(LOGS / "boot/max-img-sectors-128.log")])
    assert code == 0
    assert "max-img-sectors-128.log:3: boot log: MCUboot has CONFIG_BOOT_MAX_IMG_SECTORS=128" \
        in out
    assert "look at:  CONFIG_BOOT_MAX_IMG_SECTORS in mcuboot/zephyr/.config" in out
    assert "-d BUILD runs max-img-sectors, driver-disabled" in out
    assert "sdk-mcuboot v2.1.0-ncs1 (NCS 2.7.0) boot/bootutil/src/loader.c:2102" in out


def test_kconfig_warning_names_the_symbol_the_image_and_the_unmet_dependency():
    code, out, _ = run_cli(["explain", str(LOGS / "build/ncs270-kconfig-spi-nor.log")])
    assert code == 0
    assert ("ncs270-kconfig-spi-nor.log:40: build log: CONFIG_SPI_NOR was assigned 'y' but got "
            "'n' (image mcuboot); unmet dependencies: ((FLASH && SOC_GR716A) || "
            "(DT_HAS_JEDEC_SPI_NOR_ENABLED && FLASH)) (=n)") in out


def test_nothing_known_exits_1_and_unreadable_log_exits_2(tmp_path):
    code, out, _ = run_cli(["explain", str(LOGS / "boot/nothing-known.log")])
    assert code == 1 and "no known MCUboot, devicetree, Kconfig or linker message" in out
    code, out, err = run_cli(["explain", str(tmp_path / "missing.log")])
    assert code == 2 and out == "" and err.count("\n") == 1 and "missing.log" in err
    code, out, err = run_cli(["explain", str(tmp_path)])
    assert code == 2 and "is not a regular file" in err


def test_log_from_stdin(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(
        (LOGS / "boot/protect-mcuboot-failed.log").read_text()))
    code, out, _ = run_cli(["explain", "-"])
    assert code == 0 and out.startswith("stdin:2: boot log: Protect mcuboot flash failed")


def test_bad_build_dir_is_one_line(tmp_path):
    code, out, err = run_cli(["explain", str(LOGS / "boot/overwrite-only.log"), "-d",
                              str(tmp_path)])
    assert code == 2 and out == "" and err.count("\n") == 1 and "CMakeCache.txt" in err


def test_every_pattern_names_real_checks_and_matches_its_printed_text():
    names = [p.name for p in PATTERNS]
    assert len(names) == len(set(names))
    samples = {"%d": "7", "%s": "primary", "%zu": "1", "0x%x": "0x10000", "%x": "10000"}
    for p in PATTERNS:
        for name in p.checks:
            assert checks.find(name) is not None, (p.name, name)
        if " | " in p.printed or "<" in p.printed:
            continue  # several wordings or a placeholder: covered by the logs
        text = p.printed
        for spec, value in samples.items():
            text = text.replace(spec, value)
        assert p.regex.search(text), p.name


CITED_27 = re.compile(r"sdk-mcuboot v2\.1\.0-ncs1 \(NCS 2\.7\.0\) (boot/\S+?):(\d+)")


@pytest.mark.skipif(not NCS27.is_dir(), reason="the NCS 2.7.0 workspace is not on this machine")
def test_cited_ncs27_lines_print_the_message():
    """Where the NCS 2.7.0 sources are here, each cited file:line holds the
    message (or the start of its format string)."""
    for p in PATTERNS:
        m = CITED_27.search(p.source)
        if not m:
            continue
        lines = (NCS27 / "bootloader" / "mcuboot" / m.group(1)).read_text().splitlines()
        around = " ".join(lines[int(m.group(2)) - 2:int(m.group(2)) + 1])
        first = re.split(r"%|\(|\| ", p.printed)[0].strip().rstrip(";")
        assert first[:20] in around, (p.name, m.group(0), around)


@pytest.mark.e2e
def test_explain_through_real_west(workspaces, west_env, tmp_path):
    from conftest import run_west

    build = _build({"case": "EXF204-max-img-sectors"}, tmp_path)
    proc = run_west(["extflash", "explain", str(LOGS / "boot/max-img-sectors-128.log"),
                     "-d", str(build)], cwd=workspaces["project"], env=west_env)
    assert "EXF204 max-img-sectors error" in proc.stdout


def test_long_wrapped_warning_and_binary_log_do_not_hang(tmp_path):
    log = tmp_path / "odd.log"
    log.write_bytes(b"warning: " + b"x\n" * 200_000 + b"\x00\xff\xfe binary\n"
                    + b"W: Failed reading sectors; BOOT_MAX_IMG_SECTORS=128 - too small?\n")
    code, out, err = run_cli(["explain", str(log)])
    assert code == 0 and "CONFIG_BOOT_MAX_IMG_SECTORS=128" in out and err == ""


def test_crlf_and_colour_codes_of_a_serial_terminal(tmp_path):
    """A log saved by a serial terminal: CRLF line ends, the ANSI colours of
    Zephyr's full log format (CONFIG_LOG_BACKEND_SHOW_COLOR) and a timestamp."""
    log = tmp_path / "minicom.log"
    log.write_bytes(b"[00:00:00.005,000] \x1b[1;33m<wrn> mcuboot: Cannot upgrade: not a "
                    b"compatible amount of sectors\x1b[0m\r\n")
    hits = scan(log.read_text())
    assert [h.pattern.name for h in hits] == ["incompatible-sector-count"]


def test_flash_area_error_codes_are_named():
    code, out, _ = run_cli(["explain", str(LOGS / "boot/open-flash-area-enoent.log")])
    assert ("open-flash-area-enoent.log:2: boot log: MCUboot cannot open image 0 slot 1 (flash "
            "area 2): -2 = ENOENT, the slot is not in MCUboot's flash map") in out


def test_escape_sequences_in_a_log_are_not_replayed(tmp_path):
    log = tmp_path / "evil.log"
    log.write_text("E: Image in the primary slot is not valid!\x1b]0;pwned\x07\n")
    code, out, _ = run_cli(["explain", str(log)])
    assert code == 0 and "\x1b" not in out and "\x07" not in out
