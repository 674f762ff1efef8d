"""What a generated build directory contains, as data (``BuildSpec``).

A spec lists the images (each with its Kconfig values, devicetree
additions and the PM partition it is linked into), the Partition Manager
domains, the sysbuild options and where the original build lived (the
absolute paths that end up in ``domains.yaml`` and ``CMakeCache.txt``).
Specs are plain mutable dataclasses: negative cases ``copy.deepcopy`` a
base spec and change one fact.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fixturegen.dts import DtsSources, FixedPartitions
from fixturegen.pm import PmDomain


@dataclass
class ImageSpec:
    name: str
    role: str  # app, mcuboot, netcore, other
    dir: str  # relative to the build root ("" = top level, child image app)
    board_target: str
    model: str  # fixturegen.boards module
    sources: DtsSources
    kconfig: dict = field(default_factory=dict)
    chosen: dict = field(default_factory=dict)
    chosen_sources: dict = field(default_factory=dict)
    status: dict = field(default_factory=dict)
    props: dict = field(default_factory=dict)
    extra_nodes: tuple = ()
    partitions: tuple[FixedPartitions, ...] = ()
    delete: tuple[str, ...] = ()
    domain: str = ""  # PM domain ("" or "CPUNET")
    pm_partition: str | None = None  # the partition this image is linked into
    sram: tuple[int, int] = (0x20000000, 0x40000)
    source_dir: str = ""  # absolute source dir on the original machine
    peripheral_base: int | None = None  # secure/non-secure peripheral bus of the model


@dataclass
class BuildSpec:
    name: str
    layout: str  # sysbuild | child-image
    ncs_version: str
    zephyr_version: str
    board: str  # CACHED_BOARD
    origin: str  # absolute build dir on the original machine
    app_dir: str  # absolute application source dir on the original machine
    workspace: str  # absolute west workspace on the original machine
    images: list[ImageSpec]
    domains: list[PmDomain]
    sysbuild: dict = field(default_factory=dict)
    pm_region_lines: bool = False  # PM_<X>_REGION in pm.config (NCS >= 3.2)
    dts_comments: bool = True  # "defined in" comments (Zephyr >= 3.7 / NCS >= 2.7)
    provenance: dict = field(default_factory=dict)

    def image(self, name: str) -> ImageSpec:
        return next(i for i in self.images if i.name == name)

    def domain(self, name: str) -> PmDomain:
        return next(d for d in self.domains if d.name == name)
