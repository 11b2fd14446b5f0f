"""One entity of a journey (persona, channel, stage, step, section, lane, card, emotion point)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class EntityPublic(BaseModel):
    entity: str = Field(description="its kind: persona, channel, stage, step, ...")
    id: str
    rev: int = Field(description='the revision it last changed in; its ETag is "r<rev>"')
    value: dict[str, Any] = Field(
        description="its fields, as a journey file holds them (a step names its `stage`, a "
        "lane its `section`): the shape to send back"
    )


class EntityList(BaseModel):
    rev: int = Field(description="the journey's revision")
    items: list[EntityPublic]
