"""Touchpoint channels: a built-in list with aliases, plus a journey's own channels."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class ChannelMode(StrEnum):
    digital = "digital"
    physical = "physical"


@dataclass(frozen=True)
class ChannelInfo:
    id: str
    name: str
    mode: ChannelMode
    aliases: tuple[str, ...] = ()


_D, _P = ChannelMode.digital, ChannelMode.physical

BUILTIN_CHANNELS: tuple[ChannelInfo, ...] = (
    ChannelInfo("web", "Website", _D, ("website", "site", "online", "webshop", "web-shop")),
    ChannelInfo("app", "Mobile app", _D, ("mobile-app", "mobile", "ios", "android")),
    ChannelInfo("email", "Email", _D, ("e-mail", "newsletter")),
    ChannelInfo("sms", "Text message", _D, ("text", "text-message", "whatsapp")),
    ChannelInfo(
        "phone", "Phone", _P, ("call", "telephone", "call-center", "call-centre", "hotline")
    ),
    ChannelInfo("chat", "Chat", _D, ("live-chat", "chatbot", "messaging", "messenger")),
    ChannelInfo("social", "Social media", _D, ("social-media", "facebook", "instagram", "tiktok")),
    ChannelInfo("search", "Search engine", _D, ("seo", "sem", "search-engine", "google")),
    ChannelInfo("ads", "Advertising", _D, ("ad", "advertising", "display", "paid", "banner")),
    ChannelInfo("reviews", "Review sites", _D, ("review", "review-site", "review-sites")),
    ChannelInfo("store", "Store", _P, ("in-store", "shop", "branch", "showroom", "dealership")),
    ChannelInfo("in-person", "In person", _P, ("face-to-face", "f2f", "visit", "field")),
    ChannelInfo("mail", "Post", _P, ("post", "postal", "direct-mail", "letter")),
    ChannelInfo("print", "Print", _P, ("magazine", "brochure", "flyer", "catalogue", "catalog")),
    ChannelInfo("tv", "TV and radio", _P, ("television", "radio", "broadcast")),
    ChannelInfo("event", "Event", _P, ("events", "trade-show", "conference", "workshop")),
    ChannelInfo("referral", "Word of mouth", _P, ("word-of-mouth", "wom", "friend", "referrals")),
    ChannelInfo("delivery", "Delivery", _P, ("courier", "shipping", "parcel")),
    ChannelInfo("partner", "Partner", _D, ("reseller", "affiliate", "marketplace")),
    ChannelInfo("product", "The product itself", _D, ("in-product", "in-app", "self-service")),
)


@functools.lru_cache(maxsize=4096)
def normalise_channel_name(name: str) -> str:
    """`" Live Chat"` -> `live-chat`: case, spaces and underscores do not matter. Cached: every
    journey check asks again for the same few names (the live write path checks per operation)."""
    return re.sub(r"[\s_]+", "-", name.strip().lower())


@functools.lru_cache(maxsize=64)
def registry_of(custom: tuple[ChannelInfo, ...] = ()) -> ChannelRegistry:
    """The registry of the built-in channels and `custom`, built once per set of channels (a
    journey's check needs it per operation; callers only read it)."""
    return ChannelRegistry(custom)


class ChannelRegistry:
    """Resolves a channel name or alias to its canonical id."""

    def __init__(self, custom: Iterable[ChannelInfo] = ()) -> None:
        self.channels: dict[str, ChannelInfo] = {c.id: c for c in BUILTIN_CHANNELS}
        for c in custom:
            self.channels[c.id] = c
        self._names: dict[str, str] = {}
        for c in self.channels.values():
            for name in (c.id, *c.aliases):
                self._names[normalise_channel_name(name)] = c.id

    def resolve(self, name: str) -> str | None:
        return self._names.get(normalise_channel_name(name))

    def mode_of(self, channel_id: str) -> ChannelMode:
        info = self.channels.get(channel_id)
        return info.mode if info else ChannelMode.digital

    def names(self) -> list[str]:
        return list(self._names)

    def ids(self) -> list[str]:
        return list(self.channels)
