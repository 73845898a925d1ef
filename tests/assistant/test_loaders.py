"""Each supported format becomes text with a title; broken files give a readable reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.loaders import LoaderError, load_document


def _pdf(path: Path, text: str) -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.multi_cell(0, 8, text)
    pdf.output(str(path))
    return path


def _docx(path: Path, heading: str, text: str) -> Path:
    import docx

    document = docx.Document()
    document.add_heading(heading, level=1)
    document.add_paragraph(text)
    document.save(str(path))
    return path


def test_markdown_front_matter_gives_title_and_metadata(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text("---\ntitle: Red flags\ntopic: safety\ntiers: [essential]\n---\n# Red flags\n\n## Night pain\nStop.\n")
    doc = load_document(path)
    assert doc.title == "Red flags"
    assert doc.metadata["topic"] == "safety"
    assert doc.markdown and "## Night pain" in doc.text and "---" not in doc.text


def test_html_keeps_headings_and_drops_scripts(tmp_path: Path) -> None:
    path = tmp_path / "a.html"
    path.write_text("<html><title>Billing</title><script>x=1</script><h2>CPT 97110</h2><p>Therapeutic exercise code.</p></html>")
    doc = load_document(path)
    assert doc.title == "Billing"
    assert "## CPT 97110" in doc.text and "x=1" not in doc.text


def test_pdf_and_docx_text_is_extracted(tmp_path: Path) -> None:
    pdf = load_document(_pdf(tmp_path / "a.pdf", "Perform 50-75 supervised assessments."))
    assert "50-75 supervised" in pdf.text
    docx_doc = load_document(_docx(tmp_path / "a.docx", "Discharge", "Goals met at discharge."))
    assert "# Discharge" in docx_doc.text and "Goals met" in docx_doc.text


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("broken.pdf", b"%PDF-1.4 this is not really a pdf", "PDF"),
        ("broken.docx", b"PK\x03\x04 not a zip", "DOCX"),
        ("empty.txt", b"   \n", "no text"),
        ("binary.md", b"\x00\x01\x02\x03", "binary"),
        ("notes.xyz", b"hello", "unsupported"),
    ],
)
def test_unreadable_files_raise_a_readable_reason(
    tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(LoaderError, match=reason):
        load_document(path)


@pytest.mark.parametrize("suffix", [".pdf", ".docx", ".html", ".md", ".txt"])
def test_truncated_and_random_files_load_or_fail_with_a_loader_error(tmp_path: Path, suffix: str) -> None:
    import random

    rng = random.Random(suffix)
    real = _pdf(tmp_path / "real.pdf", "Chair stand 7 reps.").read_bytes() if suffix == ".pdf" else b""
    if suffix == ".docx":
        real = _docx(tmp_path / "real.docx", "Log", "Chair stand 7 reps.").read_bytes()
    payloads = [real[: len(real) * i // 6] for i in range(1, 6)] if real else []
    payloads += [rng.randbytes(rng.randint(1, 4000)) for _ in range(6)]
    for number, payload in enumerate(payloads):
        path = tmp_path / f"case{number}{suffix}"
        path.write_bytes(payload)
        try:
            doc = load_document(path)
        except LoaderError as exc:
            assert str(exc)
        else:
            assert doc.text.strip()
