"""The template gallery and the stage frameworks a new journey starts from."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class TemplatePublic(BaseModel):
    name: str = Field(description="what POST /api/workspaces/{id}/journeys takes as `template`")
    title: str
    description: str
    personas: list[str]
    stages: list[str]
    lanes: list[str]
    cards: int


class TemplateDocument(BaseModel):
    name: str
    document: dict[str, Any] = Field(description="the template in the file format, as JSON")


class StagePublic(BaseModel):
    id: str
    name: str
    description: str


class FrameworkPublic(BaseModel):
    name: str = Field(description="what POST /api/workspaces/{id}/journeys takes as `framework`")
    description: str
    stages: list[StagePublic]
    lanes: list[str] = Field(description="the lanes a journey started from it gets")
