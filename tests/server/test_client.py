"""journeymap.Client against the real app: journeys come back as domain objects."""

from __future__ import annotations

import pytest

import journeymap
from journeymap.client import ClientError
from journeymap.domain.model import Journey

from .conftest import Site


def test_the_client_round_trip(site: Site) -> None:
    client = journeymap.Client("http://testserver", site.token, http=site.client)
    assert client.me()["email"] == "ada@example.com"
    (workspace,) = client.workspaces()
    made = client.create(workspace["id"], template="car-purchase")
    journey = client.journey(made)
    assert isinstance(journey, Journey) and journey.title == journeymap.new("car-purchase").title
    assert "<svg" in journey._repr_svg_()  # shows as a poster in a notebook
    result = client.apply(
        made, [{"kind": "set", "entity": "journey", "field": "title", "value": "Hannah's car"}]
    )
    assert result["rev"] == 2 and client.journey(made).title == "Hannah's car"
    copy = client.create(workspace["id"], journey=client.journey(made), title="A copy")
    assert {j["title"] for j in client.journeys(workspace["id"])} == {"Hannah's car", "A copy"}
    assert client.journeys(workspace["id"], q="copy")[0]["id"] == copy
    assert "title: Hannah's car" in client.export(made)


def test_server_refusals_raise_client_errors(site: Site) -> None:
    client = journeymap.Client("http://testserver", "jm_not-a-token", http=site.client)
    with pytest.raises(ClientError) as caught:
        client.workspaces()
    assert caught.value.status == 401 and "unknown or revoked" in caught.value.detail
