"""The pain points a journey's last refresh found in its data, and adding one to the map: an
observed pain-point card with its evidence, through the one write path (services/journeys.py),
so it is versioned and broadcast like any edit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..analytics.painpoints import Finding, Signal
from .batches import OpIn, new_op_id
from .errors import NotFound
from .feedback import finding_cards
from .journeys import apply_ops, get_journey
from .policy import Principal, journey_access, signed_in

if TYPE_CHECKING:
    from ..storage import Database


@dataclass(frozen=True)
class FoundView:
    findings: list[dict[str, Any]]  # refresh.finding_json, with `card` once added
    found_at: dt.datetime | None


def found_pains(db: Database, who: Principal, journey_id: str) -> FoundView:
    """The last refresh's findings (members of the journey's workspace; not share links)."""
    journey_access(db, who, journey_id, "viewer", team_only="pain points")
    with db.read() as uow:
        row = uow.sources.link(journey_id)
    if row is None or row.findings is None:
        raise NotFound("no pain points found yet: refresh the journey on its data first")
    return FoundView(list(row.findings), row.findings_at)


def _finding(data: dict[str, Any]) -> Finding:
    fields = {k: v for k, v in data.items() if k not in ("explanation", "card", "signals")}
    return Finding(**fields, signals=[Signal(**s) for s in data.get("signals", [])])


def add_found_pain(db: Database, who: Principal, journey_id: str, finding_id: str) -> FoundView:
    """Add the finding to the map as an observed pain-point card with its evidence (editors);
    the findings then name the card. A finding added already is not added twice."""
    journey_access(db, who, journey_id, "editor")
    actor = signed_in(who)
    found = found_pains(db, who, journey_id).findings
    picked = next((f for f in found if f["id"] in (finding_id, f"pp-{finding_id}")), None)
    if picked is None:
        raise NotFound(
            f"no finding '{finding_id}' in the last refresh (its findings: "
            f"{', '.join(f['id'] for f in found[:10]) or 'none'})"
        )
    snap = get_journey(db, journey_id)
    live = {c.id for c in snap.journey.live_cards()}
    if picked.get("card") in live:
        return found_pains(db, who, journey_id)
    ops = finding_cards(snap.journey, [_finding(picked)], [picked["id"]])
    batch = [OpIn(new_op_id(), op) for op in ops]
    done = apply_ops(db, journey_id, actor, batch, snap.rev)
    card = next((p["id"] for p in _places(done.logged) if p), None)
    with db.write() as uow:
        row = uow.sources.link(journey_id)
        if row is not None and row.findings is not None:
            kept = [dict(f, card=card) if f["id"] == picked["id"] else f for f in row.findings]
            uow.sources.put_findings(journey_id, kept, found=False)
    return found_pains(db, who, journey_id)


def _places(logged: tuple[dict[str, Any], ...]) -> list[dict[str, Any] | None]:
    return [entry.get("applied") for entry in logged]
