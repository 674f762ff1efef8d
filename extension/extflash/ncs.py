"""nRF Connect SDK versions and the configuration generations they imply.

The four generations (README.rst, "NCS generations"; facts in
shared/reference/ncs-facts.md section 1):

- ``child-image``: parent/child images with Partition Manager; the only way
  up to NCS 2.6, still buildable with ``--no-sysbuild`` up to 2.9, removed
  in 3.0.
- ``sysbuild`` with Partition Manager: NCS 2.7 (first release with
  ``SB_CONFIG_PM_EXTERNAL_FLASH_MCUBOOT_SECONDARY``) to 3.3, and 3.4 when
  ``SB_CONFIG_PARTITION_MANAGER=y``. Up to 3.0 the sysbuild external region
  is gated on ``CONFIG_NORDIC_QSPI_NOR`` (SPI NOR boards need
  ``SB_CONFIG_PM_OVERRIDE_EXTERNAL_DRIVER_CHECK``); from 3.1 on
  ``CONFIG_PM_EXTERNAL_FLASH_HAS_DRIVER``.
- ``dts``: sysbuild without Partition Manager, partitions in devicetree;
  the default from NCS 3.4.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from extflash.errors import UsageError

_VERSION_RE = re.compile(r"^\s*v?(\d{1,3})\.(\d{1,3})(?:\.(\d{1,3}))?(?:[-+.][^\x00-\x1f]*)?\s*$")
MAX_MAJOR = 9


@dataclass(frozen=True, order=True)
class NcsVersion:
    major: int
    minor: int
    patch: int = 0

    @classmethod
    def parse(cls, text: str) -> NcsVersion:
        """``3.2.99``, ``v2.9.0``, ``2.2.0-rc1`` -> NcsVersion."""
        m = _VERSION_RE.match(text) if len(text) <= 64 else None
        shown = text if len(text) <= 40 else text[:40] + "..."
        if not m:
            raise UsageError(
                f"'{shown}' is not an NCS version",
                hint="give it as MAJOR.MINOR.PATCH, for example --ncs-version 2.9.0",
            )
        version = cls(int(m[1]), int(m[2]), int(m[3] or 0))
        # NCS releases are 1.0.0 (2019) to 3.x (2026); .99 marks a development
        # state (sdk-nrf VERSION "3.2.99"). Leave room for a few majors more.
        if not (1 <= version.major <= MAX_MAJOR and version.minor <= 99 and version.patch <= 99):
            raise UsageError(
                f"'{shown}' is not an NCS version (releases are 1.0.0 to 3.x, with minor and "
                "patch numbers up to 99)",
                hint="give the version of the SDK you build with, for example --ncs-version 2.9.0")
        return version

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}.{self.patch}"

    @property
    def release(self) -> NcsVersion:
        """The release a development version leads to: 3.2.99 -> 3.3.0."""
        if self.patch >= 99:
            return NcsVersion(self.major, self.minor + 1, 0)
        return self


class Layout(str, Enum):
    """Where the configuration lives; values are the ``--layout`` names."""

    CHILD_IMAGE = "child-image"
    SYSBUILD = "sysbuild"  # sysbuild with Partition Manager
    DTS = "dts"  # sysbuild with devicetree partitions, no Partition Manager

    def __str__(self) -> str:
        return self.value


V2_7 = NcsVersion(2, 7)
V3_0 = NcsVersion(3, 0)
V3_1 = NcsVersion(3, 1)
V3_3 = NcsVersion(3, 3)
V3_4 = NcsVersion(3, 4)


def default_layout(version: NcsVersion | None) -> Layout:
    """What ``--layout auto`` picks: the NCS default for that release."""
    if version is None:
        return Layout.SYSBUILD
    v = version.release
    if v < V2_7:
        return Layout.CHILD_IMAGE
    if v < V3_4:
        return Layout.SYSBUILD
    return Layout.DTS


def check_layout(layout: Layout, version: NcsVersion | None) -> None:
    """Refuse combinations that NCS cannot build."""
    if version is None:
        return
    v = version.release
    if layout is Layout.CHILD_IMAGE and v >= V3_0:
        raise UsageError(
            f"NCS {version} cannot build child images: parent/child image support was "
            "removed in NCS 3.0.0",
            hint="use --layout sysbuild (or dts from NCS 3.4), or --ncs-version for an older SDK",
        )
    if layout is Layout.SYSBUILD and v < V2_7:
        raise UsageError(
            f"NCS {version} has no SB_CONFIG_PM_EXTERNAL_FLASH_MCUBOOT_SECONDARY "
            "(added in NCS 2.7.0)",
            hint="use --layout child-image for NCS 2.6 and older",
        )
    if layout is Layout.DTS and v < V3_3:
        raise UsageError(
            f"NCS {version} places MCUboot slots with Partition Manager; devicetree "
            "partitions for MCUboot arrived with NCS 3.3",
            hint="use --layout sysbuild for NCS 2.7 to 3.3",
        )


# sdk-nrf's VERSION: one line ("2.7.0") up to 3.3, six short lines from 3.4
VERSION_MAX_BYTES = 4096


def version_from_file(path: Path) -> NcsVersion | None:
    """Read sdk-nrf's ``VERSION`` file; None if absent or unreadable.

    Only a regular file is opened (a FIFO would block init, a link to
    ``/dev/zero`` would never end): anything else there is a UsageError
    naming it, and at most ``VERSION_MAX_BYTES`` are read."""
    try:
        st = path.stat()
    except (OSError, ValueError):
        return None
    if not stat.S_ISREG(st.st_mode):
        raise UsageError(f"{path} is not a regular file (a FIFO, device or directory), so the "
                         "NCS version cannot be read from it",
                         hint="give the version with --ncs-version X.Y.Z, or fix the nrf project")
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
        with os.fdopen(fd, "rb") as f:
            if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
                return None
            data = f.read(VERSION_MAX_BYTES)
    except OSError:
        return None
    text = data.decode("utf-8", errors="replace")
    return parse_version_text(text)


# NCS 3.4 moved nrf/VERSION to Zephyr's VERSION format plus VERSION_METADATA
# (sdk-nrf PR #29478 "Version file update and metadata field", v3.4-branch,
# head 5e134939: "adopts the NCS top-level VERSION file to follow the same format
# as VERSION files used by samples, apps, and Zephyr"). Zephyr reads that format
# with `VERSION_MAJOR = ([0-9]*)`, `VERSION_MINOR = ...`, `PATCHLEVEL = ...`
# (zephyr cmake/modules/version.cmake, NCS 2.7.0 tree, l.54-61; zephyr/VERSION).
# Before 3.4 the file is one line, `2.7.0-rc3` / `3.2.99` (sdk-nrf
# share/ncs-package/cmake/NcsConfig.cmake reads its first line).
_KEYED_RE = re.compile(r"^\s*(VERSION_MAJOR|VERSION_MINOR|PATCHLEVEL)\s*=\s*(\S*)\s*$",
                       re.MULTILINE)


def parse_version_text(text: str) -> NcsVersion | None:
    """The version in the text of an ``nrf/VERSION`` file (either format);
    None when it cannot be decoded."""
    if re.search(r"^\s*VERSION_MAJOR\s*=", text, re.MULTILINE):
        fields = dict(_KEYED_RE.findall(text))
        try:
            return NcsVersion(int(fields["VERSION_MAJOR"]), int(fields["VERSION_MINOR"]),
                              int(fields["PATCHLEVEL"]))
        except (KeyError, ValueError):
            return None
    for line in text.splitlines():
        if line.strip():
            try:
                return NcsVersion.parse(line)
            except UsageError:
                return None
    return None


def version_from_workspace(topdir: Path | None, nrf_path: Path | None = None) -> NcsVersion | None:
    """The NCS version of a west workspace: the ``nrf`` project's VERSION file.

    ``nrf_path`` is the project's path when the manifest names it; otherwise
    ``<topdir>/nrf`` (the NCS default) is tried.
    """
    candidates = []
    if nrf_path is not None:
        candidates.append(nrf_path)
    if topdir is not None:
        candidates.append(topdir / "nrf")
    for candidate in candidates:
        version = version_from_file(candidate / "VERSION")
        if version is not None:
            return version
    return None
