"""A workspace's data sources (owners register them, editors and above read them) and a
journey's choice of them with its analysis options (editors).

A definition is the CLI's source file as JSON (events: source_spec.SourceSpec; feedback:
feedback_spec.FeedbackSpec), checked against the operator's folders (source_rules.py) when it
is stored and again when it is read for a refresh (the folder may have changed since).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..storage.unique import AlreadyStored
from .errors import Conflict, NotFound, invalid_field
from .policy import Principal, journey_access, signed_in, workspace_role
from .source_rules import SourceFolders, checked_definition

if TYPE_CHECKING:
    from ..storage import Database
    from ..storage.sources import DataSourceRow, JourneySourceRow

NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
DAY_MS = 86_400_000


@dataclass(frozen=True)
class SourceView:
    name: str
    kind: str
    definition: dict[str, Any]
    updated_at: dt.datetime


@dataclass(frozen=True)
class Options:
    """How a journey is measured: the funnel window (days; None: the journey's own), the
    smallest count shown, a split column (persona, segment, a customer attribute) and two
    periods to compare (each [start, end) as ISO dates)."""

    window_days: float | None = None
    min_count: int = 10
    split_by: str | None = None
    periods: tuple[tuple[str, str], tuple[str, str]] | None = None

    def compare_ms(self) -> tuple[tuple[int, int], tuple[int, int]] | None:
        if self.periods is None:
            return None
        (a, b), (c, d) = self.periods
        return (_ms(a), _ms(b)), (_ms(c), _ms(d))


@dataclass(frozen=True)
class LinkView:
    events: str
    feedback: str | None
    options: Options
    updated_at: dt.datetime


def _ms(day: str) -> int:
    when = dt.datetime.fromisoformat(day)
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return int(when.timestamp() * 1000)


def _view(row: DataSourceRow) -> SourceView:
    return SourceView(row.name, row.kind, row.definition, row.updated_at)


def sources(db: Database, who: Principal, workspace_id: str) -> list[SourceView]:
    workspace_role(db, who, workspace_id, "editor")
    with db.read() as uow:
        return [_view(r) for r in uow.sources.of(workspace_id)]


def _checked_name(name: str) -> str:
    if not NAME.fullmatch(name):
        raise invalid_field(
            "name",
            "use lower-case letters, digits and dashes (up to 63, starting with a letter or "
            "digit), e.g. shop-events",
        )
    return name


def add_source(
    db: Database,
    who: Principal,
    workspace_id: str,
    name: str,
    kind: str,
    definition: dict[str, Any],
    folders: SourceFolders,
) -> SourceView:
    workspace_role(db, who, workspace_id, "owner")
    spec = checked_definition(kind, definition, folders)
    stored = spec.model_dump(mode="json", exclude_defaults=True)
    with db.write() as uow:
        try:
            row = uow.sources.add(workspace_id, _checked_name(name), kind, stored, signed_in(who))
        except AlreadyStored:
            raise Conflict(
                f"name: the workspace has a source '{name}' already; choose another name, or "
                "change that one (PUT)"
            ) from None
        return _view(row)


def replace_source(
    db: Database,
    who: Principal,
    workspace_id: str,
    name: str,
    kind: str,
    definition: dict[str, Any],
    folders: SourceFolders,
) -> SourceView:
    workspace_role(db, who, workspace_id, "owner")
    spec = checked_definition(kind, definition, folders)
    with db.write() as uow:
        row = _found(uow.sources.get(workspace_id, name), name)
        if row.kind != kind and uow.sources.users(workspace_id, name):
            raise Conflict(f"kind: journeys use '{name}' as {row.kind}; it cannot change kind")
        uow.sources.replace(row, kind, spec.model_dump(mode="json", exclude_defaults=True))
        return _view(row)


def remove_source(db: Database, who: Principal, workspace_id: str, name: str) -> None:
    workspace_role(db, who, workspace_id, "owner")
    with db.write() as uow:
        _found(uow.sources.get(workspace_id, name), name)
        users = uow.sources.users(workspace_id, name)
        if users:
            raise Conflict(
                f"journeys measure on '{name}' ({', '.join(users[:5])}): choose other sources "
                "for them first"
            )
        uow.sources.remove(workspace_id, name)


def _found(row: DataSourceRow | None, name: str) -> DataSourceRow:
    if row is None:
        raise NotFound(f"the workspace has no data source '{name}'")
    return row


def _link_view(row: JourneySourceRow) -> LinkView:
    o = row.options
    periods = o.get("periods")
    options = Options(
        o.get("window_days"),
        int(o.get("min_count", 10)),
        o.get("split_by"),
        None if not periods else (tuple(periods[0]), tuple(periods[1])),
    )
    return LinkView(row.events_source, row.feedback_source, options, row.updated_at)


def journey_link(db: Database, who: Principal, journey_id: str) -> LinkView:
    """The journey's sources and options (editors); 404 when none were chosen yet."""
    journey_access(db, who, journey_id, "editor")
    with db.read() as uow:
        row = uow.sources.link(journey_id)
    if row is None:
        raise NotFound("choose the journey's data sources first (PUT .../sources)")
    return _link_view(row)


def set_journey_link(
    db: Database,
    who: Principal,
    journey_id: str,
    events: str,
    feedback: str | None,
    options: Options,
) -> LinkView:
    access = journey_access(db, who, journey_id, "editor")
    _check_options(options)
    with db.write() as uow:
        for field, name, kind in (("events", events, "events"), ("feedback", feedback, "feedback")):
            if name is None:
                continue
            row = uow.sources.get(access.workspace, name)
            if row is None:
                names = [r.name for r in uow.sources.of(access.workspace) if r.kind == kind]
                raise invalid_field(
                    field,
                    f"the workspace has no {kind} source '{name}' (its {kind} sources: "
                    f"{', '.join(names) or 'none yet: an owner registers them'})",
                )
            if row.kind != kind:
                raise invalid_field(field, f"'{name}' is a {row.kind} source, not {kind}")
        stored = {
            "window_days": options.window_days,
            "min_count": options.min_count,
            "split_by": options.split_by,
            "periods": [list(p) for p in options.periods] if options.periods else None,
        }
        found = uow.sources.put_link(journey_id, events, feedback, stored, signed_in(who))
        return _link_view(found)


def _check_options(options: Options) -> None:
    if options.window_days is not None and not 0 < options.window_days <= 3650:
        raise invalid_field("options.window_days", "give a number of days from 0 to 3650")
    if not 1 <= options.min_count <= 1_000_000:
        raise invalid_field("options.min_count", "give a count of at least 1")
    if options.periods is not None:
        try:
            (a, b), (c, d) = options.compare_ms() or ((0, 0), (0, 0))
        except ValueError:
            raise invalid_field(
                "options.periods", "write each period as two ISO dates, e.g. 2026-01-01"
            ) from None
        if not (a < b and c < d):
            raise invalid_field("options.periods", "each period's start comes before its end")
