"""Survey scores and their 95% intervals, each computed from the distribution of answers.

Every figure here comes from a distribution (score value -> answers), so a million answers
cost one `bincount`, and the raw distribution is kept beside the figure:

- NPS (0-10): % promoters (9-10) minus % detractors (0-6), -100..100; the interval by the
  adjusted-Wald method (Rocks 2016): n' = n + 3, promoters + 3/4, detractors + 3/4, then
  NPS' ± z·sqrt((p'+d' - (p'-d')²)/n'), clipped to -100..100.
- CSAT (1-5): the share answering 4 or 5 (top-two-box) with a Wilson interval, and the mean.
- CES (1-7, 7 = very easy): the mean with a t interval, and the share answering 5-7.
- Stars (1-5): the mean with a t interval, and the share of 4 and 5 stars.
- A custom scale (declared min..max): the mean with a t interval.

A mean's interval is clipped to its scale (a t interval can pass the ends of a short scale).

A mean of fewer than two answers has no interval (said in `note`); no answers, no figure.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

Z95 = 1.959963984540054  # the standard normal's 97.5% point
ScaleKind = Literal["nps", "csat", "ces", "stars", "custom"]
SCALES: dict[str, tuple[int, int]] = {
    "nps": (0, 10),
    "csat": (1, 5),
    "ces": (1, 7),
    "stars": (1, 5),
}


@dataclass(frozen=True)
class Scale:
    kind: ScaleKind
    low: int
    high: int
    name: str = ""  # a custom scale's name

    @classmethod
    def of(cls, kind: str, low: int | None = None, high: int | None = None) -> Scale:
        if kind in SCALES:
            a, b = SCALES[kind]
            return cls(kind, a, b)  # type: ignore[arg-type]
        if low is None or high is None:
            raise ValueError(f"a custom scale '{kind}' needs its min and max")
        return cls("custom", low, high, kind)

    @property
    def label(self) -> str:
        return self.name or self.kind


@dataclass(frozen=True)
class Score:
    """One group's answers on one scale. `value` is the headline figure (NPS in -100..100; the
    CSAT top-two-box share in 0..1; the CES, stars or custom mean)."""

    scale: str
    n: int
    value: float | None
    low: float | None
    high: float | None
    mean: float | None = None
    mean_low: float | None = None
    mean_high: float | None = None
    share: float | None = None  # CES 5-7, stars 4-5 (CSAT's share is its value)
    share_low: float | None = None
    share_high: float | None = None
    distribution: dict[int, int] = field(default_factory=dict)
    note: str | None = None


def nps(distribution: dict[int, int]) -> Score:
    n = sum(distribution.values())
    promoters = sum(c for v, c in distribution.items() if v >= 9)
    detractors = sum(c for v, c in distribution.items() if v <= 6)
    if n == 0:
        return Score("nps", 0, None, None, None, distribution={}, note="no answers")
    value = 100 * (promoters - detractors) / n
    adjusted = n + 3
    p = (promoters + 0.75) / adjusted
    d = (detractors + 0.75) / adjusted
    centre = p - d
    half = Z95 * math.sqrt((p + d - centre**2) / adjusted)
    low, high = max(-1.0, centre - half), min(1.0, centre + half)
    return Score("nps", n, value, 100 * low, 100 * high, distribution=dict(distribution))


def wilson(successes: int, n: int) -> tuple[float | None, float | None, float | None]:
    """(share, low, high): the Wilson score interval at 95%."""
    if n == 0:
        return None, None, None
    p = successes / n
    z2 = Z95**2
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half = Z95 * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator
    return p, max(0.0, centre - half), min(1.0, centre + half)


def mean_interval(
    distribution: dict[int, int],
) -> tuple[float | None, float | None, float | None, str | None]:
    """(mean, low, high, note): the t interval at 95%; fewer than two answers have none."""
    n = sum(distribution.values())
    if n == 0:
        return None, None, None, "no answers"
    mean = sum(v * c for v, c in distribution.items()) / n
    if n < 2:
        return mean, None, None, "one answer: no interval"
    variance = sum(c * (v - mean) ** 2 for v, c in distribution.items()) / (n - 1)
    half = t_quantile(0.975, n - 1) * math.sqrt(variance / n)
    return mean, mean - half, mean + half, None


def score(scale: Scale, distribution: dict[int, int]) -> Score:
    """The scale's figures from its distribution of answers (values already in range)."""
    distribution = {int(v): int(c) for v, c in sorted(distribution.items()) if c}
    if scale.kind == "nps":
        return nps(distribution)
    n = sum(distribution.values())
    mean, mean_low, mean_high, note = mean_interval(distribution)
    if mean_low is not None and mean_high is not None:  # a mean stays on its scale
        mean_low, mean_high = max(mean_low, scale.low), min(mean_high, scale.high)
    if scale.kind == "csat":
        share, low, high = wilson(sum(c for v, c in distribution.items() if v >= 4), n)
        return Score(
            "csat",
            n,
            share,
            low,
            high,
            mean,
            mean_low,
            mean_high,
            distribution=distribution,
            note=note,
        )
    good_from = {"ces": 5, "stars": 4}.get(scale.kind)
    share = share_low = share_high = None
    if good_from is not None:
        share, share_low, share_high = wilson(
            sum(c for v, c in distribution.items() if v >= good_from), n
        )
    return Score(
        scale.label,
        n,
        mean,
        mean_low,
        mean_high,
        mean,
        mean_low,
        mean_high,
        share,
        share_low,
        share_high,
        distribution,
        note,
    )


def to_curve(scale: Scale | Literal["sentiment"], value: float | None) -> float | None:
    """A figure on the map's emotion scale, -2..+2, by a linear rule: NPS -100..100 (÷50);
    CSAT's and the stars' mean 1..5 (-3); CES 1..7 ((x-4)·2/3); sentiment -1..1 (×2); a custom
    scale's min..max onto -2..2."""
    if value is None:
        return None
    if scale == "sentiment":
        return 2 * value
    if scale.kind == "nps":
        return value / 50
    low, high = scale.low, scale.high
    return -2 + 4 * (value - low) / (high - low)


def curve_value(scale: Scale, found: Score) -> tuple[float | None, float | None, float | None]:
    """(point, low, high) of a score on the curve: NPS by its value, every other scale by its
    mean (CSAT's curve is its mean, not its top-two-box share)."""
    if scale.kind == "nps":
        point, low, high = found.value, found.low, found.high
    else:
        point, low, high = found.mean, found.mean_low, found.mean_high
    return to_curve(scale, point), to_curve(scale, low), to_curve(scale, high)


# ------------------------------------------------------------------ Student's t, exactly


def t_quantile(p: float, df: int) -> float:
    """The p-quantile (p > 0.5) of Student's t with `df` degrees of freedom, by bisection on
    its exact distribution function (a regularised incomplete beta): no SciPy needed."""
    if df == 1:
        return math.tan(math.pi * (p - 0.5))
    if df == 2:
        return (2 * p - 1) / math.sqrt(2 * p * (1 - p))
    low, high = 0.0, 20.0
    for _ in range(100):
        middle = (low + high) / 2
        if _t_cdf(middle, df) < p:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def _t_cdf(t: float, df: int) -> float:
    x = df / (df + t * t)
    tail = 0.5 * _incomplete_beta(df / 2, 0.5, x)
    return 1 - tail if t > 0 else tail


def _incomplete_beta(a: float, b: float, x: float) -> float:
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    front = math.exp(
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    if x < (a + 1) / (a + b + 2):
        return front * _beta_fraction(a, b, x) / a
    return 1 - front * _beta_fraction(b, a, 1 - x) / b


def _beta_fraction(a: float, b: float, x: float) -> float:
    """Lentz's continued fraction for the incomplete beta (Numerical Recipes, betacf)."""
    tiny = 1e-300
    c, d = 1.0, 1 - (a + b) * x / (a + 1)
    d = 1 / (d if abs(d) > tiny else tiny)
    result = d
    for m in range(1, 300):
        for numerator in (
            m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)),
        ):
            d = 1 + numerator * d
            d = 1 / (d if abs(d) > tiny else tiny)
            c = 1 + numerator / c
            c = c if abs(c) > tiny else tiny
            result *= d * c
        if abs(d * c - 1) < 1e-15:
            break
    return result
