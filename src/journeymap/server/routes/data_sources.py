"""A workspace's data sources (owners register them; editors read them) and a journey's choice
of sources and analysis options (services/data_sources.py)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from ...services import data_sources as service
from ...services.data_sources import LinkView, Options, SourceView
from ...services.source_rules import SourceFolders, password_variable
from ..deps import DB, Config, Who
from ..schemas.data_sources import (
    JourneySourcesIO,
    JourneySourcesPublic,
    OptionsIO,
    SourceIn,
    SourceNew,
    SourcePublic,
)
from ..settings import Settings

router = APIRouter(tags=["data sources"])
Name = Annotated[str, Path(min_length=1, max_length=64)]
SOURCES = "/api/workspaces/{workspace_id}/sources"


def folders(found: Settings) -> SourceFolders:
    return SourceFolders(found.sources_dir, found.data)


def _public(view: SourceView) -> SourcePublic:
    return SourcePublic(
        name=view.name,
        kind=view.kind,
        definition=view.definition,
        updated_at=view.updated_at,
        password_variable=password_variable(view.name),
    )


@router.get(SOURCES, response_model=list[SourcePublic])
def listed(workspace_id: str, caller: Who, db: DB) -> list[SourcePublic]:
    """The workspace's data sources (editors and owners)."""
    return [_public(v) for v in service.sources(db, caller, workspace_id)]


@router.post(SOURCES, status_code=201, response_model=SourcePublic)
def add(workspace_id: str, body: SourceNew, caller: Who, db: DB, config: Config) -> SourcePublic:
    """Register a data source (owners): a file in the server's sources folder (a path relative
    to it), or a database url without a password (the server holds it)."""
    made = service.add_source(
        db, caller, workspace_id, body.name, body.kind, body.definition, folders(config)
    )
    return _public(made)


@router.put(SOURCES + "/{name}", response_model=SourcePublic)
def change(
    workspace_id: str, name: Name, body: SourceIn, caller: Who, db: DB, config: Config
) -> SourcePublic:
    """Change a data source's definition (owners)."""
    done = service.replace_source(
        db, caller, workspace_id, name, body.kind, body.definition, folders(config)
    )
    return _public(done)


@router.delete(SOURCES + "/{name}", status_code=204)
def remove(workspace_id: str, name: Name, caller: Who, db: DB) -> None:
    """Remove a data source no journey uses (owners)."""
    service.remove_source(db, caller, workspace_id, name)


def _link(view: LinkView) -> JourneySourcesPublic:
    o = view.options
    return JourneySourcesPublic(
        events=view.events,
        feedback=view.feedback,
        options=OptionsIO(
            window_days=o.window_days,
            min_count=o.min_count,
            split_by=o.split_by,
            periods=o.periods,
        ),
        updated_at=view.updated_at,
    )


@router.get("/api/journeys/{journey_id}/sources", response_model=JourneySourcesPublic)
def journey_sources(journey_id: str, caller: Who, db: DB) -> JourneySourcesPublic:
    """The sources the journey is measured on, and the options (editors); 404 before any."""
    return _link(service.journey_link(db, caller, journey_id))


@router.put("/api/journeys/{journey_id}/sources", response_model=JourneySourcesPublic)
def choose_sources(
    journey_id: str, body: JourneySourcesIO, caller: Who, db: DB
) -> JourneySourcesPublic:
    """Choose the journey's events source (and feedback source), and the analysis options
    (editors)."""
    o = body.options
    options = Options(o.window_days, o.min_count, o.split_by, o.periods)
    found = service.set_journey_link(db, caller, journey_id, body.events, body.feedback, options)
    return _link(found)
