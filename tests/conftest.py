"""Shared test harness.

- ``extension/`` goes on sys.path, so tests import the working tree's
  ``extflash`` (not an installed copy).
- ``run_cli`` runs the standalone command in-process and returns
  ``(exit_code, stdout, stderr)``.
- ``west_env`` / ``ext_remote`` / ``make_workspace`` run the REAL west
  (``python -m west``) in temporary, fully offline workspaces whose manifest
  includes a snapshot of this repository's working tree; west and git
  configuration are isolated from the machine's.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
TESTS_DIR = REPO_ROOT / "tests"
FIXTURES = TESTS_DIR / "fixtures"
CORPUS = REPO_ROOT.parent / "shared" / "corpus"

sys.path.insert(0, str(REPO_ROOT / "extension"))

GIT_IDENTITY = [
    "-c", "user.name=extflash tests",
    "-c", "user.email=tests@example.invalid",
    "-c", "commit.gpgsign=false",
    "-c", "init.defaultBranch=main",
]


def run_cli(argv: list[str], cwd: Path | None = None) -> tuple[int, str, str]:
    """Run ``extflash ARGV`` in-process; return (exit code, stdout, stderr)."""
    from extflash.command import dispatch
    from extflash.command.context import Context
    from extflash.command.output import INF, Output
    from extflash.command.parser import standalone_parser

    out, err = io.StringIO(), io.StringIO()
    old_cwd = os.getcwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        try:
            parser = standalone_parser()
            real_stderr, real_stdout = sys.stderr, sys.stdout
            sys.stderr, sys.stdout = err, out
            try:
                args = parser.parse_args(argv)
            finally:
                sys.stderr, sys.stdout = real_stderr, real_stdout
        except SystemExit as e:
            return int(e.code or 0), out.getvalue(), err.getvalue()
        verbosity = max(0, INF + args.verbose - args.quiet)
        ctx = Context(
            out=Output(out, err, color=False, verbosity=verbosity),
            cwd=Path.cwd(),
            # GITHUB_ACTIONS would switch the default format to github annotations
            env={k: v for k, v in os.environ.items() if k not in ("BOARD", "GITHUB_ACTIONS")},
        )
        code = dispatch.run(args, ctx)
    finally:
        os.chdir(old_cwd)
    return code, out.getvalue(), err.getvalue()


# ------------------------------------------------------------- the corpus


def require_corpus(path: Path) -> Path:
    """``path`` (inside ../shared/corpus) for a test that reads it.

    The corpus is third-party material that is never copied into the repository;
    CI has ``../shared`` beside the clone. When it is missing, the test FAILS if the
    environment variable ``CI`` is set (a missing oracle is not a pass) and is
    skipped otherwise (a fresh clone on a laptop). Every corpus-reading test calls
    this before reading."""
    if path.exists():
        return path
    why = f"{path} is missing (the corpus is ../shared/corpus beside the clone)"
    if os.environ.get("CI"):
        pytest.fail(f"{why}; CI requires it (the environment variable CI is set)",
                    pytrace=False)
    pytest.skip(why)


def corpus_params(*parts: str, pattern: str = "*", dirs: bool = False) -> list:
    """pytest parameters for the entries of a corpus folder matching ``pattern``
    (folders when ``dirs``). When the folder is missing there is one parameter,
    the folder itself, so the test runs and ``require_corpus`` fails or skips it
    instead of pytest silently collecting nothing."""
    folder = CORPUS.joinpath(*parts)
    if not folder.is_dir():
        return [pytest.param(folder, id="corpus-missing")]
    return [pytest.param(p, id=p.name) for p in sorted(folder.glob(pattern))
            if p.is_dir() == dirs]


@pytest.fixture
def corpus() -> Path:
    """../shared/corpus for a test that reads it (see require_corpus)."""
    return require_corpus(CORPUS)


@pytest.fixture
def cli():
    return run_cli


# ---------------------------------------------------------------- real west


def _git(*args: str, cwd: Path, env: dict) -> None:
    subprocess.run(["git", *GIT_IDENTITY, *args], cwd=cwd, env=env, check=True,
                   capture_output=True, text=True)


@pytest.fixture(scope="session")
def west_env(tmp_path_factory) -> dict:
    """Environment for every west/git subprocess: no user or system config,
    no ZEPHYR_BASE, no prompts, no network."""
    home = tmp_path_factory.mktemp("home")
    env = dict(os.environ)
    for var in ("ZEPHYR_BASE", "WEST_CONFIG_LOCAL", "GIT_DIR", "GIT_WORK_TREE", "BOARD",
                "GITHUB_ACTIONS"):
        env.pop(var, None)
    (home / "gitconfig").write_text("")
    env.update(
        HOME=str(home),
        WEST_CONFIG_GLOBAL=str(home / "west-global"),
        WEST_CONFIG_SYSTEM=str(home / "west-system"),
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=str(home / "gitconfig"),
        GIT_TERMINAL_PROMPT="0",
        NO_COLOR="1",
    )
    return env


_SNAPSHOT_IGNORE = shutil.ignore_patterns(
    ".git", "__pycache__", "*.pyc", ".pytest_cache", ".venv", ".v", "build", "*.egg-info",
    ".hypothesis",
)


@pytest.fixture(scope="session")
def ext_remote(tmp_path_factory, west_env) -> Path:
    """A git repository holding a snapshot of this working tree, uncommitted
    edits included: what a user gets from `west update`."""
    remote = tmp_path_factory.mktemp("remotes") / "west-extflash"
    shutil.copytree(REPO_ROOT, remote, ignore=_SNAPSHOT_IGNORE, symlinks=True)
    _git("init", "-q", cwd=remote, env=west_env)
    _git("add", "-A", cwd=remote, env=west_env)
    _git("commit", "-q", "-m", "snapshot", cwd=remote, env=west_env)
    _git("branch", "-M", "main", cwd=remote, env=west_env)
    return remote


def run_west(args: list[str], cwd: Path, env: dict, check: bool = True,
             timeout: float = 120) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, "-m", "west", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout)
    if check and proc.returncode != 0:
        raise AssertionError(
            f"west {' '.join(args)} -> {proc.returncode}\n{proc.stdout}\n{proc.stderr}")
    return proc


def _manifest_repo(path: Path, body: str, env: dict) -> Path:
    path.mkdir(parents=True)
    (path / "west.yml").write_text(body)
    _git("init", "-q", cwd=path, env=env)
    _git("add", "-A", cwd=path, env=env)
    _git("commit", "-q", "-m", "manifest", cwd=path, env=env)
    _git("branch", "-M", "main", cwd=path, env=env)
    return path


def make_workspace(tmp: Path, mode: str, remote: Path, env: dict) -> Path:
    """A west workspace including this repository; returns its topdir.

    mode: ``project`` (listed with west-commands:), ``import`` (import: true)
    or ``self`` (this repository is the manifest repository).
    """
    ws = tmp / f"ws-{mode}"
    if mode == "self":
        ws.mkdir()
        shutil.copytree(remote, ws / "west-extflash", ignore=shutil.ignore_patterns(".git"))
        run_west(["init", "-l", "west-extflash"], cwd=ws, env=env)
        return ws
    if mode == "project":
        entry = """      path: modules/tools/west-extflash
      west-commands: west-commands.yml"""
    elif mode == "import":
        entry = "      import: true"
    else:
        raise ValueError(mode)
    body = f"""manifest:
  projects:
    - name: west-extflash
      url: {remote}
      revision: main
{entry}
  self:
    path: app-manifest
"""
    manifest = _manifest_repo(tmp / f"manifest-{mode}", body, env)
    run_west(["init", "-m", str(manifest), "--mr", "main", str(ws)], cwd=tmp, env=env)
    run_west(["update"], cwd=ws, env=env)
    return ws


@pytest.fixture(scope="session")
def workspaces(tmp_path_factory, ext_remote, west_env) -> dict[str, Path]:
    """One workspace per inclusion mode, made once per test session."""
    tmp = tmp_path_factory.mktemp("workspaces")
    return {mode: make_workspace(tmp, mode, ext_remote, west_env)
            for mode in ("project", "import", "self")}
