"""Refreshing a journey's evidence from its data sources in the background, and the pain
points found (services/refresh.py, services/found_pains.py)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from ...services import refresh as service
from ...services.found_pains import FoundView, add_found_pain, found_pains
from ...services.refresh import RefreshJob
from ..deps import DB, Config, Refreshes, Who
from ..schemas.data_sources import PainPointsPublic, RefreshPublic
from .data_sources import folders

router = APIRouter(prefix="/api/journeys/{journey_id}", tags=["data sources"])
FindingId = Annotated[str, Path(min_length=1, max_length=200)]


def _public(job: RefreshJob) -> RefreshPublic:
    return RefreshPublic(
        journey_id=job.journey_id,
        state=job.state,
        stage=job.stage,
        fraction=job.fraction,
        message=job.message,
        started_by=job.started_by,
        started_at=job.started_at,
        finished_at=job.finished_at,
        findings=job.findings,
    )


@router.post("/refresh", status_code=202, response_model=RefreshPublic)
def start(journey_id: str, caller: Who, db: DB, config: Config, jobs: Refreshes) -> RefreshPublic:
    """Measure the journey on its data sources in the background (editors). One at a time:
    while one runs, 409 with it. Follow it with GET; when done, the evidence is replaced."""
    job = service.start_refresh(db, caller, journey_id, folders(config), jobs)
    return _public(job)


@router.get("/refresh", response_model=RefreshPublic)
def status(journey_id: str, caller: Who, db: DB, jobs: Refreshes) -> RefreshPublic:
    """The running refresh's stage and progress, or how the last one ended (editors)."""
    return _public(service.refresh_status(db, caller, journey_id, jobs))


@router.delete("/refresh", response_model=RefreshPublic)
def cancel(journey_id: str, caller: Who, db: DB, jobs: Refreshes) -> RefreshPublic:
    """Cancel the running refresh (editors): it stops at its next stage, writing nothing."""
    return _public(service.cancel_refresh(db, caller, journey_id, jobs))


def _found(view: FoundView) -> PainPointsPublic:
    return PainPointsPublic.model_validate({"findings": view.findings, "found_at": view.found_at})


@router.get("/pain-points", response_model=PainPointsPublic)
def pain_points(journey_id: str, caller: Who, db: DB) -> PainPointsPublic:
    """The pain points the last refresh found in the data, ranked, each with its evidence and
    explanation (members; not share links)."""
    return _found(found_pains(db, caller, journey_id))


@router.post("/pain-points/{finding}/add", response_model=PainPointsPublic)
def add_to_map(journey_id: str, finding: FindingId, caller: Who, db: DB) -> PainPointsPublic:
    """Add a found pain point to the map (editors): an observed pain-point card with its
    evidence, in the journey's pain-point lane. The findings then name the card."""
    return _found(add_found_pain(db, caller, journey_id, finding))
