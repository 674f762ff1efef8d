"""Everything that reads a build directory. ``load_build(path)`` -> ``Build``.

Loaders read and never judge. A file that cannot be parsed at all raises
``ArtefactError`` (one line: file, what, what to do). Where the build can
still be partly verified, a missing file becomes an ``artefact-missing``
finding and a file that parses but does not fit its schema a ``schema``
finding, both in ``Build.load_findings``; the checks that need the missing
fact then stay silent.
"""

from __future__ import annotations

import os
from pathlib import Path

from extflash.errors import BuildDirError
from extflash.loaders import images as images_mod
from extflash.loaders.build_dir import is_sysbuild
from extflash.loaders.cmake_cache import load_cmake_cache
from extflash.loaders.pm_files import load_pm_maps
from extflash.loaders.problems import missing
from extflash.model import DTS_LABEL2SLOT, Build, Image, Location, Partitioning, Role

LAYOUT_SYSBUILD = "sysbuild"
LAYOUT_CHILD_IMAGE = "child-image"


def _present(path: Path) -> bool:
    """There is something at ``path``, even if it is not a readable regular
    file: a directory, FIFO, device or symlink loop there must fail in
    ``files.read_text`` with what it is, not look like a missing file."""
    return os.path.lexists(path)


def load_build(path: Path | str) -> Build:
    root = Path(path)
    if not root.exists():
        raise BuildDirError("no such build directory", path=root,
                            hint="build first (west build), or pass the build directory with -d")
    if not root.is_dir():
        raise BuildDirError("is not a directory", path=root,
                            hint="pass the build directory with -d, not a file in it")
    cache = load_cmake_cache(root / "CMakeCache.txt")
    no_cache = (cache is None and not _present(root / "CMakeCache.txt")
                and (root / "zephyr" / ".config").is_file())
    if no_cache:  # a committed build without its CMake cache: the Kconfig output still tells
        cache = {}
    if cache is None:
        raise BuildDirError("is not a Zephyr build directory (no CMakeCache.txt)", path=root,
                            hint="build first (west build), or pass the build directory with -d")
    sysbuild = is_sysbuild(root, cache)
    build = Build(path=root, layout=LAYOUT_SYSBUILD if sysbuild else LAYOUT_CHILD_IMAGE)
    board = cache.get("CACHED_BOARD") or cache.get("BOARD")
    build.board = board if isinstance(board, str) and board else None
    if no_cache:
        build.notes.append("no CMakeCache.txt: images found from zephyr/.config files")
        build.load_findings.append(missing(
            "CMakeCache.txt", "CMakeCache.txt is missing: the board and the application's name "
            "are not known here; the images were found from their zephyr/.config files",
            "verify the whole build directory (west build leaves CMakeCache.txt at its top)"))

    if sysbuild:
        _load_sysbuild_config(build)
        dirs = _sysbuild_image_dirs(build)
    else:
        app_name = Path(str(cache.get("APPLICATION_SOURCE_DIR") or cache.get("APP_DIR")
                            or "app")).name or "app"
        dirs = images_mod.child_image_dirs(root, app_name)
    early = _start_mcuboot_devicetree(root, dirs)
    try:
        for image_dir in dirs:
            image = _load_image(build, image_dir, early.get(image_dir.name))
            build.name2image.setdefault(image.name, image)
    finally:
        for pending in early.values():
            pending.discard()

    load_pm_maps(build)
    if not build.domain2map:
        from extflash.loaders.dts_memory_map import fill_memory_maps

        fill_memory_maps(build)
    build.partitioning = _partitioning(build)
    _note_what_was_found(build)
    return build


def _load_sysbuild_config(build: Build) -> None:
    from extflash.loaders.kconfig_files import load_config

    path = build.path / "zephyr" / ".config"
    if _present(path):
        build.sysbuild_config = load_config(path, "SB_CONFIG_")
    else:
        build.load_findings.append(missing(
            "zephyr/.config", "sysbuild Kconfig output zephyr/.config (SB_CONFIG_*) is missing",
            "rebuild the build directory (west build -p); "
            "checks of SB_CONFIG_ options were skipped"))


def _sysbuild_image_dirs(build: Build) -> list[images_mod.ImageDir]:
    from extflash.loaders.domains import load_domains
    from extflash.loaders.problems import schema_findings

    path = build.path / "domains.yaml"
    if not _present(path):
        build.notes.append("no domains.yaml: images found by scanning the build directory")
        return images_mod.scanned_sysbuild_dirs(build.path)
    domains = load_domains(path)
    build.load_findings.extend(schema_findings(domains.data, "domains", "domains.yaml"))
    names = sorted(d.name for d in domains.domains)
    if domains.default is not None and domains.default not in names:
        from extflash.model import SCHEMA, Finding, Severity

        build.load_findings.append(Finding(
            SCHEMA[0], SCHEMA[1], Severity.ERROR,
            f"domains.yaml names '{domains.default}' as the default image, but its domains "
            f"are: {', '.join(names) or 'none'}", "regenerate the build directory (west build -p)",
            Location("domains.yaml", "/default")))
    if any(d.moved for d in domains.domains):
        build.notes.append("domains.yaml records another location (the build was moved or "
                           "copied): images read from this directory instead")
    result = []
    for d in domains.domains:
        try:
            rel = d.dir.relative_to(build.path).as_posix()
        except ValueError:
            rel = d.name
        result.append(images_mod.ImageDir(d.name, rel, d.name == domains.default))
    return result


def _start_mcuboot_devicetree(root: Path, dirs) -> dict:
    """MCUboot's zephyr.dts parsed in a forked child while the other images
    load here (extflash.forked): dtlib is most of a single verify's time."""
    from extflash.forked import Forked, usable

    boot = [d for d in dirs if d.name == "mcuboot" and d.dir]
    if len(dirs) < 2 or not boot or not usable():
        return {}
    path = root / boot[0].dir / "zephyr" / "zephyr.dts"
    if not path.is_file():
        return {}
    from extflash.loaders.devicetree import load_devicetree

    return {"mcuboot": Forked(load_devicetree, path, f"{boot[0].dir}/zephyr/zephyr.dts")}


def _load_image(build: Build, image_dir: images_mod.ImageDir, early=None) -> Image:
    from extflash.loaders.devicetree import load_devicetree
    from extflash.loaders.kconfig_files import load_config
    from extflash.loaders.pm_config import load_pm_header

    base = build.path / image_dir.dir if image_dir.dir else build.path
    prefix = f"{image_dir.dir}/" if image_dir.dir else ""
    config_rel = f"{prefix}zephyr/.config"
    config = None
    if _present(base / "zephyr" / ".config"):
        config = load_config(base / "zephyr" / ".config")
    role = images_mod.role_of(image_dir.name, image_dir.is_default, config)
    image = Image(name=image_dir.name, role=role, dir=image_dir.dir, config=config,
                  config_location=Location(config_rel) if config is not None else None)
    if role is Role.NETCORE:
        image.domain = images_mod.NETCORE_DOMAIN
    important = role in (Role.APP, Role.MCUBOOT)
    if config is None and important:
        build.load_findings.append(missing(
            config_rel, f"Kconfig output {config_rel} of image '{image.name}' is missing",
            "rebuild (west build -p); the Kconfig checks of this image were skipped",
            image=image.name))
    dts_rel = f"{prefix}zephyr/zephyr.dts"
    if not _devicetree_read(build, image):
        pass  # no check reads it: parsing it would be most of this image's cost
    elif early is not None:
        image.devicetree = early.result()
    elif _present(base / "zephyr" / "zephyr.dts"):
        image.devicetree = load_devicetree(base / "zephyr" / "zephyr.dts", dts_rel)
    elif important:
        build.load_findings.append(missing(
            dts_rel, f"devicetree {dts_rel} of image '{image.name}' is missing",
            "rebuild (west build -p); the devicetree checks of this image were skipped",
            image=image.name))
    header = base / "zephyr" / "include" / "generated" / "pm_config.h"
    if _present(header):
        image.pm_header = load_pm_header(header)
        image.pm_header_location = Location(f"{prefix}zephyr/include/generated/pm_config.h")
    if image.name == image_dir.name and image_dir.is_default and build.ncs_version is None:
        build.ncs_version = _ncs_version(base)
    return image


def _devicetree_read(build: Build, image: Image) -> bool:
    """Whether any check reads this image's zephyr.dts. With Partition
    Manager output the slots come from partitions.yml, and the devicetree
    checks look only at the images that open the slots (application,
    MCUboot and its s1 copy: checks/slots.slot_users), so network-core and
    other images (b0, b0n, ipc_radio, ...) are not parsed. Devicetree-
    partition builds need every image's map."""
    if image.role in (Role.APP, Role.MCUBOOT) or image.name == "s1_image":
        return True
    return not (os.path.lexists(build.path / "partitions.yml")
                or os.path.lexists(build.path / "pm.config"))


def _ncs_version(base: Path) -> str | None:
    path = base / "zephyr" / "include" / "generated" / "ncs_version.h"
    try:
        text = path.read_text(encoding="utf-8", errors="replace")[:8192]
    except OSError:
        return None
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[0] == "#define" and parts[1] == "NCS_VERSION_STRING":
            return parts[2].strip('"')
    return None


def _partitioning(build: Build) -> Partitioning:
    if build.domain2map:
        return Partitioning.PM
    for image in build.images():
        if image.memory_map is not None and image.memory_map.slots:
            return Partitioning.DTS
        tree = image.devicetree
        if tree and any(set(n.labels) & set(DTS_LABEL2SLOT) for n in tree.path2node.values()):
            return Partitioning.DTS
    return Partitioning.NONE


def _note_what_was_found(build: Build) -> None:
    if build.mcuboot is None:
        build.notes.append("no MCUboot image in this build: the MCUboot slot checks do not apply")
    if build.partitioning is Partitioning.DTS and not any(
            i.memory_map for i in build.images()):
        build.notes.append("devicetree partitions (no Partition Manager output): only the "
                           "devicetree and Kconfig checks ran")
