"""Hostile input for `init`: odd encodings, symlinks out of the application,
files where directories belong (and the reverse), read-only directories,
FIFOs, huge files and board names that try to escape. Every case runs the
real command in-process and asserts: the exit code; on exit 2 exactly one
`FATAL ERROR:` line naming the file (or the board) and what is wrong; no
traceback; and that not one byte changed, inside or outside the
application. Cases where the input is odd but fine assert the user's lines
are kept instead.
"""

from __future__ import annotations

import codecs
import os
import shutil
from pathlib import Path

import pytest
from hostile_guard import no_internal_error  # noqa: F401  (autouse)

from conftest import FIXTURES, run_cli

HELLO = FIXTURES / "apps" / "hello"
BOARD = ["-b", "nrf52840dk/nrf52840", "--layout", "sysbuild", "--ncs-version", "2.9.0"]
OVERLAY = "boards/nrf52840dk_nrf52840.overlay"
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def tree(root: Path) -> dict[str, bytes | str]:
    """Every entry under root: file bytes, or the target of a symlink."""
    out: dict[str, bytes | str] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            rel = p.relative_to(root).as_posix()
            if p.is_symlink():
                out[rel] = "-> " + os.readlink(p)
            elif p.is_file():
                out[rel] = p.read_bytes()
            elif not p.is_dir():
                out[rel] = "special"
    return out


@pytest.fixture
def app(tmp_path) -> Path:
    a = tmp_path / "app"
    shutil.copytree(HELLO, a)
    return a


def refused(app: Path, names: str | list[str], *, argv=None, outside: Path | None = None,
            code: int = 2) -> str:
    """Run init; assert it refused with one clear line and changed nothing."""
    before = tree(app.parent)
    c, out, err = run_cli(argv or ["init", *BOARD, str(app)])
    lines = [line for line in err.splitlines() if line.strip()]
    assert c == code, (c, out, err)
    assert "Traceback" not in out + err and "internal error" not in err, err
    if code == 2:
        assert len(lines) == 1, err
        assert lines[0].startswith("FATAL ERROR: "), err
    for name in [names] if isinstance(names, str) else names:
        assert name in err + out, (name, err)
    assert tree(app.parent) == before, "a refused run changed something"
    return err


# --------------------------------------------------------- odd encodings

ENCODED = {
    "utf-16-bom": "CONFIG_PRINTK=y\n".encode("utf-16"),
    "utf-16-le-no-bom": "CONFIG_PRINTK=y\n".encode("utf-16-le"),
    "utf-16-be-no-bom": "CONFIG_PRINTK=y\n".encode("utf-16-be"),
    "utf-32": "CONFIG_PRINTK=y\n".encode("utf-32"),
    "latin-1": "# Gr\u00fc\u00dfe aus K\u00f6ln\nCONFIG_PRINTK=y\n".encode("latin-1"),
    "cp1252-quotes": "# \u201csmart\u201d quotes\nCONFIG_PRINTK=y\n".encode("cp1252"),
    "shift-jis": "# \u8a2d\u5b9a\nCONFIG_PRINTK=y\n".encode("shift_jis"),
    "truncated-utf8": b"# caf\xc3\nCONFIG_PRINTK=y\n",
    "utf8-overlong": b"# \xc0\xaf\nCONFIG_PRINTK=y\n",
    "utf8-surrogate": b"# \xed\xa0\x80\nCONFIG_PRINTK=y\n",
    "nul-bytes": b"CONFIG_PRINTK=y\n\x00\x00\n",
    "binary-junk": bytes(range(256)) * 4,
}


@pytest.mark.parametrize("target", ["prj.conf", "sysbuild.conf", "sysbuild/mcuboot.conf",
                                    OVERLAY, "sysbuild/mcuboot.overlay"])
@pytest.mark.parametrize("kind", sorted(ENCODED))
def test_existing_file_in_an_odd_encoding_is_refused_untouched(app, target, kind):
    (app / target).parent.mkdir(parents=True, exist_ok=True)
    (app / target).write_bytes(ENCODED[kind])
    err = refused(app, target)
    assert "UTF-8" in err or "NUL" in err or "binary" in err


@pytest.mark.parametrize("target", ["prj.conf", "sysbuild.conf", OVERLAY])
def test_utf8_bom_is_kept_and_lines_stay(app, target):
    (app / target).parent.mkdir(parents=True, exist_ok=True)
    old = (app / target).read_bytes() if (app / target).exists() else b"# mine\n"
    (app / target).write_bytes(codecs.BOM_UTF8 + old)
    code, out, err = run_cli(["init", *BOARD, str(app)])
    assert code == 0, err
    new = (app / target).read_bytes()
    assert new.startswith(codecs.BOM_UTF8) and not new.startswith(codecs.BOM_UTF8 * 2)
    assert new[3:].startswith(old)


@pytest.mark.parametrize("ending", ["\r\n", "\r", "\n"], ids=["crlf", "cr", "lf"])
@pytest.mark.parametrize("final", [True, False], ids=["final-newline", "no-final-newline"])
def test_line_endings_and_missing_final_newline_keep_every_line(app, ending, final):
    lines = ["# mine", "CONFIG_PRINTK=y", "CONFIG_PRINTK=y", "not a kconfig line", "",
             "CONFIG_MY_THING=\"x\""]
    text = ending.join(lines) + (ending if final else "")
    (app / "prj.conf").write_bytes(text.encode())
    code, out, err = run_cli(["init", *BOARD, str(app)])
    assert code == 0, err
    new = (app / "prj.conf").read_bytes().decode()
    assert new.startswith(text)  # every byte the user had, then our block
    assert run_cli(["init", *BOARD, str(app)])[0] == 0
    assert (app / "prj.conf").read_bytes().decode() == new


def test_duplicate_conflicting_assignments_are_a_conflict(app):
    with open(app / "prj.conf", "a") as f:
        f.write("CONFIG_NORDIC_QSPI_NOR=y\nCONFIG_NORDIC_QSPI_NOR=n\n")
    refused(app, ["prj.conf", "CONFIG_NORDIC_QSPI_NOR"], code=1)


# ------------------------------------------------------------- symlinks


@pytest.fixture
def outside(tmp_path) -> Path:
    o = tmp_path / "outside"
    o.mkdir()
    (o / "secret.conf").write_text("CONFIG_SECRET=y\n")
    return o


@pytest.mark.parametrize("target", ["sysbuild.conf", "prj.conf", "sysbuild/mcuboot.conf",
                                    OVERLAY])
def test_target_file_symlinked_outside_is_refused(app, outside, target):
    (app / target).parent.mkdir(parents=True, exist_ok=True)
    if (app / target).exists():
        (app / target).unlink()
    os.symlink(outside / "secret.conf", app / target)
    refused(app, [target, "outside the application directory"])
    assert (outside / "secret.conf").read_text() == "CONFIG_SECRET=y\n"


@pytest.mark.parametrize("directory", ["sysbuild", "boards"])
def test_target_directory_symlinked_outside_is_refused(app, outside, directory):
    os.symlink(outside, app / directory)
    refused(app, [directory, "outside the application directory"])
    assert sorted(p.name for p in outside.iterdir()) == ["secret.conf"]


def test_relative_symlink_climbing_out_is_refused(app, outside):
    os.symlink("../outside/secret.conf", app / "sysbuild.conf")
    refused(app, ["sysbuild.conf", "outside"])


def test_dangling_symlink_to_outside_is_refused(app, outside):
    os.symlink(outside / "does-not-exist.conf", app / "sysbuild.conf")
    refused(app, ["sysbuild.conf", "outside"])
    assert not (outside / "does-not-exist.conf").exists()


def test_symlink_loop_is_refused(app):
    os.symlink("sysbuild.conf", app / "sysbuild.conf")
    refused(app, "sysbuild.conf")


def test_symlink_inside_the_app_is_followed_and_kept(app):
    (app / "conf").mkdir()
    (app / "conf" / "sysbuild.conf").write_text("# shared\n")
    os.symlink("conf/sysbuild.conf", app / "sysbuild.conf")
    code, out, err = run_cli(["init", *BOARD, str(app)])
    assert code == 0, err
    assert (app / "sysbuild.conf").is_symlink()
    assert (app / "conf" / "sysbuild.conf").read_text().startswith("# shared\n")


# ---------------------------------- wrong kinds of files and directories


@pytest.mark.parametrize("directory", ["sysbuild", "boards"])
def test_a_file_where_a_directory_belongs(app, directory):
    (app / directory).write_text("I am a file\n")
    refused(app, directory)


@pytest.mark.parametrize("target", ["sysbuild.conf", OVERLAY, "sysbuild/mcuboot.conf"])
def test_a_directory_where_a_file_belongs(app, target):
    (app / target).mkdir(parents=True)
    refused(app, [target, "directory"])


@pytest.mark.timeout(20)
@pytest.mark.parametrize("target", ["sysbuild.conf", OVERLAY])
def test_a_fifo_where_a_file_belongs_does_not_hang(app, target):
    (app / target).parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(app / target)
    refused(app, [target, "not a regular file"])


@pytest.mark.timeout(20)
@pytest.mark.parametrize("target", ["prj.conf", "sysbuild.conf", OVERLAY])
def test_a_100_mb_file_is_refused_without_reading_it(app, target):
    (app / target).parent.mkdir(parents=True, exist_ok=True)
    with open(app / target, "wb") as f:  # sparse: 100 MB without using the disk
        f.truncate(100 << 20)
    refused(app, [target, "MiB"])


@pytest.mark.parametrize("setup", ["missing", "file", "no-prj", "no-cmake", "prj-dir"])
def test_not_an_application(tmp_path, setup):
    a = tmp_path / "app"
    if setup == "file":
        a.write_text("x")
    elif setup != "missing":
        shutil.copytree(HELLO, a)
        if setup == "no-prj":
            (a / "prj.conf").unlink()
        elif setup == "no-cmake":
            (a / "CMakeLists.txt").unlink()
        elif setup == "prj-dir":
            (a / "prj.conf").unlink()
            (a / "prj.conf").mkdir()
    tmp_path.joinpath("marker").write_text("")
    refused(tmp_path / "app", "app", argv=["init", *BOARD, str(a)])


def test_read_only_application_directory(app, monkeypatch):
    """chmod 555 stops a normal user; root ignores modes, so as root the
    same refusal is driven through os.access, which apply consults first."""
    if IS_ROOT:
        real_access = os.access
        blocked = str(app.resolve())

        def access(path, mode, *args, **kwargs):
            if mode & os.W_OK and os.path.realpath(path).startswith(blocked):
                return False
            return real_access(path, mode, *args, **kwargs)

        monkeypatch.setattr(os, "access", access)
    else:
        os.chmod(app, 0o555)
    try:
        refused(app, ["read-only", "nothing was written"])
    finally:
        os.chmod(app, 0o755)


def test_read_only_subdirectory(app, monkeypatch):
    (app / "sysbuild").mkdir()
    if IS_ROOT:
        real_access = os.access
        blocked = str((app / "sysbuild").resolve())
        monkeypatch.setattr(os, "access", lambda p, m, *a, **k: False if (
            m & os.W_OK and os.path.realpath(p) == blocked) else real_access(p, m, *a, **k))
    else:
        os.chmod(app / "sysbuild", 0o555)
    try:
        refused(app, ["sysbuild", "read-only"])
    finally:
        os.chmod(app / "sysbuild", 0o755)


# ------------------------------------------------------------ board names

BAD_BOARDS = [
    "../../etc/passwd", "nrf52840dk/../../..", "/etc/passwd", "nrf52840dk\\nrf52840",
    "..", ".", "", " ", "nrf52840dk//nrf52840", "nrf52840dk/nrf52840/../nrf5340",
    "nrf52840dk/nrf52840/", "/nrf52840dk/nrf52840", "a" * 5000, "nrf52840dk@/nrf52840",
    "nrf52840dk@../../x/nrf52840", "\U0001f4a5", "nrf52840dk\nnrf52840", "nrf52840dk\tnrf52840",
    "nrf52840dk@0.14.0@1/nrf52840", "~/nrf52840dk", "$HOME", "nrf52840dk;rm -rf /",
    "NRF52840DK/NRF52840", "nrf52840dk/nrf52840/ns/extra/parts",
]


@pytest.mark.parametrize("board", BAD_BOARDS, ids=range(len(BAD_BOARDS)))
def test_hostile_board_names_are_refused_cleanly(app, board):
    before = tree(app.parent)
    code, out, err = run_cli(["init", "-b", board, "--ncs-version", "2.9.0", str(app)])
    lines = [line for line in err.splitlines() if line.strip()]
    assert code == 2, (board, code, out, err)
    assert len(lines) == 1 and lines[0].startswith("FATAL ERROR: "), err
    assert "Traceback" not in err and "internal error" not in err
    assert len(lines[0]) < len(board) + 600, "one line: the board name and a hint"
    assert tree(app.parent) == before
    assert not list(app.parent.parent.glob("etc*"))
