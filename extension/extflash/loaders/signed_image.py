"""MCUboot-signed images of a build: the image header and TLV area of
``zephyr.signed.bin`` / ``.signed.hex`` (sysbuild), ``app_update.bin`` /
``app_signed.hex`` / ``net_core_app_update.bin`` (child image), and every
file of ``dfu_application.zip`` with its ``manifest.json`` entry.

The layout is MCUboot's ``boot/bootutil/include/bootutil/image.h``
(sdk-mcuboot v2.1.0-ncs1, NCS 2.7.0: ``IMAGE_MAGIC`` l.45, TLV info magics
l.48-49, ``IMAGE_HEADER_SIZE`` l.51, ``IMAGE_F_*`` l.57-72, ``struct
image_header`` l.134; the compression flags are ncs-v3.4.0's):
a 32-byte little-endian header (magic, load address, header size,
protected-TLV size, image size, flags, version), the image, then an
optional protected TLV area (magic 0x6908) and the TLV area (magic 0x6907),
each starting with ``{u16 magic, u16 total}``.

sysbuild's file names are sdk-nrf ``cmake/sysbuild/image_signing.cmake``
(``${KERNEL_NAME}.signed.bin`` / ``.signed.hex``, NCS 2.7.0 l.104-131);
the zip and its manifest are ``cmake/sysbuild/zip.cmake`` and
``scripts/bootloader/generate_zip.py`` (``files[].image_index``,
``load_address``, ``size``). Loaders read and never judge: a file that is not
an MCUboot image is recorded with ``problem``, never guessed at.
"""

from __future__ import annotations

import json
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path

from extflash.model import Build, Role

IMAGE_MAGIC = 0x96F3B83D
IMAGE_HEADER_SIZE = 32
TLV_INFO_MAGIC = 0x6907
TLV_PROT_INFO_MAGIC = 0x6908
IMAGE_F_ENCRYPTED_AES128 = 0x04
IMAGE_F_ENCRYPTED_AES256 = 0x08
IMAGE_F_RAM_LOAD = 0x20
IMAGE_F_ROM_FIXED = 0x100
IMAGE_F_COMPRESSED_LZMA1 = 0x200  # ncs-v3.4.0 image.h
IMAGE_F_COMPRESSED_LZMA2 = 0x400
_HEADER = struct.Struct("<IIHHII BBHI I")
_TLV_INFO = struct.Struct("<HH")
_MAX_FILE = 64 << 20
_MAX_MANIFEST = 1 << 20
DFU_ZIP = "dfu_application.zip"
# sysbuild: <image>/zephyr/<name>; child image (app at the top): zephyr/<name>
SYSBUILD_SIGNED = ("zephyr.signed.bin", "zephyr.signed.hex")
CHILD_IMAGE_SIGNED = {"app_update.bin": Role.APP, "app_signed.hex": Role.APP,
                      "net_core_app_update.bin": Role.NETCORE}


@dataclass(frozen=True)
class SignedImage:
    """One signed image and what its header says.

    file: where it was read (relative to the build; ``zip!member`` for zip files)
    image: the build image it was made from, when known
    role: that image's role
    load_addr / hdr_size / img_size / flags / version: the header fields
    protect_tlv_size: size of the protected TLV area
    tlv_types: the TLV types of both areas, in order
    size: header + image + protected TLVs + TLVs: what MCUboot copies
    hex_base: for ``.hex`` files, the address of the header
    image_index: ``dfu_application.zip`` manifest ``image_index``
    problem: why it could not be decoded (then the other fields are None)
    """

    file: str
    image: str | None = None
    role: Role | None = None
    load_addr: int | None = None
    hdr_size: int | None = None
    img_size: int | None = None
    flags: int | None = None
    version: str | None = None
    protect_tlv_size: int | None = None
    tlv_types: tuple[int, ...] = ()
    size: int | None = None
    hex_base: int | None = None
    image_index: int | None = None
    problem: str | None = None

    @property
    def encrypted(self) -> bool:
        return bool((self.flags or 0) & (IMAGE_F_ENCRYPTED_AES128 | IMAGE_F_ENCRYPTED_AES256))

    @property
    def rom_fixed(self) -> bool:
        return bool((self.flags or 0) & IMAGE_F_ROM_FIXED)

    @property
    def ram_load(self) -> bool:
        return bool((self.flags or 0) & IMAGE_F_RAM_LOAD)


def parse_image(data: bytes, file: str, **extra) -> SignedImage:
    """Decode the header and TLV areas of an image that starts at data[0]."""
    if len(data) < IMAGE_HEADER_SIZE:
        return SignedImage(file, problem=f"{len(data)} bytes, shorter than an MCUboot header",
                           **extra)
    (magic, load, hdr_size, prot, img_size, flags,
     major, minor, rev, build_num, _pad) = _HEADER.unpack_from(data)
    if magic != IMAGE_MAGIC:
        return SignedImage(file, problem=f"magic {magic:#010x} is not MCUboot's "
                           f"{IMAGE_MAGIC:#010x}: not a signed image", **extra)
    off = hdr_size + img_size
    types: list[int] = []
    for want in ((TLV_PROT_INFO_MAGIC,) if prot else ()) + (TLV_INFO_MAGIC,):
        if off + _TLV_INFO.size > len(data):
            return SignedImage(file, problem=f"ends at {len(data):#x}, before its TLV area at "
                               f"{off:#x} (truncated?)", **extra)
        tlv_magic, total = _TLV_INFO.unpack_from(data, off)
        if tlv_magic != want:
            return SignedImage(file, problem=f"TLV area at {off:#x} has magic {tlv_magic:#06x}, "
                               f"expected {want:#06x}", **extra)
        end, pos = off + total, off + _TLV_INFO.size
        while pos + 4 <= end and pos + 4 <= len(data):
            kind, length = _TLV_INFO.unpack_from(data, pos)
            types.append(kind)
            pos += 4 + length
        off = end
    return SignedImage(file, load_addr=load, hdr_size=hdr_size, img_size=img_size, flags=flags,
                       version=f"{major}.{minor}.{rev}+{build_num}", protect_tlv_size=prot,
                       tlv_types=tuple(types), size=off, **extra)


def _read(path: Path) -> bytes | str:
    try:
        if not path.is_file():
            return "is not a regular file"
        if path.stat().st_size > _MAX_FILE:
            return f"is larger than {_MAX_FILE >> 20} MiB"
        return path.read_bytes()
    except OSError as e:
        return f"cannot be read: {e.strerror or e}"


def parse_hex(text: str) -> tuple[int, bytes] | str:
    """Intel HEX -> (lowest address, bytes from there; gaps 0xff)."""
    upper, chunks = 0, []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        try:
            if line[0] != ":":
                raise ValueError
            raw = bytes.fromhex(line[1:])
        except ValueError:
            return f"line {number} is not an Intel HEX record"
        if len(raw) < 5 or len(raw) != raw[0] + 5 or sum(raw) & 0xFF:
            return f"line {number}: bad length or checksum"
        kind, addr, payload = raw[3], (raw[1] << 8) | raw[2], raw[4:-1]
        if kind == 0:
            chunks.append((upper + addr, payload))
        elif kind == 1:
            break
        elif kind == 2:
            upper = int.from_bytes(payload, "big") << 4
        elif kind == 4:
            upper = int.from_bytes(payload, "big") << 16
    if not chunks:
        return "has no data records"
    base = min(a for a, _ in chunks)
    end = max(a + len(p) for a, p in chunks)
    if end - base > _MAX_FILE:
        return "spans more than 64 MiB"
    out = bytearray(b"\xff" * (end - base))
    for a, p in chunks:
        out[a - base:a - base + len(p)] = p
    return base, bytes(out)


def load_file(path: Path, rel: str, **extra) -> SignedImage:
    data = _read(path)
    if isinstance(data, str):
        return SignedImage(rel, problem=data, **extra)
    if rel.endswith(".hex"):
        parsed = parse_hex(data.decode("ascii", errors="replace"))
        if isinstance(parsed, str):
            return SignedImage(rel, problem=parsed, **extra)
        base, body = parsed
        return parse_image(body, rel, hex_base=base, **extra)
    return parse_image(data, rel, **extra)


def load_zip(path: Path, rel: str, app: str | None) -> list[SignedImage]:
    try:
        with zipfile.ZipFile(path) as z:
            if z.getinfo("manifest.json").file_size > _MAX_MANIFEST:
                raise ValueError("manifest.json is larger than 1 MiB")
            manifest = json.loads(z.read("manifest.json"))
            result = []
            for entry in manifest.get("files", []):
                name = str(entry.get("file", ""))
                info = z.getinfo(name)
                if info.file_size > _MAX_FILE:
                    result.append(SignedImage(f"{rel}!{name}", problem="larger than 64 MiB"))
                    continue
                try:
                    index = int(str(entry.get("image_index")), 0)
                except ValueError:
                    index = None
                image = name[:-4] if name.endswith(".bin") else None
                role = Role.APP if image == app else (Role.NETCORE if index == 1 else None)
                result.append(parse_image(z.read(name), f"{rel}!{name}", image=image, role=role,
                                          image_index=index))
            return result
    except (OSError, KeyError, ValueError, AttributeError, TypeError, zipfile.BadZipFile) as e:
        return [SignedImage(rel, problem=f"is not a dfu_application.zip with a manifest.json "
                                         f"({type(e).__name__}: {e})")]


def load_signed_images(build: Build) -> list[SignedImage]:
    """Every signed image the build directory holds (none: empty list)."""
    root = build.path
    result: list[SignedImage] = []
    app = build.app.name if build.app else None
    for image in build.images():
        if image.role not in (Role.APP, Role.NETCORE) or not image.dir:
            continue
        for name in SYSBUILD_SIGNED:
            rel = f"{image.dir}/zephyr/{name}"
            if (root / rel).exists():
                result.append(load_file(root / rel, rel, image=image.name, role=image.role))
                break  # the .bin and the .hex hold the same image
    for name, role in CHILD_IMAGE_SIGNED.items():
        rel = f"zephyr/{name}"
        if (root / rel).exists() and not (name.endswith(".hex") and any(
                s.file == "zephyr/app_update.bin" for s in result)):
            image = app if role is Role.APP else None
            result.append(load_file(root / rel, rel, image=image, role=role))
    for rel in (DFU_ZIP, f"zephyr/{DFU_ZIP}"):
        if (root / rel).is_file():
            result.extend(load_zip(root / rel, rel, app))
    return result
