"""Evidence policy, loaders that never guess, and messages (issue 8 items 4,
5, 7; issue 12 item 4).

Fixtures: real build directories of ../shared/corpus/real-builds (provenance
in its SOURCES.md), COPIED into tmp_path at test time with one file removed
or altered the way users and CI jobs get it wrong; expected outcomes come
from the files themselves and the NCS sources named in each test, never
from this tool's output. Corpus tests fail (not skip) when CI is set and
the corpus is missing.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import CORPUS, FIXTURES, run_cli
from extflash import checks
from extflash.checks import docs
from extflash.checks.artefacts import BLOCKS
from extflash.loaders import load_build
from extflash.model import Role

REAL = CORPUS / "real-builds"
requires_corpus = pytest.mark.usefixtures("corpus")  # conftest: fails under CI when missing

# corpus builds used below (SOURCES.md rows; what the files say is quoted)
BOTZ = "Botz-Limited__sensing_system-Zephyr__build"  # nRF5340 sysbuild, external secondary
AHAUGL = "aHaugl__samples_for_NCS__DFU__smp_ble_feat_spi__build_1"  # child image, external
DIAN = "ds-dian-song__Zephyr-HOWTOs__smp_svr__build"  # NCS 2.0.2, no CMakeCache.txt
NO_MCUBOOT = "piyushalways__spi_flash_mx25u6432f__build"  # sysbuild, no MCUboot
INTERNAL = "kpath1999__bus-rtos__build"  # child image, mcuboot_secondary in flash_primary


def copy(name: str, tmp_path: Path) -> Path:
    dest = tmp_path / name
    shutil.copytree(REAL / name, dest)
    return dest


def verify(build: Path, *extra: str) -> tuple[int, str, str]:
    return run_cli(["verify", "-d", str(build), *extra])


def verify_json(build: Path, *extra: str) -> tuple[int, dict]:
    """The JSON report (checked against schemas/report-schema.yml) and the exit code."""
    from test_verify_cli import validate_report

    code, out, _ = run_cli(["verify", "-d", str(build), "--format", "json", *extra])
    doc = json.loads(out)
    validate_report(doc)
    return code, doc


def codes(doc: dict) -> set[str]:
    return {f["code"] for f in doc["findings"]}


def replace_line(path: Path, pattern: str, new: str) -> None:
    text = path.read_text()
    text, n = re.subn(pattern, new, text, count=1, flags=re.M)
    assert n == 1, (path, pattern)
    path.write_text(text)


@requires_corpus
def test_corpus_is_present_under_ci():
    assert REAL.is_dir() and (REAL / "SOURCES.md").is_file()


# ------------------------------------------------------------ evidence (A)


@requires_corpus
def test_mcuboot_devicetree_missing_is_an_error_naming_what_it_blocked(tmp_path):
    build = copy(BOTZ, tmp_path)
    (build / "mcuboot" / "zephyr" / "zephyr.dts").unlink()
    code, out, err = verify(build)
    assert code == 1, out + err
    line = next(x for x in out.splitlines() if "EXF001 error" in x)
    # the text report shows paths as the user clicks them (relative to the cwd)
    assert line.startswith(f"  {build}/mcuboot/zephyr/zephyr.dts: EXF001 error: devicetree "
                           "mcuboot/zephyr/zephyr.dts of image 'mcuboot' is missing")
    assert "not checked for image 'mcuboot': chosen-missing, flash-bus-disabled" in line
    assert " layout-mismatch" not in line  # a devicetree-partition check: not this PM build


@requires_corpus
def test_mcuboot_folder_missing_sysbuild(tmp_path):
    """domains.yaml lists the mcuboot domain; its folder is gone."""
    build = copy(BOTZ, tmp_path)
    shutil.rmtree(build / "mcuboot")
    code, doc = verify_json(build)
    assert code == 1
    (finding,) = [f for f in doc["findings"] if f["code"] == "EXF001"]
    assert finding["file"] == "mcuboot/" and finding["severity"] == "error"
    assert "image folder mcuboot/ of 'mcuboot' listed in domains.yaml is missing" in \
        finding["message"]
    assert "EXF012" not in codes(doc)  # asked for and missing, not "no MCUboot"


@requires_corpus
def test_mcuboot_folder_missing_child_image(tmp_path):
    """nrf/modules/mcuboot/CMakeLists.txt (NCS 2.7.0): CONFIG_BOOTLOADER_MCUBOOT
    adds child image mcuboot; cmake/multi_image.cmake builds it from source
    with CONFIG_MCUBOOT_BUILD_STRATEGY_FROM_SOURCE=y (both in this app's .config)."""
    build = copy(AHAUGL, tmp_path)
    config = (build / "zephyr" / ".config").read_text()
    assert "CONFIG_BOOTLOADER_MCUBOOT=y" in config
    assert "CONFIG_MCUBOOT_BUILD_STRATEGY_FROM_SOURCE=y" in config
    shutil.rmtree(build / "mcuboot")
    code, doc = verify_json(build)
    assert code == 1
    (finding,) = [f for f in doc["findings"] if f["code"] == "EXF001"]
    assert finding["file"] == "mcuboot/"
    assert ("MCUboot's image folder mcuboot/ (with its zephyr/.config and zephyr/zephyr.dts) "
            "is missing, although CONFIG_BOOTLOADER_MCUBOOT=y and "
            "CONFIG_MCUBOOT_BUILD_STRATEGY_FROM_SOURCE=y in zephyr/.config builds MCUboot"
            ) in finding["message"]


@requires_corpus
def test_deleted_partitions_yml_is_named_not_mistaken_for_no_slots(tmp_path):
    build = copy(BOTZ, tmp_path)
    assert (build / "partitions_CPUNET.yml").is_file()
    (build / "partitions.yml").unlink()
    code, out, err = verify(build)
    assert code == 2
    assert "partitions_CPUNET.yml has no MCUboot slots" not in out + err
    assert err.startswith(f"FATAL ERROR: {build}: partitions.yml is missing: the MCUboot "
                          "slots (mcuboot_primary, mcuboot_secondary) are recorded only there")
    assert "partitions.yml: EXF001 error: partitions.yml (the application domain's Partition " \
           "Manager output, with the MCUboot slots) is missing; only partitions_CPUNET.yml " \
           "is present" in out


@requires_corpus
@pytest.mark.parametrize("name, kind", [(BOTZ, "image 'mcuboot' inside the sysbuild build"),
                                        (DIAN, "child image 'mcuboot' inside the build")])
def test_d_on_an_image_folder_names_the_build_to_pass(tmp_path, name, kind):
    build = copy(name, tmp_path)
    code, out, err = verify(build / "mcuboot")
    assert code == 2 and out == ""
    assert err == (f"FATAL ERROR: {build / 'mcuboot'}: is the folder of {kind} {build}: verify "
                   "needs the whole build (every image and the Partition Manager output) "
                   f"(pass -d {build})\n")


@requires_corpus
def test_no_mcuboot_says_so_and_fails_under_strict(tmp_path):
    """SOURCES.md: 'no MCUboot secondary (no MCUboot in this build)'; no
    image .config of this build has CONFIG_MCUBOOT=y."""
    build = copy(NO_MCUBOOT, tmp_path)
    assert not any("CONFIG_MCUBOOT=y" in p.read_text() for p in build.rglob(".config"))
    code, out, _ = verify(build)
    assert code == 0
    assert "EXF012 warning: no MCUboot in this build" in out
    assert "note: no MCUboot in this build" in out
    code, doc = verify_json(build)
    assert code == 0 and "EXF012" in codes(doc)
    assert "no MCUboot in this build: the MCUboot slot checks do not apply" in \
        doc["builds"][0]["notes"]
    assert verify(build, "--strict")[0] == 1


@requires_corpus
def test_internal_secondary_is_said_plainly(tmp_path):
    build = copy(INTERNAL, tmp_path)
    part = re.search(r"^mcuboot_secondary:\n(?:  .*\n)*", (build / "partitions.yml").read_text(),
                     re.M).group()
    assert "region: flash_primary" in part
    code, doc = verify_json(build, "--strict")
    assert code == 0  # an info is not a warning
    (info,) = [f for f in doc["findings"] if f["code"] == "EXF013"]
    assert info["severity"] == "info"
    assert info["message"].startswith("the MCUboot secondary slot mcuboot_secondary is in "
                                      "internal flash (flash_primary at 0x")


@requires_corpus
def test_corpus_mcuboot_and_internal_secondary_match_sources_md():
    """SOURCES.md's 'Secondary external' column (written by whoever
    collected the corpus, from partitions.yml and the images) against
    mcuboot-absent / secondary-internal on every real build."""
    rows = {}
    for line in (REAL / "SOURCES.md").read_text().splitlines():
        cells = [c.strip() for c in line.split("|")]
        if len(cells) > 11 and cells[2].startswith("`") and "__" in cells[2]:
            rows[cells[2].strip("`")] = cells[10]
    assert len(rows) == len([p for p in REAL.iterdir() if p.is_dir()])
    from extflash.verify import verify_build

    for name, column in rows.items():
        found = {f.code for f in verify_build(REAL / name).findings}
        assert ("EXF012" in found) == ("no MCUboot in this build" in column), name
        internal = column.startswith("no: mcuboot_secondary in flash_primary") or \
            "slot1_partition in internal flash" in column
        assert ("EXF013" in found) == internal, name


@requires_corpus
def test_build_without_cmake_cache_loads(tmp_path):
    """SOURCES.md row 31: NCS 2.0.2 child image, board bl653_dvk 'from
    CONFIG_BOARD; no CMakeCache.txt'."""
    build = REAL / DIAN
    assert not (build / "CMakeCache.txt").exists()
    assert 'CONFIG_BOARD="bl653_dvk"' in (build / "zephyr" / ".config").read_text()
    code, doc = verify_json(build)
    assert code == 0
    assert doc["builds"][0]["board"] == "bl653_dvk"
    assert doc["builds"][0]["layout"] == "child-image"
    assert {(i["name"], i["role"]) for i in doc["builds"][0]["images"]} == {
        ("app", "app"), ("mcuboot", "mcuboot")}
    assert "EXF001" not in codes(doc)  # nothing the checks need comes from the cache


@requires_corpus
@pytest.mark.parametrize("content", [b"", "\ufeff# CMakeCache\nX:STRING=1\n".encode("utf-16"),
                                     b"\x00\x01\x02garbage"])
def test_undecodable_cmake_cache_is_a_warning_and_strict_error(tmp_path, content):
    build = copy(BOTZ, tmp_path)
    original = (build / "CMakeCache.txt").read_text()
    (build / "CMakeCache.txt").write_bytes(content or b"")
    if content.startswith(b"\xff\xfe"):  # the real file, re-encoded as a Windows editor would
        (build / "CMakeCache.txt").write_bytes(original.encode("utf-16"))
    code, doc = verify_json(build)
    assert code == 0
    (finding,) = [f for f in doc["findings"] if f["code"] == "EXF011"]
    assert finding["file"] == "CMakeCache.txt" and finding["severity"] == "warning"
    assert verify(build, "--strict")[0] == 1


@requires_corpus
def test_empty_pm_config_and_pm_header_are_reported(tmp_path):
    build = copy(BOTZ, tmp_path)
    (build / "pm.config").write_text("")
    (build / "mcuboot" / "zephyr" / "include" / "generated" / "pm_config.h").write_text("")
    code, doc = verify_json(build)
    files = {f["file"] for f in doc["findings"] if f["code"] == "EXF011"}
    assert files == {"pm.config", "mcuboot/zephyr/include/generated/pm_config.h"}
    assert verify(build, "--strict")[0] == 1


@requires_corpus
def test_utf16_pm_header_stops_with_one_line(tmp_path):
    build = copy(BOTZ, tmp_path)
    header = build / "mcuboot" / "zephyr" / "include" / "generated" / "pm_config.h"
    header.write_bytes(header.read_text().encode("utf-16"))
    code, out, err = verify(build)
    assert code == 2
    assert err.startswith(f"FATAL ERROR: {header}: is binary data")


# ------------------------------------------------------- loaders (B)


def _set_flash_status(dts: Path, value: str) -> None:
    """Write ``value`` as the status of the node MCUboot's
    nordic,pm-ext-flash chooses (the status line inside that node)."""
    text = dts.read_text()
    label = re.search(r"nordic,pm-ext-flash = &(\w+);", text).group(1)
    node = re.search(rf"^\s*{label}: [^\n]*\{{\n(?:[^}}]*\n)*?\s*status = (\"okay\");",
                     text, re.M)
    dts.write_text(text[:node.start(1)] + value + text[node.end(1):])


@requires_corpus
@pytest.mark.parametrize("value", ["< 1 >", '"okay", "disabled"', "[ 6f 6b ]"])
def test_undecodable_status_is_a_finding_not_enabled(tmp_path, value):
    build = copy(BOTZ, tmp_path)
    dts = build / "mcuboot" / "zephyr" / "zephyr.dts"
    _set_flash_status(dts, value)
    code, doc = verify_json(build)
    assert code == 1
    undecodable = [f for f in doc["findings"] if f["code"] == "EXF010"]
    node = "/soc/peripheral@50000000/qspi@2b000/mx25r6435f@0"
    assert [f["detail"] for f in undecodable] == [node]
    assert undecodable[0]["message"].startswith("status of /soc/peripheral@50000000/qspi@2b000/"
                                                "mx25r6435f@0 in mcuboot/zephyr/zephyr.dts")
    assert "it is not taken as enabled" in undecodable[0]["message"]


@requires_corpus
def test_include_inside_a_comment_does_not_stop_verification(tmp_path):
    clean = verify_json(REAL / BOTZ)
    build = copy(BOTZ, tmp_path)
    dts = build / "mcuboot" / "zephyr" / "zephyr.dts"
    text = dts.read_text()
    dts.write_text(text.replace("/ {", '/* taken from /include/ "board.dtsi" */\n/ {', 1))
    code, doc = verify_json(build)
    assert code == clean[0] == 0
    assert codes(doc) == codes(clean[1])
    # a real directive is still refused, by line
    dts.write_text(text.replace("/ {", '/include/ "board.dtsi"\n/ {', 1))
    line = text[:text.index("/ {")].count("\n") + 1
    code, out, err = verify(build)
    assert code == 2
    assert err.startswith(f"FATAL ERROR: {dts}: line {line} has a /include/ directive")


@requires_corpus
@pytest.mark.parametrize("raw", ["abc", "", '"256"'])
def test_unparsable_max_img_sectors_is_a_finding(tmp_path, raw):
    """sdk-mcuboot boot/zephyr/Kconfig: BOOT_MAX_IMG_SECTORS is an int."""
    build = copy(BOTZ, tmp_path)
    config = build / "mcuboot" / "zephyr" / ".config"
    number = next(i for i, x in enumerate(config.read_text().splitlines(), 1)
                  if x.startswith("CONFIG_BOOT_MAX_IMG_SECTORS="))
    replace_line(config, r"^CONFIG_BOOT_MAX_IMG_SECTORS=.*$", f"CONFIG_BOOT_MAX_IMG_SECTORS={raw}")
    code, doc = verify_json(build)
    assert code == 1
    (finding,) = [f for f in doc["findings"] if f["code"] == "EXF010"]
    assert (finding["file"], finding["line"], finding["image"]) == (
        "mcuboot/zephyr/.config", number, "mcuboot")
    why = {"abc": "is not a number", "": "is empty, which Kconfig never writes",
           '"256"': "is a quoted string, not a number"}[raw]
    assert finding["message"].startswith(f"CONFIG_BOOT_MAX_IMG_SECTORS={raw} {why}")
    assert finding["message"].endswith("nothing is assumed in its place; not checked for image "
                                       "'mcuboot': max-img-sectors")


@requires_corpus
def test_tristate_m_for_the_driver_is_a_finding(tmp_path):
    build = copy(BOTZ, tmp_path)
    config = build / "mcuboot" / "zephyr" / ".config"
    replace_line(config, r"^CONFIG_NORDIC_QSPI_NOR=y$", "CONFIG_NORDIC_QSPI_NOR=m")
    code, doc = verify_json(build)
    assert code == 1
    (finding,) = [f for f in doc["findings"] if f["code"] == "EXF010"]
    assert finding["message"].startswith("CONFIG_NORDIC_QSPI_NOR=m is the tristate value m, "
                                         "which Zephyr's Kconfig never writes (no MODULES)")
    assert "not checked for image 'mcuboot': driver-disabled, override-without-driver" in \
        finding["message"]


@requires_corpus
def test_m_for_a_symbol_no_check_reads_is_a_warning(tmp_path):
    build = copy(BOTZ, tmp_path)
    config = build / "mcuboot" / "zephyr" / ".config"
    replace_line(config, r"^CONFIG_LOG=y$", "CONFIG_LOG=m")
    code, doc = verify_json(build)
    assert code == 0
    (finding,) = [f for f in doc["findings"] if f["code"] in ("EXF010", "EXF011")]
    assert (finding["code"], finding["severity"], finding["detail"]) == (
        "EXF011", "warning", "CONFIG_LOG")
    assert verify(build, "--strict")[0] == 1


@requires_corpus
def test_mcuboot_recognised_by_kconfig_under_another_domain_name(tmp_path):
    """A sysbuild MCUboot domain named 'boot': every MCUboot check still
    runs. Shown with a fault only MCUboot's checks see: its sector limit
    lowered below the 976 KiB-class primary (max-img-sectors)."""
    build = copy(BOTZ, tmp_path)
    (build / "mcuboot").rename(build / "boot")
    domains = build / "domains.yaml"
    domains.write_text(domains.read_text().replace("name: mcuboot", "name: boot")
                       .replace("/build/mcuboot", "/build/boot"))
    loaded = load_build(build)
    assert loaded.mcuboot is not None and loaded.mcuboot.name == "boot"
    assert loaded.name2image["boot"].role is Role.MCUBOOT
    code, doc = verify_json(build)
    assert code == 0 and "EXF012" not in codes(doc)
    replace_line(build / "boot" / "zephyr" / ".config", r"^CONFIG_BOOT_MAX_IMG_SECTORS=.*$",
                 "CONFIG_BOOT_MAX_IMG_SECTORS=16")
    code, doc = verify_json(build, "--strict")
    assert code == 1
    assert [(f["code"], f["image"]) for f in doc["findings"]] == [("EXF204", "boot")]


@requires_corpus
def test_s1_variant_is_not_taken_for_mcuboot():
    """sdk-nrf sysbuild/secureboot.cmake names MCUboot's second build
    s1_image; its .config is MCUboot's (CONFIG_MCUBOOT=y)."""
    build = REAL / "aHaugl__samples_for_NCS__bootloader__sysbuild__1_basic__2_chain__build52840"
    assert "CONFIG_MCUBOOT=y" in (build / "s1_image" / "zephyr" / ".config").read_text()
    loaded = load_build(build)
    assert loaded.mcuboot.name == "mcuboot"
    assert loaded.name2image["s1_image"].role is Role.OTHER


# ------------------------------------------------------ messages (C)

_MARKUP = re.compile(r"``|`|\*\*|:ref:|:kconfig:|^\.\. ", re.M)  # ".. " starts a directive
_CASE_ID = re.compile(r"\b[UF]\d+[a-z]?\b|ncs-facts|users-peers|key finding")


@pytest.mark.parametrize("check", checks.CHECKS, ids=lambda c: c.code)
def test_explain_is_plain_text_with_an_ncs_link(check):
    code, out, err = run_cli(["verify", "--explain", check.code])
    assert code == 0 and err == ""
    assert not _MARKUP.search(out), _MARKUP.search(out)
    assert not _CASE_ID.search(out), _CASE_ID.search(out)
    for section in ("What it checks", "Why it matters", "How to fix", "See also"):
        body = out.split(section, 1)[1].split("\n\n", 1)[0].strip()
        assert body, (check.code, section)
    assert re.search(r"^Documentation: https://docs\.nordicsemi\.com/bundle/ncs-[0-9a-z.]+/page/"
                     r"\S+$", out, re.M)
    assert max(len(line) for line in check.explanation.splitlines()) <= 76


@requires_corpus
def test_no_finding_on_the_corpus_shows_markup_or_case_ids():
    from extflash.verify import verify_build

    for build in sorted(p for p in REAL.iterdir() if p.is_dir()):
        for f in verify_build(build).findings:
            assert not _CASE_ID.search(f.message + f.hint), (build.name, f.message, f.hint)


def test_blocked_check_table_names_registered_checks():
    from extflash.checks.artefacts import DTS_ONLY, PM_ONLY, SYMBOL_BLOCKS
    from extflash.loaders.kconfig_files import TYPED

    names = {c.name for c in checks.CHECKS}
    for kind, blocked in BLOCKS.items():
        assert set(blocked) <= names, kind
    for symbol, blocked in SYMBOL_BLOCKS.items():
        assert set(blocked) <= names, symbol
    assert set(SYMBOL_BLOCKS) == set(TYPED)  # every decoded symbol says what it feeds
    assert DTS_ONLY | PM_ONLY <= names


# The documentation site's bundles and page layouts (checks/docs.py): 2.7
# pages from the 2.7.0 sources (nrf/doc/nrf/config_and_build/...), 2.8+ in
# nrf/app_dev/... (public READMEs link ncs-2.8.0/ncs-2.9.0 pages so).
DOC_CASES = [
    ("2.7.0", docs.MCUBOOT_EXTERNAL_FLASH, "https://docs.nordicsemi.com/bundle/ncs-2.7.0/page/nrf/"
     "config_and_build/bootloaders/bootloader_external_flash.html#ug-bootloader-external-flash"),
    ("2.9.1", docs.MCUBOOT_EXTERNAL_FLASH, "https://docs.nordicsemi.com/bundle/ncs-2.9.0/page/nrf/"
     "app_dev/bootloaders_dfu/mcuboot_nsib/bootloader_partitioning.html"
     "#ug-bootloader-external-flash"),
    ("2.9.99", docs.PM_EXTERNAL_FLASH, "https://docs.nordicsemi.com/bundle/ncs-latest/page/nrf/"
     "scripts/partition_manager/partition_manager.html#pm-external-flash"),
    ("3.4.0", docs.PM_EXTERNAL_FLASH, "https://docs.nordicsemi.com/bundle/ncs-latest/page/nrf/"
     "scripts/partition_manager/partition_manager.html#pm-external-flash"),
    (None, docs.SYSBUILD_IMAGES, "https://docs.nordicsemi.com/bundle/ncs-latest/page/nrf/"
     "app_dev/config_and_build/sysbuild/sysbuild_images.html"),
    ("2.0.2", docs.SYSBUILD_FORCED, "https://docs.nordicsemi.com/bundle/ncs-2.7.0/page/nrf/"
     "config_and_build/configuring_app/sysbuild_forced_options.html"),
]


@pytest.mark.parametrize("version, page, expected", DOC_CASES)
def test_docs_link_for_the_build_ncs_version(version, page, expected):
    assert docs.for_version(docs.url(page), version) == expected


def test_findings_link_the_docs_of_the_build_version(tmp_path):
    """The committed nRF52840 DK fixture records NCS 3.1.0 (its
    ncs_version.h); the same build stamped 2.7.0 links the 2.7.0 pages."""
    build = tmp_path / "b"
    shutil.copytree(FIXTURES / "builds" / "nrf52840dk-sysbuild", build)
    replace_line(build / "mcuboot" / "zephyr" / ".config", r"^CONFIG_BOOT_MAX_IMG_SECTORS=.*$",
                 "CONFIG_BOOT_MAX_IMG_SECTORS=16")
    header = build / "external_flash" / "zephyr" / "include" / "generated" / "ncs_version.h"
    _, doc = verify_json(build)
    assert [f["docs"] for f in doc["findings"]] == [
        "https://docs.nordicsemi.com/bundle/ncs-3.1.0/page/nrf/app_dev/bootloaders_dfu/"
        "mcuboot_nsib/bootloader_partitioning.html#ug-bootloader-external-flash"]
    header.write_text('#define NCS_VERSION_STRING "2.7.0"\n')
    _, doc = verify_json(build)
    assert [f["docs"] for f in doc["findings"]] == [
        "https://docs.nordicsemi.com/bundle/ncs-2.7.0/page/nrf/config_and_build/bootloaders/"
        "bootloader_external_flash.html#ug-bootloader-external-flash"]


@requires_corpus
def test_hints_name_the_board_driver_and_node_label():
    """FinnWBiggs (NCS 2.5 child image, nRF52840 DK): MCUboot has no
    nordic,pm-ext-flash chosen; the application's chosen node is
    'mx25r64: mx25r6435f@0' with compatible "nordic,qspi-nor"."""
    build = REAL / "FinnWBiggs__MCUBoot_ExFat__build_dk"
    app_dts = (build / "zephyr" / "zephyr.dts").read_text()
    assert "nordic,pm-ext-flash = &mx25r64;" in app_dts
    _, doc = verify_json(build)
    hints = {f["code"]: f["hint"] for f in doc["findings"]}
    assert hints["EXF201"] == "set CONFIG_NORDIC_QSPI_NOR=y in child_image/mcuboot.conf"
    assert hints["EXF301"] == ('add chosen nordic,pm-ext-flash = &mx25r64 and &mx25r64 '
                               '{ status = "okay"; } to child_image/mcuboot.overlay')


# ------------------------------------------------------ less work (D)


@requires_corpus
@pytest.mark.parametrize("name, parsed", [
    (INTERNAL, {"mcuboot"}),  # secondary in flash_primary: the app's devicetree is not needed
    (NO_MCUBOOT, set()),  # no MCUboot slot at all: no devicetree check applies
    (BOTZ, {"sensing_fw", "mcuboot"}),  # external secondary: app and MCUboot, not ipc_radio/b0n
])
def test_only_the_devicetrees_a_check_reads_are_parsed(name, parsed):
    loaded = load_build(REAL / name)
    assert {i.name for i in loaded.images() if i.devicetree is not None} == parsed


@requires_corpus
def test_static_lint_is_not_called_a_build_without_mcuboot():
    from extflash.verify import lint_static

    path = sorted((CORPUS / "real-pm").glob("*.yml"))[0]
    assert "EXF012" not in {f.code for f in lint_static(path).findings}


# ---------------------------------------- one root cause (real NCS 2.7.0)

NCS_REAL = FIXTURES / "ncs-real-evidence"  # PROVENANCE.yml there: commands and the one change


def test_real_ncs_clean_build_verifies_ok():
    code, doc = verify_json(NCS_REAL / "clean", "--strict")
    assert code == 0 and doc["findings"] == []


def test_disabled_flash_in_mcuboot_is_one_finding_with_its_consequence():
    build = NCS_REAL / "mcuboot-flash-disabled"
    config = (build / "mcuboot" / "zephyr" / ".config").read_text()
    # what real NCS did with the one change (PROVENANCE.yml)
    assert "CONFIG_DT_HAS_NORDIC_QSPI_NOR_ENABLED" not in config
    assert "CONFIG_NORDIC_QSPI_NOR=" not in config
    assert "#define PM_MCUBOOT_SECONDARY_DEFAULT_DRIVER_KCONFIG CONFIG_NORDIC_QSPI_NOR" in \
        (build / "mcuboot" / "zephyr" / "include" / "generated" / "pm_config.h").read_text()
    code, doc = verify_json(build)
    assert code == 1
    (finding,) = doc["findings"]
    assert (finding["code"], finding["image"]) == ("EXF301", "mcuboot")
    root, consequence = finding["message"].split("; this is also why: ")
    assert root == ("mcuboot/zephyr/zephyr.dts chooses /soc/qspi@40029000/mx25r6435f@0 for "
                    "nordic,pm-ext-flash, but its status is \"disabled\": mcuboot_secondary has "
                    "no device in mcuboot")
    assert consequence.startswith("driver-disabled (EXF201): CONFIG_NORDIC_QSPI_NOR is not set "
                                  "in mcuboot/zephyr/.config")
    assert finding["hint"] == ('add chosen nordic,pm-ext-flash = &mx25r64 and &mx25r64 '
                               '{ status = "okay"; } to sysbuild/mcuboot.overlay')


@requires_corpus
def test_deleted_partitions_yml_of_a_single_domain_build(tmp_path):
    build = copy(AHAUGL, tmp_path)
    (build / "partitions.yml").unlink()
    code, out, err = verify(build)
    assert code == 2
    assert err == (f"FATAL ERROR: {build}: partitions.yml is missing: the MCUboot slots "
                   "(mcuboot_primary, mcuboot_secondary) are recorded only there, so none of the "
                   "slot, driver or devicetree checks could run\n")
    assert "has no MCUboot slots" not in out


@requires_corpus
def test_deleted_regions_yml_names_what_it_blocked(tmp_path):
    build = copy(AHAUGL, tmp_path)
    (build / "regions.yml").unlink()
    code, doc = verify_json(build)
    assert code == 1
    (finding,) = [f for f in doc["findings"] if f["code"] == "EXF001"]
    assert finding["message"] == ("regions.yml is missing beside partitions.yml; not checked: "
                                  "partition-out-of-region")


@requires_corpus
def test_renamed_mcuboot_without_its_config_is_not_silently_absent(tmp_path):
    build = copy(BOTZ, tmp_path)
    (build / "mcuboot").rename(build / "boot")
    domains = build / "domains.yaml"
    domains.write_text(domains.read_text().replace("name: mcuboot", "name: boot")
                       .replace("/build/mcuboot", "/build/boot"))
    (build / "boot" / "zephyr" / ".config").unlink()
    assert "SB_CONFIG_BOOTLOADER_MCUBOOT=y" in (build / "zephyr" / ".config").read_text()
    code, doc = verify_json(build)
    assert code == 1 and "EXF012" not in codes(doc)
    (finding,) = [f for f in doc["findings"] if f["code"] == "EXF001"]
    assert finding["message"].startswith(
        "no image has CONFIG_MCUBOOT=y although SB_CONFIG_BOOTLOADER_MCUBOOT=y in zephyr/.config "
        "builds MCUboot, and boot/zephyr/.config is missing")


def _without_slot1(tmp_path: Path) -> Path:
    """The committed nRF52840 DK devicetree-partition build (its
    PROVENANCE.yml: NCS 3.4 smp_svr memory map) with slot1_partition taken
    out of both images' zephyr.dts, as overlays that lost it would."""
    build = tmp_path / "b"
    shutil.copytree(FIXTURES / "builds" / "nrf52840dk-dts", build)
    for dts in build.glob("*/zephyr/zephyr.dts"):
        text, n = re.subn(r"\t*slot1_partition: partition@0 \{.*?\n\t*\};\n", "",
                          dts.read_text(), count=1, flags=re.S)
        assert n == 1
        dts.write_text(text)
    return build


def test_devicetree_build_without_slot1_is_not_ok(tmp_path):
    """sdk-mcuboot boot/zephyr/include/sysflash/sysflash.h (v2.1.0-ncs1):
    the secondary is slot1_partition unless CONFIG_SINGLE_APPLICATION_SLOT or
    CONFIG_MCUBOOT_BOOTLOADER_MODE_SINGLE_APP; this MCUboot is swap-using-move."""
    build = _without_slot1(tmp_path)
    code, doc = verify_json(build)
    assert code == 1
    assert [(f["code"], f["image"]) for f in doc["findings"]] == [("EXF014", "mcuboot")]


def test_single_slot_mcuboot_needs_no_slot1(tmp_path):
    build = _without_slot1(tmp_path)
    config = build / "mcuboot" / "zephyr" / ".config"
    config.write_text(config.read_text() + "CONFIG_SINGLE_APPLICATION_SLOT=y\n")
    code, doc = verify_json(build, "--strict")
    assert (code, doc["findings"]) == (0, [])
