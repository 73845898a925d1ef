"""`/v1/documents` (admin): upload a document into the tenant's own space, list, delete."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Path, Response, UploadFile

from api.auth import CallerDep
from api.deps import ServicesDep
from api.errors import ApiError
from api.schemas.common import AUTH_ERRORS, errors
from api.schemas.documents import DocumentInfo, DocumentList
from assistant.uploads import UploadError

router = APIRouter(prefix="/v1/documents", tags=["documents"])


@router.post("", status_code=201, responses=errors(413, 415, 422, *AUTH_ERRORS))
def upload(
    file: Annotated[UploadFile, File(description="md, txt, html, pdf or docx")],
    caller: CallerDep,
    services: ServicesDep,
) -> DocumentInfo:
    """Save and index one document; only the caller's tenant will find it."""
    limit = services.uploads.max_bytes
    data = file.file.read(limit + 1)
    try:
        return services.uploads.add(caller.tenant, file.filename or "", data)
    except UploadError as exc:
        raise ApiError(exc.status, exc.code, str(exc)) from exc


@router.get("", responses=errors(*AUTH_ERRORS))
def list_documents(
    caller: CallerDep, services: ServicesDep
) -> DocumentList:
    return DocumentList(documents=services.uploads.list(caller.tenant))


@router.delete(
    "/{doc_id}", status_code=204, response_class=Response, responses=errors(404, *AUTH_ERRORS)
)
def delete_document(
    doc_id: Annotated[str, Path(min_length=1, max_length=64)],
    caller: CallerDep,
    services: ServicesDep,
) -> Response:
    """Remove the document from the index and the disk."""
    if not services.uploads.delete(caller.tenant, doc_id):
        raise ApiError(404, "not_found", "no such document")
    return Response(status_code=204)
