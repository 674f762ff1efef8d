"""fixturegen: write realistic NCS build directories for tests and benchmarks.

API
---
``write_build(dest, spec) -> Path``
    Write the build tree described by ``spec`` (a ``BuildSpec``) into
    ``dest``: CMakeCache.txt, domains.yaml (sysbuild; absolute paths of the
    original machine), the sysbuild ``zephyr/.config``, Partition Manager
    output (``partitions*.yml``, ``regions*.yml``, ``pm*.config`` in PM's
    real format), and for every image ``zephyr/.config``,
    ``zephyr/zephyr.dts`` and ``zephyr/include/generated/pm_config.h``.
``FIXTURES``
    name -> function returning a fresh ``BuildSpec`` of a clean fixture.
``render_zephyr_dts(model, sources=..., chosen=..., status=..., partitions=...)``
    One image's zephyr.dts from a board node model (``fixturegen.boards``):
    reuse it for devicetree-partition (NCS 3.4) builds by passing the slots
    as ``FixedPartitions`` and leaving the spec's ``domains`` empty.
``generate_many(dest, n) -> list[Path]``
    ``n`` build directories under ``dest`` in a twister-like tree, cycling
    through the clean fixtures (for benchmarks).

``python -m fixturegen`` regenerates tests/fixtures/builds and tests/cases.
"""

from __future__ import annotations

from pathlib import Path

from fixturegen.dts import DtsSources, FixedPartitions, PartitionEntry, render_zephyr_dts
from fixturegen.fixtures import FIXTURES
from fixturegen.pm import Part, PmDomain, Reg
from fixturegen.spec import BuildSpec, ImageSpec
from fixturegen.writer import build_files, write_build

__all__ = ["FIXTURES", "BuildSpec", "DtsSources", "FixedPartitions", "ImageSpec", "Part",
           "PartitionEntry", "PmDomain", "Reg", "build_files", "generate_many",
           "render_zephyr_dts", "write_build"]


def generate_many(dest: Path | str, n: int) -> list[Path]:
    """``n`` builds at ``dest/<platform>/<suite>_<i>/`` (twister's layout)."""
    dest = Path(dest)
    names = sorted(FIXTURES)
    name2files = {name: build_files(FIXTURES[name]()) for name in names}  # render once each
    paths = []
    for i in range(n):
        name = names[i % len(names)]
        path = dest / name / f"mcuboot.external_flash_{i:04d}"
        for rel, text in name2files[name].items():
            (path / rel).parent.mkdir(parents=True, exist_ok=True)
            (path / rel).write_text(text, encoding="utf-8")
        paths.append(path)
    return paths
