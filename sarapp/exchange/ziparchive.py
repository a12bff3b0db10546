"""Opening a zipped package without trusting it: names, sizes, ratios, links, encryption.

A package zip holds ``package.json`` and ``attachments/<name>`` and nothing else. Before
``zipfile`` lists the archive, its end record is read by hand: more members than the limit, or
a central directory larger than that many members need, is refused there, so a small file
declaring a million members costs nothing. Then any other member, a name that would leave the
package folder (``../``, an absolute path, a drive letter, a backslash), a symbolic link, an
encrypted member, a member larger than the limits or one that expands more than ``max_ratio``
times is refused before any content is decompressed.
"""

from __future__ import annotations

import io
import re
import stat
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from sarapp.exchange.atomic import write_atomic
from sarapp.exchange.errors import PackageError

MIB = 1024 * 1024
PACKAGE_MEMBER = "package.json"
ATTACHMENT_PREFIX = "attachments/"
ATTACHMENT_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._ -]{0,99}")
_CHUNK = 64 * 1024  # bytes read at a time from a member
# A central directory entry: 46 bytes, the name (at most "attachments/" + 100 characters) and
# extra fields (zip64, time stamps, a few dozen bytes); 512 bytes leaves room for any writer.
_DIRECTORY_BYTES_PER_MEMBER = 512
_END = struct.Struct("<4s4H2LH")  # end of central directory record (22 bytes)
_END64_LOCATOR = struct.Struct("<4sLQL")  # zip64 end of central directory locator (20 bytes)
_END64 = struct.Struct("<4sQ2H2L4Q")  # zip64 end of central directory record (56 bytes)


@dataclass(frozen=True)
class Limits:
    """What a desk accepts from outside (bytes; ``max_ratio`` is uncompressed / compressed)."""

    max_file_bytes: int = 128 * MIB
    max_json_bytes: int = 64 * MIB
    max_members: int = 1001
    max_member_bytes: int = 64 * MIB
    max_total_bytes: int = 256 * MIB
    max_ratio: float = 100.0
    ratio_floor_bytes: int = 1 * MIB  # smaller members may compress as well as they like


DEFAULT_LIMITS = Limits()


def is_zip(content: bytes) -> bool:
    return content[:4] == b"PK\x03\x04"


def open_zip(content: bytes, limits: Limits) -> tuple[bytes, dict[str, bytes]]:
    """The package JSON bytes and the attachments (name → bytes) of a zipped package."""
    check_directory(content, limits)
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise PackageError(f"package archive is damaged: {exc}") from None
    if len(infos) > limits.max_members:
        raise PackageError(f"package archive has {len(infos)} members (limit {limits.max_members})")
    seen: set[str] = set()
    total = 0
    for info in infos:
        _check_member(info, limits)
        if info.filename in seen:
            raise PackageError(f"package archive holds {info.filename!r} twice")
        seen.add(info.filename)
        total += info.file_size
    if total > limits.max_total_bytes:
        raise PackageError(f"package archive expands to {total} bytes (limit exceeded)")
    if PACKAGE_MEMBER not in seen:
        raise PackageError("package archive has no package.json")
    package = b""
    attachments: dict[str, bytes] = {}
    for info in infos:
        data = _read_member(archive, info)
        if info.filename == PACKAGE_MEMBER:
            package = data
        else:
            attachments[info.filename.removeprefix(ATTACHMENT_PREFIX)] = data
    return package, attachments


def check_directory(content: bytes, limits: Limits) -> None:
    """Refuse a zip whose end record declares more members, or a larger central directory,
    than ``limits`` allow — read from the last bytes only, before anything is listed."""
    members, size = _declared_directory(content)
    if members > limits.max_members:
        raise PackageError(
            f"package archive declares {members} members (limit {limits.max_members})"
        )
    if size > limits.max_members * _DIRECTORY_BYTES_PER_MEMBER or size > len(content):
        raise PackageError(
            f"package archive's central directory of {size} bytes is larger than "
            f"{limits.max_members} members need"
        )


def _declared_directory(content: bytes) -> tuple[int, int]:
    """(members, central directory bytes) as the end record (or its zip64 form) declares."""
    tail = content[-(_END.size + 0xFFFF) :]
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < _END.size:
        raise PackageError("package archive is damaged: no end of central directory")
    _, _, _, _, members, size, _, _ = _END.unpack_from(tail, at)
    if members != 0xFFFF and size != 0xFFFFFFFF:
        return members, size
    start = len(content) - len(tail) + at - _END64_LOCATOR.size
    if start < 0 or content[start : start + 4] != b"PK\x06\x07":
        return members, size  # no zip64 record: the values stand as they are (zipfile's view)
    offset = _END64_LOCATOR.unpack_from(content, start)[2]
    if offset + _END64.size > len(content) or content[offset : offset + 4] != b"PK\x06\x06":
        raise PackageError("package archive is damaged: bad zip64 end record")
    fields = _END64.unpack_from(content, offset)
    return fields[7], fields[8]


def _check_member(info: zipfile.ZipInfo, limits: Limits) -> None:
    name = info.filename
    parts = name.replace("\\", "/").split("/")
    if (
        name.startswith(("/", "\\"))
        or "\\" in name
        or ".." in parts
        or re.match(r"^[A-Za-z]:", name)
        or "\x00" in name
    ):
        raise PackageError(f"archive member {name!r} would leave the package folder")
    if name != PACKAGE_MEMBER and not (
        name.startswith(ATTACHMENT_PREFIX)
        and ATTACHMENT_NAME.fullmatch(name.removeprefix(ATTACHMENT_PREFIX))
    ):
        raise PackageError(f"archive member {name!r} is not part of a package")
    if stat.S_ISLNK(info.external_attr >> 16):
        raise PackageError(f"archive member {name!r} is a symbolic link")
    if info.flag_bits & 0x1:
        raise PackageError(f"archive member {name!r} is encrypted")
    if info.file_size > limits.max_member_bytes:
        raise PackageError(f"archive member {name!r}: {info.file_size} bytes exceeds the limit")
    if info.file_size > limits.ratio_floor_bytes and (
        info.compress_size == 0 or info.file_size / info.compress_size > limits.max_ratio
    ):
        raise PackageError(
            f"archive member {name!r} expands {info.file_size} bytes from "
            f"{info.compress_size}: refused as a compression bomb"
        )


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """Read at most the declared size; a member that lies about its size is refused."""
    chunks: list[bytes] = []
    size = 0
    try:
        with archive.open(info) as member:
            while chunk := member.read(_CHUNK):
                size += len(chunk)
                if size > info.file_size:
                    raise PackageError(f"archive member {info.filename!r} is larger than declared")
                chunks.append(chunk)
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        OSError,
        NotImplementedError,
        ValueError,
    ) as exc:
        raise PackageError(f"archive member {info.filename!r} is damaged: {exc}") from None
    except RuntimeError as exc:  # zipfile raises it for encrypted members
        raise PackageError(f"archive member {info.filename!r} cannot be read: {exc}") from None
    return b"".join(chunks)


def extract_attachments(attachments: dict[str, bytes], folder: Path) -> list[Path]:
    """Write verified attachments into ``folder`` (created), refusing any name leaving it."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    root = folder.resolve()
    written = []
    for name, content in attachments.items():
        target = (folder / name).resolve()
        if not ATTACHMENT_NAME.fullmatch(name) or not target.is_relative_to(root):
            raise PackageError(f"attachment name {name!r} would leave {folder}")
        write_atomic(target, content)
        written.append(target)
    return written
