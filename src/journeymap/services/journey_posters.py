"""A journey as a poster (SVG, HTML, PNG, PDF) for whoever may read it (viewers and the
journey's share link), drawn as `journeymap render` draws it, with the journey's stored
evidence when it has some.

The poster's tag (its revision, and the evidence's time) is known before anything is drawn, so
a client holding the same one skips the drawing (PNG and PDF start Chromium: a second or two).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from ..analytics.evidence import EvidenceSet
from ..domain.model import Journey
from ..render.export import RenderError, render
from .errors import Unavailable
from .journeys import get_journey
from .policy import Principal, journey_access
from .preconditions import time_rev

if TYPE_CHECKING:
    from ..storage import Database


@dataclass(frozen=True)
class PosterJob:
    journey: Journey
    fmt: str
    evidence: Any  # an EvidenceSet, or None
    tag: str  # the ETag of what `draw` makes

    @property
    def name(self) -> str:
        return f"{self.journey.id}.{self.fmt}"


def poster(
    db: Database, who: Principal, journey_id: str, fmt: str, with_evidence: bool = True
) -> PosterJob:
    """What to draw, and its tag; nothing is drawn yet."""
    journey_access(db, who, journey_id, "viewer")
    snap = get_journey(db, journey_id)
    found, stamp = _evidence(db, journey_id) if with_evidence else (None, "")
    return PosterJob(snap.journey, fmt, found, f'"r{snap.rev}{stamp}-{fmt}"')


def draw(job: PosterJob, scale: float = 1.0) -> bytes:
    try:
        return render(job.journey, job.fmt, scale, job.evidence)
    except RenderError as error:
        raise Unavailable(str(error), title="Cannot draw it here") from None


def _evidence(db: Database, journey_id: str) -> tuple[Any, str]:
    """(the stored evidence, a stamp of its time for the tag), or (None, "")."""
    with db.read() as uow:
        row = uow.evidence.get(journey_id)
        if row is None:
            return None, ""
        data, when = row.data, row.updated_at
    try:
        return EvidenceSet.model_validate(data), f"-e{time_rev(when)}"
    except ValidationError:  # evidence of an older format: draw the map without it
        return None, ""
