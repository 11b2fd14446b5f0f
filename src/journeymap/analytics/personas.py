"""Persona rules on real customers, and the groups a funnel is split by.

Each customer of the events gets one persona: the first persona, in map order, whose `match`
rule holds; customers no rule matches are "unassigned". Pure Ibis (DuckDB here, Spark too).
"""

from __future__ import annotations

from typing import Any

from ..domain.model import Journey, PersonaRule
from ..domain.suggest import did_you_mean, one_of
from .cohorts import customer_attribute
from .errors import BindingError
from .measures import _comparable, _regex

UNASSIGNED = "unassigned"  # customers no persona rule matches
NO_VALUE = "(none)"  # customers the customer table has no value for
# Store columns a rule cannot test: `event` is what `did` is for; the rest are bookkeeping.
_NOT_ATTRIBUTES = frozenset({"customer_key", "ts", "event", "source_row"})


class RuleError(BindingError):
    """A persona rule names something neither the customer table nor the events have."""


def rules(journey: Journey) -> list[tuple[str, PersonaRule]]:
    """(persona id, rule) of the personas with a rule, in map order: the order they are tried."""
    return [(p.id, p.match) for p in journey.live_personas() if p.match is not None]


def assign_personas(events: Any, customers: Any | None, journey: Journey) -> Any:
    """(customer_key, persona) for every customer of the events."""
    import ibis

    found = rules(journey)
    if not found:
        raise RuleError(
            "no persona has a `match` rule to assign customers with "
            "(see docs/journey-format.md#personas)"
        )
    if any(persona == UNASSIGNED for persona, _ in found):
        raise RuleError(f"a persona may not have the id '{UNASSIGNED}': it names the rest")
    table = _attributes(events, customers, found)
    done = list(dict.fromkeys(e for _, r in found for e in (*r.did, *r.did_not)))
    if done:  # one pass over the events: did the customer ever do each one?
        flags = {f"_did{i}": _event_test(events.event, e).any() for i, e in enumerate(done)}
        table = table.join(events.group_by("customer_key").aggregate(**flags), "customer_key")
    cases = []
    for persona, rule in found:
        test = ibis.literal(True)
        for column, wanted in rule.where.items():
            col = table[column]
            values = wanted if isinstance(wanted, list) else [wanted]
            owner = f"persona '{persona}'"
            test = test & col.isin([_comparable(col, v, owner, column) for v in values])
        for e in rule.did:
            test = test & table[f"_did{done.index(e)}"]
        for e in rule.did_not:
            test = test & ~table[f"_did{done.index(e)}"]
        # A missing attribute is no match (not an unknown that would stop the CASE).
        cases.append((test.fill_null(False), persona))
    return table.select("customer_key", persona=ibis.cases(*cases, else_=UNASSIGNED))


def _event_test(name: Any, item: str) -> Any:
    return name.re_search(_regex(item)) if any(ch in item for ch in "*?") else name == item


def _attributes(events: Any, customers: Any | None, found: list[tuple[str, PersonaRule]]) -> Any:
    """One row per customer of the events, with each attribute a rule tests: from the customer
    table where it has the column, else the event property on the customer's first event."""
    in_table = set(customers.columns) - {"customer_key"} if customers is not None else set()
    in_events = set(events.columns) - _NOT_ATTRIBUTES
    for persona, rule in found:
        for column in rule.where:
            if column not in in_table | in_events:
                raise RuleError(_unknown(persona, column, in_table, in_events, customers))
    wanted = list(dict.fromkeys(c for _, r in found for c in r.where))
    by_event = [c for c in wanted if c not in in_table]
    by_table = [c for c in wanted if c in in_table]
    people = (
        _first_events(events, by_event) if by_event else events.select("customer_key").distinct()
    )
    if by_table and customers is not None:
        joined = people.left_join(customers.select("customer_key", *by_table), "customer_key")
        people = joined.select(people.customer_key, *by_event, *by_table)
    return people


def _first_events(events: Any, columns: list[str]) -> Any:
    """(customer_key, *columns) of each customer's first event."""
    import ibis

    order = ibis.window(group_by=events.customer_key, order_by=[events.ts, events.source_row])
    first = events.mutate(_n=ibis.row_number().over(order))
    return first.filter(first._n == 0).select("customer_key", *columns)


def _unknown(
    persona: str, column: str, in_table: set[str], in_events: set[str], customers: Any | None
) -> str:
    if column == "event":
        return f"persona '{persona}' tests 'event' under `where`; list events under `did:`"
    known = sorted(in_table | in_events)
    fallback = f"known: {one_of(known, 20)}" if known else "none is close"
    hint = did_you_mean(column, known) or fallback
    if customers is None:
        hint += "; a customer table (`customers:` in the source definition) adds attributes"
        return f"persona '{persona}' matches on '{column}', which the events lack ({hint})"
    return (
        f"persona '{persona}' matches on '{column}', which neither the customer table "
        f"nor the events have ({hint})"
    )


def split_groups(events: Any, customers: Any | None, journey: Journey, by: str) -> Any:
    """(customer_key, value) to split the funnel by: persona by the journey's rules when it has
    them, else the customer table's attribute `by`, else the event property `by`."""
    if by == "persona" and rules(journey):
        return assign_personas(events, customers, journey).rename(value="persona")
    if customers is not None and by in customers.columns and by != "customer_key":
        people = events.select("customer_key").distinct()
        joined = people.left_join(customers.select("customer_key", by), "customer_key")
        value = joined[by].cast("string").fill_null(NO_VALUE)
        return joined.select(people.customer_key, value=value)
    if by not in events.columns and customers is not None:
        known = sorted({*customers.columns, *events.columns} - _NOT_ATTRIBUTES)
        raise BindingError(
            f"neither the customer table nor the events have '{by}' to split by "
            f"({did_you_mean(by, known, 'known: ' + one_of(known, 20))})"
        )
    return customer_attribute(events, by)
