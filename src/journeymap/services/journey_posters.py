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
from ..render.export import PosterTooLarge, RenderError, RenderTimeout
from .errors import Invalid, Unavailable
from .journeys import get_journey
from .limits import Gates
from .policy import Principal, journey_access
from .posters import PosterCache, draw_poster
from .preconditions import time_rev

if TYPE_CHECKING:
    from ..storage import Database


@dataclass(frozen=True)
class PosterJob:
    journey: Journey
    fmt: str
    evidence: Any  # an EvidenceSet, or None
    tag: str  # the ETag of what `draw` makes
    key: tuple[str, int, str]  # (journey id, revision, evidence stamp): the cache's
    scale: float = 1.0

    @property
    def name(self) -> str:
        return f"{self.journey.id}.{self.fmt}"


def poster(
    db: Database,
    who: Principal,
    journey_id: str,
    fmt: str,
    with_evidence: bool = True,
    scale: float = 1.0,
) -> PosterJob:
    """What to draw, and its tag (a PNG's scale in it too); nothing is drawn yet."""
    journey_access(db, who, journey_id, "viewer")
    snap = get_journey(db, journey_id)
    found, stamp = _evidence(db, journey_id) if with_evidence else (None, "")
    size = f"-x{scale:g}" if fmt == "png" and scale != 1.0 else ""
    tag = f'"r{snap.rev}{stamp}-{fmt}{size}"'
    return PosterJob(snap.journey, fmt, found, tag, (journey_id, snap.rev, stamp), scale)


def draw(job: PosterJob, gates: Gates, cache: PosterCache) -> bytes:
    """The poster's bytes: drawn once per revision, evidence, format and scale, within the
    process's render slots, pixel cap and timeout (services/posters.py)."""
    try:
        return draw_poster(job.journey, job.key, job.fmt, job.scale, job.evidence, gates, cache)
    except PosterTooLarge as error:
        raise Invalid(str(error), title="Poster too large") from None
    except RenderTimeout as error:
        raise Unavailable(
            str(error), title="Took too long", headers={"Retry-After": "60"}
        ) from None
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
