"""Issue 12 classes: bounded work, nothing read from outside the build,
every failure an answer, init all-or-nothing, output hygiene. One test (or
parameter) per hostile input; each asserts the exact outcome: the exit
code, the one FATAL ERROR line and the file it names, and for init that
not one byte of the application changed (or exactly what changed).

The expected outcomes are hand-written from the issue's "what to build";
nothing here is produced by the code under test.
"""

from __future__ import annotations

import os
import resource
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hostile_guard import no_internal_error  # noqa: F401  (autouse)

from conftest import FIXTURES, REPO_ROOT, run_cli

HERE = Path(__file__).resolve().parent
APP = "external_flash"
DTS = f"{APP}/zephyr/zephyr.dts"
HELLO = FIXTURES / "apps" / "hello"
BOARD = ["-b", "nrf52840dk/nrf52840", "--layout", "sysbuild", "--ncs-version", "2.9.0"]
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
SECRET = "AKIA-EXTFLASH-CANARY-7f3a9c"  # must never appear in any output


# ------------------------------------------------------------------ helpers


@pytest.fixture(scope="module")
def clean_build(tmp_path_factory) -> Path:
    from fixturegen import FIXTURES as BUILDS
    from fixturegen import write_build

    path = write_build(tmp_path_factory.mktemp("issue12") / "clean",
                       BUILDS["nrf52840dk-sysbuild"]())
    assert run_cli(["verify", "-d", str(path)])[0] == 0
    return path


@pytest.fixture
def build(clean_build, tmp_path) -> Path:
    dest = tmp_path / "build"
    shutil.copytree(clean_build, dest, symlinks=True)
    return dest


@pytest.fixture
def app(tmp_path) -> Path:
    a = tmp_path / "app"
    shutil.copytree(HELLO, a)
    return a


def tree(root: Path) -> dict[str, bytes | str]:
    out: dict[str, bytes | str] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in sorted(dirnames + filenames):
            p = Path(dirpath) / name
            rel = p.relative_to(root).as_posix()
            if p.is_symlink():
                out[rel] = "-> " + os.readlink(p)
            elif p.is_file():
                out[rel] = p.read_bytes()
            elif p.is_dir():
                out[rel] = "dir"
            else:
                out[rel] = "special"
    return out


def fatal(result, code: int, *names: str) -> str:
    """exit ``code``, exactly one FATAL ERROR line on stderr naming every one
    of ``names``; no traceback, no internal error. Returns the line."""
    c, out, err = result
    assert c == code, (c, out, err)
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("FATAL ERROR: "), err
    assert "internal error" not in lines[0] and "Traceback" not in out + err
    for name in names:
        assert name in lines[0], (name, lines[0])
    return lines[0]


def edit_dts(build: Path, old: bytes, new: bytes, target: str = DTS) -> None:
    path = build / target
    data = path.read_bytes()
    assert old in data
    path.write_bytes(data.replace(old, new, 1))


REG = b"reg = < 0x10000000 0x1000 >;"


SETPRIV = shutil.which("setpriv")
NOBODY = ["--reuid=65534", "--regid=65534", "--clear-groups"]


def run_capped(argv: list[str], *, mem_mib: int = 1024, timeout: float = 60, env=None,
               stdout=subprocess.PIPE, nobody: bool = False):
    """A real ``python -m extflash`` under an address-space cap; with
    ``nobody``, as uid/gid 65534 through util-linux ``setpriv``."""
    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (mem_mib << 20, mem_mib << 20))

    e = dict(env or os.environ)
    e["PYTHONPATH"] = str(REPO_ROOT / "extension")
    e.pop("BOARD", None)
    prefix = [SETPRIV, *NOBODY] if nobody else []
    return subprocess.run([*prefix, sys.executable, "-m", "extflash", *argv], stdout=stdout,
                          stderr=subprocess.PIPE, text=True, timeout=timeout, env=e,
                          preexec_fn=limit)


# ------------------------------------------------ 1. bounded work: devicetree

DTS_EXPRESSIONS = {
    # issue 12: ran for minutes
    "shift-divide": (b"reg = < ((1 << 0x2000000) / ((1 << 0x1000000) + 1)) 0x1000 >;",
                     "a shift by 33554432 bits"),
    # issue 12: took gigabytes
    "shift-huge": (b"reg = < (1 << 0xfffffff00) 0x1000 >;", "a shift by 68719476480 bits"),
    "shift-negative": (b"reg = < (1 << -1) 0x1000 >;", "a shift by -1 bits"),
    "multiply-chain": (b"reg = < (" + b"0xffffffff * " * 600 + b"1) 0x1000 >;",
                       "wider than 64 bits"),
    "literal-65-bits": (b"reg = < (0x1ffffffffffffffff) 0x1000 >;", "wider than 64 bits"),
    "add-overflow": (b"reg = < (0xffffffffffffffff + 0xffffffffffffffff) 0x1000 >;",
                     "wider than 64 bits"),
}


@pytest.mark.timeout(60)
@pytest.mark.parametrize("kind", sorted(DTS_EXPRESSIONS))
def test_devicetree_arithmetic_is_refused_before_it_runs(build, kind):
    new, what = DTS_EXPRESSIONS[kind]
    edit_dts(build, REG, new)
    p = run_capped(["verify", "-d", str(build)], mem_mib=1024, timeout=30)
    line = fatal((p.returncode, p.stdout, p.stderr), 2, str(build / DTS), what)
    assert "line 56" in line  # where the expression is


@pytest.mark.timeout(60)
def test_devicetree_expression_within_64_bits_still_evaluates(build, clean_build):
    # dtc's own arithmetic: (0x10000000 + 16 - 16) and ((0x800 * 2) % 0x10000) = 0x1000
    edit_dts(build, REG, b"reg = < (0x10000000 + (1 << 4) - 16) ((0x800 * 2) % 0x10000) >;")
    code, out, err = run_cli(["verify", "-d", str(build)])
    assert code == 0 and err == ""


DTS_SIZES = {
    # a single 900 KB line, below the 1 MiB zephyr.dts limit (issue 12: 2.5 GB)
    "one-long-line": (b'reg = < 0x10000000 0x1000 >; foo = "' + b"a" * 900_000 + b'";',
                      "characters long; a generated zephyr.dts has no line longer"),
    "many-cells": (REG + b" foo = < " + b"0x1\n" * 5000 + b">;", "more than 4096 tokens"),
    "many-bytes": (REG + b" foo = [ " + b"01\n" * 5000 + b"];", "more than 4096 tokens"),
    "many-strings": (REG + b" foo = " + b'"a",\n' * 5000 + b'"b";', "more than 4096 tokens"),
    "many-labels": (REG + b" foo = < " + b"&flash0\n" * 5000 + b">;", "more than 4096 tokens"),
    "over-1-MiB": (REG + b"\n/* " + b"x" * (1 << 20) + b" */", "more than any devicetree"),
    "decimal-5000-digits": (b"reg = < " + b"7" * 5000 + b" 0x1000 >;", "zephyr.dts"),
}


@pytest.mark.timeout(60)
@pytest.mark.parametrize("kind", sorted(DTS_SIZES))
def test_devicetree_size_bombs_are_refused_in_bounded_memory(build, kind):
    new, what = DTS_SIZES[kind]
    edit_dts(build, REG, new)
    p = run_capped(["verify", "-d", str(build)], mem_mib=700, timeout=30)
    fatal((p.returncode, p.stdout, p.stderr), 2, str(build / DTS), what)


def test_every_dtlib_hook_the_limits_rely_on_exists():
    from devicetree import dtlib

    for name in ("_next_token", "_eval_prim", "_eval_shift", "_eval_add", "_eval_mul",
                 "_eval_unary", "_check_token", "_parse_error", "_saved_token"):
        assert hasattr(dtlib.DT, name) or name == "_saved_token", name
    assert hasattr(dtlib._T, "NUM")


# ------------------------------------- 1. bounded work: special files, config


def _context(tmp_path: Path, *, topdir: Path | None = None, config=None, cwd: Path | None = None):
    import io

    from extflash.command.context import Context
    from extflash.command.output import Output

    out, err = io.StringIO(), io.StringIO()
    ctx = Context(out=Output(out, err, color=False), cwd=cwd or tmp_path, topdir=topdir,
                  config=config or (lambda option: None), env={})
    return ctx, out, err


def _run_with(argv, ctx) -> int:
    from extflash.command import dispatch
    from extflash.command.parser import standalone_parser

    return dispatch.run(standalone_parser().parse_args(argv), ctx)


@pytest.mark.timeout(30)
@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "directory"])
def test_nrf_version_that_is_not_a_regular_file_is_named(tmp_path, app, kind):
    """init in a workspace whose nrf/VERSION is a FIFO (hung init) or a link
    to /dev/zero (exhausted memory): refused by path, nothing written."""
    topdir = tmp_path / "ws"
    (topdir / "nrf").mkdir(parents=True)
    version = topdir / "nrf" / "VERSION"
    if kind == "fifo":
        os.mkfifo(version)
    elif kind == "dev-zero":
        version.symlink_to("/dev/zero")
    else:
        version.mkdir()
    before = tree(app)
    ctx, out, err = _context(tmp_path, topdir=topdir)
    code = _run_with(["init", "-b", "nrf52840dk/nrf52840", str(app)], ctx)
    fatal((code, out.getvalue(), err.getvalue()), 2, str(version), "not a regular file",
          "--ncs-version")
    assert tree(app) == before


DIR_FMTS = {
    "{app:>2000000000}": "field width 2000000000",  # issue 12: exhausted memory
    "{app.foo}": "field '{app.foo}' is not a plain name",  # issue 12: internal error
    "{app[0]}": "field '{app[0]}' is not a plain name",
    "build/{board": "expected '}' before end of string",
    "{app!r}": "conversion '!r'",
    "{app:{board}}": "format '{board}'",
    "build\0x": "NUL byte",
}


@pytest.mark.parametrize("fmt", sorted(DIR_FMTS), ids=lambda f: f.encode("unicode_escape")
                         .decode())
def test_build_dir_fmt_is_validated_like_west_fields(tmp_path, fmt):
    ctx, out, err = _context(tmp_path, config=lambda o: fmt if o == "build.dir-fmt" else None)
    code = _run_with(["verify"], ctx)
    fatal((code, out.getvalue(), err.getvalue()), 2, "build.dir-fmt", DIR_FMTS[fmt])


def test_build_dir_fmt_with_an_unknown_field_falls_back_like_west(tmp_path, clean_build):
    """west leaves an unresolvable format (unknown field) unresolved; the
    default build folder is then used: here ``build`` in the cwd."""
    shutil.copytree(clean_build, tmp_path / "build", symlinks=True)
    ctx, out, err = _context(tmp_path, config=lambda o: "{foo}" if o == "build.dir-fmt" else None)
    assert _run_with(["verify"], ctx) == 0, err.getvalue()


@pytest.mark.timeout(120)
def test_all_under_reports_a_build_over_its_time_budget_and_goes_on(tmp_path, clean_build,
                                                                     monkeypatch):
    """One pathological but bounded build (about 5 s of parsing) against a
    1 s budget: it is reported as stopped, the other build is verified."""
    root = tmp_path / "builds"
    for name in ("a-slow", "b-clean"):
        shutil.copytree(clean_build, root / name, symlinks=True)
    edit_dts(root / "a-slow", REG, REG + b"\n" + b"n{};\n" * 150_000)
    monkeypatch.setenv("EXTFLASH_BUILD_BUDGET", "1")
    code, out, err = run_cli(["verify", "--all-under", str(root), "-j", "1"])
    assert code == 2, (out, err)
    assert "took longer than 1 s and was stopped" in out + err
    assert str(root / "a-slow") in out + err
    assert "internal error" not in out + err and "Traceback" not in out + err


# -------------------------------------------- 2. nothing from outside the build


@pytest.fixture
def secret(tmp_path) -> Path:
    s = tmp_path / "outside" / "credentials"
    s.parent.mkdir()
    s.write_text(f"aws_secret_access_key = {SECRET}\nCONFIG_X={SECRET}\n{SECRET}: 1\n")
    return s


@pytest.mark.parametrize("target", ["regions.yml", "partitions.yml", "domains.yaml", "pm.config",
                                    f"{APP}/zephyr/.config", "zephyr/.config", DTS,
                                    "mcuboot/zephyr/zephyr.dts",  # parsed in a forked child
                                    "CMakeCache.txt",
                                    f"{APP}/zephyr/include/generated/pm_config.h"])
def test_an_artefact_linking_outside_the_build_is_refused_by_path(build, secret, target):
    (build / target).unlink()
    (build / target).symlink_to(secret)
    result = run_cli(["verify", "-d", str(build)])
    fatal(result, 2, str(build / target), "outside the build directory")
    assert SECRET not in result[1] + result[2]


def test_config_linking_to_etc_hostname_is_refused(build):
    hostname = Path("/etc/hostname")
    if not hostname.is_file():
        pytest.skip("no /etc/hostname here")
    target = build / APP / "zephyr" / ".config"
    target.unlink()
    target.symlink_to(hostname)
    result = run_cli(["verify", "-d", str(build)])
    fatal(result, 2, str(target), "resolves to /etc/hostname")
    content = hostname.read_text().strip()
    assert not content or content not in result[1] + result[2].replace(str(build), "")


def test_an_image_directory_linking_outside_is_refused(build, tmp_path, secret):
    other = tmp_path / "elsewhere"
    shutil.copytree(build / "mcuboot", other)
    (other / "zephyr" / ".config").write_text(f"CONFIG_MCUBOOT=y\n{SECRET}\n")
    shutil.rmtree(build / "mcuboot")
    (build / "mcuboot").symlink_to(other)
    result = run_cli(["verify", "-d", str(build)])
    fatal(result, 2, "outside the build directory")
    assert SECRET not in result[1] + result[2]


@pytest.mark.parametrize("target", ["prj.conf", "boards/nrf52840dk_nrf52840.overlay"])
def test_init_application_file_linking_outside_is_refused_unread(app, secret, target):
    path = app / target
    path.parent.mkdir(exist_ok=True)
    if path.exists():
        path.unlink()
    path.symlink_to(secret)
    before = tree(app)
    result = run_cli(["init", *BOARD, str(app)])
    fatal(result, 2, target, "outside the application directory")
    assert SECRET not in result[1] + result[2]
    assert tree(app) == before


# ------------------------------------------------ 3. every failure is an answer


def _world_readable_copy(src: Path) -> Path:
    base = Path(tempfile.mkdtemp(prefix="extflash-nobody-"))
    base.chmod(0o755)
    dest = base / "build"
    shutil.copytree(src, dest, symlinks=True)
    for dirpath, _dirnames, filenames in os.walk(dest):
        os.chmod(dirpath, 0o755)
        for f in filenames:
            os.chmod(Path(dirpath) / f, 0o644)
    return dest


def _nobody_can_run() -> bool:
    if not IS_ROOT or SETPRIV is None:
        return False
    try:
        p = subprocess.run([SETPRIV, *NOBODY, sys.executable, "-c",
                            "import os, devicetree, yaml; assert os.geteuid() == 65534"],
                           timeout=30, capture_output=True, cwd="/")
    except (OSError, subprocess.SubprocessError):
        return False
    return p.returncode == 0


@pytest.mark.timeout(60)
@pytest.mark.parametrize("where", ["mcuboot", f"{APP}/zephyr", "."])
def test_permission_denied_as_an_unprivileged_user(clean_build, where):
    """Really unprivileged (uid 65534, as with setpriv/runuser): a chmod 000
    image folder, or the build folder itself. Tests run as root, which
    ignores modes, so the command runs in a child that drops to nobody."""
    if not _nobody_can_run():
        pytest.skip("cannot run Python as uid 65534 here (the simulated PermissionError "
                    "cases in test_hostile_verify.py cover this)")
    dest = _world_readable_copy(clean_build)
    try:
        blocked = (dest / where).resolve()
        blocked.chmod(0)
        p = run_capped(["verify", "-d", str(dest)], nobody=True)
        line = fatal((p.returncode, p.stdout, p.stderr), 2, "Permission denied")
        assert str(blocked) in line or str(dest) in line, line
    finally:
        (dest / where).resolve().chmod(0o755)
        shutil.rmtree(dest.parent)


def test_nul_byte_in_a_domains_yaml_path_falls_back_like_a_moved_build(build, clean_build):
    import yaml

    data = yaml.safe_load((build / "domains.yaml").read_text())
    for d in data["domains"]:
        d["build_dir"] = "/tmp/x\0/../" + d["name"]
    (build / "domains.yaml").write_text(yaml.safe_dump(data))
    code, out, err = run_cli(["verify", "-d", str(build)])
    assert code == 0 and err == "", (out, err)


def test_nul_byte_in_a_build_dir_argument(tmp_path):
    fatal(run_cli(["verify", "-d", str(tmp_path / "a\0b")]), 2, "a\\0b")


def test_numbers_beyond_the_int_str_digit_limit(build, app):
    """Python refuses int() of more than 4300 decimal digits
    (sys.int_info.default_max_str_digits): each place a user can put one
    answers with its own line."""
    edit_dts(build, REG, b"reg = < " + b"1" * 5000 + b" 0x1000 >;")
    fatal(run_cli(["verify", "-d", str(build)]), 2, str(build / DTS))
    before = tree(app)
    fatal(run_cli(["init", "-b", "custom_board/nrf52840", "--flash-node", "mx25r64", "--driver",
                   "spi", "--flash-size", "9" * 5000, "--erase-block", "4096", str(app)]),
          2, "--flash-size", "is not a size")
    fatal(run_cli(["init", *BOARD[:4], "--ncs-version", "2." + "9" * 5000, str(app)]),
          2, "is not an NCS version")
    assert tree(app) == before


@pytest.mark.timeout(60)
@pytest.mark.parametrize("command", ["verify", "init"])
def test_stdout_on_a_full_device(clean_build, tmp_path, command):
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    if command == "verify":
        argv = ["verify", "-d", str(clean_build)]
    else:
        shutil.copytree(HELLO, tmp_path / "app")
        argv = ["init", *BOARD, str(tmp_path / "app")]
    with open("/dev/full", "w") as full:
        p = run_capped(argv, stdout=full)
    fatal((p.returncode, "", p.stderr), 2, "cannot write to standard output",
          "No space left on device")


@pytest.mark.timeout(60)
@pytest.mark.parametrize("env", [{"PYTHONIOENCODING": "ascii"},
                                 {"LANG": "C", "LC_ALL": "C", "PYTHONUTF8": "0",
                                  "PYTHONIOENCODING": "ascii:strict"}])
def test_init_on_a_non_utf8_terminal_exits_0_after_writing(tmp_path, env):
    """Non-ASCII in what init prints (the application's path) on an ASCII
    terminal: the files are written, so the exit code is 0, and the
    character is shown as an escape."""
    app = tmp_path / "äpp-ü"
    shutil.copytree(HELLO, app)
    p = run_capped(["init", *BOARD, str(app)], env={**os.environ, **env})
    assert p.returncode == 0, p.stderr
    # the path as decoded under that locale: U+00E4, or its UTF-8 bytes
    assert ("\\xe4pp" in p.stdout or "\\xc3\\xa4pp" in p.stdout) and "done:" in p.stdout
    assert (app / "sysbuild.conf").is_file()


# ------------------------------------------------------- 5. init all-or-nothing


def refused(app: Path, argv: list[str], *names: str) -> str:
    before = tree(app)
    line = fatal(run_cli(argv), 2, *names)
    assert tree(app) == before
    return line


def test_a_read_only_file_is_never_replaced(app):
    (app / "prj.conf").chmod(0o444)  # root ignores it; init honours it
    line = refused(app, ["init", *BOARD, str(app)], "prj.conf is read-only", "nothing was written")
    assert "chmod u+w prj.conf" in line


@pytest.mark.skipif(not IS_ROOT, reason="chown to another user needs root")
def test_a_file_of_another_owner_is_never_replaced(app):
    os.chown(app / "prj.conf", 65534, 65534)
    refused(app, ["init", *BOARD, str(app)], "prj.conf belongs to another user (uid 65534)",
            "nothing was written")


def test_a_read_only_directory_as_root_is_honoured(app):
    (app / "sysbuild").mkdir()
    (app / "sysbuild").chmod(0o555)
    try:
        refused(app, ["init", *BOARD, str(app)], "sysbuild is read-only", "nothing was written")
    finally:
        (app / "sysbuild").chmod(0o755)


def test_a_rename_failing_half_way_leaves_the_app_exactly_as_it_was(app, monkeypatch):
    """The directory lets init create files but the third rename is
    refused (as for a root-owned file in a sticky directory): the two files
    already in place are taken back; the message is true."""
    import extflash.scaffold.apply as apply_mod

    real_replace = os.replace
    calls = []

    def third_fails(src, dst):
        calls.append(dst)
        if len(calls) == 3:
            raise PermissionError(1, "Operation not permitted")
        return real_replace(src, dst)

    monkeypatch.setattr(apply_mod.os, "replace", third_fails)
    (app / "sysbuild").mkdir()
    (app / "sysbuild.conf").write_text("# mine\nSB_CONFIG_PARTITION_MANAGER=y\n")
    refused(app, ["init", *BOARD, str(app)], "nothing was written")
    assert len(calls) >= 3


def test_a_full_disk_half_way_leaves_no_half_applied_set(app, monkeypatch):
    import errno

    import extflash.scaffold.apply as apply_mod

    real_fdopen = os.fdopen
    opened = []

    class Full:
        def __init__(self, f):
            self.f = f

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.f.close()

        def write(self, data):
            raise OSError(errno.ENOSPC, "No space left on device")

        def __getattr__(self, name):
            return getattr(self.f, name)

    def fdopen(fd, *args, **kwargs):
        opened.append(fd)
        f = real_fdopen(fd, *args, **kwargs)
        return Full(f) if len(opened) == 3 else f

    monkeypatch.setattr(apply_mod.os, "fdopen", fdopen)
    refused(app, ["init", *BOARD, str(app)], "No space left on device", "nothing was written")


def test_too_little_free_space_is_refused_before_any_write(app, monkeypatch):
    import extflash.scaffold.apply as apply_mod

    real = os.statvfs

    class Tiny:
        def __init__(self, v):
            self.f_frsize, self.f_bavail = v.f_frsize, 1

    monkeypatch.setattr(apply_mod.os, "statvfs", lambda p: Tiny(real(p)))
    refused(app, ["init", *BOARD, str(app)], "not enough free space", "nothing was written")


@pytest.mark.parametrize("separator", ["\x0c", "\u2028", "\x1c", "\x85", "\x0b"])
def test_force_never_fixes_a_value_inside_a_comment(app, separator):
    """Kconfig ends lines only at CR/LF (kconfiglib reads with universal
    newlines): this whole line is a comment, so CONFIG_SPI_NOR is still
    missing and is appended; the comment is kept byte for byte."""
    comment = f"# old setting{separator}CONFIG_NORDIC_QSPI_NOR=n\n"
    prj = app / "prj.conf"
    prj.write_text(prj.read_text() + comment, encoding="utf-8")
    code, out, err = run_cli(["init", *BOARD, "--force", str(app)])
    assert code == 0, err
    text = prj.read_text(encoding="utf-8")
    assert comment in text  # not "fixed" to =y inside the comment
    assert "CONFIG_NORDIC_QSPI_NOR=y" in text.split("\n")  # set on a line of its own


def test_an_unterminated_comment_in_an_overlay_is_refused(app):
    overlay = app / "boards" / "nrf52840dk_nrf52840.overlay"
    overlay.parent.mkdir(exist_ok=True)
    overlay.write_text("/ {\n};\n/* a note that never ends\n")
    refused(app, ["init", *BOARD, str(app)],
            "boards/nrf52840dk_nrf52840.overlay:3: this /* comment is never closed")


def test_pm_ext_flash_outside_chosen_is_not_a_conflict(app):
    overlay = app / "boards" / "nrf52840dk_nrf52840.overlay"
    overlay.parent.mkdir(exist_ok=True)
    mine = "&qspi {\n\tnordic,pm-ext-flash = &gpio0; /* not a chosen entry */\n};\n"
    overlay.write_text(mine)
    code, out, err = run_cli(["init", *BOARD, str(app)])
    assert code == 0, out + err
    text = overlay.read_text()
    assert text.startswith(mine) and "nordic,pm-ext-flash = &mx25r64;" in text


CUSTOM = ["-b", "custom_board/nrf52840", "--driver", "spi"]
BAD_ARGUMENTS = {
    "flash-node-newline": (["--flash-node", "mx25r64\n#x", "--flash-size", "8M",
                            "--erase-block", "4096"], "--flash-node 'mx25r64\\n#x'"),
    "flash-node-trailing-newline": (["--flash-node", "mx25r64\n", "--flash-size", "8M",
                                     "--erase-block", "4096"], "--flash-node 'mx25r64\\n'"),
    "flash-node-escape": (["--flash-node", "mx\x1b[2J", "--flash-size", "8M",
                           "--erase-block", "4096"], "--flash-node 'mx\\x1b[2J'"),
    "flash-size-1-byte": (["--flash-node", "mx25r64", "--flash-size", "1",
                           "--erase-block", "4096"], "--flash-size '1' is outside"),
    "flash-size-1-TiB": (["--flash-node", "mx25r64", "--flash-size", str(1 << 40),
                          "--erase-block", "4096"], "is outside"),
    "erase-block-2-GiB": (["--flash-node", "mx25r64", "--flash-size", "8M",
                           "--erase-block", "0x80000000"], "--erase-block '0x80000000' is "
                                                           "outside"),
}


@pytest.mark.parametrize("kind", sorted(BAD_ARGUMENTS))
def test_arguments_are_validated(app, kind):
    extra, what = BAD_ARGUMENTS[kind]
    refused(app, ["init", *CUSTOM, *extra, "--ncs-version", "2.9.0", str(app)], what)


@pytest.mark.parametrize("version", ["999999.0.0", "0.1.0", "2.700.0", "2.7.0\n3", "3.1.0\x1b[2J"])
def test_absurd_ncs_versions_are_refused(app, version):
    refused(app, ["init", *BOARD[:4], "--ncs-version", version, str(app)],
            "is not an NCS version")


# ------------------------------------------------------------- 6. output hygiene


@pytest.mark.parametrize("name", ["a\nFATAL ERROR: fake", "b\x1b[2J\x1b[H", "c\rd", "e\u2028f",
                                  "g\u202eh"])
def test_control_characters_in_a_path_are_shown_not_executed(tmp_path, name):
    line = fatal(run_cli(["verify", "-d", str(tmp_path / name)]), 2, "no such build directory")
    assert all(c not in line for c in "\n\r\x1b\u2028\u202e")


def test_control_characters_in_a_board_argument(app):
    line = refused(app, ["init", "-b", "nrf52840dk\n\x1b[31m", "--ncs-version", "2.9.0",
                         str(app)], "\\n")
    assert "\x1b" not in line


def test_control_characters_in_the_app_path_stay_one_line_in_init_output(tmp_path):
    app = tmp_path / "my\napp\x1b[2J"
    shutil.copytree(HELLO, app)
    code, out, err = run_cli(["init", *BOARD, str(app)])
    assert code == 0, err
    assert "\x1b" not in out + err
    assert "my\\napp\\x1b[2J" in out  # in the `next: west build ...` line


def test_control_characters_in_a_file_are_escaped_in_the_dry_run_diff(app):
    prj = app / "prj.conf"
    prj.write_text(prj.read_text() + "# \x1b[2J wipe\n")
    (app / "sysbuild.conf").write_text("# \x1b]0;title\x07\n")
    code, out, err = run_cli(["init", *BOARD, "--dry-run", str(app)])
    assert code == 0, err
    assert "\x1b" not in out and "\x07" not in out
    assert "# \\x1b]0;title\\x07" in out


def test_printable_table():
    """Hand-written: what each character must look like."""
    from extflash.textsafe import printable

    table = {
        "plain/path-1.0_x": "plain/path-1.0_x",
        "tab\tkept": "tab\tkept",
        "nl\n": "nl\\n",
        "cr\r": "cr\\r",
        "esc\x1b[31m": "esc\\x1b[31m",
        "nul\0": "nul\\0",
        "bel\x07": "bel\\x07",
        "del\x7f": "del\\x7f",
        "csi\x9b": "csi\\x9b",
        "ls\u2028": "ls\\u2028",
        "rlo\u202e": "rlo\\u202e",
        "bom\ufeff": "bom\\ufeff",
        "byte\udcff": "byte\\xff",
        "ünïcödé ✓": "ünïcödé ✓",
    }
    for raw, shown in table.items():
        assert printable(raw) == shown, raw


# ------------------------------------------- the sweep: no internal error ever


def test_the_internal_error_guard_is_active(request):
    """tests/hostile/conftest.py fails any hostile test that reaches
    "internal error"; prove the guard is wired in by provoking one."""
    from extflash.command import dispatch

    assert getattr(dispatch._say, "__wrapped_by_hostile_guard__", False)
    assert stat.S_ISDIR(os.stat(HERE).st_mode)


def test_control_characters_in_a_cmake_cache_value_are_escaped_in_the_report(build):
    cache = build / "CMakeCache.txt"
    text = cache.read_text()
    assert "CACHED_BOARD:STRING=nrf52840dk/nrf52840" in text
    cache.write_text(text.replace("CACHED_BOARD:STRING=nrf52840dk/nrf52840",
                                  "CACHED_BOARD:STRING=nrf52840dk\x1b[2J\x1b[H\x08/nrf52840"))
    code, out, err = run_cli(["verify", "-d", str(build)])
    assert code == 0, out + err
    assert "\x1b" not in out and "\x08" not in out
    assert "nrf52840dk\\x1b[2J\\x1b[H\\x08/nrf52840" in out


def test_a_partition_size_of_5000_hex_digits_is_a_finding_not_a_crash(build):
    """Hex has no digit limit in Python, but the value has 20000 bits: the
    human-readable size must not overflow a float (it did: OverflowError)."""
    path = build / "partitions.yml"
    text = path.read_text()
    first = text.index("  size: ")
    end = text.index("\n", first)
    path.write_text(text[:first] + "  size: 0x" + "f" * 5000 + text[end:])
    code, out, err = run_cli(["verify", "-d", str(build)])
    assert code == 1 and err == "", (out, err)
    assert "partitions.yml" in out and "-bit number" in out


def test_a_kconfig_value_wider_than_64_bits_is_kept_as_written():
    from extflash import kconfig

    raw = "0x" + "f" * 5000
    assert kconfig.decode(raw) == raw  # the C tools' ints are 64-bit: not decodable
    assert kconfig.decode("0xffffffffffffffff") == 0xFFFFFFFFFFFFFFFF
    assert kconfig.decode("1" * 5000) == "1" * 5000  # beyond Python's 4300 digits


def test_all_under_a_path_with_a_nul_byte(tmp_path):
    fatal(run_cli(["verify", "--all-under", str(tmp_path) + "\0x"]), 2,
          "cannot read directory: embedded null byte")


# ---------------------------------------- found by the scripted sweep (init)


def test_an_application_path_too_long_for_the_os(tmp_path):
    fatal(run_cli(["init", *BOARD, str(tmp_path / ("x" * 300))]), 2,
          "cannot use the application directory: File name too long")


def test_a_build_path_too_long_for_the_os(tmp_path):
    fatal(run_cli(["verify", "-d", str(tmp_path / ("x" * 300))]), 2,
          "cannot read it: File name too long")


@pytest.mark.parametrize("name", ["prj.conf", "CMakeLists.txt"])
def test_application_file_linked_to_dev_zero_is_named_not_missing(app, name):
    (app / name).unlink()
    (app / name).symlink_to("/dev/zero")
    refused(app, ["init", *BOARD, str(app)], f"{name} is not a regular file")


@pytest.mark.timeout(60)
@pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
def test_sysbuild_conf_special_in_auto_layout_does_not_hang(app, kind):
    """--layout auto on NCS 3.4 first looks for SB_CONFIG_PARTITION_MANAGER=y
    in sysbuild.conf (layouts/dts.keeps_partition_manager): it hung on a FIFO."""
    conf = app / "sysbuild.conf"
    if kind == "fifo":
        os.mkfifo(conf)
        what = "sysbuild.conf is not a regular file"
    else:
        conf.symlink_to("/dev/zero")
        what = "sysbuild.conf is a symlink to /dev/zero, outside the application directory"
    refused(app, ["init", "-b", "nrf52840dk/nrf52840", "--ncs-version", "3.4.0", str(app)], what)


@pytest.mark.timeout(60)
@pytest.mark.parametrize("text,expected", [("/ { chosen {" * 20000, 0), ("&mx25r64 {" * 20000, 0),
                                           ("&mx25r64 { status = \"okay\"; " * 10000, 0)])
def test_overlay_brace_bombs_are_merged_in_linear_time(app, text, expected):
    """Matching every `chosen {` or `&label {` by scanning forward from it
    was quadratic (hung); braces are matched in one pass now."""
    overlay = app / "boards" / "nrf52840dk_nrf52840.overlay"
    overlay.parent.mkdir(exist_ok=True)
    overlay.write_text(text)
    code, out, err = run_cli(["init", *BOARD, "--dry-run", str(app)])
    assert code == expected, err  # a plan, in well under the timeout


def test_a_partition_name_with_a_newline_and_an_escape_stays_one_finding_line(build):
    path = build / "partitions.yml"
    text = path.read_text()
    assert "\nmcuboot_secondary:" in text
    path.write_text(text.replace("\nmcuboot_secondary:",
                                 '\n"mcuboot_secondary\\nFAKE: line\\e[2J":', 1))
    code, out, err = run_cli(["verify", "-d", str(build)])
    assert code == 1, out + err
    assert "\x1b" not in out
    finding = [line for line in out.splitlines() if "EXF002" in line]
    assert len(finding) == 1 and "mcuboot_secondary\\nFAKE: line\\x1b[2J" in finding[0]
    assert not any(line.startswith("FAKE") for line in out.splitlines())


# ----------------------------------------- through the real west (offline)


@pytest.fixture(scope="module")
def own_workspace(tmp_path_factory, ext_remote, west_env) -> Path:
    """A workspace of our own (its config and nrf/ are changed here)."""
    from conftest import make_workspace

    return make_workspace(tmp_path_factory.mktemp("issue12-ws"), "self", ext_remote, west_env)


def _west(ws: Path, env: dict, *args: str, timeout: float = 100):
    from conftest import run_west

    p = run_west(list(args), cwd=ws, env=env, check=False, timeout=timeout)
    return p.returncode, p.stdout, p.stderr


@pytest.mark.timeout(300)
@pytest.mark.parametrize("fmt", ["{app.foo}", "{app:>2000000000}"])
def test_real_west_build_dir_fmt(own_workspace, west_env, fmt):
    assert _west(own_workspace, west_env, "config", "build.dir-fmt", fmt)[0] == 0
    try:
        result = _west(own_workspace, west_env, "extflash", "verify")
    finally:
        _west(own_workspace, west_env, "config", "-d", "build.dir-fmt")
    fatal(result, 2, f"'{fmt}' is not a usable build.dir-fmt")


@pytest.mark.timeout(300)
def test_real_west_nrf_version_fifo_does_not_hang_init(own_workspace, west_env, tmp_path):
    nrf = own_workspace / "nrf"
    nrf.mkdir(exist_ok=True)
    os.mkfifo(nrf / "VERSION")
    app = tmp_path / "app"
    shutil.copytree(HELLO, app)
    before = tree(app)
    try:
        result = _west(own_workspace, west_env, "extflash", "init", "-b", "nrf52840dk/nrf52840",
                       str(app), timeout=60)
    finally:
        shutil.rmtree(nrf)
    fatal(result, 2, str(nrf / "VERSION"), "not a regular file")
    assert tree(app) == before


@pytest.mark.timeout(300)
def test_real_west_artefact_linking_outside_is_not_quoted(own_workspace, west_env, build,
                                                          secret):
    (build / "regions.yml").unlink()
    (build / "regions.yml").symlink_to(secret)
    result = _west(own_workspace, west_env, "extflash", "verify", "-d", str(build))
    fatal(result, 2, str(build / "regions.yml"), "outside the build directory")
    assert SECRET not in result[1] + result[2]


@pytest.mark.timeout(120)
@pytest.mark.parametrize("case", ["root-owned-in-sticky-dir", "read-only-own-file"])
def test_init_as_an_unprivileged_user_replaces_nothing_it_could_not_write(case):
    """As uid 65534 (setpriv): the application directory is the user's and
    lets them create files (sticky, like /tmp), but prj.conf belongs to
    root; or prj.conf is the user's own with mode 0444. Before issue 12 the
    first case wrote some files, then failed, saying "nothing was written"."""
    if not _nobody_can_run():
        pytest.skip("cannot run Python as uid 65534 here")
    base = Path(tempfile.mkdtemp(prefix="extflash-nobody-"))
    try:
        base.chmod(0o755)
        app = base / "app"
        shutil.copytree(HELLO, app)
        for dirpath, _dirs, files in os.walk(app):
            os.chown(dirpath, 65534, 65534)
            for f in files:
                os.chown(Path(dirpath) / f, 65534, 65534)
        if case == "root-owned-in-sticky-dir":
            app.chmod(0o1777)
            os.chown(app / "prj.conf", 0, 0)
            what = "prj.conf belongs to another user (uid 0)"
        else:
            (app / "prj.conf").chmod(0o444)
            what = "prj.conf is read-only"
        before = tree(app)
        p = run_capped(["init", *BOARD, str(app)], nobody=True)
        fatal((p.returncode, p.stdout, p.stderr), 2, what, "nothing was written")
        assert tree(app) == before
    finally:
        shutil.rmtree(base)


@pytest.mark.timeout(300)
def test_real_west_stdout_on_a_full_device(own_workspace, west_env, clean_build):
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    with open("/dev/full", "w") as full:
        p = subprocess.run([sys.executable, "-m", "west", "extflash", "verify", "-d",
                            str(clean_build)], cwd=own_workspace, env=west_env, stdout=full,
                           stderr=subprocess.PIPE, text=True, timeout=100)
    fatal((p.returncode, "", p.stderr), 2, "cannot write to standard output",
          "No space left on device")
