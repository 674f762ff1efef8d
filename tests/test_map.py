"""``west extflash map``: the map shows exactly what the build's own files
say. The oracle here reads each build's files independently of the code
under test: ``partitions*.yml`` / ``regions*.yml`` with PyYAML, each
image's ``pm_config.h`` with a regular expression, and each image's
``zephyr.dts`` with Zephyr's dtlib, for every build in tests/fixtures/builds
and ../shared/corpus/real-builds (required when CI is set)."""

from __future__ import annotations

import json
import logging
import re
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import (
    CORPUS,
    FIXTURES,
    REPO_ROOT,
    TESTS_DIR,
    corpus_params,
    require_corpus,
    run_cli,
)

BUILDS = FIXTURES / "builds"
REAL_BUILDS = CORPUS / "real-builds"
FIXTURE_BUILDS = sorted(p for p in BUILDS.iterdir() if (p / "CMakeCache.txt").is_file())

# Partition Manager regions that are RAM, not flash (sdk-nrf
# scripts/partition_manager.py: sram_primary and friends), left out of the map
RAM_REGION_PREFIX = "sram"
# flash device compatibles (zephyr dts/bindings: soc-nv-flash, jedec,spi-nor,
# nordic,qspi-nor, jedec,mspi-nor, zephyr,sim-flash)
DEVICE_COMPATS = {"soc-nv-flash", "jedec,spi-nor", "nordic,qspi-nor", "jedec,mspi-nor",
                  "zephyr,sim-flash"}
EXTERNAL_COMPATS = {"jedec,spi-nor", "nordic,qspi-nor", "jedec,mspi-nor"}
# partitions outside a fixed-partitions table, 2026 style (zephyr
# dts/bindings/mtd/zephyr,mapped-partition.yaml @af59d5f; fixed-subpartitions)
MAPPED_COMPATS = {"zephyr,mapped-partition", "fixed-subpartitions"}


def _require_corpus():
    require_corpus(REAL_BUILDS)


def validate(doc: dict) -> None:
    from pykwalify.core import Core

    logging.getLogger("pykwalify").setLevel(logging.CRITICAL)
    schema = yaml.safe_load((REPO_ROOT / "schemas" / "map-schema.yml").read_text())
    Core(source_data=doc, schema_data=schema).validate(raise_exception=True)


def map_json(build: Path) -> dict:
    code, out, err = run_cli(["map", "-d", str(build), "--format", "json"])
    assert code == 0, err
    assert err == ""
    doc = json.loads(out)
    validate(doc)
    return doc


def _rows(doc: dict) -> dict[tuple[str, str], dict]:
    """(memory id, partition) -> the row, with "views": view -> {start, size, source}."""
    rows = {}
    for m in doc["memories"]:
        for p in m["partitions"]:
            views = {v["view"]: {k: v[k] for k in ("start", "size", "source")}
                     for v in p["placed"]}
            rows[(m["id"], p["name"])] = {**p, "views": views}
    return rows


# ---------------------------------------------------------------- the oracle

def _pm_domain(file: Path, stem: str) -> str:
    return file.stem[len(stem) + 1:] if file.stem != stem else ""


def _mem_id(domain: str, region: str) -> str:
    return f"{domain}/{region}" if domain else region


def expected_pm(build: Path) -> tuple[dict, dict, dict]:
    """From the PM files: (memory id, name) -> (start, size) per domain file,
    memory id -> (base, size) from regions*.yml, and per image pm_config.h."""
    placed, regions = {}, {}
    domain2names: dict[str, dict[str, str]] = {}
    for file in sorted(build.glob("partitions*.yml")):
        domain = _pm_domain(file, "partitions")
        data = yaml.safe_load(file.read_text())
        names = domain2names.setdefault(domain, {})
        for name, body in data.items():
            region = body["region"]
            names[name] = region
            if region.startswith(RAM_REGION_PREFIX):
                continue
            placed[(file.name, _mem_id(domain, region), name)] = (body["address"], body["size"])
    for file in sorted(build.glob("regions*.yml")):
        domain = _pm_domain(file, "regions")
        for name, body in (yaml.safe_load(file.read_text()) or {}).items():
            if not name.startswith(RAM_REGION_PREFIX):
                regions[_mem_id(domain, name)] = (body["base_address"], body["size"])
    headers = {}
    define = re.compile(r"^#define (PM_\w+) (\S+)$", re.M)
    for header in sorted(build.glob("**/zephyr/include/generated/pm_config.h")):
        macros = dict(define.findall(header.read_text()))
        image = header.parents[3].name if header.parents[3] != build else None
        if image is None:
            continue  # child-image application at the top: named after the app
        macro2name = {k[3:-5]: v for k, v in macros.items() if k.endswith("_NAME")
                      and not k.endswith("_DEV_NAME") and v.lower() == k[3:-5].lower()}
        # the header was generated from the domain file that has all its
        # partitions; a child-image network core keeps its partitions_CPUNET.yml
        # in its own folder (hci_ipc/), which the build model does not read
        domains = [d for d, names in domain2names.items()
                   if set(macro2name.values()) <= set(names)]
        if not domains:
            continue
        domain = domains[0]
        names = domain2names[domain]
        for macro, name in macro2name.items():
            region = names.get(name)
            if region is not None and not region.startswith(RAM_REGION_PREFIX):
                headers[(image, name)] = (domain, region, int(macros[f"PM_{macro}_ADDRESS"], 0),
                                          int(macros[f"PM_{macro}_SIZE"], 0))
    return placed, regions, headers


def expected_dts(build: Path) -> dict:
    """(image, label) -> (region kind, start, size) for every fixed-partitions
    child and every zephyr,mapped-partition node in every image's zephyr.dts."""
    from devicetree import dtlib

    result = {}
    for dts in sorted(build.glob("*/zephyr/zephyr.dts")):
        image = dts.parents[1].name
        dt = dtlib.DT(str(dts))
        for node in dt.node_iter():
            parent = node.parent
            if parent is None or "reg" not in node.props:
                continue
            in_table = "compatible" in parent.props and \
                "fixed-partitions" in parent.props["compatible"].to_strings()
            mapped = "compatible" in node.props and \
                set(node.props["compatible"].to_strings()) & MAPPED_COMPATS
            if not (in_table or mapped):
                continue
            nums = node.props["reg"].to_nums()
            offset, size = nums[0], nums[-1]
            up = parent
            device = None
            while up is not None:
                compats = set(up.props["compatible"].to_strings()) if "compatible" in up.props \
                    else set()
                if compats & DEVICE_COMPATS:
                    device = up
                    break
                if up.name.startswith("partition@") and "reg" in up.props:
                    offset += up.props["reg"].to_nums()[0]
                up = up.parent
            assert device is not None, f"{dts}: {node.path} has no flash device"
            compats = set(device.props["compatible"].to_strings())
            sim = "zephyr,sim-flash" in compats or (
                device.parent is not None and "compatible" in device.parent.props
                and "zephyr,sim-flash" in device.parent.props["compatible"].to_strings())
            if compats & EXTERNAL_COMPATS:
                region, start = "external_flash", offset
            elif sim:
                region, start = "ram_flash", offset
            else:
                region, start = "flash_primary", device.props["reg"].to_nums()[0] + offset
            label = node.labels[0] if node.labels else node.name
            result[(image, label)] = (region, start, size)
    return result


def check_against_files(build: Path) -> None:
    doc = map_json(build)
    rows = _rows(doc)
    memories = {m["id"]: m for m in doc["memories"]}
    if doc["build"]["partitioning"] == "partition-manager":
        placed, regions, headers = expected_pm(build)
        assert placed, "no flash partition in the PM files"
        for (file, mid, name), (start, size) in placed.items():
            row = rows[(mid, name)]
            assert row["views"][file] == {"start": start, "size": size,
                                         "source": f"{file}: {name}"}, (mid, name)
        shown = {(f, m, n) for (m, n), r in rows.items() for f in r["views"]
                 if f.startswith("partitions")}
        assert shown == set(placed), "partitions shown that the PM files do not have"
        for mid, (base, size) in regions.items():
            assert (memories[mid]["base"], memories[mid]["size"]) == (base, size), mid
        for (image, name), (domain, region, start, size) in headers.items():
            place = rows[(_mem_id(domain, region), name)]["views"][image]
            assert (place["start"], place["size"]) == (start, size), (image, name)
    else:
        expected = expected_dts(build)
        assert expected, "no devicetree partition"
        for (image, label), (region, start, size) in expected.items():
            hits = [r for (mid, name), r in rows.items()
                    if name == label and mid.endswith(region) and r["views"].get(image)]
            assert len(hits) == 1, (image, label)
            place = hits[0]["views"][image]
            assert (place["start"], place["size"]) == (start, size), (image, label)
        shown = {(img, n) for (_m, n), r in rows.items() for img in r["views"]}
        assert shown == set(expected)
    check_gaps_tile(doc)


def check_gaps_tile(doc: dict) -> None:
    """Where partitions stay inside their memory, each view's leaf
    partitions and gaps cover the memory exactly once."""
    for m in doc["memories"]:
        base, end = m["base"], m["base"] + m["size"]
        for view in (v["view"] for v in m["views"]):
            spans = sorted((p["start"], p["start"] + p["size"]) for row in m["partitions"]
                           if not row["container"] for p in row["placed"]
                           if p["view"] == view and p["size"] > 0)
            if any(s < base or e > end for s, e in spans):
                continue  # out of region: a finding of verify (partition-out-of-region)
            if any(a[1] > b[0] for a, b in zip(spans, spans[1:], strict=False)):
                continue  # overlapping partitions: a finding of verify (partition-overlap)
            gaps = [(g["start"], g["end"]) for g in m["gaps"] if view in g["views"]]
            pieces = sorted(spans + gaps)
            cursor = base
            for s, e in pieces:
                assert s == cursor, (m["id"], view, hex(s), hex(cursor))
                cursor = e
            assert cursor == end, (m["id"], view)


@pytest.mark.parametrize("build", FIXTURE_BUILDS, ids=lambda p: p.name)
def test_map_matches_the_fixture_builds_files(build):
    check_against_files(build)


@pytest.mark.parametrize("build", corpus_params("real-builds", dirs=True))
def test_map_matches_the_real_builds_files(build):
    check_against_files(require_corpus(build))


def test_corpus_has_builds_of_both_generations():
    _require_corpus()
    kinds = {map_json(REAL_BUILDS / "br4inn__CSSE4011__build")["build"]["partitioning"],
             map_json(REAL_BUILDS / "shuhao-dong__BORUS__build")["build"]["partitioning"]}
    assert kinds == {"devicetree", "partition-manager"}


# ------------------------------------------------------------- differences

def materialize(case: str, dest: Path) -> Path:
    meta = yaml.safe_load((TESTS_DIR / "cases" / case / "case.yml").read_text())
    shutil.copytree(BUILDS / meta["base"], dest)
    shutil.copytree(TESTS_DIR / "cases" / case / "files", dest, dirs_exist_ok=True)
    return dest


def test_every_difference_between_images_is_named_with_both_values(tmp_path):
    build = materialize("EXF107-layout-mismatch-dts", tmp_path / "b")
    doc = map_json(build)
    expected = expected_dts(build)
    labels = {lb for (_img, lb) in expected}
    differing = set()
    for label in labels:
        app, boot = expected.get(("smp_svr", label)), expected.get(("mcuboot", label))
        if app != boot:
            differing.add(label)
    assert differing, "the case has no difference between the images"
    flagged = {p["name"] for m in doc["memories"] for p in m["partitions"]
               if p["status"] != "same"}
    assert flagged == differing
    messages = " | ".join(d["message"] for d in doc["differences"])
    for label in differing:
        for image in ("smp_svr", "mcuboot"):
            _region, start, size = expected[(image, label)]
            assert f"{image} {start:#x}..{start + size:#x}" in messages
    code, out, _ = run_cli(["map", "-d", str(build)])
    assert code == 0
    for label in differing:
        assert re.search(rf"^ ! .* {label} .*DIFFERS$", out, re.M), out


def test_clean_build_has_no_difference():
    doc = map_json(BUILDS / "nrf54l15dk-dts")
    assert doc["differences"] == []
    assert all(p["status"] == "same" for m in doc["memories"] for p in m["partitions"])


def test_netcore_slot_only_mcuboot_sees_is_marked_partial():
    doc = map_json(BUILDS / "nrf5340dk-netcore-dts")
    ram = next(m for m in doc["memories"] if m["region"] == "ram_flash")
    assert ram["absent_in"] == ["smp_svr"]
    (slot2,) = ram["partitions"]
    assert [p["view"] for p in slot2["placed"]] == ["mcuboot"]
    assert slot2["absent_in"] == ["smp_svr"]
    assert (slot2["name"], slot2["slot"], slot2["status"]) == (
        "slot2_partition", "mcuboot_primary_1", "partial")
    assert any("slot2_partition is only in mcuboot" in d["message"]
               for d in doc["differences"])


# ------------------------------------------------------------- text & CLI

def test_text_map_lists_every_partition_with_range_and_size():
    build = BUILDS / "nrf5340dk-netcore"
    placed, _regions, _headers = expected_pm(build)
    code, out, err = run_cli(["map", "-d", str(build)])
    assert code == 0 and err == ""
    for (_file, _mid, name), (start, size) in placed.items():
        line = re.search(rf"^ . {start:#010x}-{start + size:#010x}  {size:#x} .*\b{name}\b",
                         out, re.M)
        assert line, name
    assert "external NOR flash · external_flash · 0x0..0x800000 (8 MiB)" in out
    assert "network core internal flash · flash_primary · 0x1000000..0x1040000" in out


def test_verify_map_prints_the_map_on_ok():
    code, out, _ = run_cli(["verify", "--map", "-d", str(BUILDS / "nrf54l15dk-dts")])
    assert code == 0
    report, _, flash_map = out.partition("flash map of ")
    assert "ok (exit 0)" in report
    assert "slot1_partition [mcuboot_secondary]" in flash_map
    assert "internal RRAM · flash_primary · 0x0..0x17d000" in flash_map


def test_output_file_and_unwritable_output(tmp_path):
    target = tmp_path / "map.html"
    code, out, err = run_cli(["map", "-d", str(BUILDS / "nrf52840dk-dts"), "--format", "html",
                              "-o", str(target)])
    assert code == 0 and err == ""
    assert str(target) in out
    assert target.read_text().startswith("<!DOCTYPE html>")
    code, out, err = run_cli(["map", "-d", str(BUILDS / "nrf52840dk-dts"),
                              "-o", str(tmp_path / "missing" / "map.txt")])
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "cannot write" in err and "map.txt" in err


def test_html_is_self_contained():
    code, out, _ = run_cli(["map", "-d", str(BUILDS / "nrf5340dk-netcore"), "--format", "html"])
    assert code == 0
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", out)
    assert "@import" not in out and "url(http" not in out


def test_not_a_build_directory(tmp_path):
    code, out, err = run_cli(["map", "-d", str(tmp_path)])
    assert code == 2 and out == ""
    assert "CMakeCache.txt" in err and err.count("\n") == 1


@pytest.mark.e2e
def test_map_through_real_west(workspaces, west_env):
    from conftest import run_west

    ws = workspaces["project"]
    proc = run_west(["extflash", "map", "-d", str(BUILDS / "nrf52840dk-sysbuild"),
                     "--format", "json"], cwd=ws, env=west_env)
    doc = json.loads(proc.stdout)
    validate(doc)
    assert {m["region"] for m in doc["memories"]} >= {"flash_primary", "external_flash"}


def test_geometry_advice_for_the_nrf52840_swap_move_build():
    """Worked out by hand (see tests/test_signed_image.py for the sources):
    swap-move on 0xf4000 slots with 4 KiB sectors and a 3120-byte trailer:
    0xf2000; swap-using-offset with the secondary one sector larger: 0xf3000
    (trailer 256 * 2 * 4 + 48 = 2096 -> one sector); overwrite-only: slot - 32."""
    doc = map_json(BUILDS / "nrf52840dk-sysbuild")
    (g,) = doc["geometry"]
    assert (g["primary"], g["mode"], g["max_image_size"], g["trailer"]) == (
        "mcuboot_primary", "swap-using-move", 0xF2000, 3120)
    options = {o["mode"]: (o["max_image_size"], o["gain"]) for o in g["options"]}
    assert options == {"swap-using-offset": (0xF3000, 0x1000),
                       "overwrite-only": (0xF4000 - 32, 0x1FE0)}
    code, out, _ = run_cli(["map", "-d", str(BUILDS / "nrf52840dk-sysbuild")])
    assert "swap-using-move: largest updatable image 0xf2000 (968 KiB)" in out


def test_network_core_pair_is_overwrite_only():
    doc = map_json(BUILDS / "nrf5340dk-netcore")
    netcore = next(g for g in doc["geometry"] if g["primary"] == "mcuboot_primary_1")
    assert (netcore["mode"], netcore["max_image_size"], netcore["options"]) == (
        "overwrite-only", 0x40000 - 32, [])
    assert "PCD" in netcore["note"]


def test_text_map_colour_only_when_allowed():
    from extflash.flashmap import build_map
    from extflash.flashmap.render_text import render_text
    from extflash.loaders import load_build

    fm = build_map(load_build(BUILDS / "nrf52840dk-sysbuild"))
    assert "\x1b[" not in render_text(fm, color=False)
    assert "\x1b[33mmcuboot_secondary" in render_text(fm, color=True)
    code, out, _ = run_cli(["map", "-d", str(BUILDS / "nrf52840dk-sysbuild")])
    assert "\x1b[" not in out  # run_cli's output is not a terminal


@pytest.mark.parametrize("fmt", ["text", "json", "html"])
@pytest.mark.parametrize("target", ["partitions.yml", "regions.yml", "domains.yaml"])
def test_hostile_yaml_gives_a_map_or_one_line(tmp_path, target, fmt):
    """Every file of the hostile YAML corpus (tests/hostile/yaml) in place of
    a Partition Manager file: a map, or exit 2 with one line; never a bug.
    (overflowing-address.yml once gave a gap 10**400 bytes long.)"""
    for case in sorted((TESTS_DIR / "hostile" / "yaml").iterdir()):
        build = tmp_path / case.stem
        shutil.copytree(BUILDS / "nrf52840dk-sysbuild", build)
        shutil.copyfile(case, build / target)
        code, out, err = run_cli(["map", "-d", str(build), "--format", fmt])
        assert "internal error" not in err, (case.name, err)
        assert code == 0 or (code == 2 and err.count("\n") == 1 and out == ""), case.name


def test_swap_scratch_is_offered_only_with_a_scratch_partition():
    """br4inn (real NCS devicetree build, Thingy:52) has scratch_partition:
    swap-scratch allows 0x32000 - 648 bytes (50 sectors * 3 * 4 + 48 trailer,
    sdk-mcuboot bootutil_misc.c boot_trailer_sz); the nRF52840 fixture has none."""
    _require_corpus()
    (g,) = map_json(REAL_BUILDS / "br4inn__CSSE4011__build")["geometry"]
    options = {o["mode"]: o["max_image_size"] for o in g["options"]}
    assert options["swap-using-scratch"] == 0x32000 - 648
    (g,) = map_json(BUILDS / "nrf52840dk-sysbuild")["geometry"]
    assert "swap-using-scratch" not in {o["mode"] for o in g["options"]}
