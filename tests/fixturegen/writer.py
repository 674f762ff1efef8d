"""``write_build(dest, spec)``: write a build directory tree from a spec."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from fixturegen.dts import render_zephyr_dts
from fixturegen.kconfig_body import cmake_cache_text, config_text, sysbuild_config_text
from fixturegen.pm import partitions_yaml, pm_config, pm_config_h, regions_yaml
from fixturegen.spec import BuildSpec, ImageSpec

_COMMENT_RE = re.compile(r"[ \t]*/\* (?:in|node) [^*]*\*/")


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def image_files(spec: BuildSpec, image: ImageSpec) -> dict[str, str]:
    """relative path -> text for one image's generated files."""
    prefix = f"{image.dir}/" if image.dir else ""
    files: dict[str, str] = {}
    dts = render_zephyr_dts(image.model, sources=image.sources, chosen=image.chosen,
                            chosen_sources=image.chosen_sources, status=image.status,
                            props=image.props, partitions=image.partitions,
                            extra_nodes=image.extra_nodes, delete=image.delete,
                            peripheral_base=image.peripheral_base)
    if not spec.dts_comments:
        dts = "\n".join(line for line in (_COMMENT_RE.sub("", x) for x in dts.splitlines())
                        if line.strip() or line == "") + "\n"
    files[f"{prefix}zephyr/zephyr.dts"] = dts
    files[f"{prefix}zephyr/.config"] = config_text(image.kconfig, version=spec.zephyr_version)
    if image.pm_partition and spec.domains:
        own = spec.domain(image.domain)
        files[f"{prefix}zephyr/include/generated/pm_config.h"] = pm_config_h(
            spec.domains if image.role != "netcore" else [own], own, image.pm_partition,
            image.sram, spec.pm_region_lines,
            f"{spec.workspace}/nrf/scripts/partition_manager_output.py")
    files[f"{prefix}zephyr/include/generated/ncs_version.h"] = (
        f'#define NCS_VERSION_STRING "{spec.ncs_version}"\n')
    if image.dir:
        files[f"{prefix}CMakeCache.txt"] = cmake_cache_text([
            ("APPLICATION_BINARY_DIR", "PATH", f"{spec.origin}/{image.dir}"),
            ("APPLICATION_SOURCE_DIR", "PATH", image.source_dir),
            ("BOARD", "STRING", image.board_target),
            ("CACHED_BOARD", "STRING", image.board_target),
            ("ZEPHYR_TOOLCHAIN_VARIANT", "STRING", "zephyr"),
            ("ZEPHYR_BASE", "PATH", f"{spec.workspace}/zephyr"),
        ], f"{spec.origin}/{image.dir}")
    return files


def build_files(spec: BuildSpec) -> dict[str, str]:
    files: dict[str, str] = {}
    for image in spec.images:
        files.update(image_files(spec, image))
    for d in spec.domains:
        files[f"partitions{d.suffix}.yml"] = partitions_yaml(d)
        files[f"regions{d.suffix}.yml"] = regions_yaml(d)
        files[f"pm{d.suffix}.config"] = pm_config(d, spec.pm_region_lines)
    app = next(i for i in spec.images if i.role == "app")
    if spec.layout == "sysbuild":
        files["zephyr/.config"] = sysbuild_config_text(spec.sysbuild, spec.zephyr_version)
        files["_sysbuild/autoconf.h"] = "".join(
            f"#define {k} {1 if v is True else v}\n" for k, v in spec.sysbuild.items()
            if v is not False)
        files["domains.yaml"] = yaml.safe_dump({
            "default": app.name,
            "build_dir": spec.origin,
            "domains": [{"name": i.name, "build_dir": f"{spec.origin}/{i.dir}"}
                        for i in spec.images],
            "flash_order": [i.name for i in spec.images if i.role != "app"] + [app.name],
        }, sort_keys=False)
        files["CMakeCache.txt"] = cmake_cache_text([
            ("APPLICATION_BINARY_DIR", "PATH", spec.origin),
            ("APPLICATION_SOURCE_DIR", "PATH", f"{spec.workspace}/zephyr/share/sysbuild/template"),
            ("APP_DIR", "PATH", spec.app_dir),
            ("BOARD", "STRING", spec.board),
            ("CACHED_BOARD", "STRING", spec.board),
            ("CMAKE_PROJECT_NAME", "STATIC", "sysbuild_toplevel"),
            ("SB_CONF_FILE", "INTERNAL", f"{spec.app_dir}/sysbuild.conf"),
        ], spec.origin)
    else:
        files["CMakeCache.txt"] = cmake_cache_text([
            ("APPLICATION_BINARY_DIR", "PATH", spec.origin),
            ("APPLICATION_SOURCE_DIR", "PATH", spec.app_dir),
            ("BOARD", "STRING", spec.board),
            ("CACHED_BOARD", "STRING", spec.board),
            ("ZEPHYR_TOOLCHAIN_VARIANT", "STRING", "zephyr"),
            ("ZEPHYR_BASE", "PATH", f"{spec.workspace}/zephyr"),
        ], spec.origin)
    if spec.provenance:
        files["PROVENANCE.yml"] = yaml.safe_dump(spec.provenance, sort_keys=False, width=100)
    return files


def write_build(dest: Path | str, spec: BuildSpec) -> Path:
    """Write the build directory of ``spec`` into ``dest`` (created); returns it."""
    dest = Path(dest)
    for rel, text in build_files(spec).items():
        _write(dest / rel, text)
    return dest
