#!/usr/bin/env python3
"""Benchmark `west extflash` against `west --version`, the start-up cost
every west user already pays (issue #4, "Speed at CI scale").

One command, only the project's own dependencies::

    python scripts/benchmark.py                      # N = 1, 10, 100, 1000
    python scripts/benchmark.py --n 1,10,100 --runs 3 --out /tmp/bench
    python scripts/benchmark.py --n 1,10 --runs 21 --against ../main   # before/after

It makes a temporary, offline west workspace whose manifest repository is a
copy of this working tree (``west init -l``, the self-manifest mode),
generates N realistic build directories with the test suite's fixture
generator (tests/fixturegen: real-sized 30-40 KB ``zephyr.dts`` per image,
Partition Manager output, every image's ``.config`` and ``pm_config.h``),
then times whole processes side by side (median of ``--runs``), each with
its wall time and its CPU time (user + system of the process and the
children it waited for, from ``wait4``; each command row gives both as a
ratio to ``west --version``: on a shared machine wall time also measures
the other jobs, CPU time only this one):

- ``west --version`` (baseline), ``west extflash -h``,
  ``west extflash verify -d <one build>``, ``west extflash init`` on a copy
  of the example application (``--dry-run`` and real);
- ``west extflash verify --all-under <dir>`` for each N: wall time, the
  marginal time per build (least-squares slope), whether the cost is
  linear in N, and the peak resident memory of the largest process;
- in-process: time spent in the devicetree library per build against the
  rest of ``verify`` and the checks alone, and the import time of
  ``extflash.command`` standalone and through west's shim.

It prints a table with each target of issue #4 and PASS/MISS. Nothing here
is a test: timings depend on the machine. Exit status 0 even on MISS
(``--strict`` makes a MISS exit 1).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT / "extension"))
sys.path.insert(0, str(REPO_ROOT / "tests"))

_IGNORE = shutil.ignore_patterns(".git", "__pycache__", "*.pyc", ".pytest_cache", ".venv", ".v",
                                 "build", "*.egg-info", ".hypothesis", "bench-out")


# ------------------------------------------------------------------ helpers


def isolated_env(home: Path) -> dict:
    """No user/system west or git configuration, no ZEPHYR_BASE, no colour."""
    env = dict(os.environ)
    for var in ("ZEPHYR_BASE", "WEST_CONFIG_LOCAL", "GIT_DIR", "GIT_WORK_TREE", "BOARD"):
        env.pop(var, None)
    home.mkdir(parents=True, exist_ok=True)
    (home / "gitconfig").write_text("")
    env.update(HOME=str(home), WEST_CONFIG_GLOBAL=str(home / "west-global"),
               WEST_CONFIG_SYSTEM=str(home / "west-system"), GIT_CONFIG_NOSYSTEM="1",
               GIT_CONFIG_GLOBAL=str(home / "gitconfig"), GIT_TERMINAL_PROMPT="0",
               NO_COLOR="1", PYTHONDONTWRITEBYTECODE="")
    return env


def west_cmd() -> list[str]:
    """The ``west`` a user runs: the entry-point script next to this
    interpreter if there is one, else ``python -m west``."""
    script = Path(sys.executable).parent / "west"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "west"]


class Sample:
    def __init__(self, wall: float, cpu: float, maxrss_kb: int, code: int):
        self.wall, self.cpu, self.maxrss_kb, self.code = wall, cpu, maxrss_kb, code


def run_once(argv: list[str], cwd: Path, env: dict) -> Sample:
    """Wall time and peak RSS (largest process of the tree: ru_maxrss of
    wait4 covers the child and its waited-for descendants)."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    stderr_data = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    proc.stderr.close()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"benchmark: {' '.join(argv)} exited {proc.returncode}:\n"
                         f"{stderr_data.decode(errors='replace')}")
    return Sample(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, proc.returncode)


def measure(argv: list[str], cwd: Path, env: dict, runs: int, warmup: int = 1,
            before=None) -> dict:
    for _ in range(warmup):
        if before:
            before()
        run_once(argv, cwd, env)
    samples = []
    for _ in range(runs):
        if before:
            before()
        samples.append(run_once(argv, cwd, env))
    walls = [s.wall for s in samples]
    return {"median": statistics.median(walls), "min": min(walls), "max": max(walls),
            "cpu": statistics.median(s.cpu for s in samples),
            "maxrss_kb": max(s.maxrss_kb for s in samples), "code": samples[-1].code}


def interleaved(commands: dict[str, tuple[list[str], Path]], env: dict, runs: int) -> dict:
    """Each command once per round, in turn, ``runs`` rounds (after one
    warm-up round): commands compared this way see the same machine load."""
    samples: dict[str, list[Sample]] = {k: [] for k in commands}
    for round_ in range(runs + 1):
        for key, (argv, cwd) in commands.items():
            sample = run_once(argv, cwd, env)
            if round_:
                samples[key].append(sample)
    return {k: {"median": statistics.median(s.wall for s in v), "min": min(s.wall for s in v),
                "max": max(s.wall for s in v), "cpu": statistics.median(s.cpu for s in v),
                "maxrss_kb": max(s.maxrss_kb for s in v), "code": v[-1].code}
            for k, v in samples.items()}


def fit(xs: list[float], ys: list[float]) -> tuple[float, float, float]:
    """Least squares y = a + b x; returns (a, b, r^2)."""
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=False))
    b = sxy / sxx if sxx else 0.0
    a = my - b * mx
    ss_tot = sum((y - my) ** 2 for y in ys)
    ss_res = sum((y - a - b * x) ** 2 for x, y in zip(xs, ys, strict=False))
    r2 = 1 - ss_res / ss_tot if ss_tot else 1.0
    return a, b, r2


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


# ---------------------------------------------------------------- workspace


def make_workspace(out: Path, env: dict, tree: Path = REPO_ROOT,
                   name: str = "ws") -> tuple[Path, Path]:
    """A self-manifest workspace (``west init -l``) holding a copy of
    ``tree`` (this working tree by default); returns (topdir, manifest
    repository)."""
    ws = out / name
    if ws.exists():
        shutil.rmtree(ws)
    ws.mkdir(parents=True)
    repo = ws / "west-extflash"
    shutil.copytree(tree, repo, ignore=_IGNORE, symlinks=True)
    subprocess.run(west_cmd() + ["init", "-l", str(repo)], cwd=ws, env=env, check=True,
                   capture_output=True)
    return ws, repo


def generate_builds(dest: Path, n: int) -> list[Path]:
    """N realistic build directories under ``dest`` (twister-like tree)."""
    from fixturegen import generate_many

    return generate_many(dest, n)


def example_app(repo: Path) -> Path:
    return repo / "tests" / "fixtures" / "apps" / "hello"


# ------------------------------------------------------------- in-process


def in_process_profile(builds: list[Path]) -> dict:
    """Per build: total verify time, time in dtlib parsing, the checks alone."""
    import cProfile
    import pstats

    from extflash.verify import verify_build

    verify_build(builds[0])  # warm up imports and schema caches
    totals = []
    prof = cProfile.Profile()
    for b in builds:
        t0 = time.perf_counter()
        verify_build(b)
        totals.append(time.perf_counter() - t0)
    # where the time goes, from one profiled pass over the same builds
    prof.enable()
    for b in builds:
        verify_build(b)
    prof.disable()
    stats = pstats.Stats(prof)
    profiled_total = sum(v[3] for k, v in stats.stats.items()
                         if k[2] == "verify_build")
    dt_time = sum(v[3] for k, v in stats.stats.items()
                  if k[0].endswith(os.path.join("devicetree", "dtlib.py"))
                  and k[2] == "__init__")
    checks_time = sum(v[3] for k, v in stats.stats.items()
                      if k[0].endswith(os.path.join("extflash", "checks", "__init__.py"))
                      and k[2] == "run")
    def share(t: float) -> float:
        return t / profiled_total if profiled_total else 0.0

    per_build = statistics.median(totals)
    return {"verify_ms": per_build * 1000,
            "dtlib_ms": per_build * share(dt_time) * 1000,
            "checks_ms": per_build * share(checks_time) * 1000,
            "dtlib_share": share(dt_time), "checks_share": share(checks_time)}


def import_times(env: dict, runs: int) -> dict:
    """Import time of extflash.command (parser included), standalone and as
    west loads the shim (on top of west's own modules)."""
    standalone = (
        "import sys, time; sys.path.insert(0, {!r}); t = time.perf_counter();\n"
        "from extflash.command.parser import standalone_parser; standalone_parser()\n"
        "print(time.perf_counter() - t)".format(str(REPO_ROOT / "extension")))
    shim = (
        "import time, argparse, importlib.util; import west.app.main, west.commands\n"
        "t = time.perf_counter()\n"
        "spec = importlib.util.spec_from_file_location('west.commands.ext.x', {!r})\n"
        "m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)\n"
        "p = argparse.ArgumentParser(); m.ExtFlash().do_add_parser(p.add_subparsers())\n"
        "print(time.perf_counter() - t)".format(str(REPO_ROOT / "scripts" / "west_extflash.py")))
    result = {}
    for name, code in (("standalone", standalone), ("west shim", shim)):
        values = []
        for _ in range(runs + 1):
            out = subprocess.run([sys.executable, "-c", code], env=env, check=True,
                                 capture_output=True, text=True)
            values.append(float(out.stdout.strip().splitlines()[-1]))
        result[name] = statistics.median(values[1:])
    return result


# --------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", default="1,10,100,1000",
                    help="comma-separated build counts for verify --all-under "
                         "(default: %(default)s)")
    ap.add_argument("--runs", type=int, default=5, help="timed runs per row; the median is shown")
    ap.add_argument("--out", type=Path, help="work directory (default: a temporary one, removed)")
    ap.add_argument("--keep", action="store_true", help="keep the work directory")
    ap.add_argument("--json", type=Path, help="also write the raw figures here")
    ap.add_argument("--strict", action="store_true", help="exit 1 if a target is missed")
    ap.add_argument("--against", type=Path, metavar="TREE",
                    help="another checkout (e.g. `git worktree` of main): its single-build "
                         "verify is timed interleaved with this one's and west --version")
    args = ap.parse_args(argv)
    counts = sorted({int(x) for x in args.n.split(",") if x.strip()})

    tmp = Path(tempfile.mkdtemp(prefix="extflash-bench-")) if args.out is None else args.out
    tmp.mkdir(parents=True, exist_ok=True)
    try:
        return run(args, counts, tmp.resolve())
    finally:
        if args.out is None and not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)


def run(args, counts: list[int], tmp: Path) -> int:
    env = isolated_env(tmp / "home")
    print(f"benchmark: python {platform.python_version()}, {platform.machine()}, "
          f"{os.cpu_count()} cores, {args.runs} runs per row (median)", file=sys.stderr)
    ws, repo = make_workspace(tmp, env)
    west = west_cmd()
    runs = args.runs

    print("benchmark: generating build directories ...", file=sys.stderr)
    t0 = time.perf_counter()
    trees, generated = {}, {}
    for n in counts:
        trees[n] = ws / f"twister-out-{n}"
        if trees[n].exists():
            shutil.rmtree(trees[n])
        generated[n] = generate_builds(trees[n], n)
    from fixturegen import FIXTURES, write_build

    # the single build: nRF52840 DK, sysbuild, application + MCUboot
    one_build = write_build(ws / "build", FIXTURES["nrf52840dk-sysbuild"]())
    print(f"benchmark: generated {sum(counts) + 1} builds in {time.perf_counter() - t0:.1f} s",
          file=sys.stderr)
    dts_sizes = [p.stat().st_size for n in counts for b in generated[n][:8]
                 for p in b.rglob("zephyr.dts")]

    app_src = example_app(repo)
    app = tmp / "app"

    def fresh_app():
        if app.exists():
            shutil.rmtree(app)
        shutil.copytree(app_src, app)

    fresh_app()
    board = ["-b", "nrf52840dk/nrf52840"]
    rows = {}
    against = None
    if args.against is not None:
        print(f"benchmark: interleaving verify -d with {args.against} ...", file=sys.stderr)
        other_ws, _ = make_workspace(tmp, env, args.against.resolve(), "ws-against")
        verify1 = ["extflash", "verify", "-d", str(one_build)]
        against = interleaved({"baseline": (west + ["--version"], ws),
                               "against": (west + verify1, other_ws),
                               "this": (west + verify1, ws)}, env, runs)
    print("benchmark: timing single commands ...", file=sys.stderr)
    rows["baseline"] = measure(west + ["--version"], ws, env, runs)
    rows["help"] = measure(west + ["extflash", "-h"], ws, env, runs)
    rows["verify1"] = measure(west + ["extflash", "verify", "-d", str(one_build)], ws, env, runs)
    rows["init-dry"] = measure(west + ["extflash", "init", *board, "--dry-run", str(app)],
                               ws, env, runs, before=fresh_app)
    rows["init"] = measure(west + ["extflash", "init", *board, str(app)], ws, env, runs,
                           before=fresh_app)

    many = {}
    for n in counts:
        print(f"benchmark: verify --all-under, N={n} ...", file=sys.stderr)
        many[n] = measure(west + ["extflash", "verify", "--all-under", str(trees[n]),
                                  "--format", "json"], ws, env, runs if n < 1000 else
                          max(1, min(runs, 3)))

    print("benchmark: profiling in-process ...", file=sys.stderr)
    sample = generated[max(counts)][:20]
    profile = in_process_profile(sample)
    imports = import_times(env, runs)

    base = rows["baseline"]["median"]
    results = []

    def row(name, value, target="", ok=None):
        results.append((name, value, target, "" if ok is None else "PASS" if ok else "MISS"))

    def timing(r) -> str:
        return f"{ms(r['median'])} (min {ms(r['min'])}, cpu {ms(r['cpu'])})"

    row("west --version (baseline)", timing(rows["baseline"]))
    for key, label, factor in (("help", "west extflash -h", 1.1),
                               ("verify1", "west extflash verify -d <1 build>", 1.5),
                               ("init-dry", "west extflash init --dry-run", 1.3),
                               ("init", "west extflash init", 1.3)):
        ratio = rows[key]["median"] / base
        best = rows[key]["min"] / rows["baseline"]["min"]
        # CPU (user+sys of the process and its waited-for children, from
        # wait4) beside wall: on a loaded machine wall time includes waiting
        # for a core, CPU time is the work this command itself does
        cpu_ratio = rows[key]["cpu"] / rows["baseline"]["cpu"] if rows["baseline"]["cpu"] else 0
        row(label, f"{timing(rows[key])} = {ratio:.2f}x wall (min/min {best:.2f}x), "
            f"{cpu_ratio:.2f}x cpu", f"<= {factor}x baseline (wall)", ratio <= factor)
    if against is not None:
        b = against["baseline"]
        for key, label in (("baseline", "interleaved: west --version"),
                           ("against", f"interleaved: verify -d, {args.against.name}"),
                           ("this", "interleaved: verify -d, this tree")):
            r = against[key]
            row(label, f"{timing(r)} = {r['median'] / b['median']:.2f}x wall, "
                f"{r['cpu'] / b['cpu']:.2f}x cpu" if key != "baseline" else timing(r))
    for n in counts:
        row(f"verify --all-under, N={n}", f"{timing(many[n])}, "
            f"{many[n]['maxrss_kb'] / 1024:.0f} MiB peak RSS")
    if len(counts) >= 2:
        xs = [float(n) for n in counts]
        _, slope, r2 = fit(xs, [many[n]["median"] for n in counts])
        _, cpu_slope, _ = fit(xs, [many[n]["cpu"] for n in counts])
        cores = os.cpu_count() or 1
        target_ms = 30.0 * 2 / cores  # 30 ms per build on 2 cores; scaled to this machine
        row("marginal wall time per build (slope)", f"{slope * 1000:.1f} ms "
            f"(cpu {cpu_slope * 1000:.1f} ms / {cores} cores = {cpu_slope * 1000 / cores:.1f})",
            f"<= {target_ms:.0f} ms ({cores} cores)", slope * 1000 <= target_ms)
        # linear: a straight line explains the times (r^2), and the cost per
        # build between the two largest N is within 25% of the overall slope
        a, b = counts[-2], counts[-1]
        tail = (many[b]["median"] - many[a]["median"]) / (b - a)
        row("cost linear in N", f"r^2 = {r2:.4f}; {tail * 1000:.1f} ms/build from N={a} to {b}",
            "r^2 >= 0.99, tail within 25% of slope",
            r2 >= 0.99 and abs(tail - slope) <= 0.25 * slope)
        rss = [many[n]["maxrss_kb"] for n in counts]
        growth = rss[-1] / rss[0]
        row("memory flat in N", f"{rss[0] / 1024:.0f} -> {rss[-1] / 1024:.0f} MiB "
            f"({growth:.2f}x)", "<= 1.25x, smallest to largest N", growth <= 1.25)
    row("verify per build, in-process, one core", f"{profile['verify_ms']:.1f} ms")
    row("  devicetree parsing (dtlib)", f"{profile['dtlib_ms']:.1f} ms "
        f"({profile['dtlib_share']:.0%})")
    row("  the checks", f"{profile['checks_ms']:.1f} ms ({profile['checks_share']:.0%})",
        "small beside dtlib", profile["checks_ms"] <= profile["dtlib_ms"] / 4)
    row("import extflash.command + parser (standalone)", ms(imports["standalone"]))
    row("import via west shim + parser (after west)", ms(imports["west shim"]))

    try:
        load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        load = "unknown"
    print()
    print(f"zephyr.dts per image: {min(dts_sizes) / 1024:.0f}-{max(dts_sizes) / 1024:.0f} KiB; "
          f"{os.cpu_count()} cores; python {platform.python_version()}; "
          f"load average {load} (other work on the machine inflates wall times)")
    header = ("measurement", "median wall (min, cpu)", "target", "")
    widths = [max(len(str(r[i])) for r in results + [header]) for i in range(4)]
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=False)).rstrip())
    print("  ".join("-" * w for w in widths))
    for r in results:
        print("  ".join(str(v).ljust(w) for v, w in zip(r, widths, strict=False)).rstrip())
    missed = [r for r in results if r[3] == "MISS"]
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, "many": {str(k): v for k, v in
                                                                many.items()},
                                         "profile": profile, "imports": imports,
                                         "against": against, "table": results}, indent=2))
    return 1 if (missed and args.strict) else 0


if __name__ == "__main__":
    sys.exit(main())
