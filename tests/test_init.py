"""``extflash init`` end to end through the CLI (in-process), against golden
files, plus its options, refusals and exit codes.

Golden files: ``tests/golden/init/<board>--<layout>[--netcore]/`` hold every
file ``init`` creates or changes when run on a fresh copy of
``tests/fixtures/apps/hello`` (the case table ``GOLDEN`` says which board
target and NCS version each directory is for). After an intended change of
the generated content, regenerate them and review the diff::

    EXTFLASH_UPDATE_GOLDEN=1 /tmp/probe/bin/python -m pytest tests/test_init.py

(any Python with the test dependencies works; the variable makes the golden
test write instead of compare).
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
from argparse import Namespace
from pathlib import Path

import pytest

from conftest import FIXTURES, TESTS_DIR, run_cli

HELLO = FIXTURES / "apps" / "hello"
GOLDEN_DIR = TESTS_DIR / "golden" / "init"
UPDATE = os.environ.get("EXTFLASH_UPDATE_GOLDEN") == "1"

# (golden directory, board target, layout, NCS version, netcore)
GOLDEN = [
    ("nrf52840dk--sysbuild", "nrf52840dk/nrf52840", "sysbuild", "2.9.0", False),
    ("nrf52840dk--child-image", "nrf52840dk_nrf52840", "child-image", "2.6.0", False),
    ("nrf5340dk--sysbuild", "nrf5340dk/nrf5340/cpuapp", "sysbuild", "2.9.0", False),
    ("nrf5340dk--child-image", "nrf5340dk_nrf5340_cpuapp", "child-image", "2.6.0", False),
    ("nrf5340dk--sysbuild--netcore", "nrf5340dk/nrf5340/cpuapp", "sysbuild", "2.9.0", True),
    ("nrf5340dk--child-image--netcore", "nrf5340dk_nrf5340_cpuapp", "child-image", "2.6.0", True),
    ("thingy53--sysbuild", "thingy53/nrf5340/cpuapp", "sysbuild", "2.9.0", False),
    ("thingy53--child-image", "thingy53_nrf5340_cpuapp", "child-image", "2.6.0", False),
    ("thingy53--sysbuild--netcore", "thingy53/nrf5340/cpuapp", "sysbuild", "2.9.0", True),
    ("thingy53--child-image--netcore", "thingy53_nrf5340_cpuapp", "child-image", "2.6.0", True),
    ("nrf7002dk--sysbuild", "nrf7002dk/nrf5340/cpuapp", "sysbuild", "3.0.0", False),
    ("nrf7002dk--child-image", "nrf7002dk_nrf5340_cpuapp", "child-image", "2.6.0", False),
    ("nrf9160dk--sysbuild", "nrf9160dk@0.14.0/nrf9160/ns", "sysbuild", "2.9.0", False),
    ("nrf9160dk--child-image", "nrf9160dk_nrf9160_ns", "child-image", "2.6.0", False),
    ("nrf9161dk--sysbuild", "nrf9161dk/nrf9161/ns", "sysbuild", "3.2.0", False),
    ("nrf9161dk--child-image", "nrf9161dk_nrf9161_ns", "child-image", "2.6.0", False),
    ("nrf9151dk--sysbuild", "nrf9151dk/nrf9151/ns", "sysbuild", "2.9.0", False),
    ("nrf9151dk--child-image", "nrf9151dk_nrf9151_ns", "child-image", "2.6.0", False),
    ("nrf54l15dk--sysbuild", "nrf54l15dk/nrf54l15/cpuapp", "sysbuild", "2.9.0", False),
    ("nrf54l15dk--child-image", "nrf54l15dk/nrf54l15/cpuapp", "child-image", "2.9.0", False),
]


def fresh_app(tmp_path: Path, name: str = "app") -> Path:
    app = tmp_path / name
    shutil.copytree(HELLO, app)
    return app


def snapshot(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def init(app: Path, *args: str) -> tuple[int, str, str]:
    return run_cli(["init", str(app), *args])


@pytest.mark.parametrize("case", GOLDEN, ids=[c[0] for c in GOLDEN])
def test_init_golden(tmp_path, case):
    name, board, layout, version, netcore = case
    app = fresh_app(tmp_path)
    before = snapshot(app)
    code, out, err = init(app, "-b", board, "--layout", layout, "--ncs-version", version,
                          *(["--netcore"] if netcore else []))
    assert code == 0, err
    after = snapshot(app)
    written = sorted(p for p in after if before.get(p) != after[p])
    golden = GOLDEN_DIR / name
    if UPDATE:
        shutil.rmtree(golden, ignore_errors=True)
        for rel in written:
            (golden / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(app / rel, golden / rel)
    expected = sorted(p.relative_to(golden).as_posix() for p in golden.rglob("*") if p.is_file())
    assert written == expected
    for rel in written:
        assert (app / rel).read_bytes() == (golden / rel).read_bytes(), rel
    # every file init wrote says so, for which board and generation
    for rel in written:
        text = (app / rel).read_text()
        assert "Written by `west extflash init` for" in text, rel
        assert f"NCS {version}" in text, rel


@pytest.mark.parametrize("case", GOLDEN, ids=[c[0] for c in GOLDEN])
def test_init_second_run_changes_nothing(tmp_path, case):
    _, board, layout, version, netcore = case
    app = fresh_app(tmp_path)
    args = ["-b", board, "--layout", layout, "--ncs-version", version]
    args += ["--netcore"] if netcore else []
    assert init(app, *args)[0] == 0
    first = snapshot(app)
    mtimes = {p: (app / p).stat().st_mtime_ns for p in first}
    code, out, _ = init(app, *args)
    assert code == 0
    assert snapshot(app) == first
    assert {p: (app / p).stat().st_mtime_ns for p in first} == mtimes
    assert "nothing to do" in out
    assert "created" not in out and "updated" not in out


def test_init_keeps_every_user_line_in_order(tmp_path):
    app = fresh_app(tmp_path)
    user = "# my comment\nCONFIG_PRINTK=y\n\nCONFIG_LOG=y # trailing text stays\nCONFIG_FLASH=y\n"
    (app / "prj.conf").write_text(user)
    assert init(app, "-b", "nrf52840dk/nrf52840", "--ncs-version", "2.9.0")[0] == 0
    text = (app / "prj.conf").read_text()
    assert text.startswith(user)
    added = text[len(user):]
    assert "CONFIG_FLASH=y" not in added  # already there with the same value
    assert "CONFIG_NORDIC_QSPI_NOR=y" in added


def test_init_conflict_writes_nothing_and_lists_file_and_line(tmp_path):
    app = fresh_app(tmp_path)
    (app / "prj.conf").write_text("CONFIG_PRINTK=y\nCONFIG_NORDIC_QSPI_NOR=n\n")
    (app / "sysbuild.conf").write_text("SB_CONFIG_BOOTLOADER_MCUBOOT=y\n")
    before = snapshot(app)
    code, out, err = init(app, "-b", "nrf52840dk/nrf52840", "--ncs-version", "2.9.0")
    assert code == 1
    assert snapshot(app) == before
    assert ("prj.conf:2: you have `CONFIG_NORDIC_QSPI_NOR=n`, "
            "init needs `CONFIG_NORDIC_QSPI_NOR=y`") in out
    assert "nothing was written" in err
    assert "Traceback" not in err


def test_init_force_replaces_only_the_conflicting_line(tmp_path):
    app = fresh_app(tmp_path)
    (app / "prj.conf").write_text("CONFIG_PRINTK=y\nCONFIG_NORDIC_QSPI_NOR=n\n# end\n")
    code, out, _ = init(app, "-b", "nrf52840dk/nrf52840", "--ncs-version", "2.9.0", "--force")
    assert code == 0
    lines = (app / "prj.conf").read_text().splitlines()
    assert lines[:3] == ["CONFIG_PRINTK=y", "CONFIG_NORDIC_QSPI_NOR=y", "# end"]
    assert lines.count("CONFIG_NORDIC_QSPI_NOR=y") == 1
    assert "prj.conf:2: replaced `CONFIG_NORDIC_QSPI_NOR=n` with `CONFIG_NORDIC_QSPI_NOR=y`" in out


def test_init_dry_run_prints_a_diff_and_writes_nothing(tmp_path):
    app = fresh_app(tmp_path)
    before = snapshot(app)
    code, out, _ = init(app, "-b", "nrf9160dk/nrf9160/ns", "--ncs-version", "2.9.0", "-n")
    assert code == 0
    assert snapshot(app) == before
    assert "--- /dev/null\n+++ b/sysbuild.conf\n" in out
    assert "--- a/prj.conf\n+++ b/prj.conf\n" in out
    assert "+CONFIG_SPI_NOR=y\n" in out
    assert "+\tstatus = \"okay\";\n" in out
    assert "nothing was written" in out


def test_init_sector_count_is_computed_not_constant(tmp_path):
    expected = {
        "nrf52840dk/nrf52840": 244,  # (0x100000 - 0xc000) / 4096
        # MCUboot with the SPI NOR driver is 0x14000 under Partition Manager (sdk-mcuboot@0b2b291
        # boot/zephyr/boards/nrf54l15dk_nrf54l15_cpuapp_ext_flash.conf): (0x17d000 - 0x14000) / 4096
        "nrf54l15dk/nrf54l15/cpuapp": 361,
    }
    for board, sectors in expected.items():
        app = fresh_app(tmp_path, board.replace("/", "_"))
        assert init(app, "-b", board, "--ncs-version", "3.2.0")[0] == 0
        text = (app / "sysbuild/mcuboot.conf").read_text()
        assert f"CONFIG_BOOT_MAX_IMG_SECTORS={sectors}\n" in text


def test_init_spi_nor_lines_depend_on_the_ncs_range(tmp_path):
    old, new = fresh_app(tmp_path, "old"), fresh_app(tmp_path, "new")
    assert init(old, "-b", "nrf9151dk/nrf9151/ns", "--ncs-version", "3.0.0")[0] == 0
    assert init(new, "-b", "nrf9151dk/nrf9151/ns", "--ncs-version", "3.1.0")[0] == 0
    assert "SB_CONFIG_PM_OVERRIDE_EXTERNAL_DRIVER_CHECK=y" in (old / "sysbuild.conf").read_text()
    assert "CONFIG_MULTITHREADING=y" in (old / "sysbuild/mcuboot.conf").read_text()
    assert "OVERRIDE" not in (new / "sysbuild.conf").read_text()
    assert "MULTITHREADING" not in (new / "sysbuild/mcuboot.conf").read_text()


def test_init_qspi_board_needs_no_driver_override(tmp_path):
    app = fresh_app(tmp_path)
    assert init(app, "-b", "nrf5340dk/nrf5340/cpuapp", "--ncs-version", "2.8.0")[0] == 0
    assert "OVERRIDE" not in (app / "sysbuild.conf").read_text()
    assert "MULTITHREADING" not in (app / "sysbuild/mcuboot.conf").read_text()


def test_init_preserves_crlf_line_endings(tmp_path):
    app = fresh_app(tmp_path)
    (app / "prj.conf").write_bytes(b"CONFIG_PRINTK=y\r\n# mine\r\n")
    assert init(app, "-b", "nrf52840dk/nrf52840", "--ncs-version", "2.9.0")[0] == 0
    data = (app / "prj.conf").read_bytes()
    assert data.startswith(b"CONFIG_PRINTK=y\r\n# mine\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")


def test_init_refuses_non_utf8_file(tmp_path):
    app = fresh_app(tmp_path)
    (app / "prj.conf").write_bytes(b"CONFIG_PRINTK=y\n# caf\xe9\n")
    before = snapshot(app)
    code, out, err = init(app, "-b", "nrf52840dk/nrf52840")
    assert code == 2
    assert "prj.conf is not UTF-8 text (byte 0xe9" in err
    assert len(err.strip().splitlines()) == 1
    assert snapshot(app) == before


@pytest.mark.parametrize("missing", ["CMakeLists.txt", "prj.conf"])
def test_init_refuses_a_directory_that_is_not_an_application(tmp_path, missing):
    app = fresh_app(tmp_path)
    (app / missing).unlink()
    code, out, err = init(app, "-b", "nrf52840dk/nrf52840")
    assert code == 2
    assert f"not a Zephyr application: {missing} missing" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_init_board_without_external_flash_names_the_custom_options(tmp_path):
    code, _, err = init(fresh_app(tmp_path), "-b", "nrf21540dk/nrf52840")
    assert code == 2
    for option in ("--flash-node", "--driver", "--flash-size", "--erase-block"):
        assert option in err


def test_init_nrf9160dk_revision_0_7_0_is_refused(tmp_path):
    code, _, err = init(fresh_app(tmp_path), "-b", "nrf9160dk@0.7.0/nrf9160/ns")
    assert code == 2
    assert "only from board revision 0.14.0" in err


def test_init_custom_board(tmp_path):
    app = fresh_app(tmp_path)
    code, out, err = init(app, "-b", "myboard/nrf52840", "--flash-node", "w25q32",
                          "--driver", "spi", "--flash-size", "4M", "--erase-block", "4096",
                          "--soc", "nrf52840", "--ncs-version", "3.2.0")
    assert code == 0, err
    overlay = (app / "boards/myboard_nrf52840.overlay").read_text()
    assert "nordic,pm-ext-flash = &w25q32;" in overlay and 'status = "okay";' in overlay
    mcuboot = (app / "sysbuild/mcuboot.conf").read_text()
    assert "CONFIG_SPI_NOR=y" in mcuboot and "SFDP_DEVICETREE" not in mcuboot
    assert "CONFIG_BOOT_MAX_IMG_SECTORS=244" in mcuboot


def test_init_custom_board_needs_all_four_options(tmp_path):
    code, _, err = init(fresh_app(tmp_path), "-b", "myboard/nrf52840", "--flash-node", "w25q32")
    assert code == 2
    assert "--driver, --flash-size, --erase-block missing" in err


def test_init_netcore_only_for_nrf5340(tmp_path):
    code, _, err = init(fresh_app(tmp_path), "-b", "nrf52840dk/nrf52840", "--netcore")
    assert code == 2 and "--netcore" in err and "nRF5340" in err


def test_init_netcore_sysbuild_needs_ncs_2_8(tmp_path):
    code, _, err = init(fresh_app(tmp_path), "-b", "nrf5340dk/nrf5340/cpuapp", "--netcore",
                        "--ncs-version", "2.7.0", "--layout", "sysbuild")
    assert code == 2 and "SB_CONFIG_MCUBOOT_NRF53_MULTI_IMAGE_UPDATE" in err


def test_init_netcore_sectors_cover_both_slots(tmp_path):
    app = fresh_app(tmp_path)
    code = init(app, "-b", "nrf5340dk/nrf5340/cpuapp", "--netcore", "--ncs-version", "2.9.0")[0]
    assert code == 0
    text = (app / "sysbuild/mcuboot.conf").read_text()
    assert "network core slot = 0x40000 (256 KiB)" in text
    assert "CONFIG_BOOT_MAX_IMG_SECTORS=244" in text


def test_init_child_image_refused_from_ncs_3_0(tmp_path):
    code, _, err = init(fresh_app(tmp_path), "-b", "nrf52840dk/nrf52840",
                        "--layout", "child-image", "--ncs-version", "3.0.0")
    assert code == 2 and "removed in NCS 3.0.0" in err


def test_init_child_image_on_2_8_warns_deprecated(tmp_path):
    app = fresh_app(tmp_path)
    code, out, err = init(app, "-b", "nrf52840dk/nrf52840", "--layout", "child-image",
                          "--ncs-version", "2.8.0")
    assert code == 0
    assert "WARNING: child images are deprecated in NCS 2.8.0" in err
    assert "west build -b nrf52840dk/nrf52840 --no-sysbuild -p" in out


def test_init_next_command_uses_the_generation_spelling(tmp_path):
    app = fresh_app(tmp_path)
    _, out, _ = run_cli(["init", "-b", "nrf9160dk_nrf9160_ns", "--layout", "child-image",
                         "--ncs-version", "2.6.0"], cwd=app)
    assert "next: west build -b nrf9160dk_nrf9160_ns@0.14.0 -p\n" in out
    _, out, _ = run_cli(["init", "-b", "nrf9160dk_nrf9160_ns", "--ncs-version", "2.9.0"], cwd=app)
    assert "next: west build -b nrf9160dk/nrf9160/ns --sysbuild -p\n" in out


def test_init_app_dir_outside_cwd_is_named_in_next_command(tmp_path):
    fresh_app(tmp_path)
    _, out, _ = run_cli(["init", "--app", "app", "-b", "nrf52840dk/nrf52840"], cwd=tmp_path)
    assert "next: west build -b nrf52840dk/nrf52840 --sysbuild -p always app\n" in out


def _run_with_context(app: Path, argv: list[str], env=None, config=None):
    from extflash.command import dispatch
    from extflash.command.context import Context
    from extflash.command.output import Output
    from extflash.command.parser import standalone_parser

    out, err = io.StringIO(), io.StringIO()
    args = standalone_parser().parse_args(argv)
    ctx = Context(out=Output(out, err, color=False), cwd=app, env=env or {},
                  config=config or (lambda option: None), topdir=app.parent)
    return dispatch.run(args, ctx), out.getvalue(), err.getvalue()


def test_init_board_from_env_then_west_config(tmp_path):
    app = fresh_app(tmp_path)
    code, out, _ = _run_with_context(app, ["init", "-n"], env={"BOARD": "nrf9151dk/nrf9151/ns"},
                                     config=lambda o: "nrf52840dk/nrf52840")
    assert code == 0 and "board from $BOARD" in out and "nrf9151dk" in out
    code, out, _ = _run_with_context(app, ["init", "-n"],
                                     config=lambda o: "nrf52840dk/nrf52840" if o == "build.board"
                                     else None)
    assert code == 0 and "board from west config build.board" in out


def test_init_without_board_is_a_usage_error(tmp_path):
    code, _, err = _run_with_context(fresh_app(tmp_path), ["init"])
    assert code == 2 and "no board given" in err and "build.board" in err


def test_init_layout_auto_follows_the_workspace_version(tmp_path):
    app = fresh_app(tmp_path)
    (tmp_path / "nrf").mkdir()
    (tmp_path / "nrf" / "VERSION").write_text("2.6.0\n")
    code, out, _ = _run_with_context(app, ["init", "-b", "nrf52840dk_nrf52840", "-n"])
    assert code == 0
    assert "layout child-image (auto)" in out and "from " + str(tmp_path / "nrf" / "VERSION") in out
    (tmp_path / "nrf" / "VERSION").write_text("3.2.99\n")
    code, out, _ = _run_with_context(app, ["init", "-b", "nrf52840dk_nrf52840", "-n"])
    assert code == 0 and "layout sysbuild (auto)" in out


def test_init_sysbuild_on_3_4_keeps_partition_manager_on_and_warns(tmp_path):
    app = fresh_app(tmp_path)
    code, _, err = init(app, "-b", "nrf52840dk/nrf52840", "--layout", "sysbuild",
                        "--ncs-version", "3.4.0")
    assert code == 0
    assert "SB_CONFIG_PARTITION_MANAGER=y" in (app / "sysbuild.conf").read_text()
    assert "Partition Manager is deprecated" in err


def test_init_unknown_layout_module_is_a_clear_usage_error(tmp_path, monkeypatch):
    from extflash.ncs import Layout
    from extflash.scaffold import layouts

    monkeypatch.setitem(layouts.LAYOUTS, Layout.DTS, "extflash.scaffold.layouts.no_such_layout")
    code, _, err = init(fresh_app(tmp_path), "-b", "nrf52840dk/nrf52840", "--layout", "dts",
                        "--ncs-version", "3.4.0")
    assert code == 2
    assert "is not available in this version of west extflash" in err


def test_init_read_only_app_dir_is_one_line_exit_2(tmp_path, monkeypatch):
    """Simulated with a failing os.replace (tests may run as root, which
    ignores permission bits); the real case is below."""
    import extflash.scaffold.apply as apply_mod

    app = fresh_app(tmp_path)
    before = snapshot(app)

    def refuse(*_args, **_kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(apply_mod.os, "replace", refuse)
    code, _, err = init(app, "-b", "nrf52840dk/nrf52840")
    assert code == 2
    assert "is read-only" in err and len(err.strip().splitlines()) == 1
    assert snapshot(app) == before  # no temporary file left behind


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root ignores modes")
def test_init_read_only_app_dir_really(tmp_path):
    app = fresh_app(tmp_path)
    before = snapshot(app)
    app.chmod(0o555)
    try:
        code, _, err = init(app, "-b", "nrf52840dk/nrf52840")
    finally:
        app.chmod(0o755)
    assert code == 2 and "read-only" in err and "nothing was written" in err
    assert snapshot(app) == before


def test_init_refuses_symlink_out_of_the_app(tmp_path):
    app = fresh_app(tmp_path)
    outside = tmp_path / "elsewhere.conf"
    outside.write_text("SB_CONFIG_BOOTLOADER_MCUBOOT=y\n")
    (app / "sysbuild.conf").symlink_to(outside)
    code, _, err = init(app, "-b", "nrf52840dk/nrf52840")
    assert code == 2
    assert "sysbuild.conf is a symlink to" in err and "outside the application directory" in err
    assert outside.read_text() == "SB_CONFIG_BOOTLOADER_MCUBOOT=y\n"


def test_init_follows_symlink_inside_the_app(tmp_path):
    app = fresh_app(tmp_path)
    (app / "conf").mkdir()
    real = app / "conf" / "prj.conf"
    (app / "prj.conf").rename(real)
    (app / "prj.conf").symlink_to(Path("conf") / "prj.conf")
    assert init(app, "-b", "nrf52840dk/nrf52840")[0] == 0
    assert (app / "prj.conf").is_symlink()
    assert "CONFIG_NORDIC_QSPI_NOR=y" in real.read_text()


def test_init_refuses_a_board_name_that_is_a_path(tmp_path):
    app = fresh_app(tmp_path)
    code, _, err = init(app, "-b", "../../etc/passwd", "--flash-node", "x", "--driver", "spi",
                        "--flash-size", "8M", "--erase-block", "4096")
    assert code == 2 and "looks like a path" in err
    assert not (tmp_path / "etc").exists()


def test_init_writes_through_the_library_without_printing(tmp_path, capsys):
    """The scaffold package returns data; only command/ prints."""
    from extflash.boards import resolve_board
    from extflash.ncs import Layout, NcsVersion
    from extflash.scaffold.apply import apply
    from extflash.scaffold.model import Request, Status
    from extflash.scaffold.plan import make_plan

    app = fresh_app(tmp_path)
    request = Request(app, resolve_board("nrf9161dk/nrf9161/ns"), Layout.SYSBUILD,
                      NcsVersion.parse("3.2.0"))
    plan = make_plan(request)
    assert {ch.path: ch.status for ch in plan.changes}["prj.conf"] is Status.UPDATE
    apply(plan)
    assert capsys.readouterr() == ("", "")
    assert plan.next_command == "west build -b nrf9161dk/nrf9161/ns --sysbuild -p"


def test_init_args_namespace_matches_the_parser():
    """run_init reads these attributes; the parser must keep providing them."""
    from extflash.command.parser import standalone_parser

    args = standalone_parser().parse_args(["init"])
    wanted = {"app_dir", "app_opt", "board", "layout", "ncs_version", "netcore", "flash_node",
              "driver", "flash_size", "erase_block", "dry_run", "force"}
    assert wanted <= set(vars(args))
    assert isinstance(args, Namespace)


def test_init_small_sector_count_conflict_says_or_more(tmp_path):
    app = fresh_app(tmp_path)
    (app / "sysbuild").mkdir()
    (app / "sysbuild/mcuboot.conf").write_text("CONFIG_BOOT_MAX_IMG_SECTORS=128\n")
    code, out, _ = init(app, "-b", "nrf52840dk/nrf52840")
    assert code == 1
    assert ("sysbuild/mcuboot.conf:1: you have `CONFIG_BOOT_MAX_IMG_SECTORS=128`, init needs "
            "`CONFIG_BOOT_MAX_IMG_SECTORS=244` (or more)") in out
    (app / "sysbuild/mcuboot.conf").write_text("CONFIG_BOOT_MAX_IMG_SECTORS=2048\n")
    code, out, _ = init(app, "-b", "nrf52840dk/nrf52840")
    assert code == 0
    assert "CONFIG_BOOT_MAX_IMG_SECTORS=244" not in (app / "sysbuild/mcuboot.conf").read_text()
