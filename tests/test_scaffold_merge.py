"""Merging into the user's files (Kconfig fragments, devicetree overlays,
owned files), lossless reading, path safety and atomic writing."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extflash.errors import AppDirError
from extflash.scaffold import kconfig_merge, overlay_merge
from extflash.scaffold.model import KconfigSpec, OverlaySpec, RawSpec, Setting
from extflash.scaffold.paths import check_app_dir, resolve_target
from extflash.scaffold.plan import _merge_raw
from extflash.scaffold.textfile import read_text

HEADER = ("Written by `west extflash init` for test/board, NCS 9.9.9.",)
SPEC = KconfigSpec("prj.conf", HEADER, (
    Setting("CONFIG_FLASH", True),
    Setting("CONFIG_SPI_NOR_FLASH_LAYOUT_PAGE_SIZE", 4096, ("4096-byte sectors",)),
    Setting("CONFIG_BOOT_MAX_IMG_SECTORS", 244, at_least=True),
))


def kmerge(old, spec=SPEC, force=False, newline="\n"):
    return kconfig_merge.merge(spec, old, newline, force)


# ---------------------------------------------------------------- Kconfig


def test_kconfig_new_file_has_header_and_settings():
    text, conflicts, forced = kmerge(None)
    assert conflicts == [] and forced == []
    assert text == ("# Written by `west extflash init` for test/board, NCS 9.9.9.\n"
                    "CONFIG_FLASH=y\n# 4096-byte sectors\n"
                    "CONFIG_SPI_NOR_FLASH_LAYOUT_PAGE_SIZE=4096\nCONFIG_BOOT_MAX_IMG_SECTORS=244\n")


def test_kconfig_keeps_user_lines_and_appends_only_missing():
    old = "# mine\nCONFIG_FLASH=y\n\n# more\nCONFIG_LOG=y\n"
    text, conflicts, _ = kmerge(old)
    assert text.startswith(old + "\n# Written by")
    assert text.count("CONFIG_FLASH=y") == 1
    assert not conflicts


def test_kconfig_all_present_is_unchanged():
    old = ("CONFIG_BOOT_MAX_IMG_SECTORS=512\nCONFIG_SPI_NOR_FLASH_LAYOUT_PAGE_SIZE=4096\n"
           "CONFIG_FLASH=y")
    text, conflicts, _ = kmerge(old)
    assert text == old and not conflicts  # no final newline added either


def test_kconfig_smaller_sector_count_is_a_conflict():
    text, conflicts, _ = kmerge("CONFIG_BOOT_MAX_IMG_SECTORS=128\n")
    assert [(c.line, c.have, c.need) for c in conflicts] == [
        (1, "CONFIG_BOOT_MAX_IMG_SECTORS=128", "CONFIG_BOOT_MAX_IMG_SECTORS=244")]


def test_kconfig_conflict_then_force_replaces_exactly_that_line():
    old = "CONFIG_A=y\r\n# CONFIG_FLASH is not set\r\nCONFIG_B=y\r\n"
    _, conflicts, _ = kmerge(old, newline="\r\n")
    assert [(c.line, c.have) for c in conflicts] == [(2, "# CONFIG_FLASH is not set")]
    text, conflicts, forced = kmerge(old, force=True, newline="\r\n")
    assert not conflicts and len(forced) == 1
    assert text.startswith("CONFIG_A=y\r\nCONFIG_FLASH=y\r\nCONFIG_B=y\r\n")
    assert "\n" not in text.replace("\r\n", "")


def test_kconfig_every_duplicate_assignment_counts():
    old = "CONFIG_FLASH=y\nCONFIG_FLASH=n\n"
    _, conflicts, _ = kmerge(old)
    assert [c.line for c in conflicts] == [2]


def test_kconfig_choice_partner_is_a_conflict_and_force_unsets_it():
    spec = KconfigSpec("sysbuild.conf", HEADER, (
        Setting("SB_CONFIG_MCUBOOT_MODE_OVERWRITE_ONLY", True,
                exclusive=("SB_CONFIG_MCUBOOT_MODE_SWAP_USING_MOVE",)),))
    old = "SB_CONFIG_MCUBOOT_MODE_SWAP_USING_MOVE=y\n"
    _, conflicts, _ = kmerge(old, spec)
    assert conflicts[0].have == "SB_CONFIG_MCUBOOT_MODE_SWAP_USING_MOVE=y"
    text, _, forced = kmerge(old, spec, force=True)
    assert text.startswith("# SB_CONFIG_MCUBOOT_MODE_SWAP_USING_MOVE is not set\n")
    assert text.rstrip().endswith("SB_CONFIG_MCUBOOT_MODE_OVERWRITE_ONLY=y")


def test_kconfig_file_without_final_newline_gets_one_before_the_block():
    text, _, _ = kmerge("CONFIG_LOG=y")
    assert text.startswith("CONFIG_LOG=y\n\n# Written by")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([
    "CONFIG_FLASH=y", "CONFIG_FLASH=n", "# comment", "", "CONFIG_LOG=y", "garbage line",
    "CONFIG_BOOT_MAX_IMG_SECTORS=300", "CONFIG_BOOT_MAX_IMG_SECTORS=12", "  CONFIG_X=\"a b\"",
]), max_size=12), st.sampled_from(["\n", "\r\n"]), st.booleans())
def test_kconfig_merge_properties(user_lines, newline, force):
    old = "".join(line + newline for line in user_lines)
    text, conflicts, forced = kmerge(old, force=force, newline=newline)
    if conflicts:
        assert not force
        return
    # every user line survives in order, unless --force replaced it
    replaced = {c.line for c in forced}
    kept = [line for n, line in enumerate(user_lines, 1) if n not in replaced]
    out_lines = text.split(newline)
    it = iter(out_lines)
    assert all(any(line == o for o in it) for line in kept)
    # merging again changes nothing
    again, conflicts2, _ = kmerge(text, force=force, newline=newline)
    assert again == text and not conflicts2


# ---------------------------------------------------------------- overlays

OSPEC = OverlaySpec("boards/b.overlay", HEADER, "mx25r64", "mx25r64")
MCUBOOT = OverlaySpec("sysbuild/mcuboot.overlay", HEADER, "mx25r64", "mx25r64", code_partition=True)


def omerge(old, spec=OSPEC, force=False, newline="\n"):
    return overlay_merge.merge(spec, old, newline, force)


def test_overlay_new_file():
    text, conflicts, _ = omerge(None)
    assert "nordic,pm-ext-flash = &mx25r64;" in text and '\tstatus = "okay";' in text
    assert text.startswith("/*\n * Written by `west extflash init`")


def test_overlay_with_our_settings_is_unchanged():
    old = ('/ { chosen { nordic,pm-ext-flash = &mx25r64; }; };\n'
           '&mx25r64 { status = "okay"; partitions { status = "disabled"; }; };\n')
    text, conflicts, _ = omerge(old)
    assert text == old and not conflicts


def test_overlay_commented_out_settings_do_not_count():
    old = '/* nordic,pm-ext-flash = &mx25r64; */\n// &mx25r64 { status = "okay"; };\n'
    text, _, _ = omerge(old)
    assert text.startswith(old) and text.count("nordic,pm-ext-flash = &mx25r64;") == 2


def test_overlay_nested_status_is_not_the_node_status():
    old = '&mx25r64 {\n\tchild { status = "okay"; };\n};\n'
    text, _, _ = omerge(old)
    assert text.startswith(old) and text.endswith('&mx25r64 {\n\tstatus = "okay";\n};\n')


def test_overlay_other_chosen_node_is_a_conflict_and_force_replaces_the_label_only():
    old = "/ {\n\tchosen {\n\t\tnordic,pm-ext-flash = &other_flash; /* mine */\n\t};\n};\n"
    text, conflicts, _ = omerge(old, OverlaySpec("o.overlay", HEADER, "mx25r64", None))
    assert text == old
    assert (conflicts[0].line, conflicts[0].have) == \
        (3, "nordic,pm-ext-flash = &other_flash; /* mine */")
    text, conflicts, forced = omerge(old, OverlaySpec("o.overlay", HEADER, "mx25r64", None),
                                     force=True)
    assert text == old.replace("&other_flash", "&mx25r64") and forced and not conflicts


def test_overlay_disabled_status_is_a_conflict():
    old = '&mx25r64 {\n\tstatus = "disabled";\n};\n'
    _, conflicts, _ = omerge(old, OverlaySpec("o.overlay", HEADER, None, "mx25r64"))
    assert conflicts[0].line == 2
    text, _, _ = omerge(old, OverlaySpec("o.overlay", HEADER, None, "mx25r64"), force=True)
    assert text == old.replace("disabled", "okay")


def test_overlay_mcuboot_code_partition_added_with_our_block_only():
    text, _, _ = omerge(None, MCUBOOT)
    assert "zephyr,code-partition = &boot_partition;" in text
    user = '/ { chosen { zephyr,code-partition = &mcuboot_part; }; };\n'
    text, _, _ = omerge(user, MCUBOOT)
    assert text.count("zephyr,code-partition") == 1


def test_overlay_merge_is_idempotent_with_crlf():
    old = "/* mine */\r\n&gpio0 { status = \"okay\"; };\r\n"
    once, _, _ = omerge(old, newline="\r\n")
    twice, _, _ = omerge(once, newline="\r\n")
    assert once == twice and once.startswith(old)
    assert "\n" not in once.replace("\r\n", "")


BOARD_DTS = """/dts-v1/;
/ {
	chosen { };
	soc {
		#address-cells = <1>;
		#size-cells = <1>;
		flash0: flash@0 {
			reg = <0x0 0x100000>;
			partitions {
				#address-cells = <1>;
				#size-cells = <1>;
				boot_partition: partition@0 { reg = <0x0 0xc000>; };
			};
		};
		qspi: qspi@1000 {
			#address-cells = <1>;
			#size-cells = <0>;
			reg = <0x1000 0x100>;
			mx25r64: mx25r6435f@0 { reg = <0>; status = "disabled"; };
		};
	};
};
"""


def test_generated_overlays_are_valid_devicetree(tmp_path):
    """dtlib parses the board stand-in plus each overlay init writes (new
    file, and merged into a user overlay) and sees the chosen and status."""
    from devicetree import dtlib

    user = "/* user */\n&qspi { status = \"okay\"; };\n"
    for spec in (OSPEC, MCUBOOT):
        for old in (None, user):
            text, _, _ = omerge(old, spec)
            dts = tmp_path / "test.dts"
            dts.write_text(BOARD_DTS + text)
            dt = dtlib.DT(str(dts))
            chosen = dt.get_node("/chosen")
            assert chosen.props["nordic,pm-ext-flash"].to_path().name == "mx25r6435f@0"
            flash = dt.get_node("/soc/qspi@1000/mx25r6435f@0")
            assert flash.props["status"].to_string() == "okay"
            if spec.code_partition:
                assert chosen.props["zephyr,code-partition"].to_path().name == "partition@0"


# ---------------------------------------------------------------- owned files


def test_raw_spec_create_equal_conflict_force():
    spec = RawSpec("boards/map.dtsi", "a\nb\n")
    assert _merge_raw(spec, None, "\n", False) == ("a\nb\n", [], [])
    assert _merge_raw(spec, "a\nb\n", "\n", False) == ("a\nb\n", [], [])
    text, conflicts, _ = _merge_raw(spec, "a\nX\n", "\n", False)
    assert text == "a\nX\n" and (conflicts[0].line, conflicts[0].have, conflicts[0].need) == \
        (2, "X", "b")
    text, conflicts, forced = _merge_raw(spec, "a\nX\n", "\n", True)
    assert text == "a\nb\n" and not conflicts and forced


# ---------------------------------------------------------------- reading and paths


def test_read_text_keeps_bom_and_refuses_other_encodings(tmp_path):
    f = tmp_path / "prj.conf"
    assert read_text(f, "prj.conf") is None
    f.write_bytes(b"\xef\xbb\xbfCONFIG_A=y\r\n")
    t = read_text(f, "prj.conf")
    assert t.bom and t.text == "CONFIG_A=y\r\n" and t.newline == "\r\n"
    f.write_bytes(b"\xff\xfeC\x00")
    with pytest.raises(AppDirError, match=r"not UTF-8 text \(byte 0xff at offset 0\)"):
        read_text(f, "prj.conf")


def _app(tmp_path: Path) -> Path:
    app = tmp_path / "app"
    app.mkdir()
    (app / "CMakeLists.txt").write_text("")
    (app / "prj.conf").write_text("")
    return app


def test_resolve_target_refuses_escape_routes(tmp_path):
    app = _app(tmp_path)
    root = check_app_dir(app)
    for rel in ("../x.conf", "/etc/passwd", "a/../../x", "a\\b"):
        with pytest.raises(AppDirError, match="leaves the application directory"):
            resolve_target(root, rel)
    (tmp_path / "outside").mkdir()
    (app / "boards").symlink_to(tmp_path / "outside")
    with pytest.raises(AppDirError, match="boards is a symlink to .*outside the application"):
        resolve_target(root, "boards/x.overlay")


def test_resolve_target_follows_symlinks_inside(tmp_path):
    app = _app(tmp_path)
    (app / "real").mkdir()
    (app / "boards").symlink_to(app / "real")
    assert resolve_target(check_app_dir(app), "boards/x.overlay") == \
        (app / "real" / "x.overlay").resolve()


def test_check_app_dir_refusals(tmp_path):
    with pytest.raises(AppDirError, match="does not exist"):
        check_app_dir(tmp_path / "nope")
    (tmp_path / "file").write_text("")
    with pytest.raises(AppDirError, match="is not a directory"):
        check_app_dir(tmp_path / "file")


def test_apply_is_atomic_and_keeps_permissions(tmp_path):
    from extflash.boards import resolve_board
    from extflash.ncs import Layout, NcsVersion
    from extflash.scaffold.apply import apply
    from extflash.scaffold.model import Request
    from extflash.scaffold.plan import make_plan

    app = _app(tmp_path)
    os.chmod(app / "prj.conf", 0o640)
    plan = make_plan(Request(app, resolve_board("nrf52840dk/nrf52840"), Layout.SYSBUILD,
                             NcsVersion(2, 9)))
    apply(plan)
    assert stat.S_IMODE((app / "prj.conf").stat().st_mode) == 0o640
    assert not [p for p in app.rglob("*") if p.name.endswith(".extflash-tmp")]
    assert (app / "sysbuild" / "mcuboot.conf").is_file()
