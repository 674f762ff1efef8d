"""The extension as west sees it: its registration file, the shim, and the
real west in offline workspaces of every inclusion mode."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO_ROOT, run_west


def test_west_commands_yml_passes_west_schema():
    """A broken west-commands.yml breaks every west command in the user's
    workspace, so it is checked with west's own schema."""
    import west
    from pykwalify.core import Core

    data = yaml.safe_load((REPO_ROOT / "west-commands.yml").read_text())
    schema = Path(west.__file__).parent / "west-commands-schema.yml"
    Core(source_data=data, schema_files=[str(schema)]).validate(raise_exception=True)
    for group in data["west-commands"]:
        assert (REPO_ROOT / group["file"]).is_file()
        for command in group["commands"]:
            # west needs name (KeyError otherwise) and class (defaults to name)
            assert {"name", "class", "help"} <= set(command)


def test_west_yml_is_only_self_west_commands():
    data = yaml.safe_load((REPO_ROOT / "west.yml").read_text())
    assert data == {"manifest": {"self": {"west-commands": "west-commands.yml"}}}


def test_shim_loads_the_way_west_loads_it():
    """west execs the file under a synthetic module name, not in sys.modules."""
    data = yaml.safe_load((REPO_ROOT / "west-commands.yml").read_text())
    group = data["west-commands"][0]
    spec = importlib.util.spec_from_file_location("west.commands.ext.cmd_1",
                                                  REPO_ROOT / group["file"])
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    cls = getattr(module, group["commands"][0]["class"])
    assert cls().name == "extflash"


HEAVY = ("pykwalify.core", "devicetree", "devicetree.dtlib", "extflash.checks",
         "extflash.loaders", "extflash.scaffold", "extflash.verify")


def _modules_after(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys, json\n"
                          "print(json.dumps(sorted(sys.modules)))"],
                         capture_output=True, text=True, check=True, cwd=REPO_ROOT)
    return set(json.loads(out.stdout.splitlines()[-1]))


def test_loading_the_extension_imports_nothing_heavy():
    """`west help` / `west extflash -h` load the shim and build the parser:
    that must not import pykwalify.core, the devicetree library or checks."""
    code = ("import importlib.util, argparse\n"
            "spec = importlib.util.spec_from_file_location('west.commands.ext.cmd_1', "
            "'scripts/west_extflash.py')\n"
            "m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)\n"
            "p = argparse.ArgumentParser(); m.ExtFlash().do_add_parser(p.add_subparsers())\n")
    # west.commands itself imports pykwalify.core to validate west-commands.yml;
    # what counts is what the extension adds on top of west.
    west_baseline = _modules_after("import west.commands, west.app.main")
    added = _modules_after(code) - west_baseline
    assert not added & set(HEAVY), added & set(HEAVY)


def test_standalone_help_imports_nothing_heavy():
    code = ("import sys; sys.path.insert(0, 'extension')\n"
            "from extflash.command.parser import standalone_parser\n"
            "standalone_parser().format_help()\n")
    loaded = _modules_after(code)
    assert not loaded & set(HEAVY)
    assert "west.commands" not in loaded  # standalone does not pay for west


@pytest.mark.e2e
@pytest.mark.parametrize("mode", ["project", "import", "self"])
def test_west_help_lists_extflash(workspaces, west_env, mode):
    ws = workspaces[mode]
    proc = run_west(["help"], cwd=ws, env=west_env)
    assert "extflash:" in proc.stdout
    assert "scaffold and verify MCUboot's secondary slot" in proc.stdout
    project = "manifest" if mode == "self" else "west-extflash"
    assert f"extension commands from project {project}" in proc.stdout


@pytest.mark.e2e
@pytest.mark.parametrize("mode", ["project", "import", "self"])
def test_west_extflash_subcommand_help(workspaces, west_env, mode):
    ws = workspaces[mode]
    top = run_west(["extflash", "-h"], cwd=ws, env=west_env)
    assert "usage: west extflash" in top.stdout
    assert "init" in top.stdout and "verify" in top.stdout
    init = run_west(["extflash", "init", "-h"], cwd=ws, env=west_env)
    assert "usage: west extflash init" in init.stdout
    assert "--board" in init.stdout and "--dry-run" in init.stdout
    verify = run_west(["extflash", "verify", "-h"], cwd=ws, env=west_env)
    assert "usage: west extflash verify" in verify.stdout


@pytest.mark.e2e
def test_west_extflash_requires_a_subcommand(workspaces, west_env):
    proc = run_west(["extflash"], cwd=workspaces["project"], env=west_env, check=False)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr


def test_python_dash_m_help():
    proc = subprocess.run([sys.executable, "-m", "extflash", "-h"], capture_output=True,
                          text=True, cwd=REPO_ROOT / "extension")
    assert proc.returncode == 0
    assert "usage: extflash" in proc.stdout
