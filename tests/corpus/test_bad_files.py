"""Every bad file is refused with one line saying what is wrong, and reading it leaves nothing
behind (no temporary files; the source folder as it was). Small bad files are committed (made by
tests/fixtures/make_documents.py); huge ones are made here."""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from safedesk.corpus.extract import DEFAULT_LIMITS, extract
from safedesk.corpus.reading import read_source
from safedesk.errors import LibraryError, ReportFormatError
from tests.conftest import FIXTURES

BAD = FIXTURES / "documents" / "bad"
GOOD_PDF = FIXTURES / "documents" / "neglect-guidance.pdf"
GOOD_DOCX = FIXTURES / "documents" / "neglect-guidance.docx"
MiB = 1024 * 1024


@pytest.fixture
def scratch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A folder for the bad file, and a private temporary folder: both must stay as they were."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setattr(tempfile, "tempdir", None)
    folder = tmp_path / "in"
    folder.mkdir()
    yield folder
    assert list(temp.iterdir()) == []


def _refused(path: Path, *phrases: str) -> str:
    before = sorted(p.name for p in path.parent.iterdir())
    with pytest.raises(ReportFormatError) as caught:
        read_source(path)
    message = str(caught.value)
    assert "\n" not in message and len(message) < 300
    assert message.startswith(path.name), message
    for phrase in phrases:
        assert phrase in message, message
    assert sorted(p.name for p in path.parent.iterdir()) == before
    return message


@pytest.mark.parametrize(
    ("name", "phrases"),
    [
        ("encrypted.pdf", ["encrypted", "password"]),
        ("truncated.pdf", ["damaged", "PDF"]),
        ("corrupt.pdf", ["damaged", "PDF"]),
        ("scanned.pdf", ["no text layer", "OCR is not supported"]),
        ("empty.pdf", ["is empty"]),
        ("text-named.pdf", ["named .pdf", "text file, not a PDF"]),
        ("corrupt.docx", ["damaged", "Word"]),
        ("old-word.docx", ["old binary Office file", "save it as .docx"]),
    ],
)
def test_committed_bad_files_are_refused(name: str, phrases: list[str], scratch: Path) -> None:
    target = scratch / name
    target.write_bytes((BAD / name).read_bytes())
    _refused(target, *phrases)


def test_the_bad_fixtures_are_what_they_claim() -> None:
    from pypdf import PdfReader

    assert PdfReader(BAD / "encrypted.pdf").is_encrypted
    assert (BAD / "empty.pdf").stat().st_size == 0
    assert (BAD / "text-named.pdf").read_bytes().lstrip().startswith(b"early help")
    assert GOOD_PDF.read_bytes().startswith((BAD / "truncated.pdf").read_bytes())
    scanned = PdfReader(BAD / "scanned.pdf")
    assert len(scanned.pages) == 2 and all(not p.extract_text().strip() for p in scanned.pages)
    xobjects = scanned.pages[0]["/Resources"]["/XObject"].get_object()
    assert [x.get_object()["/Subtype"] for x in xobjects.values()] == ["/Image"]


def test_an_unsupported_suffix_is_refused(scratch: Path) -> None:
    target = scratch / "report.rtf"
    target.write_bytes(b"{\\rtf1 hello}")
    _refused(target, "PDF (.pdf), Word (.docx) and text")


def test_a_pdf_named_docx_is_refused(scratch: Path) -> None:
    target = scratch / "guidance.docx"
    target.write_bytes(GOOD_PDF.read_bytes())
    _refused(target, "named .docx but is a PDF")


def test_a_zip_that_is_not_word_is_refused(scratch: Path) -> None:
    target = scratch / "archive.docx"
    with zipfile.ZipFile(target, "w") as package:
        package.writestr("notes.txt", "hello")
    _refused(target, "not a Word document")


def test_a_docx_bomb_is_refused_by_declared_size(scratch: Path) -> None:
    """A real .docx with a 300 MiB part of zeros added (a few hundred KB compressed)."""
    target = scratch / "bomb.docx"
    buffer = io.BytesIO(GOOD_DOCX.read_bytes())
    with (
        zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as z,
        z.open("word/media/padding.bin", "w", force_zip64=True) as member,
    ):
        for _ in range(300):
            member.write(bytes(MiB))
    target.write_bytes(buffer.getvalue())
    assert target.stat().st_size < 2 * MiB
    _refused(target, "inflates past", "hostile")


def test_a_docx_part_bigger_than_it_declares_is_refused(scratch: Path) -> None:
    """Sizes in the zip headers lowered by hand: zipfile stops at the declared size and its
    check fails, so the part is never inflated past what it claims."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(GOOD_DOCX.read_bytes())) as source,
        zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as z,
    ):
        for info in source.infolist():
            z.writestr(info, source.read(info))
        z.writestr("word/media/padding.bin", bytes(8 * MiB))
    data = bytearray(buffer.getvalue())
    size = (8 * MiB).to_bytes(4, "little")
    found = 0
    at = data.find(size)
    while at != -1:  # the uncompressed size in the local header and the central directory
        data[at : at + 4] = (1000).to_bytes(4, "little")
        found += 1
        at = data.find(size, at + 4)
    assert found == 2
    target = scratch / "lying.docx"
    target.write_bytes(bytes(data))
    _refused(target, "damaged")


def _pdf_with_stream(content: bytes, *, deflate_zeros: int = 0) -> bytes:
    """A one-page PDF written by hand whose content stream is `content`, or `deflate_zeros`
    zero bytes compressed."""
    if deflate_zeros:
        packer = zlib.compressobj(1)
        chunks = [packer.compress(bytes(MiB)) for _ in range(deflate_zeros // MiB)]
        stream = b"".join(chunks) + packer.flush()
        head = f"<< /Length {len(stream)} /Filter /FlateDecode >>".encode()
    else:
        stream = content
        head = f"<< /Length {len(stream)} >>".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        head + b"\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


def test_the_hand_written_pdf_reads(scratch: Path) -> None:
    """The bomb below is refused for its stream, not for being a broken PDF."""
    target = scratch / "small.pdf"
    target.write_bytes(_pdf_with_stream(b"BT /F1 12 Tf 72 720 Td (A small page of text.) Tj ET"))
    assert read_source(target).document is not None


def test_a_pdf_stream_bomb_is_refused_before_pdfium_inflates_it(scratch: Path) -> None:
    target = scratch / "bomb.pdf"
    target.write_bytes(_pdf_with_stream(b"", deflate_zeros=300 * MiB))
    assert target.stat().st_size < 2 * MiB
    _refused(target, "inflates past 64 MiB", "hostile")


def test_a_2000_page_pdf_is_refused_by_the_documented_cap(scratch: Path) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(2000):
        writer.add_blank_page(width=595, height=842)
    target = scratch / "long.pdf"
    with target.open("wb") as stream:
        writer.write(stream)
    message = _refused(target, "2,000 pages", f"up to {DEFAULT_LIMITS.max_pages:,} pages")
    assert "split it" in message


def test_a_file_gone_before_reading_is_one_line(scratch: Path) -> None:
    with pytest.raises(LibraryError, match=r"^gone\.pdf is no longer there \(it was moved"):
        extract(scratch / "gone.pdf")


def test_a_file_deleted_while_it_is_read_imports_from_the_bytes_read_once(scratch: Path) -> None:
    target = scratch / "vanishing.pdf"
    data = GOOD_PDF.read_bytes()
    target.write_bytes(data)
    seen: list[tuple[str, float]] = []

    def progress(message: str, fraction: float) -> None:
        seen.append((message, fraction))
        if target.exists():
            os.unlink(target)

    source = read_source(target, progress)
    assert not target.exists()
    assert source.extracted.data == data and source.document is not None
    fractions = [f for _m, f in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert any(m.startswith("Reading page 5 of 5") for m, _f in seen)


def test_a_folder_or_an_unreadable_file_is_one_line(scratch: Path) -> None:
    folder = scratch / "looks.pdf"
    folder.mkdir()
    with pytest.raises(LibraryError, match="is a folder"):
        extract(folder)
    if os.geteuid() != 0:  # root reads anything
        locked = scratch / "locked.pdf"
        locked.write_bytes(GOOD_PDF.read_bytes())
        locked.chmod(0)
        with pytest.raises(LibraryError, match="cannot read"):
            extract(locked)


def test_an_oversized_file_is_refused_before_it_is_read(scratch: Path) -> None:
    target = scratch / "huge.pdf"
    with target.open("wb") as stream:
        stream.write(b"%PDF-1.7\n")
        stream.truncate(DEFAULT_LIMITS.max_file_bytes + 1)  # sparse: no disk used
    _refused(target, "MiB; safedesk imports files of up to 100 MiB")
