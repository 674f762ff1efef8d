"""Everything that reads a build directory. ``load_build(path)`` -> ``Build``.

Loaders read and never judge. A file that cannot be parsed at all raises
``ArtefactError`` (one line: file, what, what to do). Where the build can
still be partly verified, the loaders record findings in
``Build.load_findings`` and the checks that need the fact stay silent:

- ``artefact-missing``: a file or image folder the build should have is
  absent (an error: the checks it blocked did not run);
- ``schema``: a file parses but does not fit its schema;
- ``undecodable-value``: a value is present but not decodable (a
  devicetree ``status`` that is not a string, ``CONFIG_BOOT_MAX_IMG_SECTORS=abc``,
  a ``=m`` tristate); nothing is assumed in its place;
- ``artefact-undecodable``: a file is present but holds nothing decodable
  (an empty ``pm.config``, a UTF-16 ``CMakeCache.txt``).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from extflash.errors import BuildDirError, ExtflashError
from extflash.loaders import images as images_mod
from extflash.loaders.build_dir import is_sysbuild
from extflash.loaders.cmake_cache import read_cmake_cache

# something is at the path, even if it is not a readable regular file (a
# directory, FIFO, device or symlink loop fails in files.read_text with what
# it is, not as a missing file); not lexists: a file in a directory that
# denies access is there
from extflash.loaders.files import present as _present
from extflash.loaders.pm_files import load_pm_maps
from extflash.loaders.problems import missing, undecodable_artefact, undecodable_value
from extflash.model import (
    DTS_LABEL2SLOT,
    EXTERNAL_FLASH,
    Build,
    Evidence,
    Image,
    Location,
    Partitioning,
    Role,
)

LAYOUT_SYSBUILD = "sysbuild"
LAYOUT_CHILD_IMAGE = "child-image"
# the name Partition Manager gives the application image of a child-image
# build (sdk-nrf cmake/partition_manager.cmake: "app"), used when no
# CMakeCache.txt records the application's source directory
CHILD_IMAGE_APP = "app"
REBUILD = "rebuild (west build -p)"


def load_build(path: Path | str) -> Build:
    from extflash.loaders.files import confined_to

    # nothing outside the build directory is read (loaders.files)
    try:
        with confined_to(Path(path)):
            return _load_build(Path(path))
    except OSError as e:  # a stat or listing the loaders did not expect to fail
        where = e.filename if e.filename not in (None, str(path)) else "it"
        raise BuildDirError(f"cannot read {where}: {e.strerror or e}", path=Path(path),
                            hint="check the permissions of the build directory and of its "
                                 "image folders") from None


def _load_build(root: Path) -> Build:
    if not root.exists():
        raise BuildDirError("no such build directory", path=root,
                            hint="build first (west build), or pass the build directory with -d")
    if not root.is_dir():
        raise BuildDirError("is not a directory", path=root,
                            hint="pass the build directory with -d, not a file in it")
    _refuse_image_folder(root)
    cache, cache_problem = read_cmake_cache(root / "CMakeCache.txt")
    has_config = _present(root / "zephyr" / ".config")
    if not cache and not has_config and not _present(root / "domains.yaml"):
        what = ("is not a Zephyr build directory (no CMakeCache.txt, zephyr/.config or "
                "domains.yaml)") if cache is None else (
            f"is not a Zephyr build directory: CMakeCache.txt {cache_problem}, and there is no "
            "zephyr/.config or domains.yaml")
        raise BuildDirError(what, path=root,
                            hint="build first (west build), or pass the build directory with -d")
    cache = cache or {}
    sysbuild = is_sysbuild(root, cache)
    build = Build(path=root, layout=LAYOUT_SYSBUILD if sysbuild else LAYOUT_CHILD_IMAGE)
    board = cache.get("CACHED_BOARD") or cache.get("BOARD")
    build.board = board if isinstance(board, str) and board else None
    if cache_problem is not None:
        build.load_findings.append(undecodable_artefact(
            "CMakeCache.txt", f"CMakeCache.txt {cache_problem}: the board and application "
            "name were read from the images' zephyr/.config instead",
            f"{REBUILD}, or copy CMakeCache.txt unchanged with the build",
            evidence=Evidence.CMAKE_CACHE))

    if sysbuild:
        _load_sysbuild_config(build)
        dirs = _sysbuild_image_dirs(build)
    else:
        source = cache.get("APPLICATION_SOURCE_DIR") or cache.get("APP_DIR")
        app_name = Path(str(source)).name if isinstance(source, str) and source else ""
        dirs = images_mod.child_image_dirs(root, app_name or CHILD_IMAGE_APP)
    for image_dir in dirs:
        image = _load_image(build, image_dir)
        if image is not None:
            build.name2image.setdefault(image.name, image)
    if build.board is None:
        build.board, symbol = _board_from_kconfig(build)
        if build.board is not None and cache_problem is None and not cache:
            build.notes.append(f"no CMakeCache.txt: board {build.board} read from {symbol} "
                               "in the application's zephyr/.config (no check needs the cache)")

    load_pm_maps(build)
    _refuse_failed_pm_run(build)
    _missing_app_domain(build)
    _empty_pm_configs(build)
    _load_devicetrees(build)
    if not build.domain2map:
        from extflash.loaders.dts_memory_map import fill_memory_maps

        fill_memory_maps(build)
    build.partitioning = _partitioning(build)
    from extflash.loaders.signed_image import load_signed_images

    build.signed_images = load_signed_images(build)
    _expected_mcuboot(build)
    _note_what_was_found(build)
    return build


def _refuse_image_folder(root: Path) -> None:
    """``-d`` on one image's folder of a bigger build: say which, and what
    to pass instead (verify needs every image and the top-level PM output)."""
    if any(_present(root / name) for name in ("domains.yaml", "partitions.yml", "pm.config")):
        return
    for parent in (root.parent, root.parent.parent):
        if parent == root:
            break
        name = root.relative_to(parent).as_posix()
        if _present(parent / "domains.yaml"):
            try:
                from extflash.loaders.domains import load_domains
                from extflash.loaders.files import confined_to

                with confined_to(parent):  # the parent build's own file, read as its own
                    domains = load_domains(parent / "domains.yaml")
            except ExtflashError:
                continue
            if any(d.name == name or d.dir == root for d in domains.domains):
                raise BuildDirError(
                    f"is the folder of image '{name}' inside the sysbuild build {parent}: "
                    "verify needs the whole build (every image and the Partition Manager output)",
                    path=root, hint=f"pass -d {parent}")
        elif _present(parent / "partitions.yml") or _present(parent / "pm.config"):
            if (root / "zephyr" / ".config").is_file():
                raise BuildDirError(
                    f"is the folder of child image '{name}' inside the build {parent}: verify "
                    "needs the whole build (every image and the Partition Manager output)",
                    path=root, hint=f"pass -d {parent}")


def _board_from_kconfig(build: Build) -> tuple[str | None, str | None]:
    """``(board, symbol)``: ``CONFIG_BOARD_TARGET`` (Zephyr >= 3.7, with
    qualifiers) or ``CONFIG_BOARD`` of the application image."""
    image = build.app or next(iter(build.name2image.values()), None)
    if image is None or image.config is None:
        return None, None
    for symbol in ("CONFIG_BOARD_TARGET", "CONFIG_BOARD"):
        value = image.config.get(symbol)
        if isinstance(value, str) and value:
            return value, symbol
    return None, None


def _config(build: Build, path: Path, rel: str, prefix: str, image: str | None):
    from extflash.loaders.kconfig_files import TYPED, load_config

    loaded = load_config(path, prefix)
    evidence = Evidence.SYSBUILD_KCONFIG if image is None else Evidence.IMAGE_KCONFIG
    for p in loaded.problems:
        if p.symbol in TYPED:  # a value a check reads: the check could not use it
            build.load_findings.append(undecodable_value(
                rel, p.symbol, f"{p.symbol}={p.raw} {p.why}: nothing is assumed in its place",
                f"{REBUILD}; if you set {p.symbol} yourself, give it a value of its Kconfig type",
                image=image, line=p.line, evidence=evidence))
        else:  # no check reads it, but Kconfig never wrote it: the file was edited or damaged
            finding = undecodable_artefact(
                rel, f"{rel} line {p.line}: {p.symbol}={p.raw} {p.why} (the file was edited or "
                "damaged; no check reads this symbol)", REBUILD, image=image, evidence=evidence)
            build.load_findings.append(replace(finding, location=Location(rel, p.symbol, p.line)))
    return loaded.values


def _load_sysbuild_config(build: Build) -> None:
    path = build.path / "zephyr" / ".config"
    if _present(path):
        build.sysbuild_config = _config(build, path, "zephyr/.config", "SB_CONFIG_", None)
    else:
        build.load_findings.append(missing(
            "zephyr/.config", "sysbuild Kconfig output zephyr/.config (SB_CONFIG_*) is missing",
            "rebuild the build directory (west build -p)", evidence=Evidence.SYSBUILD_KCONFIG))


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


def _load_image(build: Build, image_dir: images_mod.ImageDir) -> Image | None:
    from extflash.loaders.pm_config import read_pm_header

    base = build.path / image_dir.dir if image_dir.dir else build.path
    prefix = f"{image_dir.dir}/" if image_dir.dir else ""
    if image_dir.dir and not _present(base):
        # domains.yaml lists it, the folder is gone: one finding for the folder
        role = images_mod.role_of(image_dir.name, image_dir.is_default, None)
        if role in (Role.APP, Role.MCUBOOT):
            build.load_findings.append(missing(
                prefix, f"image folder {prefix} of '{image_dir.name}' listed in domains.yaml "
                "is missing", f"{REBUILD}, or keep every image folder when copying the build",
                image=image_dir.name, evidence=Evidence.IMAGE))
        return None
    config_rel = f"{prefix}zephyr/.config"
    config = None
    if _present(base / "zephyr" / ".config"):
        config = _config(build, base / "zephyr" / ".config", config_rel, "CONFIG_",
                         image_dir.name)
    role = images_mod.role_of(image_dir.name, image_dir.is_default, config)
    image = Image(name=image_dir.name, role=role, dir=image_dir.dir, config=config,
                  config_location=Location(config_rel) if config is not None else None)
    if role is Role.NETCORE:
        image.domain = images_mod.NETCORE_DOMAIN
    if role is Role.MCUBOOT and config is not None:
        _mcuboot_always_written(build, config, config_rel, image_dir.name)
    important = role in (Role.APP, Role.MCUBOOT)
    if config is None and important:
        build.load_findings.append(missing(
            config_rel, f"Kconfig output {config_rel} of image '{image.name}' is missing",
            REBUILD, image=image.name, evidence=Evidence.IMAGE_KCONFIG))
    header = base / "zephyr" / "include" / "generated" / "pm_config.h"
    if _present(header):
        header_rel = f"{prefix}zephyr/include/generated/pm_config.h"
        image.pm_header, problem = read_pm_header(header)
        image.pm_header_location = Location(header_rel)
        if problem is not None:
            build.load_findings.append(undecodable_artefact(
                header_rel, f"{header_rel} {problem}: the partition gates of image "
                f"'{image.name}' may be incomplete", REBUILD, image=image.name,
                evidence=Evidence.PM_HEADER))
        if not image.pm_header:
            build.load_findings.append(undecodable_artefact(
                header_rel, f"{header_rel} has no #define PM_* line (empty or truncated): "
                f"the partition gates of image '{image.name}' were read from regions.yml",
                REBUILD, image=image.name, evidence=Evidence.PM_HEADER))
    if image.name == image_dir.name and image_dir.is_default and build.ncs_version is None:
        build.ncs_version = _ncs_version(base)
    return image


# symbols MCUboot's Kconfig writes into every .config (sdk-mcuboot
# boot/zephyr/Kconfig, NCS v2.7.0: prompt, default, no dependency; all 51
# MCUboot .config files of the corpus and of tests/fixtures/ncs-real have
# them), with the symbol that, when y, lets newer MCUboot leave it out
# (CONFIG_BOOT_MAX_IMG_SECTORS_AUTO; seen in the corpus build br4inn CSSE4011)
MCUBOOT_ALWAYS_WRITTEN = {
    "CONFIG_BOOT_MAX_IMG_SECTORS": "CONFIG_BOOT_MAX_IMG_SECTORS_AUTO",
    "CONFIG_UPDATEABLE_IMAGE_NUMBER": None,
}


def _mcuboot_always_written(build: Build, config: dict, rel: str, name: str) -> None:
    """A symbol MCUboot always writes is absent: the file was cut or edited,
    and its value is not known (no default is assumed in its place)."""
    reported = {f.location.detail for f in build.load_findings
                if f.location is not None and f.location.file == rel}
    for symbol, unless in MCUBOOT_ALWAYS_WRITTEN.items():
        if symbol in config or symbol in reported or (unless and config.get(unless) is True):
            continue
        if unless and unless in reported:
            continue  # present but undecodable: already reported
        but = f" (unless {unless}=y)" if unless else ""
        build.load_findings.append(undecodable_value(
            rel, symbol, f"{symbol} is not in {rel}, although MCUboot's Kconfig always writes "
            f"it{but}: the file was cut or edited, and no value is assumed",
            f"{REBUILD}, or copy {rel} unchanged with the build", image=name,
            evidence=Evidence.IMAGE_KCONFIG))


# what each decoded property must be (devicetree specification v0.4, 2.3)
_DT_FORM = {
    "status": ('one string ("okay", "disabled", ...)',
               'write status = "okay"; (or "disabled") in the overlay that sets it'),
    "compatible": ("a list of strings", "write compatible as strings in the overlay"),
    "reg": ("address and size cells as the parent's #address-cells and #size-cells give",
            "give reg as many cells as the parent's #address-cells + #size-cells"),
}


def _undecodable_nodes(build: Build, image: Image, dts_rel: str) -> None:
    for node in image.devicetree.path2node.values():
        for prop in node.undecodable:
            form, fix = _DT_FORM.get(prop, ("one number", f"give {prop} one cell"))
            where = (node.props.get("defined_in") or {}).get(prop)
            build.load_findings.append(undecodable_value(
                dts_rel, node.path, f"{prop} of {node.path} in {dts_rel}"
                f"{f' (set in {where})' if where else ''} is not {form}: whether image "
                f"'{image.name}' can use this node was not decided (it is not taken as enabled)",
                f"{REBUILD}; {fix}", image=image.name, evidence=Evidence.IMAGE_DEVICETREE))


def _load_devicetrees(build: Build) -> None:
    """Parse the zephyr.dts of every image a check reads (dtlib is most of
    verify's time: about 20 ms per NCS-sized file)."""
    for image in build.images():
        if not _devicetree_read(build, image):
            continue  # no check reads it: parsing it would be most of this image's cost
        prefix = f"{image.dir}/" if image.dir else ""
        dts_rel = f"{prefix}zephyr/zephyr.dts"
        path = build.path / dts_rel
        if _present(path):
            from extflash.loaders.devicetree import load_devicetree

            image.devicetree = load_devicetree(path, dts_rel)
            _undecodable_nodes(build, image, dts_rel)
        elif image.role in (Role.APP, Role.MCUBOOT):
            build.load_findings.append(missing(
                dts_rel, f"devicetree {dts_rel} of image '{image.name}' is missing",
                REBUILD, image=image.name, evidence=Evidence.IMAGE_DEVICETREE))


def _devicetree_read(build: Build, image: Image) -> bool:
    """Whether any check reads this image's zephyr.dts.

    Devicetree-partition builds: every image (each has its own map).
    Partition Manager builds: the slots come from partitions.yml, and the
    devicetree checks look only at the images that open the slots
    (checks/slots.slot_users): MCUboot and its s1 copy always (their
    internal erase and write block size bound the slots), the application
    only when one of its domain's MCUboot slots is in external flash (it
    then resolves the external device itself). Network-core and other
    images (b0, b0n, ipc_radio, ...) are not parsed."""
    if not build.domain2map:
        return True
    if image.role is Role.MCUBOOT or image.name in images_mod.MCUBOOT_VARIANTS:
        return True
    if image.role is Role.APP:
        mm = build.domain2map.get(image.domain) or build.domain2map.get("")
        return (mm is None or any(p.region == EXTERNAL_FLASH for p in mm.slots.values())
                or _external_flash_requested(build))
    return False


# Kconfig symbols that ask for the secondary in external flash, whatever
# Partition Manager made of it (sdk-nrf v2.7.0 sysbuild/CMakeLists.txt sets
# the image symbol from the sysbuild one; subsys/partition_manager/Kconfig
# sets CONFIG_PM_EXTERNAL_FLASH_ENABLED from an enabled nordic,pm-ext-flash
# chosen): the intent check then compares both images' chosen nodes.
_EXT_REQUEST = ("CONFIG_PM_EXTERNAL_FLASH_MCUBOOT_SECONDARY", "CONFIG_PM_EXTERNAL_FLASH_ENABLED")


def _external_flash_requested(build: Build) -> bool:
    """The build asked for external flash (decided from Kconfig, not from
    the outcome): the application's devicetree is then read even when the
    secondary ended up internal, to say which image lacks the chosen."""
    if build.sb("SB_CONFIG_PM_EXTERNAL_FLASH_MCUBOOT_SECONDARY") is True:
        return True
    return any(image.is_y(symbol) for image in build.images() for symbol in _EXT_REQUEST)


def _refuse_failed_pm_run(build: Build) -> None:
    """Partition Manager was on but left no output at all: the configure
    step failed (``Partition manager failed, aborting``) or the build was
    stopped or trimmed. Sysbuild runs Partition Manager for every build with
    ``SB_CONFIG_PARTITION_MANAGER=y`` (sdk-nrf v2.7.0
    cmake/sysbuild/partition_manager.cmake: the early return is commented
    out); a child-image build runs it once it has a child image (sdk-nrf
    v2.7.0 cmake/partition_manager.cmake, PM_IMAGES). Its zephyr.dts then
    holds the board's default slots, which the build does not use, so
    nothing can be verified (real NCS 2.7.0: a pm_static.yml whose
    external_flash is not packed, tests/fixtures/ncs-real/
    fault-pm-static-secondary-gap)."""
    if build.domain2map:
        return
    if build.layout == LAYOUT_SYSBUILD:
        if build.sb("SB_CONFIG_PARTITION_MANAGER") is not True:
            return
        why = "SB_CONFIG_PARTITION_MANAGER=y in zephyr/.config"
    else:
        app = build.app
        if app is None or not app.is_y("CONFIG_PARTITION_MANAGER_ENABLED") or len(
                list(build.images())) < 2:
            return
        where = app.config_location.file if app.config_location else "zephyr/.config"
        why = f"CONFIG_PARTITION_MANAGER_ENABLED=y in {where} with child images"
    raise BuildDirError(
        f"partitions.yml is missing although {why}: Partition Manager was enabled but produced "
        "no output (no partitions.yml, regions.yml or pm.config), so the configure step failed "
        "or the build is incomplete", path=build.path,
        hint="run west build again, fix the first error it prints (for example 'Partition "
             "manager failed: ...' about pm_static.yml), then verify the finished build")


def _missing_app_domain(build: Build) -> None:
    """partitions.yml (the application domain) absent while another
    domain's file (partitions_CPUNET.yml) is there: name the missing file,
    not "no MCUboot slots"."""
    if not build.domain2map or "" in build.domain2map:
        return
    found = ", ".join(f"partitions_{d}.yml" for d in sorted(build.domain2map))
    build.load_findings.append(missing(
        "partitions.yml", f"partitions.yml (the application domain's Partition Manager output, "
        f"with the MCUboot slots) is missing; only {found} is present",
        f"{REBUILD}, or keep every partitions*.yml when copying the build directory",
        evidence=Evidence.PARTITIONS))


def _empty_pm_configs(build: Build) -> None:
    for mm in build.domain2map.values():
        if mm.pm_config is not None and not mm.pm_config and mm.pm_config_location:
            file = mm.pm_config_location.file
            build.load_findings.append(undecodable_artefact(
                file, f"{file} has no PM_*=value line (empty or truncated)", REBUILD,
                evidence=Evidence.PM_CONFIG))


def _expected_mcuboot(build: Build) -> None:
    """The build asked for MCUboot but has no MCUboot image: its folder is
    missing. Asked for by ``SB_CONFIG_BOOTLOADER_MCUBOOT=y`` (zephyr
    ``share/sysbuild/images/bootloader/CMakeLists.txt`` then adds image
    ``mcuboot``) or, in a child-image build, the application's
    ``CONFIG_BOOTLOADER_MCUBOOT=y`` with
    ``CONFIG_MCUBOOT_BUILD_STRATEGY_FROM_SOURCE=y`` (sdk-nrf
    ``modules/mcuboot/CMakeLists.txt`` ``add_child_image(NAME mcuboot)``,
    ``cmake/multi_image.cmake`` skips it for the other strategies)."""
    if build.mcuboot is not None:
        return
    if any(f.evidence is Evidence.IMAGE for f in build.load_findings):
        return  # the missing folder is already named
    app = build.app
    if build.layout == LAYOUT_SYSBUILD:
        asked = build.sb("SB_CONFIG_BOOTLOADER_MCUBOOT") is True
        why = "SB_CONFIG_BOOTLOADER_MCUBOOT=y in zephyr/.config"
    else:
        asked = app is not None and app.is_y("CONFIG_BOOTLOADER_MCUBOOT") and app.is_y(
            "CONFIG_MCUBOOT_BUILD_STRATEGY_FROM_SOURCE")
        where = app.config_location.file if app and app.config_location else "zephyr/.config"
        why = ("CONFIG_BOOTLOADER_MCUBOOT=y and CONFIG_MCUBOOT_BUILD_STRATEGY_FROM_SOURCE=y "
               f"in {where}")
    if not asked:
        return
    listed = build.path / "domains.yaml"
    if build.layout == LAYOUT_SYSBUILD and _present(listed) and _present(
            build.path / images_mod.MCUBOOT / "zephyr" / ".config"):
        # the folder is there, the list of images is not complete: name the list
        build.load_findings.append(missing(
            "domains.yaml", f"domains.yaml does not list MCUboot's image although {why} builds "
            "MCUboot and its folder mcuboot/ is in the build (domains.yaml was cut or edited)",
            f"{REBUILD}, or copy domains.yaml unchanged with the build", image="mcuboot",
            evidence=Evidence.IMAGE))
        return
    unknown = [i for i in build.images() if i.config is None and i.role is not Role.APP]
    if unknown:  # MCUboot may be one of them: it cannot be told without its .config
        files = ", ".join(f"{i.dir}/zephyr/.config" for i in unknown)
        build.load_findings.append(missing(
            files, f"no image has CONFIG_MCUBOOT=y although {why} builds MCUboot, and {files} "
            "is missing, so MCUboot's image cannot be recognised",
            f"{REBUILD}, or keep each image's zephyr/.config when copying the build directory",
            image=unknown[0].name, evidence=Evidence.IMAGE))
        return
    build.load_findings.append(missing(
        "mcuboot/", f"MCUboot's image folder mcuboot/ (with its zephyr/.config and "
        f"zephyr/zephyr.dts) is missing, although {why} builds MCUboot",
        f"{REBUILD}, or keep the mcuboot/ folder when copying the build directory",
        image="mcuboot", evidence=Evidence.IMAGE))


def _ncs_version(base: Path) -> str | None:
    from extflash.loaders.files import read_text

    path = base / "zephyr" / "include" / "generated" / "ncs_version.h"
    if not _present(path):
        return None
    text = read_text(path, "NCS version header ncs_version.h", max_bytes=64 << 10)
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
        build.notes.append("no MCUboot in this build: the MCUboot slot checks do not apply")
    if build.partitioning is Partitioning.DTS and not any(
            i.memory_map for i in build.images()):
        build.notes.append("devicetree partitions (no Partition Manager output): only the "
                           "devicetree and Kconfig checks ran")
