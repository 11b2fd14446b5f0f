"""Reading a source definition file, with every mistake located like a journey file's."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from pydantic import BaseModel, ValidationError

from ..domain.errors import JourneyInvalid, Problem
from ..domain.messages import problems_from_error
from ..domain.suggest import did_you_mean
from ..files.journey_file import parse_text, read_text
from .source_spec import Columns, Condition, CustomerTable, Derive, Source, SourceSpec

_PARTS: dict[str, type[BaseModel]] = {
    "source": Source,
    "columns": Columns,
    "derive": Derive,
    "customers": CustomerTable,
}


def _better_hint(problem: Problem) -> Problem:
    """Suggest a field of the part of the file the unknown field is in."""
    if problem.code != "unknown-field" or not problem.path:
        return problem
    model: type[BaseModel] = SourceSpec
    if len(problem.path) > 1 and isinstance(problem.path[0], str):
        model = _PARTS.get(problem.path[0], SourceSpec)
        if model is Derive and "when" in problem.path:
            model = Condition
    fields = list(model.model_fields)
    name = str(problem.path[-1])
    hint = did_you_mean(name, fields, f"allowed here: {', '.join(fields)}")
    return replace(problem, hint=hint)


def load_source_spec(path: str | Path) -> SourceSpec:
    """The source definition in `path`; JourneyInvalid lists every problem with its place."""
    name = str(path)
    parsed = parse_text(read_text(path), name)
    try:
        return SourceSpec.model_validate(parsed.data)
    except ValidationError as error:
        problems = [_better_hint(p) for p in problems_from_error(error, (), [])]
        raise JourneyInvalid(parsed.located(problems, name)) from None
