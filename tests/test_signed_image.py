"""Signed images against their slots (checks EXF130-EXF133), on real images
signed with MCUboot's imgtool (a test dependency) and placed where NCS puts
them in fixture builds.

The expected limits are worked out here by hand from MCUboot's sources, not
by the code under test:

nRF52840 DK sysbuild fixture (tests/fixtures/builds/nrf52840dk-sysbuild):
swap-move, CONFIG_BOOT_MAX_IMG_SECTORS=256, internal write-block-size 4,
4 KiB sectors on both slots (CONFIG_NORDIC_QSPI_NOR_FLASH_LAYOUT_PAGE_SIZE=4096),
mcuboot_primary = mcuboot_secondary = 0xf4000 at 0xc000.
  trailer = 256 * 3 * 4 + 8 * 4 + 16 = 3120 bytes -> one 4 KiB sector
  (sdk-mcuboot v2.1.0-ncs1 bootutil_misc.c l.99-136, bootutil_priv.h l.190)
  largest image = min(0xf4000 - 0x1000 - 0x1000, 0xf4000 - 0x1000) = 0xf2000
  (ncs-v3.4.0 swap_move.c app_max_size l.582-601)

nRF5340 DK network-core fixture (nrf5340dk-netcore): overwrite-only, so
  trailer = 8 * 2 + 16 = 32 bytes (imgtool image.py _trailer_size) and the
  largest application image is 0xf4000 - 32 = 0xf3fe0.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import FIXTURES, run_cli
from extflash.loaders import load_build
from extflash.verify import verify_loaded

BUILDS = FIXTURES / "builds"
SWAP_MOVE_MAX = 0xF2000
OVERWRITE_MAX = 0xF4000 - 32
HEADER = 0x200  # PM_MCUBOOT_PAD_SIZE of both fixtures (imgtool --header-size)


def imgtool(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    try:
        import imgtool as _  # noqa: F401
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("imgtool is missing: pip install '.[test]' installs it")
        pytest.skip("imgtool not installed (pip install imgtool)")
    proc = subprocess.run([sys.executable, "-c", "from imgtool.main import imgtool; imgtool()",
                           *args], cwd=cwd, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc


@pytest.fixture(scope="module")
def keys(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("keys")
    imgtool("keygen", "-k", "sign.pem", "-t", "ed25519", cwd=d)  # fixed-size signature
    imgtool("keygen", "-k", "enc.pem", "-t", "ecdsa-p256", cwd=d)
    pub = imgtool("getpub", "-k", "enc.pem", "-e", "pem", cwd=d).stdout
    (d / "enc-pub.pem").write_text(pub)
    return d


def overhead(keys: Path, tmp: Path) -> int:
    """Header + TLV bytes imgtool adds for this key (payload-independent)."""
    (tmp / "p.bin").write_bytes(b"\x00" * 1000)
    imgtool("sign", "--version", "1.0.0", "--align", "4", "--header-size", hex(HEADER),
            "--pad-header", "--slot-size", "0x100000", "-k", str(keys / "sign.pem"), "p.bin",
            "o.bin", cwd=tmp)
    return (tmp / "o.bin").stat().st_size - 1000


def sign(keys: Path, tmp: Path, total: int, out: Path, *extra: str, slot_size=0xF4000,
         exact: bool = True) -> Path:
    """A real signed image of exactly ``total`` bytes (header + body + TLVs)."""
    body = total - overhead(keys, tmp)
    (tmp / "app.bin").write_bytes(os.urandom(body))
    out.parent.mkdir(parents=True, exist_ok=True)
    imgtool("sign", "--version", "1.2.3", "--align", "4", "--header-size", hex(HEADER),
            "--pad-header", "--slot-size", hex(slot_size), "-k", str(keys / "sign.pem"),
            *extra, "app.bin", str(out), cwd=tmp)
    assert not exact or out.suffix == ".hex" or out.stat().st_size == total
    return out


def build_copy(name: str, tmp: Path) -> Path:
    return Path(shutil.copytree(BUILDS / name, tmp / name))


def codes(build: Path) -> dict[str, list]:
    report = verify_loaded(load_build(build))
    out: dict[str, list] = {}
    for f in report.findings:
        out.setdefault(f.code, []).append(f)
    return out


# the fixture's application image is called "external_flash"
APP_SIGNED = "external_flash/zephyr/zephyr.signed.bin"


def test_image_at_the_swap_move_limit_fits(keys, tmp_path):
    build = build_copy("nrf52840dk-sysbuild", tmp_path)
    sign(keys, tmp_path, SWAP_MOVE_MAX, build / APP_SIGNED)
    found = codes(build)
    assert set(found) == {"EXF130"}
    (info,) = found["EXF130"]
    assert str(info.severity) == "info"
    assert "0xf2000 (968 KiB) of 0xf2000 (968 KiB) swap-using-move can update" in info.message
    assert "0x0 (0 B) left" in info.message


def test_image_imgtool_accepts_but_swap_move_cannot_update(keys, tmp_path):
    """imgtool checks image + trailer <= --slot-size only; swap-move also
    needs the spare sector (sdk-mcuboot swap_move.c: "Not enough free space")."""
    build = build_copy("nrf52840dk-sysbuild", tmp_path)
    sign(keys, tmp_path, SWAP_MOVE_MAX + 1, build / APP_SIGNED)  # imgtool accepts it
    found = codes(build)
    assert set(found) == {"EXF130"}
    (err,) = found["EXF130"]
    assert str(err.severity) == "error"
    assert err.message.startswith(f"{APP_SIGNED} is 0xf2001 (968.0 KiB), 0x1 (1 B) more than "
                                  "the 0xf2000 (968 KiB) swap-using-move can update")
    code, out, _ = run_cli(["verify", "-d", str(build)])
    assert code == 1 and "EXF130" in out


def test_much_too_large_image_in_dfu_zip(keys, tmp_path):
    build = build_copy("nrf52840dk-sysbuild", tmp_path)
    image = sign(keys, tmp_path, 0x100000, tmp_path / "big.bin", slot_size=0x200000)
    with zipfile.ZipFile(build / "dfu_application.zip", "w") as z:
        z.write(image, "external_flash.bin")
        z.writestr("manifest.json", json.dumps({"format-version": 0, "files": [
            {"file": "external_flash.bin", "image_index": "0", "load_address": 0xC200,
             "slot_index_primary": "1", "slot_index_secondary": "2",
             "size": image.stat().st_size}]}))
    found = codes(build)
    assert set(found) == {"EXF130"}
    assert "dfu_application.zip!external_flash.bin is 0x100000 (1 MiB), 0xe000 (56 KiB) more" \
        in found["EXF130"][0].message


def test_overwrite_only_limit_on_the_nrf5340_build(keys, tmp_path):
    build = build_copy("nrf5340dk-netcore", tmp_path)
    sign(keys, tmp_path, OVERWRITE_MAX, build / APP_SIGNED, "--overwrite-only")
    assert str(codes(build)["EXF130"][0].severity) == "info"
    # imgtool refuses this for --slot-size 0xf4000 too; signed for a larger slot
    sign(keys, tmp_path, OVERWRITE_MAX + 4, build / APP_SIGNED, "--overwrite-only",
         slot_size=0x100000)
    (err,) = codes(build)["EXF130"]
    assert str(err.severity) == "error" and "overwrite-only" in err.message


def test_hex_is_read_at_its_address(keys, tmp_path):
    build = build_copy("nrf52840dk-sysbuild", tmp_path)
    sign(keys, tmp_path, 0x20000, build / "external_flash/zephyr/zephyr.signed.hex",
         "--hex-addr", "0xc000")
    from extflash.loaders.signed_image import load_signed_images

    (image,) = load_signed_images(load_build(build))
    assert (image.hex_base, image.size, image.version) == (0xC000, 0x20000, "1.2.3+0")
    assert str(codes(build)["EXF130"][0].severity) == "info"


def test_rom_fixed_for_another_address(keys, tmp_path):
    build = build_copy("nrf52840dk-sysbuild", tmp_path)
    sign(keys, tmp_path, 0x20000, build / APP_SIGNED, "--rom-fixed", "0x10000")
    found = codes(build)
    assert set(found) == {"EXF130", "EXF131"}
    assert found["EXF131"][0].message == (
        f"{APP_SIGNED} is signed for address 0x10000 (IMAGE_F_ROM_FIXED), but mcuboot_primary "
        "starts at 0xc000")


def test_rom_fixed_required_when_mcuboot_checks_load_addresses(keys, tmp_path):
    build = build_copy("nrf52840dk-sysbuild", tmp_path)
    config = build / "mcuboot/zephyr/.config"
    config.write_text(config.read_text() + "CONFIG_MCUBOOT_CHECK_HEADER_LOAD_ADDRESS=y\n")
    sign(keys, tmp_path, 0x20000, build / APP_SIGNED)
    assert "EXF131" in codes(build)
    sign(keys, tmp_path, 0x20000, build / APP_SIGNED, "--rom-fixed", "0xc000")
    assert "EXF131" not in codes(build)


def test_encrypted_update_for_an_mcuboot_without_encryption(keys, tmp_path):
    build = build_copy("nrf52840dk-sysbuild", tmp_path)
    image = sign(keys, tmp_path, 0x20000, tmp_path / "enc.bin", "--encrypt",
                 str(keys / "enc-pub.pem"), exact=False)
    with zipfile.ZipFile(build / "dfu_application.zip", "w") as z:
        z.write(image, "external_flash.bin")
        z.writestr("manifest.json", json.dumps({"files": [
            {"file": "external_flash.bin", "image_index": "0"}]}))
    found = codes(build)
    assert set(found) == {"EXF130", "EXF132"}
    assert "is encrypted (flags 0x4) but MCUboot has no CONFIG_BOOT_ENCRYPT_IMAGE=y" \
        in found["EXF132"][0].message
    config = build / "mcuboot/zephyr/.config"
    config.write_text(config.read_text() + "CONFIG_BOOT_ENCRYPT_IMAGE=y\n")
    assert "EXF132" not in codes(build)


def test_update_file_for_a_slot_pair_the_build_does_not_have(keys, tmp_path):
    build = build_copy("nrf52840dk-sysbuild", tmp_path)
    image = sign(keys, tmp_path, 0x20000, tmp_path / "a.bin")
    with zipfile.ZipFile(build / "dfu_application.zip", "w") as z:
        z.write(image, "external_flash.bin")
        z.writestr("manifest.json", json.dumps({"files": [
            {"file": "external_flash.bin", "image_index": "1"}]}))
    found = codes(build)
    assert "EXF133" in found
    assert found["EXF133"][0].message == (
        "dfu_application.zip!external_flash.bin is image 1 in manifest.json, but the build has "
        "no slot pair for image 1 (mcuboot_primary_1, mcuboot_secondary_1)")


def test_app_file_given_the_network_core_number(keys, tmp_path):
    build = build_copy("nrf5340dk-netcore", tmp_path)
    image = sign(keys, tmp_path, 0x20000, tmp_path / "a.bin")
    with zipfile.ZipFile(build / "dfu_application.zip", "w") as z:
        z.write(image, "external_flash.bin")
        z.writestr("manifest.json", json.dumps({"files": [
            {"file": "external_flash.bin", "image_index": "1"}]}))
    found = codes(build)
    assert "EXF133" in found and "is the application (external_flash)" in \
        found["EXF133"][0].message


def test_file_that_is_not_an_image(tmp_path):
    build = build_copy("nrf52840dk-sysbuild", tmp_path)
    (build / APP_SIGNED).write_bytes(b"\x7fELF" + b"\x00" * 60)
    (err,) = codes(build)["EXF130"]
    assert str(err.severity) == "error"
    assert "magic 0x464c457f is not MCUboot's 0x96f3b83d" in err.message


def test_builds_without_signed_images_report_nothing_new():
    for name in ("nrf52840dk-sysbuild", "nrf5340dk-netcore-dts", "nrf54l15dk-dts"):
        found = codes(BUILDS / name)
        assert not {"EXF130", "EXF131", "EXF132", "EXF133"} & set(found), name


def test_explain_confirms_rom_fixed_message_with_the_signed_image(keys, tmp_path):
    """The NCS 3.4 boot message (tests/logs/boot/ncs34-rom-fixed.log) against
    a build whose MCUboot checks load addresses and whose image lacks the flag."""
    from conftest import TESTS_DIR

    build = build_copy("nrf52840dk-sysbuild", tmp_path)
    config = build / "mcuboot/zephyr/.config"
    config.write_text(config.read_text() + "CONFIG_MCUBOOT_CHECK_HEADER_LOAD_ADDRESS=y\n")
    sign(keys, tmp_path, 0x20000, build / APP_SIGNED)
    code, out, _ = run_cli(["explain", str(TESTS_DIR / "logs/boot/ncs34-rom-fixed.log"),
                            "-d", str(build)])
    assert code == 0
    assert "    EXF131 image-load-address error: external_flash/zephyr/zephyr.signed.bin: " \
           "image header: external_flash/zephyr/zephyr.signed.bin has neither " \
           "IMAGE_F_ROM_FIXED nor IMAGE_F_RAM_LOAD" in out


@pytest.mark.parametrize("payload", [
    b"not a zip",
    "no-manifest",
    "manifest-not-json",
    "manifest-a-list",
    "entry-not-a-dict",
    "file-missing",
])
def test_broken_dfu_zip_is_one_finding(payload, tmp_path):
    build = build_copy("nrf52840dk-sysbuild", tmp_path)
    target = build / "dfu_application.zip"
    if isinstance(payload, bytes):
        target.write_bytes(payload)
    else:
        with zipfile.ZipFile(target, "w") as z:
            if payload != "no-manifest":
                z.writestr("manifest.json", {
                    "manifest-not-json": "{", "manifest-a-list": "[1]",
                    "entry-not-a-dict": '{"files": [1]}',
                    "file-missing": '{"files": [{"file": "a.bin", "image_index": "0"}]}',
                }[payload])
    (err,) = codes(build)["EXF130"]
    assert str(err.severity) == "error"
    assert err.message.startswith("dfu_application.zip is not a dfu_application.zip with a "
                                  "manifest.json")


def test_map_shows_the_signed_image_against_the_largest_image(keys, tmp_path):
    build = build_copy("nrf52840dk-sysbuild", tmp_path)
    sign(keys, tmp_path, SWAP_MOVE_MAX + 0x1000, build / APP_SIGNED)
    code, out, _ = run_cli(["map", "-d", str(build), "--format", "json"])
    (g,) = json.loads(out)["geometry"]
    assert (g["image_file"], g["image_size"], g["max_image_size"]) == (
        APP_SIGNED, SWAP_MOVE_MAX + 0x1000, SWAP_MOVE_MAX)
    code, out, _ = run_cli(["map", "-d", str(build)])
    assert f"signed image {APP_SIGNED}: 0xf3000 (972 KiB), 0x1000 (4 KiB) too large" in out
    code, out, _ = run_cli(["map", "-d", str(build), "--format", "html"])
    assert "signed image is too large" in out and "largest image (swap-using-move)" in out


def test_verify_json_with_signed_image_findings_matches_the_report_schema(keys, tmp_path):
    from test_verify_cli import validate_report

    build = build_copy("nrf52840dk-sysbuild", tmp_path)
    sign(keys, tmp_path, 0x20000, build / APP_SIGNED, "--rom-fixed", "0x10000")
    code, out, _ = run_cli(["verify", "-d", str(build), "--format", "json"])
    doc = json.loads(out)
    validate_report(doc)
    assert code == 1
    assert {(f["code"], f["severity"]) for f in doc["findings"]} == {
        ("EXF130", "info"), ("EXF131", "error")}


def _dumpinfo(path: Path) -> dict:
    """imgtool's own reading of an image (``imgtool dumpinfo``): the oracle
    for the header and TLV parser."""
    out = imgtool("dumpinfo", str(path), cwd=path.parent).stdout
    fields = dict(re.findall(r"^(load_addr|hdr_size|protected_tlv_size|img_size|version):"
                             r"\s+(\S+)", out, re.M))
    flags = re.search(r"^flags:\s+.*?\(?(0x[0-9a-f]+)\)?$", out, re.M).group(1)
    areas = [int(a, 16) for a in re.findall(r"^area size: (0x[0-9a-f]+)", out, re.M)]
    types = [int(t, 16) for t in re.findall(r"type: .*\((0x[0-9a-f]+)\)", out)]
    return {"load_addr": int(fields["load_addr"], 16), "hdr_size": int(fields["hdr_size"], 16),
            "protect_tlv_size": int(fields["protected_tlv_size"], 16),
            "img_size": int(fields["img_size"], 16), "flags": int(flags, 16),
            "version": fields["version"], "tlv_types": tuple(types),
            "size": int(fields["hdr_size"], 16) + int(fields["img_size"], 16) + sum(areas)}


@pytest.mark.parametrize("extra", [
    (),
    ("--rom-fixed", "0xc000", "--security-counter", "5"),  # protected TLV area
    ("--encrypt", "ENC"),
])
def test_header_and_tlvs_read_as_imgtool_reads_them(keys, tmp_path, extra):
    from extflash.loaders.signed_image import load_file

    extra = tuple(str(keys / "enc-pub.pem") if a == "ENC" else a for a in extra)
    image = sign(keys, tmp_path, 0x3000, tmp_path / "s.bin", *extra, exact=False)
    got = load_file(image, "s.bin")
    expected = _dumpinfo(image)
    assert {k: getattr(got, k) for k in expected} == expected
