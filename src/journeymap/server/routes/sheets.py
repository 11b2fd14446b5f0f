"""A journey's cards as an XLSX spreadsheet, out and back in (rules in
services/journey_sheets.py): edit the cards in Excel or LibreOffice, then import the sheet."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from ...services import journey_sheets
from ...services.journey_sheets import XLSX_TYPE, SheetImported
from ...services.preconditions import etag
from ..deps import DB, Bounds, Who
from ..schemas.sheets import SheetImportedPublic
from ..uploads import sheet_upload

router = APIRouter(prefix="/api", tags=["journeys"])
_SHEET_DOC = {
    "requestBody": {
        "required": True,
        "description": "an .xlsx file (up to 5 MB): as the form field `file`, or as the body",
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"file": {"type": "string", "format": "binary"}},
                    "required": ["file"],
                }
            },
            XLSX_TYPE: {"schema": {"type": "string", "format": "binary"}},
        },
    }
}


@router.get(
    "/journeys/{journey_id}/cards.xlsx",
    response_class=Response,
    responses={200: {"content": {XLSX_TYPE: {}}, "description": "the cards, one a row"}},
)
def export_cards(journey_id: str, caller: Who, db: DB) -> Response:
    """The journey's cards as an XLSX spreadsheet, one row each, with drop-downs for kinds,
    stages, lanes and the other fixed choices (as `journeymap export cards.xlsx` writes)."""
    sheet = journey_sheets.export_sheet(db, caller, journey_id)
    return Response(
        sheet.data,
        media_type=XLSX_TYPE,
        headers={
            "Content-Disposition": f'attachment; filename="{sheet.name}"',
            "ETag": etag(sheet.rev),
        },
    )


@router.post(
    "/journeys/{journey_id}/cards.xlsx",
    response_model=SheetImportedPublic,
    openapi_extra=_SHEET_DOC,
)
async def import_cards(
    journey_id: str,
    caller: Who,
    request: Request,
    db: DB,
    bounds: Bounds,
    prune: Annotated[bool, Query(description="delete the cards the sheet does not list")] = False,
) -> SheetImported:
    """Cards from an XLSX spreadsheet into the journey (editors), matched by id: a known id
    updates that card, a new or empty one adds a card. Every row that cannot be used is listed
    with its number and column, and then nothing is changed."""
    raw = await request.body()  # at most the body limit
    content_type = request.headers.get("content-type", "")
    async with bounds.parses.hold_async():  # read once the caller may import
        return await run_in_threadpool(
            journey_sheets.import_sheet,
            db,
            caller,
            journey_id,
            lambda: sheet_upload(content_type, raw),
            prune,
        )
