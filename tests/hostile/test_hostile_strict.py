"""Issue 12 item 4, "strictness that means something": a sweep over every
value a check reads and every artefact file of real builds, each corrupted
one way, verified with ``--strict``; the EXACT outcome is asserted.

Bases (copied into ``tmp_path`` per case, never into the repository):

- ``ncs-real``: ``tests/fixtures/ncs-real/nrf52840dk-qspi`` (real NCS 2.7.0
  sysbuild output, Partition Manager, QSPI secondary; clean under --strict);
- ``corpus``: Botz-Limited sensing_system (nRF5340 with network core, NCS
  2.9, sysbuild, Partition Manager; read from ``../shared/corpus`` at test
  time; clean under --strict);
- ``ncs-real-dts``: ``tests/fixtures/ncs-real/nrf52840dk-dts-partitions``
  (real NCS 2.7.0, devicetree partitions, Partition Manager off).

The values come from grepping the checks and loaders for the Kconfig
symbols (``loaders/kconfig_files.py`` ``TYPED`` lists the ones the checks
read, with the type their Kconfig definition gives: sources cited there),
the Partition Manager keys (``loaders/pm_yaml.py``: ``address``, ``size``,
``region``; ``base_address``, ``size``, ``device``) and the devicetree
properties (``status``, ``reg``, ``write-block-size``). The expected
outcome is this hand-written policy (issue 12 item 4 and the brief: "an ok
means verified", "loaders never guess"), not the code's output:

- a value that is not what Kconfig writes for its type (``m`` for a bool,
  text, empty, quoted, wider than the C tools' 64 bits) -> EXF010
  ``undecodable-value`` naming the file and the symbol, exit 1;
- a file that is present but empty, binary, UTF-16 or truncated -> either
  one ``FATAL ERROR`` line naming it (exit 2: the build cannot be read) or
  a finding naming it (exit 1 under --strict): never exit 0;
- a Partition Manager value of the wrong type, missing, or over 64 bits ->
  EXF002 ``schema`` naming the file and the key path, exit 1.

Every case: no traceback, no "internal error" (hostile_guard), and never
exit 0 under --strict.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
from hostile_guard import no_internal_error  # noqa: F401  (autouse)

from conftest import CORPUS, REPO_ROOT, require_corpus, run_cli

NCS_REAL = REPO_ROOT / "tests" / "fixtures" / "ncs-real"
CORPUS_BUILD = "Botz-Limited__sensing_system-Zephyr__build"
BASES = {
    "ncs-real": NCS_REAL / "nrf52840dk-qspi",
    "corpus": CORPUS / "real-builds" / CORPUS_BUILD,
    "ncs-real-dts": NCS_REAL / "nrf52840dk-dts-partitions",
}
# each base's image folders (from its domains.yaml), hand-listed
APP_DIR = {"ncs-real": "qspi-secondary", "corpus": "sensing_fw", "ncs-real-dts": "dts-partitions"}

# the Kconfig symbols the checks read (grep of checks/ and loaders/, the
# table with its Kconfig sources is loaders/kconfig_files.TYPED) by type
BOOLS = (
    "CONFIG_BOOT_MAX_IMG_SECTORS_AUTO", "CONFIG_BOOT_SWAP_USING_MOVE",
    "CONFIG_BOOT_SWAP_USING_OFFSET", "CONFIG_BOOT_SWAP_USING_SCRATCH", "CONFIG_BOOT_UPGRADE_ONLY",
    "CONFIG_NORDIC_QSPI_NOR", "CONFIG_SPI_NOR", "CONFIG_SPI", "CONFIG_FLASH_MSPI_NOR",
    "CONFIG_FLASH_SIMULATOR", "CONFIG_MCUBOOT", "CONFIG_BOOTLOADER_MCUBOOT",
    "CONFIG_PM_EXTERNAL_FLASH_HAS_DRIVER", "CONFIG_PM_OVERRIDE_EXTERNAL_DRIVER_CHECK",
    "CONFIG_PM_EXTERNAL_FLASH_MCUBOOT_SECONDARY", "CONFIG_NRF53_MULTI_IMAGE_UPDATE",
    "CONFIG_MCUBOOT_BUILD_STRATEGY_FROM_SOURCE", "CONFIG_SINGLE_APPLICATION_SLOT",
    "CONFIG_MCUBOOT_BOOTLOADER_MODE_SINGLE_APP", "CONFIG_BOOT_DIRECT_XIP",
    "CONFIG_BOOT_DECOMPRESSION", "CONFIG_PM_EXTERNAL_FLASH_ENABLED", "CONFIG_BOOT_RAM_LOAD",
    "CONFIG_BOOT_FIRMWARE_LOADER",
)
INTS = ("CONFIG_BOOT_MAX_IMG_SECTORS", "CONFIG_UPDATEABLE_IMAGE_NUMBER",
        "CONFIG_NORDIC_QSPI_NOR_FLASH_LAYOUT_PAGE_SIZE", "CONFIG_SPI_NOR_FLASH_LAYOUT_PAGE_SIZE",
        "CONFIG_FLASH_MSPI_NOR_LAYOUT_PAGE_SIZE")
SB_BOOLS = ("SB_CONFIG_BOOTLOADER_MCUBOOT", "SB_CONFIG_PM_EXTERNAL_FLASH_MCUBOOT_SECONDARY",
            "SB_CONFIG_MCUBOOT_NRF53_MULTI_IMAGE_UPDATE", "SB_CONFIG_MCUBOOT_MODE_OVERWRITE_ONLY",
            "SB_CONFIG_PM_OVERRIDE_EXTERNAL_DRIVER_CHECK", "SB_CONFIG_PARTITION_MANAGER")
SB_HEXES = ("SB_CONFIG_PM_MCUBOOT_PAD",)

# unparsable text, empty, quoted, tristate m, over 64 bits (Kconfig's C
# tools hold int/hex in 64 bits: scripts/kconfig/symbol.c sym_string_valid
# uses strtoll), beyond Python's int digit limit
BAD_BOOL = {"m": "m", "empty": "", "quoted": '"y"', "text": "yes"}
BAD_INT = {"text": "abc", "empty": "", "quoted": '"256"', "m": "m",
           "over-64-bit": str(1 << 64), "5000-digits": "9" * 5000,
           "negative-over-64-bit": str(-(1 << 63) - 1), "hex-in-int": "0xg1"}
BAD_HEX = {"text": "xyz", "empty": "", "quoted": '"0x200"', "m": "m",
           "over-64-bit": "0x1" + "0" * 16, "5000-digits": "0x" + "f" * 5000,
           "negative": "-0x200"}


def _base(name: str, tmp_path: Path) -> Path:
    src = BASES[name]
    if name == "corpus":
        require_corpus(src)
    dest = tmp_path / "build"
    shutil.copytree(src, dest, symlinks=True)
    for dirpath, dirs, files in os.walk(dest):  # the corpus is read-only
        for entry in dirs + files:
            os.chmod(os.path.join(dirpath, entry), 0o755 if entry in dirs else 0o644)
    return dest


def strict(build: Path) -> tuple[int, dict | None, str]:
    """exit code, the JSON report (None on exit 2), stderr."""
    code, out, err = run_cli(["verify", "-d", str(build), "--strict", "--format", "json"])
    assert "Traceback" not in out + err, err
    assert "internal error" not in out + err, err
    assert code != 0, f"exit 0 under --strict:\n{out}"
    return code, (json.loads(out) if out.strip() else None), err


def findings(report: dict) -> list[dict]:
    return report.get("findings", [])


def assert_finding(result, code: str, file: str, detail: str | None = None) -> dict:
    exit_code, report, err = result
    assert exit_code == 1, (exit_code, err)
    hits = [f for f in findings(report) if f["code"] == code and f["file"] == file
            and (detail is None or f["detail"] == detail or detail in f["message"])]
    assert hits, (code, file, detail, [(f["code"], f["file"], f["detail"], f["message"])
                                       for f in findings(report)])
    return hits[0]


def assert_answered(result, file: str) -> None:
    """exit 2 with one FATAL line naming ``file``, or exit 1 with a finding
    whose file is ``file``."""
    exit_code, report, err = result
    if exit_code == 2:
        lines = [line for line in err.splitlines() if line.strip()]
        # one line; "FATAL ERROR:" in text output, "ERROR:" beside a JSON report
        assert len(lines) == 1 and lines[0].startswith(("FATAL ERROR: ", "ERROR: ")), err
        assert file in lines[0], (file, lines[0])
        return
    assert exit_code == 1, (exit_code, err)
    named = [f for f in findings(report) if f["file"] == file or file in f["message"]]
    assert named, (file, [(f["code"], f["file"], f["message"]) for f in findings(report)])


def set_symbol(config: Path, symbol: str, raw: str) -> None:
    lines = config.read_text().splitlines()
    pattern = re.compile(rf"^(# )?{re.escape(symbol)}(=| is not set)")
    new = [f"{symbol}={raw}" if pattern.match(line) else line for line in lines]
    if new == lines:
        new.append(f"{symbol}={raw}")
    config.write_text("\n".join(new) + "\n")


# ------------------------------------------------------- Kconfig values


# the symbols the application image's checks read (checks/kconfig.py,
# checks/intent.py, loaders/__init__.py _expected_mcuboot)
APP_BOOLS = ("CONFIG_NORDIC_QSPI_NOR", "CONFIG_SPI_NOR", "CONFIG_BOOTLOADER_MCUBOOT",
             "CONFIG_PM_EXTERNAL_FLASH_ENABLED", "CONFIG_PM_EXTERNAL_FLASH_HAS_DRIVER",
             "CONFIG_PM_OVERRIDE_EXTERNAL_DRIVER_CHECK",
             "CONFIG_MCUBOOT_BUILD_STRATEGY_FROM_SOURCE")


def _kconfig_cases():
    """Every symbol and bad value on the real NCS 2.7.0 build (MCUboot,
    sysbuild, and the symbols the application's checks read); the numbers
    again on the corpus build (a different board, NCS and image set)."""
    def cases(base, image, symbols, bad, prefix):
        for symbol in symbols:
            for how, raw in bad.items():
                yield pytest.param(base, image, symbol, raw, id=f"{base}-{prefix}-{symbol}-{how}")

    yield from cases("ncs-real", "mcuboot", BOOLS, BAD_BOOL, "mcuboot")
    yield from cases("ncs-real", "mcuboot", INTS, BAD_INT, "mcuboot")
    yield from cases("ncs-real", "app", APP_BOOLS, BAD_BOOL, "app")
    yield from cases("ncs-real", "app", INTS[2:4], BAD_INT, "app")
    yield from cases("ncs-real", "sysbuild", SB_BOOLS, BAD_BOOL, "sb")
    yield from cases("ncs-real", "sysbuild", SB_HEXES, BAD_HEX, "sb")
    yield from cases("corpus", "mcuboot", INTS, BAD_INT, "mcuboot")
    yield from cases("corpus", "mcuboot", ("CONFIG_MCUBOOT", "CONFIG_BOOT_SWAP_USING_MOVE"),
                     BAD_BOOL, "mcuboot")
    yield from cases("corpus", "sysbuild", SB_HEXES, BAD_HEX, "sb")


@pytest.mark.timeout(60)
@pytest.mark.parametrize("base, image, symbol, raw", list(_kconfig_cases()))
def test_kconfig_value(tmp_path, base, image, symbol, raw):
    build = _base(base, tmp_path)
    rel = {"mcuboot": "mcuboot/zephyr/.config", "app": f"{APP_DIR[base]}/zephyr/.config",
           "sysbuild": "zephyr/.config"}[image]
    set_symbol(build / rel, symbol, raw)
    assert_finding(strict(build), "EXF010", rel, symbol)


@pytest.mark.timeout(60)
@pytest.mark.parametrize("symbol", ["CONFIG_BOOT_MAX_IMG_SECTORS",
                                    "CONFIG_UPDATEABLE_IMAGE_NUMBER"])
@pytest.mark.parametrize("base", ["ncs-real", "corpus"])
def test_kconfig_mcuboot_symbol_missing(tmp_path, base, symbol):
    """MCUboot's Kconfig always writes these (sdk-mcuboot boot/zephyr/Kconfig,
    NCS v2.7.0: no dependency; CONFIG_BOOT_MAX_IMG_SECTORS is absent only
    beside CONFIG_BOOT_MAX_IMG_SECTORS_AUTO=y in newer MCUboot): a .config
    without one was cut or edited, so its value is unknown, not a default."""
    build = _base(base, tmp_path)
    config = build / "mcuboot/zephyr/.config"
    text = config.read_text()
    kept = "".join(line for line in text.splitlines(keepends=True)
                   if not line.startswith(f"{symbol}="))
    assert kept != text
    config.write_text(kept)
    assert_finding(strict(build), "EXF010", "mcuboot/zephyr/.config", symbol)


# ------------------------------------------------------- artefact files

# every file verify reads in each base (hand-listed from the fixture trees)
ARTEFACTS = {
    # (verify reads the top-level CMakeCache.txt only, not the images')
    "ncs-real": ("CMakeCache.txt", "pm.config", "partitions.yml", "regions.yml", "domains.yaml",
                 "zephyr/.config",
                 "qspi-secondary/zephyr/.config", "mcuboot/zephyr/.config",
                 "qspi-secondary/zephyr/zephyr.dts", "mcuboot/zephyr/zephyr.dts",
                 "qspi-secondary/zephyr/include/generated/pm_config.h",
                 "mcuboot/zephyr/include/generated/pm_config.h"),
    "ncs-real-dts": ("CMakeCache.txt", "domains.yaml", "zephyr/.config",
                     "dts-partitions/zephyr/.config", "mcuboot/zephyr/.config",
                     "dts-partitions/zephyr/zephyr.dts", "mcuboot/zephyr/zephyr.dts"),
}


def _corrupt(path: Path, how: str) -> None:
    data = path.read_bytes()
    if how == "empty":
        path.write_bytes(b"")
    elif how == "binary":
        path.write_bytes(bytes(range(256)) * 4)
    elif how == "utf-16":
        path.write_bytes(data.decode("utf-8").encode("utf-16"))
    elif how == "truncated":  # cut mid-token inside the first content line past the middle
        # (a cut at a line end or inside a comment leaves a shorter file of the
        # same format, which no reader can tell from a complete one)
        start = data.rindex(b"\n", 0, len(data) // 2) + 1
        while data[start:].lstrip(b" \t").startswith((b"# ", b"#\n", b"//", b"/*", b"\n")):
            start = data.index(b"\n", start) + 1
        end = data.index(b"\n", start)
        path.write_bytes(data[:start + max(1, (end - start) // 2)])


@pytest.mark.timeout(60)
@pytest.mark.parametrize("how", ["empty", "binary", "utf-16", "truncated"])
@pytest.mark.parametrize("base, rel", [pytest.param(b, r, id=f"{b}-{r}")
                                       for b, files in ARTEFACTS.items() for r in files])
def test_artefact(tmp_path, base, rel, how):
    build = _base(base, tmp_path)
    _corrupt(build / rel, how)
    assert_answered(strict(build), rel)


# ------------------------------------------- Partition Manager values

BAD_PM = {"text": "abc", "empty": "", "quoted": "'0x1000'", "list": "[0x1000]",
          "mapping": "{a: 1}", "over-64-bit": "0x1" + "0" * 17, "bool": "true"}
# (file, partition or region, key) the loaders read (loaders/pm_yaml.py)
PM_KEYS = (("partitions.yml", "mcuboot_secondary", "address"),
           ("partitions.yml", "mcuboot_secondary", "size"),
           ("partitions.yml", "mcuboot_secondary", "region"),
           ("partitions.yml", "mcuboot_primary", "address"),
           ("partitions.yml", "mcuboot_primary", "size"),
           ("regions.yml", "external_flash", "base_address"),
           ("regions.yml", "external_flash", "size"))
# (a region's device is not read by any check of a Partition Manager build)


def _set_pm(path: Path, entry: str, key: str, raw: str | None) -> None:
    """``raw`` None: the key is deleted. Text edit, so the rest stays as PM wrote it."""
    lines = path.read_text().splitlines()
    out, inside, done = [], False, False
    for line in lines:
        if not line.startswith(" "):
            inside = line.rstrip() == f"{entry}:"
        elif inside and not done and line.strip().startswith(f"{key}:") and \
                line.startswith("  ") and not line.startswith("   "):
            done = True
            if raw is not None:
                out.append(f"  {key}: {raw}")
            continue
        out.append(line)
    assert done, (path, entry, key)
    path.write_text("\n".join(out) + "\n")


@pytest.mark.timeout(60)
@pytest.mark.parametrize("how", [*BAD_PM, "missing"])
@pytest.mark.parametrize("file, entry, key", PM_KEYS, ids=["/".join(k) for k in PM_KEYS])
def test_pm_value(tmp_path, file, entry, key, how):
    build = _base("ncs-real", tmp_path)
    _set_pm(build / file, entry, key, BAD_PM.get(how))
    assert_answered(strict(build), file)


# ------------------------------------------------- MCUboot by what it is


def _codes(report: dict, image: str, replacement: str) -> set:
    return {(f["code"], (f["image"] or "").replace(image, replacement),
             (f["file"] or "").replace(f"{image}/", f"{replacement}/")) for f in findings(report)}


@pytest.mark.timeout(60)
@pytest.mark.parametrize("fixture", ["fault-max-img-sectors-too-small",
                                     "fault-mcuboot-qspi-driver-missing",
                                     "fault-mcuboot-page-size-65536"])
def test_mcuboot_domain_not_named_mcuboot(tmp_path, fixture):
    """The same real build with MCUboot's domain renamed (domains.yaml and
    its folder) gets every MCUboot check: the same findings, modulo the name."""
    original = tmp_path / "original"
    shutil.copytree(NCS_REAL / fixture, original)
    renamed = tmp_path / "renamed"
    shutil.copytree(NCS_REAL / fixture, renamed)
    (renamed / "mcuboot").rename(renamed / "secure_boot")
    domains = renamed / "domains.yaml"
    text = domains.read_text().replace("name: mcuboot\n", "name: secure_boot\n")
    domains.write_text(text.replace("/mcuboot\n", "/secure_boot\n").replace(
        "- mcuboot\n", "- secure_boot\n"))
    first, second = strict(original), strict(renamed)
    assert first[0] == second[0] == 1
    assert any(f["image"] == "mcuboot" for f in findings(first[1]))
    assert _codes(first[1], "mcuboot", "secure_boot") == _codes(second[1], "secure_boot",
                                                                "secure_boot")


@pytest.mark.timeout(60)
def test_devicetree_build_without_slot1_fails(tmp_path):
    """Real NCS 2.7.0 devicetree-partition build with slot1_partition taken
    out of every image's zephyr.dts: EXF014 secondary-missing, exit 1."""
    build = _base("ncs-real-dts", tmp_path)
    for dts in ("dts-partitions/zephyr/zephyr.dts", "mcuboot/zephyr/zephyr.dts"):
        text = (build / dts).read_text()
        text, n = re.subn(r"\t*slot1_partition: partition@[0-9a-f]+ \{[^}]*\};\n", "", text)
        assert n == 1, dts
        (build / dts).write_text(text)
    exit_code, report, err = strict(build)
    assert exit_code == 1, err
    assert "EXF014" in {f["code"] for f in findings(report)}


# ------------------------------------------------- devicetree properties

BAD_STATUS = {"cell": "< 0x1 >", "bytes": "[ 01 ]", "two-strings": '"okay", "disabled"',
              "empty": None}
BAD_REG = {"one-cell": "< 0x10000 >", "string": '"image-0"', "three-cells": "< 0x0 0x1 0x2 >",
           "empty": None}


def _set_prop(path: Path, anchor: str, prop: str, raw: str | None) -> None:
    """Set ``prop`` of the node whose opening line contains ``anchor``
    (replacing the property when the node has it, adding it otherwise)."""
    lines = path.read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if anchor in line)
    indent = lines[start][:len(lines[start]) - len(lines[start].lstrip())] + "\t"
    text = f"{indent}{prop};" if raw is None else f"{indent}{prop} = {raw};"
    end = next(i for i in range(start, len(lines)) if lines[i].strip() == "};")
    for i in range(start + 1, end):
        if lines[i].strip().startswith(f"{prop} ="):
            lines[i] = text
            break
    else:
        lines.insert(start + 1, text)
    path.write_text("\n".join(lines) + "\n")


@pytest.mark.timeout(60)
@pytest.mark.parametrize("how", BAD_STATUS)
@pytest.mark.parametrize("image", ["mcuboot", "qspi-secondary"])
def test_devicetree_status_of_external_flash(tmp_path, image, how):
    """status of the node nordic,pm-ext-flash chooses (mx25r64)."""
    build = _base("ncs-real", tmp_path)
    rel = f"{image}/zephyr/zephyr.dts"
    _set_prop(build / rel, "mx25r64: mx25r6435f@0 {", "status", BAD_STATUS[how])
    assert_finding(strict(build), "EXF010", rel)


@pytest.mark.timeout(60)
@pytest.mark.parametrize("how", BAD_REG)
@pytest.mark.parametrize("label", ["slot0_partition", "slot1_partition"])
@pytest.mark.parametrize("image", ["mcuboot", "dts-partitions"])
def test_devicetree_slot_reg(tmp_path, image, label, how):
    """reg of an MCUboot slot in a devicetree-partition build."""
    build = _base("ncs-real-dts", tmp_path)
    rel = f"{image}/zephyr/zephyr.dts"
    _set_prop(build / rel, f"{label}: partition@", "reg", BAD_REG[how])
    assert_answered(strict(build), rel)
