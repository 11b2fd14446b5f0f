"""The template gallery and the stage frameworks a new journey starts from."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, Field

from ...domain.wire import JourneyDoc
from .common import Shaped


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
    document: Annotated[dict[str, Any], Shaped(JourneyDoc)] = Field(
        description="the template as the API sends a journey (every revision 0)"
    )


class StagePublic(BaseModel):
    id: str
    name: str
    description: str


class FrameworkPublic(BaseModel):
    name: str = Field(description="what POST /api/workspaces/{id}/journeys takes as `framework`")
    description: str
    stages: list[StagePublic]
    lanes: list[str] = Field(description="the lanes a journey started from it gets")
