"""Zipped packages: members that leave the folder, bombs, links and lies are refused."""

from __future__ import annotations

import io
import stat
import zipfile
from pathlib import Path

import pytest

from sarapp.exchange.errors import PackageError
from sarapp.exchange.keys import DeskKeys
from sarapp.exchange.package import Attachment, package_bytes
from sarapp.exchange.reader import read_package
from sarapp.exchange.ziparchive import Limits, extract_attachments, open_zip

from .conftest import trusting
from .helpers import as_bytes, export

NOTE = Attachment("note.txt", "text/plain", b"fax from MRCC Falmouth")


def _zip(members: list[tuple[str | zipfile.ZipInfo, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in members:
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("../evil.sh", "would leave the package folder"),
        ("attachments/../../evil.sh", "would leave the package folder"),
        ("/etc/passwd", "would leave the package folder"),
        ("attachments\\..\\evil", "would leave the package folder"),
        ("C:/evil", "would leave the package folder"),
        ("attachments/.hidden", "is not part of a package"),
        ("extra/readme.txt", "is not part of a package"),
    ],
)
def test_members_outside_the_layout_are_refused(name: str, reason: str) -> None:
    content = _zip([("package.json", b"{}"), (name, b"x")])
    with pytest.raises(PackageError, match=reason):
        open_zip(content, Limits())


def test_a_symbolic_link_is_refused() -> None:
    link = zipfile.ZipInfo("attachments/link")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    with pytest.raises(PackageError, match="symbolic link"):
        open_zip(_zip([("package.json", b"{}"), (link, b"/etc/passwd")]), Limits())


def test_a_compression_bomb_is_refused_before_it_is_expanded() -> None:
    bomb = _zip([("package.json", b"{}"), ("attachments/zeros.bin", bytes(8 * 1024 * 1024))])
    assert len(bomb) < 100_000
    with pytest.raises(PackageError, match="compression bomb"):
        open_zip(bomb, Limits())


def test_oversized_members_archives_and_files_are_refused() -> None:
    content = _zip([("package.json", b"{}"), ("attachments/a.bin", b"a" * 2000)])
    with pytest.raises(PackageError, match="exceeds the limit"):
        open_zip(content, Limits(max_member_bytes=1000))
    with pytest.raises(PackageError, match="expands to"):
        open_zip(content, Limits(max_total_bytes=1000))
    with pytest.raises(PackageError, match="members"):
        open_zip(content, Limits(max_members=1))
    with pytest.raises(PackageError, match="exceeds"):
        read_package(content, trust=None, limits=Limits(max_file_bytes=100))


def test_duplicate_and_missing_package_members_are_refused() -> None:
    with pytest.warns(UserWarning):  # zipfile itself warns about the duplicate name
        twice = _zip([("package.json", b"{}"), ("package.json", b"{}")])
    with pytest.raises(PackageError, match="twice"):
        open_zip(twice, Limits())
    with pytest.raises(PackageError, match=r"no package\.json"):
        open_zip(_zip([("attachments/a", b"")]), Limits())


def test_attachment_swapped_after_signing_is_refused(desk, keys_a: DeskKeys) -> None:
    store, case_id = desk
    document = export(store, case_id, keys_a, attachments=[NOTE])
    swapped = Attachment(NOTE.name, NOTE.media_type, b"fax from someone else!")
    with pytest.raises(PackageError, match="does not match its signed SHA-256"):
        read_package(package_bytes(document, [swapped]), trust=trusting(keys_a))
    with pytest.raises(PackageError, match="listed but missing"):
        read_package(_zip([("package.json", as_bytes(document))]), trust=trusting(keys_a))
    extra = Attachment("extra.txt", "text/plain", b"")
    with pytest.raises(PackageError, match="not listed"):
        read_package(package_bytes(document, [NOTE, extra]), trust=trusting(keys_a))


def test_extracted_attachments_stay_in_their_folder(tmp_path: Path) -> None:
    written = extract_attachments({"note.txt": b"hello"}, tmp_path / "inbox")
    assert written == [(tmp_path / "inbox" / "note.txt").resolve()]
    assert written[0].read_bytes() == b"hello"
    with pytest.raises(PackageError, match="would leave"):
        extract_attachments({"../escape.txt": b"x"}, tmp_path / "inbox")
    assert not (tmp_path / "escape.txt").exists()
