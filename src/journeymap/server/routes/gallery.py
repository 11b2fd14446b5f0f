"""The template gallery and the stage frameworks, for "new journey" (rules in
services/template_gallery.py)."""

from __future__ import annotations

from fastapi import APIRouter

from ...services import template_gallery
from ...services.template_gallery import FrameworkView, TemplateCard
from ..deps import Who
from ..schemas.gallery import FrameworkPublic, TemplateDocument, TemplatePublic

router = APIRouter(prefix="/api", tags=["journeys"])


@router.get("/templates", response_model=list[TemplatePublic])
def templates(caller: Who) -> list[TemplateCard]:
    """The bundled templates, each with what a preview shows: personas, stages, lanes and how
    many cards."""
    return template_gallery.templates(caller)


@router.get("/templates/{name}", response_model=TemplateDocument)
def template(name: str, caller: Who) -> TemplateDocument:
    """One template whole, as a journey document, to draw its preview."""
    return TemplateDocument(name=name, document=template_gallery.template_document(caller, name))


@router.get("/frameworks", response_model=list[FrameworkPublic])
def frameworks(caller: Who) -> list[FrameworkView]:
    """The stage frameworks a blank journey starts from, with their stages and lanes."""
    return template_gallery.frameworks(caller)
