"""Admins upload documents into their tenant's own space: checked, saved, indexed, listed, deleted."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from fpdf import FPDF

from tests.api.conftest import LiveServer, tenant_name


def _docx(text: str) -> bytes:
    document = docx.Document()
    document.add_heading("Clinic protocol", level=1)
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _pdf(text: str) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.multi_cell(0, 8, text)
    return bytes(pdf.output())


def _search(http: object, query: str) -> str:
    response = http.get("/v1/search", params={"q": query, "k": 10})  # type: ignore[attr-defined]
    assert response.status_code == 200
    return str(response.text)


def test_an_uploaded_document_is_found_only_by_its_own_tenant(server: LiveServer) -> None:
    tenant_a, tenant_b = tenant_name("upa"), tenant_name("upb")
    marker = "zebrafinch-protocol-7731"
    text = f"# Warm-up protocol\n\n## Morning group\n\nThe {marker} warm-up uses ten minutes of walking.\n"
    with server.client(server.key(tenant_a, "admin")) as a, server.client(server.key(tenant_b, "admin")) as b:
        made = a.post("/v1/documents", files={"file": ("../../warm<up>.md", text.encode(), "text/markdown")})
        assert made.status_code == 201, made.text
        doc = made.json()
        assert doc["filename"] == "warm_up.md" and doc["chunks"] >= 1
        saved = server.settings.data_dir / "uploads" / tenant_a / doc["id"] / "warm_up.md"
        assert saved.read_bytes() == text.encode()
        assert [d["id"] for d in a.get("/v1/documents").json()["documents"]] == [doc["id"]]
        assert marker in _search(a, f"{marker} warm-up walking")

        assert b.get("/v1/documents").json()["documents"] == []
        assert marker not in _search(b, f"{marker} warm-up walking")
        assert b.delete(f"/v1/documents/{doc['id']}").status_code == 404

        assert a.delete(f"/v1/documents/{doc['id']}").status_code == 204
        assert not saved.exists()
        assert marker not in _search(a, f"{marker} warm-up walking")
        assert a.delete(f"/v1/documents/{doc['id']}").status_code == 404


@pytest.mark.parametrize(
    ("name", "build"),
    [("protocol.docx", _docx), ("protocol.pdf", _pdf)],
)
def test_docx_and_pdf_uploads_are_indexed(server: LiveServer, name: str, build: object) -> None:
    marker = f"quillfeather{name[-4:]}"
    data = build(f"The {marker} circuit alternates step-ups and rows for twenty minutes.")  # type: ignore[operator]
    with server.client(server.key(tenant_name("bin"), "admin")) as http:
        made = http.post("/v1/documents", files={"file": (name, data)})
        assert made.status_code == 201, made.text
        assert marker in _search(http, f"{marker} circuit step-ups rows")


@pytest.mark.parametrize(
    ("name", "data", "status", "code"),
    [
        ("tool.exe", b"MZ\x90\x00", 415, "unsupported_type"),
        ("notes", b"plain words", 415, "unsupported_type"),
        ("fake.pdf", b"<html>not a pdf</html>", 415, "unsupported_type"),
        ("fake.docx", b"plain text, not a zip", 415, "unsupported_type"),
        ("latin1.txt", "caf\u00e9 na\u00efve".encode("latin-1"), 415, "unsupported_type"),
        ("empty.md", b"", 422, "empty_file"),
        ("big.txt", b"a" * 2_100_000, 413, "payload_too_large"),
    ],
)
def test_bad_uploads_are_refused_with_a_clear_error(
    server: LiveServer, name: str, data: bytes, status: int, code: str
) -> None:
    tenant = tenant_name("bad")
    with server.client(server.key(tenant, "admin")) as http:
        response = http.post("/v1/documents", files={"file": (name, data)})
        assert response.status_code == status, response.text
        assert response.json()["error"]["code"] == code
        assert http.get("/v1/documents").json()["documents"] == []
    assert not any((server.settings.data_dir / "uploads" / tenant).glob("*/*"))


def test_a_script_in_an_uploaded_document_never_comes_back_as_html(server: LiveServer) -> None:
    page = (
        "<html><head><title>Balance class</title><script>alert('owned-1')</script></head>"
        "<body><h2>Balance class</h2><p>The pelicanstance drill holds single-leg stance "
        "for thirty seconds.</p><img src=x onerror=alert('owned-2')></body></html>"
    )
    with server.client(server.key(tenant_name("xss"), "admin")) as http:
        made = http.post("/v1/documents", files={"file": ("class.html", page.encode(), "text/html")})
        assert made.status_code == 201, made.text
        response = http.get("/v1/search", params={"q": "pelicanstance single-leg stance", "k": 5})
    assert "pelicanstance" in response.text
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "<script" not in response.text and "owned-1" not in response.text


def test_only_admin_keys_upload(server: LiveServer) -> None:
    with server.client(server.key(tenant_name("prac"), "practitioner")) as http:
        response = http.post("/v1/documents", files={"file": ("a.md", b"# A\n\ntext")})
    assert response.status_code == 403


def test_upload_folder_is_per_tenant(server: LiveServer, tmp_path: Path) -> None:
    tenant = tenant_name("dir")
    with server.client(server.key(tenant, "admin")) as http:
        doc = http.post("/v1/documents", files={"file": ("a b\u00e9.txt", b"Gait drills for the morning group.")}).json()
    assert doc["filename"] == "a_be.txt"
    assert (server.settings.data_dir / "uploads" / tenant / doc["id"] / "a_be.txt").is_file()
