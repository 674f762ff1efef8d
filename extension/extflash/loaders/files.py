"""Reading text files of a build directory with bounded size and one clear
error per failure."""

from __future__ import annotations

import stat
from pathlib import Path

from extflash.errors import ArtefactError

# Generated NCS artefacts are small: partitions.yml a few KiB, zephyr.dts
# 10-60 KiB, .config 50-150 KiB. Anything far larger is not what we expect.
MAX_BYTES = 8 << 20


def read_text(path: Path, what: str, *, max_bytes: int = MAX_BYTES) -> str:
    """The file's text (UTF-8, undecodable bytes replaced).

    Raises ArtefactError naming the file when it cannot be read or is larger
    than ``max_bytes``.
    """
    try:
        st = path.stat()
        size = st.st_size
        if path.is_dir():
            raise ArtefactError(f"is a directory, expected the {what}", path=path,
                                hint="remove it and rebuild (west build -p)")
        if not stat.S_ISREG(st.st_mode):
            # a FIFO would block, /dev/zero never ends: only regular files are read
            raise ArtefactError(f"is not a regular file (a device, FIFO or socket), expected "
                                f"the {what}", path=path, hint="rebuild the build directory "
                                "(west build -p)")
        if size > max_bytes:
            raise ArtefactError(
                f"is {size // (1 << 20)} MiB, far larger than any {what}; refusing to read it",
                path=path, hint="rebuild the build directory (west build -p)")
        with path.open("rb") as f:
            data = f.read(max_bytes + 1)  # the file may grow after stat()
        if len(data) > max_bytes:
            raise ArtefactError(f"is larger than {max_bytes >> 20} MiB, far larger than any "
                                f"{what}; refusing to read it", path=path,
                                hint="rebuild the build directory (west build -p)")
    except ArtefactError:
        raise
    except OSError as e:
        raise ArtefactError(f"cannot read the {what}: {e.strerror or e}", path=path,
                            hint="check the file's permissions, or rebuild (west build -p)") from e
    if b"\0" in data[:4096]:
        raise ArtefactError(f"is binary data, not the {what}", path=path,
                            hint="rebuild the build directory (west build -p)")
    return data.decode("utf-8-sig", errors="replace")  # a BOM from a Windows editor is dropped
