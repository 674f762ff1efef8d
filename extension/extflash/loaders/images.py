"""Which images a build has, where they live, and what each one is.

- sysbuild: the domains of ``domains.yaml``; the app is its ``default``;
  without ``domains.yaml``, every ``<build>/<name>/zephyr/.config``.
- child/parent image: the application at the top level (``dir == ""``),
  children in ``<build>/<name>/`` and, for nRF5340 network-core children,
  their own children (``empty_net_core/b0n``).

Roles. MCUboot is recognised by what it is, not by its folder name:
``CONFIG_MCUBOOT=y`` in its ``.config`` (a hidden symbol that only
MCUboot's own Kconfig turns on: zephyr ``modules/Kconfig.mcuboot`` defines
it, sdk-mcuboot ``boot/zephyr/Kconfig`` sets ``default y``; NCS v2.7.0).
NCS builds MCUboot a second time as the ``s1_image`` variant for the
immutable bootloader's second slot (sdk-nrf ``sysbuild/secureboot.cmake``
``set(image s1_image)``, child image ``modules/mcuboot/CMakeLists.txt``
``add_child_image(NAME s1_image PRELOAD_IMAGE mcuboot)``): its ``.config``
is MCUboot's, byte for byte, so that one name is what tells it apart.
Only when an image's ``.config`` is missing does its name decide
(``mcuboot`` is the name both sysbuild, zephyr
``share/sysbuild/images/bootloader/CMakeLists.txt``, and child images give
it). The default/top-level image is the app; a network-core image by name
(``ipc_radio``, ``hci_ipc``, ``b0n``...) or by its
``CONFIG_SOC_NRF5340_CPUNET*`` Kconfig; anything else (``b0``,
``s1_image``, ``tfm``, ``spm``) is "other".
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from extflash.model import Role

NETCORE_NAMES = frozenset({
    "ipc_radio", "hci_ipc", "hci_rpmsg", "empty_net_core", "b0n", "802154_rpmsg",
    "multiprotocol_rpmsg", "rpc_host", "nrf5340_audio_net", "hci_rpmsg_ncs",
})
NETCORE_SOC_SYMBOLS = ("CONFIG_SOC_NRF5340_CPUNET", "CONFIG_SOC_NRF5340_CPUNET_QKAA")
NETCORE_DOMAIN = "CPUNET"
MCUBOOT = "mcuboot"
_NOT_IMAGES = frozenset({"zephyr", "_sysbuild", "modules", "CMakeFiles", "Kconfig",
                         "tfm", "spm_build"})


@dataclass(frozen=True)
class ImageDir:
    name: str
    dir: str  # relative to the build root, "" for the top level
    is_default: bool


def child_image_dirs(build: Path, app_name: str) -> list[ImageDir]:
    found = [ImageDir(app_name, "", True)]
    for child in _image_subdirs(build):
        found.append(ImageDir(child.name, child.name, False))
        for grandchild in _image_subdirs(child):
            found.append(ImageDir(grandchild.name, f"{child.name}/{grandchild.name}", False))
    return found


def scanned_sysbuild_dirs(build: Path) -> list[ImageDir]:
    return [ImageDir(d.name, d.name, False) for d in _image_subdirs(build)]


def _image_subdirs(parent: Path) -> list[Path]:
    try:
        entries = sorted(parent.iterdir())
    except OSError:
        return []
    result = []
    for entry in entries:
        if entry.name in _NOT_IMAGES or entry.name.startswith("."):
            continue
        try:
            if (entry.is_dir() and not entry.is_symlink()
                    and (entry / "zephyr" / ".config").is_file()):
                result.append(entry)
        except OSError:
            continue
    return result


MCUBOOT_SYMBOL = "CONFIG_MCUBOOT"
MCUBOOT_VARIANTS = frozenset({"s1_image"})


def role_of(name: str, is_default: bool, config: dict | None) -> Role:
    if config is not None:
        if config.get(MCUBOOT_SYMBOL) is True and name not in MCUBOOT_VARIANTS:
            return Role.MCUBOOT
    elif name == MCUBOOT:
        return Role.MCUBOOT
    if is_default:
        return Role.APP
    if name in NETCORE_NAMES:
        return Role.NETCORE
    if config and any(config.get(s) is True for s in NETCORE_SOC_SYMBOLS):
        return Role.NETCORE
    return Role.OTHER
