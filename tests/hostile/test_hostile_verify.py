"""Hostile input for `verify`: a realistic build directory (fixturegen's
nRF52840 DK sysbuild build, clean) with one thing broken per case, run
through the real command in-process.

Each bad case must end in exit 2 with exactly one `FATAL ERROR:` line on
stderr naming the file and what is wrong, or exit 1 with an error finding
naming the file; never a traceback, never an internal error, never a hang
(per-test timeouts on the bombs and huge files). Cases that are odd but
valid (CRLF, a moved build) must verify exactly like the clean build.

The YAML corpus in tests/hostile/yaml/ is run as partitions.yml,
regions.yml, domains.yaml and through `verify --static`.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hostile_guard import no_internal_error  # noqa: F401  (autouse)

from conftest import REPO_ROOT, run_cli

HERE = Path(__file__).resolve().parent
YAML_CORPUS = sorted((HERE / "yaml").iterdir())
APP = "external_flash"  # the application image of the fixture
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


@pytest.fixture(scope="session")
def clean_build(tmp_path_factory) -> Path:
    from fixturegen import FIXTURES, write_build

    path = write_build(tmp_path_factory.mktemp("hostile") / "clean",
                       FIXTURES["nrf52840dk-sysbuild"]())
    code, out, err = run_cli(["verify", "-d", str(path)])
    assert code == 0, out + err
    return path


@pytest.fixture(scope="session")
def clean_result(clean_build) -> tuple[int, str]:
    code, out, err = run_cli(["verify", "-d", str(clean_build)])
    return code, out.replace(str(clean_build), "<build>")


@pytest.fixture
def build(clean_build, tmp_path) -> Path:
    dest = tmp_path / "build"
    shutil.copytree(clean_build, dest, symlinks=True)
    return dest


def verify(path: Path, *extra: str) -> tuple[int, str, str]:
    return run_cli(["verify", "-d", str(path), *extra])


def assert_clear(result, names, *, allow_finding: bool = True) -> tuple[int, str, str]:
    """exit 2 + one FATAL line naming the file, or exit 1 + an error finding
    naming it; no traceback, no internal error."""
    code, out, err = result
    names = [names] if isinstance(names, str) else list(names)
    assert "Traceback" not in out + err, err
    assert "internal error" not in out + err, err
    if code == 2:
        lines = [line for line in err.splitlines() if line.strip()]
        assert len(lines) == 1, err
        assert lines[0].startswith("FATAL ERROR: "), err
        assert any(n in lines[0] for n in names), (names, lines[0])
        return result
    assert allow_finding and code == 1, (code, out, err)
    # an error finding, or (with --strict, for a missing file) a warning
    finding_lines = [line for line in out.splitlines()
                     if " error: " in line or " warning: " in line]
    assert any(n in line for line in finding_lines for n in names), (names, out)
    return result


def assert_same_as_clean(result, clean_result, build: Path) -> None:
    code, out, err = result
    assert "Traceback" not in out + err
    assert (code, out.replace(str(build), "<build>")) == clean_result, out + err


# ------------------------------------------------------------- YAML corpus


@pytest.mark.timeout(30)
@pytest.mark.parametrize("target", ["partitions.yml", "regions.yml", "domains.yaml"])
@pytest.mark.parametrize("case", YAML_CORPUS, ids=[p.name for p in YAML_CORPUS])
def test_yaml_corpus(build, target, case):
    shutil.copyfile(case, build / target)
    assert_clear(verify(build), target)


@pytest.mark.timeout(30)
@pytest.mark.parametrize("case", YAML_CORPUS, ids=[p.name for p in YAML_CORPUS])
def test_yaml_corpus_as_static_file(tmp_path, case):
    static = tmp_path / "pm_static.yml"
    shutil.copyfile(case, static)
    result = run_cli(["verify", "--static", str(static)])
    if case.name == "negative-size.yml":
        # accepted on purpose: a real Partition Manager output has a negative
        # size for its free external_flash partition (schemas/partitions-schema.yml)
        assert result[0] in (0, 1) and "Traceback" not in result[2]
        return
    assert_clear(result, "pm_static.yml")


# ------------------------------------------------ generated YAML: bombs etc.


def billion_laughs(levels: int = 9, width: int = 10) -> str:
    lines = ['a0: &a0 ["lol"]']
    for i in range(1, levels + 1):
        refs = ", ".join(f"*a{i - 1}" for _ in range(width))
        lines.append(f"a{i}: &a{i} [{refs}]")
    return "\n".join(lines) + "\n"


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


GENERATED_YAML = {
    "billion-laughs": billion_laughs(),
    "billion-laughs-mapping": "a: &a {x: 1, y: 1}\n" + "".join(
        f"l{i}: &l{i} {{"
        + ", ".join(f"k{j}: *" + ("a" if i == 0 else f"l{i - 1}") for j in range(9))
        + "}\n" for i in range(9)),
    "quadratic-blowup": "a: &a [" + ", ".join(["x" * 100] * 500) + "]\nb: [" +
                        ", ".join(["*a"] * 999) + "]\n",
    "deep-flow-nesting": "a: " + "[" * 50_000 + "]" * 50_000 + "\n",
    "deep-block-nesting": "".join(" " * i + f"k{i}:\n" for i in range(2000)) + " " * 2000 + "v\n",
    "deep-mapping-flow": "a: " + "{b: " * 20_000 + "1" + "}" * 20_000 + "\n",
    "many-keys": "".join(f"p{i}: {{address: {i}, size: 1, region: flash_primary}}\n"
                         for i in range(50_000)),
    "long-key": "k" * 100_000 + ": 1\n",
    "many-documents": "---\na: 1\n" * 1000,
}


@pytest.mark.timeout(30)
@pytest.mark.parametrize("target", ["partitions.yml", "regions.yml", "domains.yaml"])
@pytest.mark.parametrize("kind", sorted(GENERATED_YAML))
def test_generated_yaml_is_refused_quickly_in_bounded_memory(build, target, kind):
    (build / target).write_text(GENERATED_YAML[kind])
    before = peak_rss_mib()
    assert_clear(verify(build), target)
    assert peak_rss_mib() - before < 200, "memory must stay bounded"


@pytest.mark.timeout(30)
@pytest.mark.parametrize("target", ["partitions.yml", "zephyr/.config", f"{APP}/zephyr/zephyr.dts",
                                    f"{APP}/zephyr/.config", "domains.yaml",
                                    "mcuboot/zephyr/include/generated/pm_config.h"])
def test_a_100_mb_file_is_refused_without_reading_it(build, target):
    before = peak_rss_mib()
    with open(build / target, "r+b") as f:
        f.truncate(100 << 20)  # sparse: 100 MB without using the disk
    assert_clear(verify(build), [target.rsplit("/", 1)[-1]])
    assert peak_rss_mib() - before < 50, "the file must not be read into memory"


@pytest.mark.timeout(30)
def test_a_100_mb_cmake_cache_is_refused(build):
    with open(build / "CMakeCache.txt", "r+b") as f:
        f.truncate(100 << 20)
    assert_clear(verify(build), "CMakeCache.txt")


# ------------------------------------------------- .config and fragments


def edit(path: Path, fn) -> None:
    path.write_bytes(fn(path.read_bytes()))


CONFIG_ODD_BUT_VALID = {
    "crlf": lambda b: b.replace(b"\n", b"\r\n"),
    "no-final-newline": lambda b: b.rstrip(b"\n"),
    "trailing-spaces": lambda b: b.replace(b"=y\n", b"=y   \n"),
    "duplicate-same-value": lambda b: b + [x for x in b.splitlines(True) if b"=y" in x][0] * 2,
    "blank-lines": lambda b: b.replace(b"\n", b"\n\n"),
    "utf8-bom": lambda b: b"\xef\xbb\xbf" + b,
}


@pytest.mark.parametrize("target", ["zephyr/.config", f"{APP}/zephyr/.config",
                                    "mcuboot/zephyr/.config"])
@pytest.mark.parametrize("kind", sorted(CONFIG_ODD_BUT_VALID))
def test_config_odd_but_valid_verifies_like_the_clean_build(build, clean_result, target, kind):
    edit(build / target, CONFIG_ODD_BUT_VALID[kind])
    assert_same_as_clean(verify(build), clean_result, build)


CONFIG_BAD = {
    "binary": lambda b: b"\x00\x01\x02" * 1000,
    "truncated-mid-line": lambda b: b[: b.index(b"CONFIG_NORDIC_QSPI_NOR=") + 20],
    "duplicate-other-value": lambda b: b + b"CONFIG_NORDIC_QSPI_NOR=n\n",
    "malformed-lines": lambda b: b.replace(b"CONFIG_NORDIC_QSPI_NOR=y",
                                           b"CONFIG_NORDIC_QSPI_NOR y\n<<<<<<< HEAD"),
}


@pytest.mark.parametrize("target", [f"{APP}/zephyr/.config", "mcuboot/zephyr/.config"])
@pytest.mark.parametrize("kind", sorted(CONFIG_BAD))
def test_config_damaged_gives_a_clear_answer(build, target, kind):
    """A damaged image .config loses the driver option: a finding about that
    image (naming its .config), or one FATAL line naming the file."""
    edit(build / target, CONFIG_BAD[kind])
    image = target.split("/")[0]
    assert_clear(verify(build), [target, f"{image}/zephyr/.config", image])


@pytest.mark.parametrize("target", ["zephyr/.config", f"{APP}/zephyr/.config"])
def test_config_empty_file(build, target):
    (build / target).write_bytes(b"")
    assert_clear(verify(build), [target, target.split("/")[0]])


# -------------------------------------------------------------- devicetree

DTS = f"{APP}/zephyr/zephyr.dts"
MCUBOOT_DTS = "mcuboot/zephyr/zephyr.dts"


def dts_edit(old: bytes, new: bytes):
    def fn(b: bytes) -> bytes:
        assert old in b, old
        return b.replace(old, new, 1)
    return fn


DTS_BAD = {
    "syntax-missing-semicolon": dts_edit(b"};\n", b"}\n"),
    "syntax-unbalanced-brace": lambda b: b + b"/ {\n",
    "syntax-garbage-line": lambda b: b + b"this is not devicetree\n",
    "truncated-half": lambda b: b[: len(b) // 2],
    "no-dts-v1-header": lambda b: b.replace(b"/dts-v1/;", b""),
    "undefined-label-in-chosen": dts_edit(b"nordic,pm-ext-flash = &mx25r64;",
                                          b"nordic,pm-ext-flash = &nosuchlabel;"),
    "undefined-label-phandle": lambda b: b + b"/ { x { p = <&nosuchlabel>; }; };\n",
    "undefined-label-node-ref": lambda b: b + b"&nosuchlabel { status = \"okay\"; };\n",
    "chosen-missing": lambda b: b.replace(b"nordic,pm-ext-flash = &mx25r64;", b""),
    "flash-node-disabled": dts_edit(
        b"compatible = \"nordic,qspi-nor\";",
        b"compatible = \"nordic,qspi-nor\";\n\t\t\tstatus = \"disabled\";"),
    "include-directive": lambda b: b + b"/include/ \"/etc/passwd\"\n",
    "incbin": lambda b: b + b"/ { x = /incbin/(\"/etc/passwd\"); };\n",
    "binary": lambda b: bytes(range(256)) * 64,
    "empty": lambda b: b"",
    "invalid-utf8": lambda b: b + b"/ { x = \"\xff\xfe\"; };\n",
    "deep-nesting": lambda b: b + b"/ {" + b"a {" * 5000 + b"};" * 5000 + b"};\n",
    "huge-cell-value": lambda b: b + b"/ { x = <0x" + b"f" * 1000 + b">; };\n",
    "duplicate-label": lambda b: b + b"/ { mx25r64: dup { }; };\n",
    "delete-flash-node": lambda b: b + b"/delete-node/ &mx25r64;\n",
}


@pytest.mark.timeout(30)
@pytest.mark.parametrize("target", [DTS, MCUBOOT_DTS])
@pytest.mark.parametrize("kind", sorted(DTS_BAD))
def test_devicetree_damaged_gives_a_clear_answer(build, target, kind):
    edit(build / target, DTS_BAD[kind])
    assert_clear(verify(build), [target, "zephyr.dts", target.split("/")[0]])


# ------------------------------------------------------ the build directory


def test_missing_cmake_cache(build):
    """No check needs the cache (issue 8: real committed builds lack it): the
    build loads, the report says where the board came from instead."""
    (build / "CMakeCache.txt").unlink()
    code, out, err = verify(build)
    assert code == 0, out + err
    assert "note: no CMakeCache.txt: board nrf52840dk read from CONFIG_BOARD" in out


def test_missing_build_directory(tmp_path):
    assert_clear(verify(tmp_path / "nope"), "nope")


def test_build_dir_is_a_file(tmp_path):
    (tmp_path / "build").write_text("x")
    assert_clear(verify(tmp_path / "build"), "build")


@pytest.mark.parametrize("target", ["CMakeCache.txt", "partitions.yml", "regions.yml",
                                    "domains.yaml", "zephyr/.config", "pm.config"])
def test_a_directory_where_a_file_belongs(build, target):
    (build / target).unlink()
    (build / target).mkdir()
    assert_clear(verify(build), [target, str(build)])


@pytest.mark.parametrize("target", ["zephyr", f"{APP}/zephyr", "mcuboot", f"{APP}"])
def test_a_file_where_a_directory_belongs(build, target):
    shutil.rmtree(build / target)
    (build / target).write_text("I am a file\n")
    assert_clear(verify(build, "--strict"), [target, str(build)])


@pytest.mark.parametrize("target", ["partitions.yml", "regions.yml", f"{APP}/zephyr/.config",
                                    DTS, MCUBOOT_DTS, "mcuboot/zephyr/.config"])
def test_missing_files(build, target):
    (build / target).unlink()
    assert_clear(verify(build, "--strict"), [target])


def test_missing_image_directory(build):
    shutil.rmtree(build / "mcuboot")
    assert_clear(verify(build, "--strict"), ["mcuboot"])


@pytest.mark.timeout(30)
@pytest.mark.parametrize("target", ["partitions.yml", "domains.yaml", DTS, "zephyr/.config",
                                    "CMakeCache.txt", f"{APP}/zephyr/.config"])
def test_symlink_loops(build, target):
    (build / target).unlink()
    os.symlink(build / target, build / target)  # points at itself
    assert_clear(verify(build), [target, str(build)])


@pytest.mark.timeout(30)
def test_image_directory_symlink_loop(build):
    shutil.rmtree(build / "mcuboot")
    os.symlink("mcuboot", build / "mcuboot")
    assert_clear(verify(build, "--strict"), ["mcuboot"])


@pytest.mark.timeout(30)
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
@pytest.mark.parametrize("target", ["partitions.yml", DTS, "CMakeCache.txt", "domains.yaml"])
def test_symlink_to_an_endless_device(build, device, target):
    if not os.path.exists(device):
        pytest.skip(f"no {device}")
    (build / target).unlink()
    os.symlink(device, build / target)
    assert_clear(verify(build), [target, str(build)])


@pytest.mark.timeout(30)
@pytest.mark.parametrize("target", ["partitions.yml", DTS, "regions.yml"])
def test_a_fifo_does_not_hang(build, target):
    (build / target).unlink()
    os.mkfifo(build / target)
    assert_clear(verify(build), [target])


def _unreadable(monkeypatch, path: Path) -> None:
    """chmod 000 where it works; root ignores modes, so as root every way
    the loaders open that one file raises the PermissionError the OS would."""
    if not IS_ROOT:
        os.chmod(path, 0)
        return
    import builtins
    import io

    blocked = os.path.realpath(path)
    real_open = io.open

    def guarded_open(file, *args, **kwargs):
        if isinstance(file, (str, os.PathLike)) and os.path.realpath(file) == blocked:
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    real_os_open = os.open

    def guarded_os_open(file, *args, **kwargs):
        if isinstance(file, (str, os.PathLike)) and os.path.realpath(file) == blocked:
            raise PermissionError(13, "Permission denied", str(file))
        return real_os_open(file, *args, **kwargs)

    monkeypatch.setattr(io, "open", guarded_open)
    monkeypatch.setattr(builtins, "open", guarded_open)
    monkeypatch.setattr(os, "open", guarded_os_open)


@pytest.mark.parametrize("target", ["partitions.yml", "regions.yml", "domains.yaml", DTS,
                                    f"{APP}/zephyr/.config", "CMakeCache.txt",
                                    f"{APP}/zephyr/include/generated/pm_config.h"])
def test_unreadable_file(build, monkeypatch, target):
    _unreadable(monkeypatch, build / target)
    try:
        assert_clear(verify(build), [target, str(build)])
    finally:
        os.chmod(build / target, 0o644)


def _domains(build: Path, fn) -> None:
    import yaml

    data = yaml.safe_load((build / "domains.yaml").read_text())
    fn(data)
    (build / "domains.yaml").write_text(yaml.safe_dump(data, sort_keys=False))


def test_domains_pointing_to_paths_that_no_longer_exist(build, clean_result):
    """A moved or copied build: the fixture already records another
    machine's paths; paths under a deleted directory read the same."""
    def fn(d):
        for entry in d["domains"]:
            entry["build_dir"] = f"/nonexistent/old/build/{entry['name']}"
    _domains(build, fn)
    assert_same_as_clean(verify(build), clean_result, build)


@pytest.mark.parametrize("where", ["/etc", "/", "../../..", "..", "/proc/self"])
def test_domains_pointing_outside_the_build_reads_nothing_there(build, clean_result, where):
    def fn(d):
        for entry in d["domains"]:
            entry["build_dir"] = where
    _domains(build, fn)
    assert_same_as_clean(verify(build), clean_result, build)


def test_domains_pointing_to_another_real_build_is_not_read(build, clean_result, tmp_path):
    other = tmp_path / "other"
    shutil.copytree(build, other)
    (other / "mcuboot" / "zephyr" / "zephyr.dts").write_text("garbage")

    def fn(d):
        for entry in d["domains"]:
            entry["build_dir"] = str(other / entry["name"])
    _domains(build, fn)
    assert_same_as_clean(verify(build), clean_result, build)


@pytest.mark.parametrize("name", ["../../etc", "/etc", "..", ".", "a/b", "a\\b", ""])
def test_domain_names_that_are_paths(build, name):
    def fn(d):
        d["domains"][1]["name"] = name
    _domains(build, fn)
    code, out, err = verify(build)
    if code == 0:  # an empty name is skipped as no image: the rest verified
        assert name == "" and "Traceback" not in err
        return
    assert_clear((code, out, err), ["domains.yaml", "mcuboot", str(build)])


def test_domains_with_no_domains(build):
    _domains(build, lambda d: d.update(domains=[]))
    assert_clear(verify(build, "--strict"), ["domains.yaml", "MCUboot", "mcuboot", str(build)])


# ------------------------------------------------------- real processes


def _env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO_ROOT / "extension")
    env["NO_COLOR"] = "1"
    return env


@pytest.mark.timeout(60)
@pytest.mark.parametrize("case", ["alias-bomb", "100mb", "dts-syntax", "symlink-loop",
                                  "python-tag"])
def test_real_process_one_line_no_traceback(build, case):
    """The same through `python -m extflash`: what a CI job sees."""
    if case == "alias-bomb":
        (build / "partitions.yml").write_text(billion_laughs())
        name = "partitions.yml"
    elif case == "100mb":
        with open(build / "regions.yml", "r+b") as f:
            f.truncate(100 << 20)
        name = "regions.yml"
    elif case == "dts-syntax":
        edit(build / DTS, DTS_BAD["syntax-unbalanced-brace"])
        name = "zephyr.dts"
    elif case == "symlink-loop":
        (build / "domains.yaml").unlink()
        os.symlink("domains.yaml", build / "domains.yaml")
        name = "domains.yaml"
    else:
        shutil.copyfile(HERE / "yaml" / "python-object-tag.yml", build / "partitions.yml")
        name = "partitions.yml"
    proc = subprocess.run([sys.executable, "-m", "extflash", "verify", "-d", str(build)],
                          env=_env(), capture_output=True, text=True, timeout=50)
    assert_clear((proc.returncode, proc.stdout, proc.stderr), name)


@pytest.mark.timeout(60)
def test_real_process_json_stays_one_document(build):
    import json

    (build / "partitions.yml").write_text(billion_laughs())
    proc = subprocess.run([sys.executable, "-m", "extflash", "verify", "-d", str(build),
                           "--format", "json"], env=_env(), capture_output=True, text=True,
                          timeout=50)
    assert proc.returncode == 2
    doc = json.loads(proc.stdout)
    assert doc["exit_code"] == 2 and "partitions.yml" in doc["builds"][0]["error"]
    assert "Traceback" not in proc.stderr


@pytest.mark.e2e
@pytest.mark.timeout(120)
@pytest.mark.parametrize("case", ["alias-bomb", "symlink-to-dev-zero", "init-board-escape"])
def test_real_west_one_line_no_traceback(build, case, workspaces, west_env, tmp_path):
    """Through the real `python -m west` in an offline workspace."""
    from conftest import run_west

    ws = workspaces["self"]
    if case == "alias-bomb":
        (build / "partitions.yml").write_text(billion_laughs())
        args, name = ["extflash", "verify", "-d", str(build)], "partitions.yml"
    elif case == "symlink-to-dev-zero":
        (build / "regions.yml").unlink()
        os.symlink("/dev/zero", build / "regions.yml")
        args, name = ["extflash", "verify", "-d", str(build)], "regions.yml"
    else:
        app = tmp_path / "app"
        shutil.copytree(REPO_ROOT / "tests" / "fixtures" / "apps" / "hello", app)
        args, name = ["extflash", "init", "-b", "../../etc/passwd", str(app)], "../../etc/passwd"
    proc = run_west(args, cwd=ws, env=west_env, check=False, timeout=100)
    assert_clear((proc.returncode, proc.stdout, proc.stderr), name)
