"""Helpers the entity, copy and render API tests share: a fresh journey, a share link."""

from __future__ import annotations

from typing import Any

from .conftest import Site


def new_journey(site: Site, framework: str = "three-stage") -> str:
    """A journey made from a framework (stages awareness, consideration and decision; sections
    persona (lanes actions, touchpoints, thoughts, feelings, pains) and business (lanes
    opportunities, metrics)) at revision 1; its id."""
    made = site.client.post(
        f"/api/workspaces/{site.workspace}/journeys",
        json={"framework": framework},
        headers=site.auth(),
    )
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


def share_link(site: Site, journey_id: str) -> dict[str, str]:
    """Headers that read the journey through a new share link."""
    from journeymap.services.security import new_token

    app: Any = site.client.app
    made = new_token()
    with app.state.db.write() as uow:
        owner = uow.journeys.get(journey_id).created_by
        uow.access.add_share_link(journey_id, made.prefix, made.digest, owner, None)
    return {"X-Share-Token": made.plaintext}
