"""Sentiment of free text, offline, behind one small interface.

An analyser has a `name` and `compound(text) -> float` in -1..1 (negative to positive).
The default, `vader-reviews` (review_sentiment.py), is VADER's lexicon and rules with what
feedback needs on top; `vader` is VADER's rules alone (vader_core.py, equal to vaderSentiment's
`polarity_scores`). Another analyser plugs in by its import path, `package.module:Class` (a
class whose instances have `name` and `compound`), in the feedback source (`sentiment:`) or on
the command line (`--sentiment`). Nothing is downloaded, ever: VADER's lexicon ships inside the
vaderSentiment package.

`score_texts` scores many texts: each distinct text once, on a process per core for large
batches (the rules are pure Python, so threads would share one core).
"""

from __future__ import annotations

import importlib
import os
import re
from typing import Any, Protocol

NEGATIVE_BELOW = -0.05  # an answer below this is negative, at or above +0.05 positive
POSITIVE_FROM = 0.05
PARALLEL_FROM = 20_000  # distinct texts; fewer are scored in this process
DEFAULT = "vader-reviews"


class Analyser(Protocol):
    name: str

    def compound(self, text: str) -> float: ...


def analyser(name: str | None = None) -> Analyser:
    """The analyser called `name`: vader-reviews (the default), vader, or an import path."""
    name = name or DEFAULT
    if name == "vader-reviews":
        from .review_sentiment import ReviewSentiment

        return ReviewSentiment()
    if name == "vader":
        from .vader_core import VaderCore

        core = VaderCore()
        core.name = "vader"  # type: ignore[attr-defined]
        return core  # type: ignore[return-value]
    module, _, attribute = name.partition(":")
    if not attribute:
        raise ValueError(
            f"unknown sentiment analyser '{name}': use vader-reviews, vader, or an import "
            "path such as mypackage.sentiment:MyAnalyser"
        )
    try:
        made = getattr(importlib.import_module(module), attribute)()
    except (ImportError, AttributeError) as error:
        raise ValueError(f"sentiment analyser '{name}' cannot be loaded ({error})") from None
    if not callable(getattr(made, "compound", None)):
        raise ValueError(f"sentiment analyser '{name}' has no compound(text) method")
    if not hasattr(made, "name"):
        made.name = name
    return made  # type: ignore[no-any-return]


def label(score: float) -> str:
    return (
        "positive"
        if score >= POSITIVE_FROM
        else "negative"
        if score < NEGATIVE_BELOW
        else "neutral"
    )


_WORKER: Any = None


def _init(name: str) -> None:
    global _WORKER
    _WORKER = analyser(name)


def _score_chunk(texts: list[str]) -> list[float]:
    return [_WORKER.compound(t) for t in texts]


def score_texts(texts: Any, name: str | None = None, workers: int | None = None) -> Any:
    """The compound score of each text (a sequence or an Arrow array; None for no text) as a
    float64 NumPy array, NaN where there is no text. Each distinct text is scored once (found
    by Arrow's dictionary encoding, not a Python loop); many are shared out over a process per
    core."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    column = (
        texts if isinstance(texts, pa.Array | pa.ChunkedArray) else pa.array(texts, pa.string())
    )
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    encoded = pc.dictionary_encode(column)
    unique = encoded.dictionary.to_pylist()
    index = pc.fill_null(encoded.indices.cast(pa.int64()), -1).to_numpy(zero_copy_only=False)
    blank = [i for i, t in enumerate(unique) if not t.strip()]
    workers = workers or os.cpu_count() or 1
    if len(unique) < PARALLEL_FROM or workers == 1:
        scorer = analyser(name)
        values = [scorer.compound(t) for t in unique]
    else:
        values = _parallel(unique, name or DEFAULT, workers)
    scores = np.array([*values, np.nan], dtype=np.float64)
    scores[blank] = np.nan  # blank texts are no text
    return scores[index]  # -1 picks the NaN at the end


def _parallel(texts: list[str], name: str, workers: int) -> list[float]:
    import multiprocessing

    size = -(-len(texts) // (workers * 8))
    chunks = [texts[i : i + size] for i in range(0, len(texts), size)]
    # forkserver: a clean process (never a fork of threads holding locks), made once.
    context = multiprocessing.get_context("forkserver")
    with context.Pool(workers, initializer=_init, initargs=(name,)) as pool:
        return [v for part in pool.map(_score_chunk, chunks) for v in part]


# ----------------------------------------------------------------------------- masking

# Card-like numbers: 13 to 19 digits, in groups separated by spaces or dashes.
_CARD = re.compile(r"(?<!\d)(?:\d[ -]?){12,18}\d(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Phone numbers: an optional +country, then 7 to 15 digits with spaces, dots, dashes or
# brackets between them.
_PHONE = re.compile(r"(?<![\w+])\+?\(?\d(?:[\s().-]{0,2}\d){6,14}(?!\d)")


def mask(text: str) -> str:
    """The text with e-mail addresses, card-like numbers and phone numbers replaced by
    [email], [card] and [phone], before anything is stored or drawn."""
    if "@" in text:
        text = _EMAIL.sub("[email]", text)
    if sum(c.isdigit() for c in text) >= 7:
        text = _CARD.sub("[card]", text)
        text = _PHONE.sub(_phone, text)
    return text


_DATE = re.compile(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}")


def _phone(found: re.Match[str]) -> str:
    return found[0] if _DATE.fullmatch(found[0].strip()) else "[phone]"
