"""Opening a workspace's data source for a refresh: its definition checked again against the
operator's folders (they may have changed since it was stored), a database url given the
server's password for it, and the events ingested into the server's own cache."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..analytics.errors import SourceError
from ..analytics.ingest import ingest
from ..domain.model import Journey
from .analysis import Events
from .feedback import feedback_on
from .source_rules import SourceFolders, checked_definition, password_for

if TYPE_CHECKING:
    from ..storage import Database


def _definition(db: Database, workspace: str, name: str, kind: str) -> dict[str, Any]:
    with db.read() as uow:
        row = uow.sources.get(workspace, name)
    if row is None or row.kind != kind:
        raise SourceError(
            f"the journey's {kind} source '{name}' is gone from the workspace: choose another "
            "in the Data panel"
        )
    return row.definition


def open_events_source(
    db: Database,
    workspace: str,
    name: str,
    folders: SourceFolders,
    cache: Path,
    stage: Callable[[str], None],
) -> Events:
    spec = checked_definition("events", _definition(db, workspace, name, "events"), folders)
    if spec.source.url is not None:
        url = password_for(name, spec.source.url)
        if url is not None:  # checked already: no validation to run again on it
            spec = spec.model_copy(update={"source": spec.source.model_copy(update={"url": url})})
    base = folders.root or folders.data

    def rows(n: int) -> None:
        stage("reading the events")

    result = ingest(spec, base, cache, False, rows)
    return Events(spec, result.report, result.store, result.reused)


def open_feedback_source(
    db: Database,
    workspace: str,
    name: str,
    journey: Journey,
    events: Events,
    folders: SourceFolders,
    cache: Path,
    min_count: int,
) -> tuple[Any, Any]:
    """(the answers, their evidence) from the workspace's feedback source `name`."""
    spec = checked_definition("feedback", _definition(db, workspace, name, "feedback"), folders)
    assert folders.root is not None  # checked_definition refuses a file without the folder
    return feedback_on(journey, spec, folders.root, cache, events, min_count)
