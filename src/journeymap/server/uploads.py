"""A journey file sent to the server: as the form field `file` of a multipart upload (a
browser's file picker) or as the whole body (`curl -T checkout.yaml`)."""

from __future__ import annotations

from email.parser import BytesParser
from email.policy import HTTP
from typing import Any

from .http import ProblemError

MAX_UPLOAD = 5 * 1024 * 1024
_JSON_TYPES = ("application/json", "text/json")


def journey_upload(content_type: str, raw: bytes) -> tuple[str, bytes]:
    """(a file name, the file's bytes) from a multipart form or a raw body."""
    if content_type.lower().startswith("multipart/"):
        name, raw = _form_file(content_type, raw)
    else:
        media = content_type.split(";")[0].strip().lower()
        name = "upload.json" if media in _JSON_TYPES else "upload.yaml"
    if not raw.strip():
        raise ProblemError(
            422, "Empty file", "the journey file is empty; send a YAML or JSON journey file"
        )
    if len(raw) > MAX_UPLOAD:
        raise ProblemError(
            413,
            "File too large",
            f"the file is {len(raw):,} bytes; journey files are limited to {MAX_UPLOAD:,} "
            "(split the journey into several)",
        )
    return name, raw


def _form_file(content_type: str, raw: bytes) -> tuple[str, bytes]:
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1", "replace")
    message: Any = BytesParser(policy=HTTP).parsebytes(head + raw)
    parts = list(message.iter_parts()) if message.is_multipart() else []
    chosen = next(
        (p for p in parts if p.get_param("name", header="content-disposition") == "file"), None
    )
    if chosen is None:
        chosen = next((p for p in parts if p.get_filename()), None)
    if chosen is None:
        raise ProblemError(
            422,
            "No file",
            "the form has no file; send the journey file as the form field `file`",
        )
    data = chosen.get_payload(decode=True)
    return str(chosen.get_filename() or "upload.yaml"), data if isinstance(data, bytes) else b""


def sheet_upload(content_type: str, raw: bytes) -> tuple[str, bytes]:
    """(a file name, the bytes) of a spreadsheet: the form field `file`, or the whole body."""
    name = "cards.xlsx"
    if content_type.lower().startswith("multipart/"):
        name, raw = _form_file(content_type, raw)
    if not raw:
        raise ProblemError(422, "Empty file", "the spreadsheet is empty; send an .xlsx file")
    return name, raw
