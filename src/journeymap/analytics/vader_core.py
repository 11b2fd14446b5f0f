"""VADER's compound score, ported for speed: the same lexicon (read from the vaderSentiment
package, which ships it; nothing is downloaded) and the same rules, written so that each text
is lower-cased and split once. vaderSentiment re-lowers the whole sentence for every rule it
checks on every sentiment word, which makes it quadratic in the sentence's length; this port is
linear and several times faster, and a test holds it equal to `polarity_scores` (rounded as
VADER rounds) on thousands of texts, quirks included.

`tokens` and `score_tokens` are separate so that review_sentiment.py can rewrite the tokens
(phrases, ratings) before the same rules run.
"""

from __future__ import annotations

import math
import string
from functools import cache
from pathlib import Path

B_INCR = 0.293
B_DECR = -0.293
C_INCR = 0.733
N_SCALAR = -0.74

NEGATE = frozenset(
    [
        "aint",
        "arent",
        "cannot",
        "cant",
        "couldnt",
        "darent",
        "didnt",
        "doesnt",
        "ain't",
        "aren't",
        "can't",
        "couldn't",
        "daren't",
        "didn't",
        "doesn't",
        "dont",
        "hadnt",
        "hasnt",
        "havent",
        "isnt",
        "mightnt",
        "mustnt",
        "neither",
        "don't",
        "hadn't",
        "hasn't",
        "haven't",
        "isn't",
        "mightn't",
        "mustn't",
        "neednt",
        "needn't",
        "never",
        "none",
        "nope",
        "nor",
        "not",
        "nothing",
        "nowhere",
        "oughtnt",
        "shant",
        "shouldnt",
        "uhuh",
        "wasnt",
        "werent",
        "oughtn't",
        "shan't",
        "shouldn't",
        "uh-uh",
        "wasn't",
        "weren't",
        "without",
        "wont",
        "wouldnt",
        "won't",
        "wouldn't",
        "rarely",
        "seldom",
        "despite",
    ]
)
_UP = dict.fromkeys(
    [
        "absolutely",
        "amazingly",
        "awfully",
        "completely",
        "considerable",
        "considerably",
        "decidedly",
        "deeply",
        "effing",
        "enormous",
        "enormously",
        "entirely",
        "especially",
        "exceptional",
        "exceptionally",
        "extreme",
        "extremely",
        "fabulously",
        "flipping",
        "flippin",
        "frackin",
        "fracking",
        "fricking",
        "frickin",
        "frigging",
        "friggin",
        "fully",
        "fuckin",
        "fucking",
        "fuggin",
        "fugging",
        "greatly",
        "hella",
        "highly",
        "hugely",
        "incredible",
        "incredibly",
        "intensely",
        "major",
        "majorly",
        "more",
        "most",
        "particularly",
        "purely",
        "quite",
        "really",
        "remarkably",
        "so",
        "substantially",
        "thoroughly",
        "total",
        "totally",
        "tremendous",
        "tremendously",
        "uber",
        "unbelievably",
        "unusually",
        "utter",
        "utterly",
        "very",
    ],
    B_INCR,
)
_DOWN = dict.fromkeys(
    [
        "almost",
        "barely",
        "hardly",
        "kinda",
        "kindof",
        "kind-of",
        "less",
        "little",
        "marginal",
        "marginally",
        "occasional",
        "occasionally",
        "partly",
        "scarce",
        "scarcely",
        "slight",
        "slightly",
        "somewhat",
        "sorta",
        "sortof",
        "sort-of",
    ],
    B_DECR,
)
BOOSTERS: dict[str, float] = {
    **_UP,
    **_DOWN,
    "just enough": B_DECR,
    "kind of": B_DECR,
    "sort of": B_DECR,
}
SPECIAL_CASES = {
    "the shit": 3,
    "the bomb": 3,
    "bad ass": 1.5,
    "badass": 1.5,
    "bus stop": 0.0,
    "yeah right": -2,
    "kiss of death": -1.5,
    "to die for": 3,
    "beating heart": 3.5,
}
_PUNCTUATION = string.punctuation


@cache
def vader_files() -> tuple[dict[str, float], dict[str, str]]:
    """VADER's lexicon (word -> valence) and emoji descriptions, from the installed package."""
    import importlib.util

    spec = importlib.util.find_spec("vaderSentiment")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError(
            "sentiment needs the vaderSentiment package: install journeymap's feedback extra "
            "(pip install 'journeymap[feedback]')"
        )
    folder = Path(spec.origin).parent
    lexicon: dict[str, float] = {}
    for line in (folder / "vader_lexicon.txt").read_text(encoding="utf-8").split("\n"):
        if line:
            word, measure = line.strip().split("\t")[0:2]
            lexicon[word] = float(measure)
    emojis: dict[str, str] = {}
    for line in (
        (folder / "emoji_utf8_lexicon.txt").read_text(encoding="utf-8").rstrip("\n").split("\n")
    ):
        emoji, description = line.strip().split("\t")[0:2]
        emojis[emoji] = description
    return lexicon, emojis


def _strip_punctuation(token: str) -> str:
    stripped = token.strip(_PUNCTUATION)
    return token if len(stripped) <= 2 else stripped


def describe_emojis(text: str, emojis: dict[str, str]) -> str:
    """Each emoji replaced by its description, as VADER does (ASCII text has none)."""
    if text.isascii():
        return text.strip()
    out: list[str] = []
    previous_space = True
    for char in text:
        description = emojis.get(char)
        if description is not None:
            if not previous_space:
                out.append(" ")
            out.append(description)
            previous_space = False
        else:
            out.append(char)
            previous_space = char == " "
    return "".join(out).strip()


def tokens(text: str) -> list[str]:
    return [_strip_punctuation(w) for w in text.split()]


def _negated(word: str) -> bool:
    return word in NEGATE or "n't" in word


class VaderCore:
    """VADER's rules over a lexicon (VADER's own, or a copy with additions)."""

    def __init__(self, lexicon: dict[str, float] | None = None) -> None:
        base, self.emojis = vader_files()
        self.lexicon = base if lexicon is None else lexicon

    def compound(self, text: str) -> float:
        text = describe_emojis(text, self.emojis)
        return self.score_tokens(tokens(text), text)

    def score_tokens(self, words: list[str], text: str) -> float:
        """The compound score of the tokens; `text` gives the punctuation emphasis."""
        if not words:
            return 0.0
        lower = [w.lower() for w in words]
        upper = sum(1 for w in words if w.isupper())
        cap_diff = 0 < len(words) - upper < len(words)
        lexicon = self.lexicon
        sentiments: list[float] = []
        last = len(words) - 1
        for i, word in enumerate(lower):
            if word in BOOSTERS or (word == "kind" and i < last and lower[i + 1] == "of"):
                sentiments.append(0)
                continue
            valence = lexicon.get(word)
            if valence is None:
                sentiments.append(0)
                continue
            sentiments.append(self._valence(valence, i, words, lower, cap_diff))
        if "but" in lower:
            _but(lower, sentiments)
        return _compound(sentiments, text)

    def _valence(
        self, valence: float, i: int, words: list[str], lower: list[str], cap_diff: bool
    ) -> float:
        lexicon = self.lexicon
        word = lower[i]
        if word == "no" and i != len(words) - 1 and lower[i + 1] in lexicon:
            valence = 0.0
        if (
            (i > 0 and lower[i - 1] == "no")
            or (i > 1 and lower[i - 2] == "no")
            or (i > 2 and lower[i - 3] == "no" and lower[i - 1] in ("or", "nor"))
        ):
            valence = lexicon[word] * N_SCALAR
        if cap_diff and words[i].isupper():
            valence = valence + C_INCR if valence > 0 else valence - C_INCR
        for start in range(3):
            if i > start and lower[i - (start + 1)] not in lexicon:
                scalar = _scalar(words[i - (start + 1)], valence, cap_diff)
                if start == 1 and scalar != 0:
                    scalar *= 0.95
                if start == 2 and scalar != 0:
                    scalar *= 0.9
                valence = _negation(valence + scalar, lower, start, i)
                if start == 2:
                    valence = _idioms(valence, lower, i)
        return _least(valence, lower, i, lexicon)


def _scalar(word: str, valence: float, cap_diff: bool) -> float:
    scalar = BOOSTERS.get(word.lower(), 0.0)
    if scalar:
        if valence < 0:
            scalar *= -1
        if word.isupper() and cap_diff:
            scalar += C_INCR if valence > 0 else -C_INCR
    return scalar


def _negation(valence: float, lower: list[str], start: int, i: int) -> float:
    if start == 0:
        if _negated(lower[i - 1]):
            valence *= N_SCALAR
    elif start == 1:
        if lower[i - 2] == "never" and lower[i - 1] in ("so", "this"):
            valence *= 1.25
        elif lower[i - 2] == "without" and lower[i - 1] == "doubt":
            pass
        elif _negated(lower[i - 2]):
            valence *= N_SCALAR
    else:
        if (lower[i - 3] == "never" and lower[i - 2] in ("so", "this")) or lower[i - 1] in (
            "so",
            "this",
        ):
            valence *= 1.25
        elif lower[i - 3] == "without" and (lower[i - 2] == "doubt" or lower[i - 1] == "doubt"):
            pass
        elif _negated(lower[i - 3]):
            valence *= N_SCALAR
    return valence


def _idioms(valence: float, lower: list[str], i: int) -> float:
    one_zero = f"{lower[i - 1]} {lower[i]}"
    two_one_zero = f"{lower[i - 2]} {lower[i - 1]} {lower[i]}"
    two_one = f"{lower[i - 2]} {lower[i - 1]}"
    three_two_one = f"{lower[i - 3]} {lower[i - 2]} {lower[i - 1]}"
    three_two = f"{lower[i - 3]} {lower[i - 2]}"
    for sequence in (one_zero, two_one_zero, two_one, three_two_one, three_two):
        if sequence in SPECIAL_CASES:
            valence = SPECIAL_CASES[sequence]
            break
    if len(lower) - 1 > i:
        zero_one = f"{lower[i]} {lower[i + 1]}"
        if zero_one in SPECIAL_CASES:
            valence = SPECIAL_CASES[zero_one]
    if len(lower) - 1 > i + 1:
        zero_one_two = f"{lower[i]} {lower[i + 1]} {lower[i + 2]}"
        if zero_one_two in SPECIAL_CASES:
            valence = SPECIAL_CASES[zero_one_two]
    for n_gram in (three_two_one, three_two, two_one):
        if n_gram in BOOSTERS:
            valence += BOOSTERS[n_gram]
    return valence


def _least(valence: float, lower: list[str], i: int, lexicon: dict[str, float]) -> float:
    if i > 1 and lower[i - 1] not in lexicon and lower[i - 1] == "least":
        if lower[i - 2] != "at" and lower[i - 2] != "very":
            valence *= N_SCALAR
    elif i > 0 and lower[i - 1] not in lexicon and lower[i - 1] == "least":
        valence *= N_SCALAR
    return valence


def _but(lower: list[str], sentiments: list[float]) -> None:
    """VADER's contrast rule, kept to the letter (it finds each value by `index`, so equal
    values before and after 'but' are weighted as VADER weights them)."""
    at = lower.index("but")
    for k in range(len(sentiments)):
        sentiment = sentiments[k]  # as VADER's loop reads it: earlier steps may have changed it
        si = sentiments.index(sentiment)
        if si < at:
            sentiments[si] = sentiment * 0.5
        elif si > at:
            sentiments[si] = sentiment * 1.5


def _compound(sentiments: list[float], text: str) -> float:
    total = float(sum(sentiments))
    exclamations = min(text.count("!"), 4) * 0.292
    questions = text.count("?")
    emphasis = exclamations + (
        (questions * 0.18 if questions <= 3 else 0.96) if questions > 1 else 0
    )
    if total > 0:
        total += emphasis
    elif total < 0:
        total -= emphasis
    score = total / math.sqrt(total * total + 15)
    return max(-1.0, min(1.0, score))
