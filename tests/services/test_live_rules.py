"""The live socket's rules that need no socket: the Origin check, the rate limit, the size
caps, credentials in the URL, and where an add or a move put its item."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from journeymap.services import live
from journeymap.services.batches import applied_places
from journeymap.services.live import LiveClosed, RateLimit


def test_origin_is_the_request_own_or_the_public_url() -> None:
    assert live.origin_ok("http://127.0.0.1:8000", None, "127.0.0.1:8000", "ws")
    assert live.origin_ok("https://maps.example.com", None, "maps.example.com", "wss")
    assert not live.origin_ok("http://maps.example.com", None, "maps.example.com", "wss")
    assert not live.origin_ok("http://evil.example", None, "127.0.0.1:8000", "ws")
    assert not live.origin_ok(None, None, "127.0.0.1:8000", "ws")
    public = "https://maps.example.com"
    assert live.origin_ok("https://maps.example.com", public, "10.0.0.5:8000", "ws")
    assert not live.origin_ok("http://10.0.0.5:8000", public, "10.0.0.5:8000", "ws")


def test_rate_limit_allows_a_burst_then_the_rate() -> None:
    rate = RateLimit(per_s=10, burst=5, tokens=5, at=0.0)
    for _ in range(5):
        rate.take(now=0.0)
    with pytest.raises(LiveClosed) as over:
        rate.take(now=0.0)
    assert over.value.code == live.CLOSE_RATE
    rate.take(now=0.1)  # a tenth of a second later: one more


def test_size_caps() -> None:
    live.check_size("x" * live.MAX_MESSAGE_BYTES)
    with pytest.raises(LiveClosed) as big:
        live.check_size("x" * (live.MAX_MESSAGE_BYTES + 1))
    assert big.value.code == 1009
    with pytest.raises(LiveClosed):
        live.check_presence({"x": "y" * live.MAX_PRESENCE_BYTES})


@pytest.mark.parametrize("name", ["token", "access_token", "share"])
def test_a_credential_in_the_url_is_refused(name: str) -> None:
    with pytest.raises(LiveClosed) as refused:
        live.refuse_url_token({name: "jm_x"})
    assert refused.value.code == live.CLOSE_FORBIDDEN and "URL" in refused.value.reason
    live.refuse_url_token({"other": "1"})


def test_applied_places_fill_generated_ids_and_order_keys() -> None:
    def flat(key: str) -> SimpleNamespace:
        return SimpleNamespace(order_key=key)

    before = {("card", "a"): flat("a0")}
    after = {("card", "a"): flat("a1"), ("card", "new"): flat("Zz"), ("card", "b"): flat("b0")}
    dumped = [
        {"kind": "move", "entity": "card", "id": "a"},
        {"kind": "add", "entity": "card", "value": {}},
        {"kind": "add", "entity": "card", "id": "b", "value": {}},
        {"kind": "rename", "entity": "card", "id": "a", "name": "x"},
    ]
    assert applied_places(dumped, before, after) == [
        {"id": "a", "order_key": "a1"},
        {"id": "new", "order_key": "Zz"},
        {"id": "b", "order_key": "b0"},
        None,
    ]
