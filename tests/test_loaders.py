"""Loaders: each artefact reader, build-dir discovery, image roles, and the
bounded, strict YAML loader."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import FIXTURES
from extflash.errors import ArtefactError, BuildDirError
from extflash.loaders import load_build
from extflash.loaders.build_dir import find_build_dirs, is_zephyr_build, resolve_dir_fmt
from extflash.loaders.cmake_cache import parse_cmake_cache
from extflash.loaders.devicetree import load_devicetree
from extflash.loaders.domains import load_domains
from extflash.loaders.pm_config import macro_int, parse_pm_config, parse_pm_header
from extflash.loaders.pm_yaml import MAX_ALIASES, parse_yaml, partitions_from_data
from extflash.loaders.schema import validate
from extflash.model import EXTERNAL_FLASH, Partitioning, Role

BUILDS = FIXTURES / "builds"


@pytest.fixture
def sysbuild(tmp_path) -> Path:
    return Path(shutil.copytree(BUILDS / "nrf5340dk-netcore", tmp_path / "b"))


# ---------------------------------------------------------------- YAML


def test_yaml_reads_pm_output_hex_and_anchors():
    data = parse_yaml("a:\n  orig_span: &id001\n  - app\n  span: *id001\n  address: 0x1000\n"
                      "  size: 4096\n", "p.yml", "x")
    part = partitions_from_data(data, "p.yml")["a"]
    assert (part.address, part.size, part.span, part.region) == (0x1000, 4096, ("app",),
                                                                 "flash_primary")


def test_yaml_default_region_of_sram_partitions():
    part = partitions_from_data({"tfm_sram": {"address": 0x20000000, "size": 0x100}}, "p")
    assert part["tfm_sram"].region == "sram_primary"


@pytest.mark.parametrize("text, words", [
    ("a:\n  size: 1\na:\n  size: 2\n", ["line 3", "duplicate key 'a'", "first on line 1"]),
    ("a: !!python/object:os.system {}\n", ["line 1", "python/object"]),
    ("a: [1, 2\n", ["not valid YAML"]),
    ("a:\n\t- b\n", ["not valid YAML"]),
    ("a: &x [*x]\n", ["refers to a node that contains it"]),
    ("a: *nope\n", ["undefined alias"]),
])
def test_yaml_refuses_with_one_clear_line(text, words):
    with pytest.raises(ArtefactError) as e:
        parse_yaml(text, "partitions.yml", "Partition Manager partitions.yml")
    message = str(e.value)
    assert message.startswith("partitions.yml: ") and "\n" not in message
    for w in words:
        assert w in message


def test_yaml_alias_bomb_is_refused_quickly():
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i, name in enumerate("bcdefghi"):
        prev = "abcdefghi"[i]
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    start = time.monotonic()
    with pytest.raises(ArtefactError, match="alias bomb"):
        parse_yaml("\n".join(lines) + "\n", "p.yml", "x")
    assert time.monotonic() - start < 1.0


def test_yaml_too_many_aliases_and_deep_nesting_refused():
    many = "a: &a 1\nb: [" + ",".join(["*a"] * (MAX_ALIASES + 1)) + "]\n"
    with pytest.raises(ArtefactError, match="aliases"):
        parse_yaml(many, "p.yml", "x")
    with pytest.raises(ArtefactError, match="nesting"):
        parse_yaml("a: " + "[" * 100 + "]" * 100 + "\n", "p.yml", "x")


def test_yaml_empty_file_is_none():
    assert parse_yaml("", "p.yml", "x") is None


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_yaml_loader_never_raises_anything_but_artefact_error(text):
    try:
        data = parse_yaml(text, "p.yml", "x")
    except ArtefactError as e:
        assert str(e).startswith("p.yml: ")
        return
    partitions_from_data(data, "p.yml")  # never raises on any shape


def test_binary_file_is_refused(tmp_path):
    from extflash.loaders.pm_yaml import load_yaml

    path = tmp_path / "partitions.yml"
    path.write_bytes(b"\x00\x01\x02binary")
    with pytest.raises(ArtefactError, match="binary data"):
        load_yaml(path, "partitions.yml")


# ---------------------------------------------------------------- schemas


def test_schema_reports_path_inside_the_file():
    problems = validate({"mcuboot_secondary": {"address": "zero", "size": 0x1000,
                                               "region": "exteral_flash"}}, "partitions")
    paths = {p for p, _ in problems}
    assert paths == {"/mcuboot_secondary/address", "/mcuboot_secondary/region"}


def test_schema_accepts_every_fixture_file():
    for build in BUILDS.iterdir():
        for path in build.glob("partitions*.yml"):
            assert validate(yaml.safe_load(path.read_text()), "partitions") == [], path
        for path in build.glob("regions*.yml"):
            assert validate(yaml.safe_load(path.read_text()), "regions") == [], path
        if (build / "domains.yaml").exists():
            assert validate(yaml.safe_load((build / "domains.yaml").read_text()), "domains") == []


# ------------------------------------------------------------ small parsers


def test_cmake_cache_parsing():
    cache = parse_cmake_cache("// help\nBOARD:STRING=nrf52840dk/nrf52840\n# c\nX:BOOL=ON\n"
                              "Y:BOOL=OFF\nCMAKE_PROJECT_NAME:STATIC=sysbuild_toplevel\n")
    assert cache == {"BOARD": "nrf52840dk/nrf52840", "X": True, "Y": False,
                     "CMAKE_PROJECT_NAME": "sysbuild_toplevel"}


def test_pm_config_and_header_parsing():
    assert parse_pm_config("PM_MCUBOOT_SIZE=0xc000\nPM_APP_SPAN=\"app\"\n# x\n") == {
        "PM_MCUBOOT_SIZE": "0xc000", "PM_APP_SPAN": '"app"'}
    header = parse_pm_header("#define PM_MCUBOOT_SECONDARY_DEV DT_CHOSEN(nordic_pm_ext_flash)\n"
                             "#define PM_X_SIZE 0x1000\n#ifndef PM_CONFIG_H__\n")
    assert header["PM_MCUBOOT_SECONDARY_DEV"] == "DT_CHOSEN(nordic_pm_ext_flash)"
    assert macro_int(header["PM_X_SIZE"]) == 0x1000 and macro_int("CONFIG_X") is None


# ------------------------------------------------------------- devicetree


def test_devicetree_chosen_flash_nodes_partitions_and_defined_in():
    tree = load_devicetree(BUILDS / "nrf54l15dk-spi-nor" / "mcuboot" / "zephyr" / "zephyr.dts",
                           "mcuboot/zephyr/zephyr.dts")
    ext = tree.chosen_node("nordic,pm-ext-flash")
    assert ext.path == "/soc/peripheral@50000000/spi@4a000/mx25r6435f@0"
    assert ext.compatible == ("jedec,spi-nor",) and ext.enabled and ext.props["size"] == 0x4000000
    assert tree.node(ext.parent).labels == ("spi00",)
    assert tree.chosen_node("zephyr,flash").props["erase-block-size"] == 4096
    assert ext.props["defined_in"]["status"].startswith("nrf/samples/dfu/smp_svr/sysbuild/")
    assert ext.location.defined_in.startswith("zephyr/dts/arm/nordic/nrf54l15_cpuapp.dtsi:")
    slot1 = next(n for n in tree.path2node.values() if "slot1_partition" in n.labels)
    assert slot1.reg == ((0xb2000, 0xa2000),) and slot1.props["label"] == "image-1"


def test_devicetree_without_comments_has_no_defined_in():
    tree = load_devicetree(BUILDS / "nrf52840dk-child-image" / "zephyr" / "zephyr.dts", "x")
    assert tree.chosen_node("nordic,pm-ext-flash").location.defined_in is None


@pytest.mark.parametrize("text, words", [
    ("/dts-v1/;\n/ { a = <1>; \n", ["dtlib"]),
    ('/dts-v1/;\n/include/ "/etc/passwd"\n/ { };\n', ["/include/"]),
    ("/dts-v1/;\n/ { a = <&nolabel>; };\n", ["dtlib"]),
])
def test_devicetree_errors_are_one_line(tmp_path, text, words):
    path = tmp_path / "zephyr.dts"
    path.write_text(text)
    with pytest.raises(ArtefactError) as e:
        load_devicetree(path, "zephyr.dts")
    assert "\n" not in str(e.value).strip() or str(e.value).count("\n") <= 2
    for w in words:
        assert w in str(e.value)


# ---------------------------------------------------------------- domains


def test_domains_moved_build_falls_back_to_local_dirs(sysbuild):
    domains = load_domains(sysbuild / "domains.yaml")
    assert domains.default == "external_flash"
    assert all(d.moved and d.dir == sysbuild / d.name for d in domains.domains)
    assert domains.domains[0].recorded.startswith("/home/dev/ncs/")


def test_domains_relative_and_valid_paths_are_used(sysbuild):
    (sysbuild / "domains.yaml").write_text(
        "default: external_flash\nbuild_dir: .\ndomains:\n  - name: external_flash\n"
        "    build_dir: external_flash\n  - name: mcuboot\n"
        f"    build_dir: {sysbuild / 'mcuboot'}\n")
    domains = load_domains(sysbuild / "domains.yaml")
    assert [d.moved for d in domains.domains] == [False, False]


def test_domains_path_outside_the_build_is_not_followed(sysbuild, tmp_path):
    other = shutil.copytree(sysbuild / "mcuboot", tmp_path / "elsewhere" / "mcuboot")
    (sysbuild / "domains.yaml").write_text(
        f"default: mcuboot\nbuild_dir: x\ndomains:\n  - name: mcuboot\n    build_dir: {other}\n")
    (domain,) = load_domains(sysbuild / "domains.yaml").domains
    assert domain.moved and domain.dir == sysbuild / "mcuboot"


def test_domain_name_with_separator_is_refused(sysbuild):
    (sysbuild / "domains.yaml").write_text("default: a\ndomains:\n  - name: ../x\n    build_dir: "
                                           "/x\n")
    with pytest.raises(ArtefactError, match="not a directory name"):
        load_domains(sysbuild / "domains.yaml")


# --------------------------------------------------------- build discovery


def test_sysbuild_top_cache_without_toolchain_is_a_build():
    cache = (BUILDS / "nrf52840dk-sysbuild" / "CMakeCache.txt").read_text()
    assert "ZEPHYR_TOOLCHAIN_VARIANT" not in cache
    assert is_zephyr_build(BUILDS / "nrf52840dk-sysbuild")


def test_find_build_dir_order(tmp_path):
    app = tmp_path / "app"
    build = shutil.copytree(BUILDS / "nrf52840dk-child-image", app / "build")
    assert find_build_dirs(["x"], cwd=app)[0].path == app / "x"
    assert find_build_dirs(None, cwd=app)[0].path == build
    assert find_build_dirs(None, cwd=build)[0].reason == "the current directory"
    named = shutil.copytree(build, app / "build-nrf52840dk_nrf52840")
    found = find_build_dirs(None, cwd=app, dir_fmt="build-{normalized_board}",
                            board="nrf52840dk/nrf52840")
    assert found[0].path == named
    assert resolve_dir_fmt("build/{board}", app, None, None) == app / "build"  # no board
    assert resolve_dir_fmt("{west_topdir}/b/{app}", app, tmp_path, None) == tmp_path / "b" / "app"


# -------------------------------------------------------------- load_build


def test_load_sysbuild_netcore_build(sysbuild):
    build = load_build(sysbuild)
    assert build.layout == "sysbuild" and build.partitioning is Partitioning.PM
    roles = {i.name: (i.role, i.domain) for i in build.images()}
    assert roles == {"external_flash": (Role.APP, ""), "mcuboot": (Role.MCUBOOT, ""),
                     "empty_net_core": (Role.NETCORE, "CPUNET"), "b0n": (Role.NETCORE, "CPUNET")}
    assert set(build.domain2map) == {"", "CPUNET"}
    assert build.domain2map[""].name2partition["mcuboot_secondary_1"].region == EXTERNAL_FLASH
    assert build.domain2map[""].pm_config["PM_MCUBOOT_PAD_SIZE"] == "0x200"
    assert build.sb("SB_CONFIG_NETCORE_APP_UPDATE") is True
    assert build.mcuboot.pm_header["PM_MCUBOOT_SECONDARY_DEFAULT_DRIVER_KCONFIG"] == \
        "CONFIG_PM_EXTERNAL_FLASH_HAS_DRIVER"
    assert build.board == "nrf5340dk/nrf5340/cpuapp" and build.ncs_version == "3.1.0"
    assert any("moved or copied" in n for n in build.notes)


def test_load_child_image_build_with_netcore_grandchildren(tmp_path):
    build_dir = shutil.copytree(BUILDS / "nrf52840dk-child-image", tmp_path / "b")
    net = build_dir / "empty_net_core"
    shutil.copytree(BUILDS / "nrf5340dk-netcore" / "empty_net_core", net)
    shutil.copytree(BUILDS / "nrf5340dk-netcore" / "b0n", net / "b0n")
    build = load_build(build_dir)
    assert build.layout == "child-image"
    dirs = {i.name: (i.dir, i.role) for i in build.images()}
    assert dirs["external_flash"] == ("", Role.APP) and dirs["mcuboot"] == ("mcuboot", Role.MCUBOOT)
    assert dirs["b0n"] == ("empty_net_core/b0n", Role.NETCORE)


def test_missing_files_become_artefact_missing_findings(sysbuild):
    (sysbuild / "regions.yml").unlink()
    (sysbuild / "mcuboot" / "zephyr" / ".config").unlink()
    codes = sorted(f.code for f in load_build(sysbuild).load_findings)
    assert codes == ["EXF001", "EXF001"]


def test_not_a_build_directory(tmp_path):
    with pytest.raises(BuildDirError, match="no CMakeCache.txt"):
        load_build(tmp_path)
    with pytest.raises(BuildDirError, match="no such build directory"):
        load_build(tmp_path / "nope")
    (tmp_path / "f").write_text("x")
    with pytest.raises(BuildDirError, match="not a directory"):
        load_build(tmp_path / "f")


def test_build_without_pm_output_or_slots(tmp_path):
    from fixturegen import FIXTURES, write_build

    spec = FIXTURES["nrf52840dk-sysbuild"]()
    spec.domains = []  # no Partition Manager output because it is off:
    spec.sysbuild["SB_CONFIG_PARTITION_MANAGER"] = False
    for image in spec.images:
        image.partitions = ()
        image.chosen.pop("zephyr,code-partition")
    build = load_build(write_build(tmp_path / "b", spec))
    assert build.partitioning is Partitioning.NONE and not build.domain2map


def test_partition_manager_on_without_output_is_a_failed_configure(tmp_path):
    """SB_CONFIG_PARTITION_MANAGER=y and no partitions.yml, regions.yml or
    pm.config: the configure step failed (real NCS 2.7.0 leaves exactly that,
    tests/fixtures/ncs-real/fault-pm-static-secondary-gap); one line naming
    the file and what to do, exit 2, and the board-default slots of
    zephyr.dts are not judged."""
    from extflash.errors import EXIT_USAGE, BuildDirError
    from fixturegen import FIXTURES, write_build

    spec = FIXTURES["nrf52840dk-sysbuild"]()
    spec.domains = []
    with pytest.raises(BuildDirError) as err:
        load_build(write_build(tmp_path / "b", spec))
    text = str(err.value)
    assert err.value.exit_code == EXIT_USAGE and "\n" not in text
    for words in ("partitions.yml is missing", "SB_CONFIG_PARTITION_MANAGER=y in zephyr/.config",
                  "configure step failed", "run west build again"):
        assert words in text


# ------------------------------------------- never guess (issue 8 item 5)


@pytest.mark.parametrize("text, expected", [
    # dtlib's lexer: comments, strings, char literals and &{/path} refs are one token each
    ('/* copied from /include/ "board.dtsi" */\n/ { };', None),
    ("// /incbin/ (\"blob\")\n/ { };", None),
    ('/ { label = "/include/"; };', None),
    ("/ { a = &{/include/x}; };", None),
    ("/ { a = <'/'>; };\n/include/ \"x.dtsi\"", ("/include/", 2)),
    ('/dts-v1/;\n/ { };\n/incbin/("x");', ("/incbin/", 3)),
])
def test_directives_are_found_as_directives(text, expected):
    from extflash.loaders.devicetree import find_directive

    assert find_directive(text) == expected


@pytest.mark.parametrize("data, problem", [
    (b"", "is empty"),
    (b"  \n\n", "is empty"),
    ("# CMakeCache\nBOARD:STRING=nrf52840dk/nrf52840\n".encode("utf-16"),
     "is binary data or UTF-16 text, not a CMake cache (CMake writes UTF-8)"),
    (b"BOARD:STRING=caf\xe9\n", "is not UTF-8 text, not a CMake cache (CMake writes UTF-8)"),
    (b"just some text\n", "has no NAME:TYPE=VALUE entry: it is not a CMake cache"),
])
def test_an_undecodable_cmake_cache_is_said_not_taken_as_empty(tmp_path, data, problem):
    from extflash.loaders.cmake_cache import read_cmake_cache

    (tmp_path / "CMakeCache.txt").write_bytes(data)
    assert read_cmake_cache(tmp_path / "CMakeCache.txt") == ({}, problem)
    assert read_cmake_cache(tmp_path / "absent.txt") == (None, None)


@pytest.mark.parametrize("line, why", [
    ("CONFIG_BOOT_MAX_IMG_SECTORS=abc", "is not a number (Kconfig type int)"),
    ('CONFIG_BOOT_MAX_IMG_SECTORS="256"', "is a quoted string, not a number (Kconfig type int)"),
    ("CONFIG_BOOT_MAX_IMG_SECTORS=", "is empty, which Kconfig never writes"),
    ("CONFIG_SPI_NOR=m", "is the tristate value m, which Zephyr's Kconfig never writes "
                         "(no MODULES)"),
    ("CONFIG_SPI_NOR=1", "is not y or n (Kconfig type bool)"),
])
def test_kconfig_values_are_decoded_by_type_or_reported(tmp_path, line, why):
    from extflash.loaders.kconfig_files import load_config

    path = tmp_path / ".config"
    path.write_text(f"CONFIG_BOARD=\"nrf52840dk\"\n{line}\nCONFIG_BOOT_SIGNATURE_TYPE_RSA=y\n")
    loaded = load_config(path)
    symbol = line.split("=")[0]
    assert symbol not in loaded.values  # nothing assumed in its place
    assert [(p.symbol, p.line, p.why) for p in loaded.problems] == [(symbol, 2, why)]
    assert loaded.values["CONFIG_BOOT_SIGNATURE_TYPE_RSA"] is True


def test_kconfig_numbers_as_kconfiglib_writes_them(tmp_path):
    from extflash.loaders.kconfig_files import load_config

    path = tmp_path / ".config"
    path.write_text("CONFIG_BOOT_MAX_IMG_SECTORS=256\n# CONFIG_SPI_NOR is not set\n")
    loaded = load_config(path, "CONFIG_")
    assert loaded.problems == [] and loaded.values == {"CONFIG_BOOT_MAX_IMG_SECTORS": 256,
                                                       "CONFIG_SPI_NOR": False}
    path.write_text("SB_CONFIG_PM_MCUBOOT_PAD=0x800\n")  # hex (sdk-nrf sysbuild/Kconfig.sysbuild)
    assert load_config(path, "SB_CONFIG_").values == {"SB_CONFIG_PM_MCUBOOT_PAD": 0x800}
