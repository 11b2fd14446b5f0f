"""How many guesses at a password anyone gets, counted before any password is checked.

An attempt (a sign-in, or a password change naming the current password) is counted the
moment it begins, under one lock, and only then is the password checked: of 30 guesses sent at
once, the first `attempts` are checked and the rest are refused (429) without any argon2 work.
A right password takes its own attempt back; a wrong one leaves it counted for `window_s`.

Three budgets, each `attempts` (or `address_attempts`) failures in a sliding window:
- the account from addresses it has not signed in from: a stranger's guesses (from anywhere,
  however many addresses) use it up, and then the owner too must wait, on a new device;
- the account from each address it has signed in from (its "own" addresses, remembered after a
  right password): the owner's own typos, and no one else's, so a stranger's guesses never lock
  the owner out of their usual place;
- the address, whatever the account: one machine trying many emails.
An unknown email is an account like any other (the same budgets, the same answers), so the
limits tell no one which emails have accounts.

Memory is bounded: a refused attempt, or a look, makes no entry; an entry whose failures have
all left the window is dropped; past `entries` entries the least recently failed are forgotten
first. Kept in memory, per server process: a restart forgets, which errs towards letting people
in.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from .errors import TooManyAttempts

OWN_ADDRESSES = 4  # remembered per account: the places its owner signs in from


@dataclass(frozen=True)
class SignInLimits:
    attempts: int = 5  # failures per account (from strangers' addresses), and per own address
    address_attempts: int = 20  # failures from one address, whatever the account
    window_s: float = 300.0
    entries: int = 20_000  # the limiter's counters, and as many accounts' own addresses


def account_key(email: str) -> str:
    """The account an email names, known or not: the same key for the same email."""
    return email.strip().lower()


class SignInLimiter:
    """The budgets above, thread-safe; the clock can be replaced in tests."""

    def __init__(
        self, limits: SignInLimits | None = None, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limits = limits or SignInLimits()
        self.clock = clock
        self._lock = threading.Lock()
        # key -> failure times, oldest first; the least recently failed key first
        self._failures: OrderedDict[str, list[float]] = OrderedDict()
        self._own: OrderedDict[str, tuple[str, ...]] = OrderedDict()  # account -> addresses

    def begin(self, email: str, address: str) -> Attempt:
        """Count an attempt at `email`'s password from `address`, before it is checked;
        TooManyAttempts (saying when to try again) when a budget it counts against is spent."""
        account = account_key(email)
        now = self.clock()
        with self._lock:
            own = address in self._own.get(account, ())
            mine = f"own:{account}\n{address}" if own else f"account:{account}"
            budgets = [
                (mine, self.limits.attempts),
                (f"address:{address}", self.limits.address_attempts),
            ]
            wait = 0.0
            for key, allowed in budgets:
                recent = self._recent(key, now)
                if len(recent) >= allowed:
                    wait = max(wait, recent[-allowed] + self.limits.window_s - now)
            if wait > 0:
                seconds = int(wait) + 1
                raise TooManyAttempts(
                    f"too many failed sign-ins; try again in {seconds} s", seconds
                )
            keys = tuple(key for key, _ in budgets)
            for key in keys:
                self._count(key, now)
        return Attempt(self, account, address, keys, now)

    def size(self) -> int:
        """Entries held: counters and accounts with own addresses (tests and benchmarks)."""
        with self._lock:
            return len(self._failures) + len(self._own)

    def _recent(self, key: str, now: float) -> list[float]:
        """The key's failures still in the window (no entry is made; an empty one is dropped)."""
        found = self._failures.get(key)
        if found is None:
            return []
        cut = now - self.limits.window_s
        while found and found[0] <= cut:
            found.pop(0)  # at most `address_attempts` long: cheap
        if not found:
            del self._failures[key]
        return found

    def _count(self, key: str, now: float) -> None:
        found = self._failures.get(key)
        if found is None:
            self._make_room(self._failures, now)
            found = self._failures[key] = []
        found.append(now)
        self._failures.move_to_end(key)

    def _make_room(self, kept: OrderedDict[str, list[float]], now: float) -> None:
        """Drop counters whose failures all left the window, oldest first (a few each time, so
        they never pile up); at the cap, drop the least recently failed even so."""
        cut = now - self.limits.window_s
        for _ in range(2):
            if not kept:
                return
            oldest = next(iter(kept))
            if kept[oldest] and kept[oldest][-1] > cut:
                break
            del kept[oldest]
        while len(kept) >= self.limits.entries:
            kept.popitem(last=False)

    def _succeeded(self, attempt: Attempt) -> None:
        with self._lock:
            for key in attempt.keys:
                found = self._failures.get(key)
                if found is not None and attempt.at in found:
                    found.remove(attempt.at)
                    if not found:
                        del self._failures[key]
            places = self._own.pop(attempt.account, ())
            places = (*(a for a in places if a != attempt.address), attempt.address)
            while len(self._own) >= self.limits.entries:
                self._own.popitem(last=False)
            self._own[attempt.account] = places[-OWN_ADDRESSES:]


@dataclass(frozen=True)
class Attempt:
    """One counted attempt: it stays a failure unless the password was right."""

    limiter: SignInLimiter
    account: str
    address: str
    keys: tuple[str, ...]
    at: float

    def succeeded(self) -> None:
        """The password was right: the attempt is taken back, and the address is remembered
        as one the account signs in from."""
        self.limiter._succeeded(self)
