"""journeymap: customer journey maps as code.

`load`, `save` and `new` are the notebook and script API; they import the file layer lazily so
that `import journeymap` stays fast (no YAML, HTTP or drawing library: tests/domain/
test_layering.py). A journey shows as its poster in Jupyter: the package gives the domain's
display slot the notebook layer's drawing, which loads the renderer when first shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .domain.display import draw_with

if TYPE_CHECKING:
    from pathlib import Path

    from .client import Client
    from .domain.model import Journey


def __getattr__(name: str) -> Any:
    """`journeymap.Client` without importing httpx until it is used, and `__version__` without
    importlib.metadata (a twentieth of a second) until asked."""
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("journeymap")
        except PackageNotFoundError:  # pragma: no cover - a source tree without install
            return "0.0.0"
    if name == "Client":
        from .client import Client

        return Client
    raise AttributeError(f"module 'journeymap' has no attribute {name!r}")


__all__ = ["Client", "__version__", "load", "new", "save"]


def _draw(journey: Journey) -> dict[str, str]:
    from .notebook import journey_mimebundle

    return journey_mimebundle(journey)


draw_with(_draw)


def load(path: str | Path) -> Journey:
    """Read and check a journey file (YAML or JSON); `JourneyInvalid` lists every problem."""
    from .files.journey_file import load_journey

    return load_journey(path)


def save(journey: Journey, path: str | Path) -> None:
    """Write a journey file atomically, keeping the comments of the file it replaces."""
    from .files.journey_file import save_journey

    save_journey(journey, path)


def new(template: str | None = None, framework: str | None = None, **fields: Any) -> Journey:
    """A new journey from a template (`journeymap templates` lists them) or a stage framework."""
    from .services.templates import new_journey

    journey: Journey = new_journey(template=template, framework=framework, **fields)
    return journey
