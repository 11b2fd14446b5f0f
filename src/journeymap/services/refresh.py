"""Refresh: measure a journey on its workspace's data sources in the background, and keep what
was found (the evidence, through the write path; the pain points, on the journey's link).

One refresh at a time per journey, in a thread of the server process; it can be cancelled (at
the next stage: a file being read is read to its end first) and reports its stage. A failure
keeps the analytics' own words (the ingest report's), with every server-held password masked,
and the log line says the same words, never more.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ..analytics.credentials import MASK
from ..analytics.errors import BindingError, SourceError, StoreError
from ..domain.errors import JourneyInvalid, OperationError
from ..domain.model import Journey
from .analysis import AnalysisRequest, Events, analyse_opened
from .data_sources import LinkView, journey_link
from .errors import Conflict, NotFound, ServiceError
from .evidence import checked_evidence, put_evidence
from .feedback import pain_points_in
from .journeys import get_journey
from .policy import Principal, journey_access, signed_in
from .preconditions import IfMatch
from .refresh_sources import open_events_source, open_feedback_source
from .source_rules import SourceFolders

if TYPE_CHECKING:
    from ..storage import Database

log = logging.getLogger(__name__)
State = Literal["running", "done", "failed", "cancelled"]
# Each stage, and how far along the refresh is when it starts.
STAGES = {
    "starting": 0.0,
    "reading the events": 0.05,
    "measuring the map": 0.35,
    "splitting the funnel": 0.5,
    "reading the feedback": 0.6,
    "finding pain points": 0.75,
    "storing the evidence": 0.9,
    "done": 1.0,
}
ANY = IfMatch("*", None)
_EXPECTED = (
    ServiceError,
    SourceError,
    BindingError,
    StoreError,
    JourneyInvalid,
    OperationError,
    ValueError,
)


class Cancelled(Exception):
    """The refresh was cancelled: stop at the next stage, write nothing."""


@dataclass
class RefreshJob:
    journey_id: str
    started_by: str
    started_at: dt.datetime
    state: State = "running"
    stage: str = "starting"
    fraction: float = 0.0
    message: str | None = None  # the failure, in words
    finished_at: dt.datetime | None = None
    findings: int | None = None
    cancel_asked: threading.Event = field(default_factory=threading.Event, repr=False)

    def view(self) -> RefreshJob:
        return dataclasses.replace(self)

    def at(self, stage: str) -> None:
        if self.cancel_asked.is_set():
            raise Cancelled
        self.stage = stage
        self.fraction = STAGES.get(stage, self.fraction)


@dataclass
class RefreshJobs:
    """The refreshes of this server process: the running one, else the last, per journey."""

    jobs: dict[str, RefreshJob] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    threads: dict[str, threading.Thread] = field(default_factory=dict)


def secrets_known() -> list[str]:
    """Every password the server holds for sources, to mask wherever words go out."""
    return [
        v
        for k, v in os.environ.items()
        if k.startswith("JOURNEYMAP_SOURCE_") and k.endswith("_PASSWORD") and v
    ]


def scrub(text: str) -> str:
    for secret in secrets_known():
        text = text.replace(secret, MASK)
    return text


def start_refresh(
    db: Database, who: Principal, journey_id: str, folders: SourceFolders, jobs: RefreshJobs
) -> RefreshJob:
    """Start measuring the journey (editors); Conflict (with the running job) when one runs."""
    journey_access(db, who, journey_id, "editor")
    link = journey_link(db, who, journey_id)
    actor = signed_in(who)
    with jobs.lock:
        running = jobs.jobs.get(journey_id)
        if running is not None and running.state == "running":
            raise Conflict(
                f"a refresh of this journey is running ({running.stage}, started by "
                f"{running.started_by}); wait for it, or cancel it (DELETE)",
                job=_job_json(running),
            )
        job = RefreshJob(journey_id, actor, dt.datetime.now(dt.UTC))
        jobs.jobs[journey_id] = job
        thread = threading.Thread(
            target=_run,
            args=(db, job, link, folders),
            name=f"refresh-{journey_id}",
            daemon=True,
        )
        jobs.threads[journey_id] = thread
    thread.start()
    return job.view()


def _job_json(job: RefreshJob) -> dict[str, Any]:
    return {"state": job.state, "stage": job.stage, "fraction": job.fraction}


def refresh_status(db: Database, who: Principal, journey_id: str, jobs: RefreshJobs) -> RefreshJob:
    journey_access(db, who, journey_id, "editor")
    with jobs.lock:
        job = jobs.jobs.get(journey_id)
        if job is None:
            raise NotFound("no refresh of this journey since the server started: POST to start one")
        return job.view()


def cancel_refresh(db: Database, who: Principal, journey_id: str, jobs: RefreshJobs) -> RefreshJob:
    journey_access(db, who, journey_id, "editor")
    with jobs.lock:
        job = jobs.jobs.get(journey_id)
        if job is None or job.state != "running":
            raise NotFound("no refresh of this journey is running")
        job.cancel_asked.set()
        return job.view()


def wait(jobs: RefreshJobs, journey_id: str, timeout: float | None = None) -> None:
    """Until the journey's refresh thread ends (tests, and a server stopping)."""
    thread = jobs.threads.get(journey_id)
    if thread is not None:
        thread.join(timeout)


def _run(db: Database, job: RefreshJob, link: LinkView, folders: SourceFolders) -> None:
    try:
        found = measure_journey(db, job, link, folders)
        job.at("storing the evidence")
        with db.write() as uow:
            uow.sources.put_findings(job.journey_id, found.findings)
        # Whatever evidence is there is replaced: the refresh measured the journey as it is.
        put_evidence(db, job.journey_id, found.evidence, job.started_by, ANY)
        job.findings = len(found.findings)
        job.stage, job.fraction, job.state = "done", 1.0, "done"
    except Cancelled:
        job.state = "cancelled"
    except _EXPECTED as error:
        job.message, job.state = scrub(str(error)), "failed"
        log.warning("refresh of journey %s failed: %s", job.journey_id, job.message)
    except Exception as error:  # a driver's or a bug's: its type only (its words may hold anything)
        job.message = (
            f"the analysis stopped on an unexpected {type(error).__name__} while "
            f"{job.stage}; the server's operator can run `journeymap analyze` on the same "
            "source to see more"
        )
        job.state = "failed"
        log.error("refresh of journey %s failed: %s", job.journey_id, job.message)
    finally:
        job.finished_at = dt.datetime.now(dt.UTC)


@dataclass
class Measured:
    evidence: dict[str, Any]
    findings: list[dict[str, Any]]


def measure_journey(
    db: Database, job: RefreshJob, link: LinkView, folders: SourceFolders
) -> Measured:
    """The journey's evidence (events, and feedback when it has a feedback source) and its
    pain points, measured with the link's options."""
    snap = get_journey(db, job.journey_id)
    journey: Journey = snap.journey
    workspace = _workspace(db, job.journey_id)
    cache = folders.data / "measure" / workspace
    job.at("reading the events")
    events: Events = open_events_source(db, workspace, link.events, folders, cache, job.at)
    options = link.options
    request = AnalysisRequest(
        journey=journey,
        source_file=Path(link.events),
        window_ms=None if options.window_days is None else round(options.window_days * 86_400_000),
        min_count=options.min_count,
        split_by=options.split_by,
        compare=options.compare_ms(),
    )
    analysis = analyse_opened(request, events, job.at)
    evidence = analysis.evidence()
    feedback = None
    if link.feedback is not None:
        job.at("reading the feedback")
        feedback, measured = open_feedback_source(
            db, workspace, link.feedback, journey, events, folders, cache, options.min_count
        )
        evidence = evidence.model_copy(update={"feedback": measured})
    job.at("finding pain points")
    findings = pain_points_in(journey, events, feedback, options.min_count)
    return Measured(
        checked_evidence(evidence.model_dump(mode="json")), [finding_json(f) for f in findings]
    )


def _workspace(db: Database, journey_id: str) -> str:
    with db.read() as uow:
        row = uow.journeys.get(journey_id)
        if row is None:
            raise NotFound(f"no journey '{journey_id}'")
        return row.workspace_id


def finding_json(finding: Any) -> dict[str, Any]:
    data = dataclasses.asdict(finding)
    data["explanation"] = finding.explanation()
    data["card"] = None  # the card "Add to map" made
    return data
