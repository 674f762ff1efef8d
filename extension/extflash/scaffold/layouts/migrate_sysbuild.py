"""``migrate --to sysbuild``: an application's ``child_image/`` configuration
(parent/child images, NCS <= 2.6, deprecated in 2.7-2.9, removed in 3.0)
re-expressed for sysbuild, as specs for the same merge and atomic write as
``init``. Nothing is deleted: ``child_image/`` stays where it is.

Sources (NCS 2.7.0, sdk-nrf 2d67a6ae):

- ``doc/nrf/releases_and_maturity/migration/migration_sysbuild.rst``,
  "Image overlay configuration" and "Example for MCUboot":
  ``child_image/mcuboot.conf`` becomes ``sysbuild/mcuboot.conf`` (a Kconfig
  fragment), ``child_image/mcuboot.overlay`` ``sysbuild/mcuboot.overlay``, and
  a ``child_image/mcuboot/`` directory ``sysbuild/mcuboot/`` (the image's
  whole configuration directory; in sysbuild a board overlay there is used
  *instead of* ``app.overlay``, not merged with it).
- ``doc/nrf/config_and_build/configuring_app/sysbuild_forced_options.rst``:
  options sysbuild now forces in the images. Set in an image's fragment they
  are silently replaced by sysbuild's value (an MCUboot swap mode in
  ``mcuboot.conf`` is overridden by ``SB_CONFIG_MCUBOOT_MODE_*``), so they
  are written to ``sysbuild.conf`` as their ``SB_CONFIG_`` counterparts
  (``FORCED``). ``CONFIG_BOOTLOADER_MCUBOOT`` (the application's switch for
  the MCUboot child image) is ``SB_CONFIG_BOOTLOADER_MCUBOOT`` (the
  migration guide's MCUboot table).
- zephyr ``share/sysbuild/cmake/modules/sysbuild_extensions.cmake``:
  ``sysbuild/<image>.conf`` / ``.overlay`` / ``<image>/`` apply to the image
  named ``<image>``; other child images' files keep their names, so a
  network-core image that sysbuild names differently (``ipc_radio``) needs
  its files renamed (a warning says so).
"""

from __future__ import annotations

from pathlib import Path

from extflash import kconfig
from extflash.scaffold.model import KconfigSpec, RawSpec, Setting, Spec

# image option -> sysbuild option (sysbuild_forced_options.rst, NCS 2.7.0;
# the doc's "SB_CONFIG_SB_CONFIG_MCUBOOT_UPDATEABLE_IMAGES" is a typo of
# SB_CONFIG_MCUBOOT_UPDATEABLE_IMAGES, the name in migration_sysbuild.rst)
FORCED: dict[str, str] = {
    "CONFIG_BOOTLOADER_MCUBOOT": "SB_CONFIG_BOOTLOADER_MCUBOOT",
    "CONFIG_PM_EXTERNAL_FLASH_MCUBOOT_SECONDARY": "SB_CONFIG_PM_EXTERNAL_FLASH_MCUBOOT_SECONDARY",
    "CONFIG_PM_OVERRIDE_EXTERNAL_DRIVER_CHECK": "SB_CONFIG_PM_OVERRIDE_EXTERNAL_DRIVER_CHECK",
    "CONFIG_BOOT_SWAP_USING_MOVE": "SB_CONFIG_MCUBOOT_MODE_SWAP_WITHOUT_SCRATCH",
    "CONFIG_BOOT_SWAP_USING_SCRATCH": "SB_CONFIG_MCUBOOT_MODE_SWAP_SCRATCH",
    "CONFIG_BOOT_UPGRADE_ONLY": "SB_CONFIG_MCUBOOT_MODE_OVERWRITE_ONLY",
    "CONFIG_BOOT_DIRECT_XIP": "SB_CONFIG_MCUBOOT_MODE_DIRECT_XIP",
    "CONFIG_BOOT_DIRECT_XIP_REVERT": "SB_CONFIG_MCUBOOT_MODE_DIRECT_XIP_WITH_REVERT",
    "CONFIG_SINGLE_APPLICATION_SLOT": "SB_CONFIG_MCUBOOT_MODE_SINGLE_APP",
    "CONFIG_MCUBOOT_BOOTLOADER_MODE_SWAP_WITHOUT_SCRATCH":
        "SB_CONFIG_MCUBOOT_MODE_SWAP_WITHOUT_SCRATCH",
    "CONFIG_MCUBOOT_BOOTLOADER_MODE_SWAP_SCRATCH": "SB_CONFIG_MCUBOOT_MODE_SWAP_SCRATCH",
    "CONFIG_MCUBOOT_BOOTLOADER_MODE_OVERWRITE_ONLY": "SB_CONFIG_MCUBOOT_MODE_OVERWRITE_ONLY",
    "CONFIG_MCUBOOT_BOOTLOADER_MODE_DIRECT_XIP": "SB_CONFIG_MCUBOOT_MODE_DIRECT_XIP",
    "CONFIG_MCUBOOT_BOOTLOADER_MODE_DIRECT_XIP_WITH_REVERT":
        "SB_CONFIG_MCUBOOT_MODE_DIRECT_XIP_WITH_REVERT",
    "CONFIG_MCUBOOT_BOOTLOADER_MODE_SINGLE_APP": "SB_CONFIG_MCUBOOT_MODE_SINGLE_APP",
    "CONFIG_MCUBOOT_HARDWARE_DOWNGRADE_PREVENTION":
        "SB_CONFIG_MCUBOOT_HARDWARE_DOWNGRADE_PREVENTION",
    "CONFIG_UPDATEABLE_IMAGE_NUMBER": "SB_CONFIG_MCUBOOT_UPDATEABLE_IMAGES",
    "CONFIG_PCD_APP": "SB_CONFIG_NETCORE_APP_UPDATE",
    "CONFIG_SECURE_BOOT": "SB_CONFIG_SECURE_BOOT_APPCORE",
    "CONFIG_PARTITION_MANAGER_ENABLED": "SB_CONFIG_PARTITION_MANAGER",
    "CONFIG_BT_FAST_PAIR": "SB_CONFIG_BT_FAST_PAIR",
}
MODES = tuple(sorted({v for v in FORCED.values() if "_MODE_" in v}))
MAX_FILES = 200  # a child_image/ tree is a handful of files


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace")



def _setting(target: str, value, why: tuple[str, ...]) -> Setting:
    """A sysbuild option; an MCUboot mode excludes the other modes."""
    exclusive = tuple(m for m in MODES if m != target) if target in MODES else ()
    return Setting(target, value, why, exclusive=exclusive)


def child_image_files(app_dir: Path) -> list[Path]:
    """Every regular file under ``child_image/`` (no symlinks followed)."""
    root = app_dir / "child_image"
    out = []
    for path in sorted(root.rglob("*")):
        if path.is_symlink() or not path.is_file():
            continue
        out.append(path)
        if len(out) > MAX_FILES:
            break
    return out


def forced_settings(app_dir: Path) -> tuple[list[Setting], list[str], list[str]]:
    """``SB_CONFIG_`` settings for every forced option the application's
    ``prj.conf`` or a ``child_image/`` fragment sets, notes, and warnings.
    A fragment for one board (``.../boards/<board>.conf``) is not turned into
    a ``sysbuild.conf`` line, which would apply to every board: a warning
    names the option to set when building for that board."""
    sources = [app_dir / "prj.conf", *[p for p in child_image_files(app_dir)
                                      if p.suffix == ".conf"]]
    symbol2setting: dict[str, Setting] = {}
    notes, warnings = [], []
    for path in sources:
        if not path.is_file():
            continue
        rel = path.relative_to(app_dir).as_posix()
        for a in kconfig.parse(_read(path)).assignments:
            target = FORCED.get(a.symbol)
            if target is None:
                continue
            value = a.value
            if target in MODES and value is not True:
                continue  # "is not set" of a mode: the chosen one says it
            if "/boards/" in f"/{rel}":
                warnings.append(f"{rel}:{a.line}: {a.symbol}={a.raw} is forced by sysbuild: "
                                f"when building for that board, set {target}"
                                f"={a.raw if target not in MODES else 'y'} in sysbuild.conf "
                                "(or pass -D" + f"{target}=... to west build)")
                continue
            why = (f"was {a.symbol}={a.raw} in {rel}:{a.line}; sysbuild forces it now",)
            symbol2setting.setdefault(target, _setting(target, value, why))
            notes.append(f"{rel}:{a.line}: {a.symbol}={a.raw} -> sysbuild.conf {target} "
                         "(sysbuild_forced_options: set in the image it is replaced by "
                         "sysbuild's value)")
    return list(symbol2setting.values()), notes, warnings


def build_settings(app_config: dict | None, mcuboot_config: dict | None,
                   board: str | None) -> tuple[list[Setting], list[str]]:
    """The forced options as a child-image build of this application really
    had them (the application's and MCUboot's ``zephyr/.config``): Kconfig
    defaults included, for the board it was built for."""
    out: dict[str, Setting] = {}
    notes = []
    for image, config in (("application", app_config), ("MCUboot", mcuboot_config)):
        for symbol, target in FORCED.items():
            value = (config or {}).get(symbol)
            if value is None or value is False or target in out:
                continue
            if target in MODES and value is not True:
                continue
            why = (f"{symbol}={'y' if value is True else value} in the {image}'s .config of "
                   f"the child-image build{f' for {board}' if board else ''}",)
            out[target] = _setting(target, value, why)
            notes.append(f"{why[0]} -> sysbuild.conf {target}")
    return list(out.values()), notes


def specs(app_dir: Path, header: str, from_build: tuple[list[Setting], list[str]] | None = None
          ) -> tuple[list[Spec], list[str], list[str]]:
    """(specs, notes, warnings). ``from_build``: ``build_settings`` of a
    child-image build, which then replace what the files alone say."""
    out: list[Spec] = []
    notes: list[str] = []
    warnings: list[str] = []
    for path in child_image_files(app_dir):
        rel = path.relative_to(app_dir / "child_image").as_posix()
        target = f"sysbuild/{rel}"
        image = rel.split("/", 1)[0].split(".", 1)[0]
        text = _read(path)
        if path.suffix == ".conf" and (app_dir / target).is_file():
            settings = tuple(Setting(a.symbol, a.value) for a in kconfig.parse(text).assignments
                             if a.symbol not in FORCED)
            out.append(KconfigSpec(target, (f"{header} (from child_image/{rel})",), settings))
        else:
            out.append(RawSpec(target, text))
        if image not in ("mcuboot", "b0", "b0n", "s1_image"):
            warnings.append(f"child_image/{rel} -> {target}: sysbuild applies it to the image "
                            f"named '{image}'; if your sysbuild network-core image has another "
                            "name (SB_CONFIG_NETCORE_IPC_RADIO builds ipc_radio), rename it")
        if rel.startswith("mcuboot/boards/") and rel.endswith(".overlay"):
            notes.append(f"{target} is used by sysbuild instead of MCUboot's app.overlay, not "
                         "merged with it as child images did (migration_sysbuild.rst)")
    settings, forced_notes, forced_warnings = forced_settings(app_dir)
    if from_build is not None:
        settings, forced_notes = from_build
        forced_warnings = [w for w in forced_warnings if "/boards/" not in w]
    notes += forced_notes
    warnings += forced_warnings
    if settings:
        out.append(KconfigSpec("sysbuild.conf", (header,), tuple(settings)))
    return out, notes, warnings
