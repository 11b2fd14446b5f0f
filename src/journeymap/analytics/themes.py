"""Themes in free text: what customers talk about at a touchpoint, as key phrases grouped, with
counts and two or three representative quotes.

TF-IDF over words and word pairs (our own stop words; no NLTK data), then NMF (scikit-learn)
finds a few groups of phrases that occur together. NMF is fitted on up to `SAMPLE` texts (a
seeded sample: the groups of a large set are found as well from a sample), and every text is
then counted in the theme it weighs most in. The quotes of a theme are the texts that weigh
most in it, preferring ones of a readable length. Texts are masked before they arrive here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SAMPLE = 20_000
MIN_TEXTS = 20  # fewer texts than this at a touchpoint: no themes
STOP_WORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "him",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "myself",
        "no",
        "nor",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "i'm",
        "i've",
        "i'd",
        "it's",
        "don't",
        "didn't",
        "doesn't",
        "can't",
        "won't",
        "wasn't",
        "isn't",
        "got",
        "get",
        "gets",
        "really",
        "quite",
        "bit",
        "lot",
        "much",
        "one",
        "also",
        "still",
        "even",
        "ever",
        "well",
        "phone",
        "card",
        "email",
    ]
)


@dataclass
class Theme:
    label: str  # the top two phrases
    phrases: list[str]  # up to five key phrases, most telling first
    count: int  # texts counted in this theme
    share: float  # of the touchpoint's texts
    sentiment: float | None  # mean compound of its texts
    quotes: list[int] = field(default_factory=list)  # indices of representative texts


def themes(
    texts: list[str], sentiment: Any = None, k: int | None = None, seed: int = 0
) -> list[Theme]:
    """The themes of `texts` (masked), most common first."""
    import numpy as np

    if len(texts) < MIN_TEXTS:
        return []
    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import TfidfVectorizer

    rng = np.random.default_rng(seed)
    sample = rng.choice(len(texts), SAMPLE, replace=False) if len(texts) > SAMPLE else None
    fit_texts = [texts[i] for i in sample] if sample is not None else texts
    # Each distinct text is weighed once and counted as often as it was said.
    seen: dict[str, int] = {}
    where = np.array([seen.setdefault(t, len(seen)) for t in texts], dtype=np.int64)
    distinct = list(seen)
    vectoriser = TfidfVectorizer(
        ngram_range=(1, 2),
        stop_words=list(STOP_WORDS),
        token_pattern=r"(?u)\b[a-zA-Z][a-zA-Z'-]+\b",
        min_df=max(2, len(fit_texts) // 500),
        max_df=0.6,
        max_features=3000,
        sublinear_tf=True,
    )
    try:
        fitted = vectoriser.fit_transform(fit_texts)
    except ValueError:  # no phrase occurs often enough
        return []
    k = k or max(2, min(6, fitted.shape[1] // 4, len(fit_texts) // 15))
    if fitted.shape[1] < k:
        return []
    model = NMF(n_components=k, init="nndsvda", random_state=seed, max_iter=200)
    model.fit(fitted)
    terms = vectoriser.get_feature_names_out()
    weights = np.asarray(vectoriser.transform(distinct) @ model.components_.T)[where]
    best = weights.argmax(axis=1)  # text x theme, each text's row its distinct text's
    strength = weights.max(axis=1)
    assigned = strength > 0
    lengths = np.array([len(t) for t in texts])
    readable = (lengths >= 15) & (lengths <= 160)
    out = []
    for topic in range(k):
        members = np.flatnonzero(assigned & (best == topic))
        if not len(members):
            continue
        top = np.argsort(-model.components_[topic])[:8]
        phrases = _distinct_phrases([str(terms[i]) for i in top])[:5]
        agrees = np.ones(len(members), dtype=bool)
        if sentiment is not None:  # a quote says what the theme says, not the opposite
            mean = np.nanmean(sentiment[members]) if (~np.isnan(sentiment[members])).any() else 0
            if abs(mean) >= 0.2:
                agrees = ~(np.sign(np.nan_to_num(sentiment[members])) == -np.sign(mean))
        ranked = members[
            np.argsort(-(strength[members] * (1 + readable[members]) * (1 + 2 * agrees)))
        ]
        quotes: list[int] = []
        said: set[str] = set()
        for i in ranked.tolist():
            plain = "".join(c for c in texts[i].lower() if c.isalnum())
            if plain not in said:  # the same words with other punctuation: one quote
                said.add(plain)
                quotes.append(i)
            if len(quotes) == 3:
                break
        mood = None
        if sentiment is not None:
            values = sentiment[members]
            values = values[~np.isnan(values)]
            mood = float(values.mean()) if len(values) else None
        out.append(
            Theme(
                label=", ".join(phrases[:2]),
                phrases=phrases,
                count=len(members),
                share=len(members) / len(texts),
                sentiment=mood,
                quotes=quotes,
            )
        )
    out.sort(key=lambda t: (-t.count, t.label))
    return out


def _distinct_phrases(terms: list[str]) -> list[str]:
    """Phrases, a word pair first where it covers single words already listed."""
    pairs = [t for t in terms if " " in t]
    out = list(pairs)
    for term in terms:
        if " " not in term and not any(term in p.split() for p in pairs):
            out.append(term)
    order = {t: i for i, t in enumerate(terms)}
    return sorted(out, key=lambda t: order[t])


PARALLEL_FROM = 50_000  # texts in all; fewer are grouped in this process


def _themes_of(item: tuple[str, list[str], Any]) -> tuple[str, list[Theme]]:
    key, texts, sentiment = item
    return key, themes(texts, sentiment)


def themes_by_group(
    groups: dict[str, tuple[list[str], Any]], workers: int | None = None
) -> dict[str, list[Theme]]:
    """The themes of each group's texts (touchpoint -> (texts, sentiment)); large sets are
    shared out over a process per core, a group each (scikit-learn's vectoriser and NMF run
    on one core)."""
    import os

    items = [(k, texts, sentiment) for k, (texts, sentiment) in groups.items()]
    workers = workers or os.cpu_count() or 1
    if workers == 1 or sum(len(t) for _, t, _ in items) < PARALLEL_FROM:
        return dict(_themes_of(i) for i in items)
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    items.sort(key=lambda i: -len(i[1]))  # the largest first, so the cores finish together
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        return dict(pool.map(_themes_of, items))
