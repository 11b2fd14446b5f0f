"""Edit commands: each one is a domain operation applied to the file, keeping its comments."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from ..domain.entities import KINDS, items
from ..domain.field_traits import value_shape
from .output import EXIT_INVALID, fail, out, print_problems

ENTITIES = tuple(k.name for k in KINDS)

FileArg = Annotated[Path, typer.Argument(metavar="FILE", help="The journey file to edit.")]
TargetArg = Annotated[
    str,
    typer.Argument(metavar="ENTITY:ID", help="What to edit, e.g. card:fee-quote, stage:decision."),
]
AfterOpt = Annotated[str | None, typer.Option(help="Place it after this sibling id.")]
BeforeOpt = Annotated[str | None, typer.Option(help="Place it before this sibling id.")]


def parse_value(field: str, raw: str, entity: str = "", card_kind: str | None = None) -> Any:
    """`severity=4` gives 4, `tags=[a, b]` a list, `events={names: [a]}` a mapping; text
    fields (ids, names, dates) keep the text as typed, so `stage=2024` names the stage "2024".
    What a field holds is its model's type (domain/field_traits.py), for the entity named
    (`journey` for the journey's own fields) and, for a card, its kind when it is known."""
    shape = value_shape(entity, field, card_kind)
    if shape == "text":
        return raw
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        value = YAML(typ="safe", pure=True).load(raw)
    except YAMLError:
        return raw  # the model's check then says what is wrong with it
    if shape == "list" and not isinstance(value, list):
        return [raw] if raw else []
    return value


def parse_assignments(pairs: list[str], entity: str = "") -> dict[str, Any]:
    values: dict[str, str] = {}
    for pair in pairs:
        field, sep, raw = pair.partition("=")
        if not sep or not field.strip():
            raise typer.BadParameter(
                f"'{pair}' is not FIELD=VALUE (for example severity=4 or text=\"...\")"
            )
        values[field.strip()] = raw
    card_kind = values.get("kind") if entity == "card" else None
    return {field: parse_value(field, raw, entity, card_kind) for field, raw in values.items()}


def parse_target(target: str) -> tuple[str, str | None]:
    entity, _, ident = target.partition(":")
    if entity == "journey" and not ident:
        return entity, None
    if entity not in ENTITIES or not ident:
        raise typer.BadParameter(
            f"'{target}' is not ENTITY:ID; entities are: {', '.join(ENTITIES)} (or `journey`)"
        )
    return entity, ident


def run(path: Path, ops: list[Any], done: str) -> None:
    """Load, apply the operations, save keeping comments; nothing is written on any error.
    `{new}` in `done` is replaced by the ids of the items the operations added."""
    from ..domain.apply import apply_all
    from ..domain.errors import JourneyInvalid, OperationError
    from ..files.journey_file import update_file

    try:
        before, after, _ = update_file(path, lambda journey: apply_all(journey, ops))
    except JourneyInvalid as error:
        print_problems(error.problems)
        raise typer.Exit(EXIT_INVALID) from None
    except OperationError as error:
        raise fail(f"{path}: {error}") from None
    added = sorted(f"{kind}:{ident}" for kind, ident in entity_ids(after) - entity_ids(before))
    out.print(f"{escape(str(path))}: {escape(done.replace('{new}', ', '.join(added)))}")


def entity_ids(journey: Any) -> set[tuple[str, str]]:
    """(kind, id) of every item in a journey, deleted ones included."""
    return {(k.name, item.id) for k in KINDS for _, item in items(journey, k.name)}


def _operation(kind: str, **fields: Any) -> Any:
    from pydantic import TypeAdapter, ValidationError

    from ..domain.operations import Operation

    try:
        return TypeAdapter(Operation).validate_python({"kind": kind, **fields})
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"][1:])
        raise fail(f"{where}: {first['msg']}") from None


def register(app: typer.Typer) -> None:
    @app.command(rich_help_panel="Edit a journey file")
    def add(
        file: FileArg,
        entity: Annotated[str, typer.Argument(metavar="ENTITY", help=", ".join(ENTITIES))],
        fields: Annotated[list[str] | None, typer.Argument(metavar="FIELD=VALUE...")] = None,
        ident: Annotated[str | None, typer.Option("--id", help="The new item's id.")] = None,
        after: AfterOpt = None,
        before: BeforeOpt = None,
    ) -> None:
        """Add a stage, step, section, lane, card, emotion point, persona or channel.

        [b]Examples:[/b]
          journeymap add checkout.yaml stage name=Onboarding --after decision
          journeymap add checkout.yaml step stage=decision name="Gift wrap"
          journeymap add checkout.yaml card kind=pain_point stage=decision lane=pains \\
            severity=4 text="The coupon field rejects valid codes"
        """
        if entity not in ENTITIES:
            raise typer.BadParameter(
                f"unknown entity '{entity}'; entities are: {', '.join(ENTITIES)}"
            )
        op = _operation(
            "add",
            entity=entity,
            id=ident,
            value=parse_assignments(fields or [], entity),
            after=after,
            before=before,
        )
        run(file, [op], "added {new}")

    @app.command(name="set", rich_help_panel="Edit a journey file")
    def set_(
        file: FileArg,
        target: TargetArg,
        fields: Annotated[list[str], typer.Argument(metavar="FIELD=VALUE...")],
    ) -> None:
        """Set fields of an item, or of the journey (target `journey`).

        [b]Examples:[/b]
          journeymap set checkout.yaml card:shipping-fee-surprise severity=4
          journeymap set checkout.yaml journey status=live owner="CX team"
        """
        entity, ident = parse_target(target)
        values = parse_assignments(fields, entity)
        ops = [
            _operation("set", entity=entity, id=ident, field=k, value=v) for k, v in values.items()
        ]
        run(file, ops, f"set {', '.join(values)} on {target}")

    @app.command(rich_help_panel="Edit a journey file")
    def rename(file: FileArg, target: TargetArg, name: Annotated[str, typer.Argument()]) -> None:
        """Rename a stage, step, section, lane, persona or channel (a card: its text).

        [b]Example:[/b] journeymap rename checkout.yaml stage:decision "Purchase"
        """
        entity, ident = parse_target(target)
        run(file, [_operation("rename", entity=entity, id=ident, name=name)], f"renamed {target}")

    @app.command(rich_help_panel="Edit a journey file")
    def move(
        file: FileArg,
        target: TargetArg,
        after: AfterOpt = None,
        before: BeforeOpt = None,
        stage: Annotated[
            str | None, typer.Option(help="Move a card, step or emotion here.")
        ] = None,
        step: Annotated[
            str | None, typer.Option(help="Move a card or emotion into this step.")
        ] = None,
        lane: Annotated[str | None, typer.Option(help="Move a card to this lane.")] = None,
        section: Annotated[str | None, typer.Option(help="Move a lane to this section.")] = None,
    ) -> None:
        """Reorder an item, or move it to another stage, step, lane or section.

        [b]Examples:[/b]
          journeymap move checkout.yaml stage:retention --after advocacy
          journeymap move checkout.yaml card:fee-quote --stage consideration --lane quotes
        """
        entity, ident = parse_target(target)
        op = _operation(
            "move",
            entity=entity,
            id=ident,
            after=after,
            before=before,
            stage=stage,
            step=step,
            lane=lane,
            section=section,
        )
        run(file, [op], f"moved {target}")

    @app.command(rich_help_panel="Edit a journey file")
    def rm(file: FileArg, target: TargetArg) -> None:
        """Delete an item (its cards go with a stage, step or lane).

        [b]Example:[/b] journeymap rm checkout.yaml card:nps
        """
        entity, ident = parse_target(target)
        run(file, [_operation("delete", entity=entity, id=ident)], f"deleted {target}")
