"""A journey's cards as a spreadsheet: what an import answers."""

from __future__ import annotations

from pydantic import BaseModel, Field


class SheetImportedPublic(BaseModel):
    rev: int = Field(description="the journey's revision after the import")
    added: int
    updated: int
    deleted: int = Field(description="with prune=true: the cards the sheet did not list")
