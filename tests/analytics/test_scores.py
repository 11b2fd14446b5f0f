"""NPS, CSAT and CES with their intervals, against values worked by hand (the working is in
each comment)."""

from __future__ import annotations

import pytest

from journeymap.analytics.scores import Scale, curve_value, nps, score, t_quantile, to_curve

approx = pytest.approx


def test_nps_with_no_answers_has_no_figure() -> None:
    found = nps({})
    assert (found.n, found.value, found.low, found.high) == (0, None, None, None)
    assert found.note == "no answers"


def test_nps_of_one_promoter() -> None:
    # n' = 4, p' = 1.75/4 = .4375, d' = .75/4 = .1875, NPS' = .25;
    # se = sqrt((.625 - .0625)/4) = .375; .25 ± 1.96·.375 = (-.4850, .9850)
    found = nps({10: 1})
    assert found.value == 100
    assert (found.low, found.high) == (approx(-48.4986, abs=1e-4), approx(98.4986, abs=1e-4))


def test_nps_all_promoters_and_all_detractors() -> None:
    # n = 10: p' = 10.75/13, d' = .75/13, NPS' = .769231; se = sqrt((.884615 - .591716)/13)
    # = .150103; .769231 ± .294202 = (.475029, 1.063) -> clipped at 100
    promoters = nps({9: 4, 10: 6})
    assert promoters.value == 100
    assert (promoters.low, promoters.high) == (approx(47.5036, abs=1e-4), 100)
    detractors = nps({0: 5, 6: 5})  # the mirror image
    assert detractors.value == -100
    assert (detractors.low, detractors.high) == (-100, approx(-47.5036, abs=1e-4))


def test_nps_mixed_and_its_distribution() -> None:
    # 5 promoters, 3 passives, 2 detractors: NPS = 30. n' = 13, p' = 5.75/13 = .442308,
    # d' = 2.75/13 = .211538, NPS' = .230769; se = sqrt((.653846 - .053254)/13) = .214944;
    # .230769 ± .421285 = (-.190516, .652054)
    found = score(Scale.of("nps"), {10: 3, 9: 2, 8: 2, 7: 1, 3: 2, 5: 0})
    assert found.value == approx(30)
    assert (found.low, found.high) == (approx(-19.0516, abs=1e-3), approx(65.2054, abs=1e-3))
    assert found.distribution == {3: 2, 7: 1, 8: 2, 9: 2, 10: 3}  # zero counts left out


def test_csat_top_two_box_with_wilson_and_its_mean() -> None:
    # 8 of 10 answered 4 or 5: z² = 3.841459, centre = (.8 + .192073)/1.384146 = .716741,
    # half = 1.959964·sqrt(.016 + .0096036)/1.384146 = .226577 -> (.490163, .943317)
    found = score(Scale.of("csat"), {5: 5, 4: 3, 2: 2})
    assert found.value == approx(0.8)
    assert (found.low, found.high) == (approx(0.490163, abs=1e-5), approx(0.943317, abs=1e-5))
    assert found.mean == approx(4.1)  # (25 + 12 + 4)/10
    assert found.mean_low is not None and found.mean_low < 4.1 < found.mean_high  # type: ignore[operator]


def test_csat_of_one_answer_has_a_share_interval_but_no_mean_interval() -> None:
    # Wilson of 1/1: centre = (1 + 1.920730)/4.841459 = .603275, half = 1.959964·
    # sqrt(0 + .960365)/4.841459 = .396725 -> (.206549, 1)
    found = score(Scale.of("csat"), {5: 1})
    assert (found.value, found.low, found.high) == (1, approx(0.206549, abs=1e-5), 1)
    assert (found.mean, found.mean_low, found.mean_high) == (5, None, None)
    assert found.note == "one answer: no interval"


def test_ces_mean_with_a_t_interval_and_its_share_of_5_to_7() -> None:
    # 4, 4, 5, 5, 6, 6: mean 5, s² = 4/5 = .8, se = sqrt(.8/6) = .365148,
    # t(.975, 5) = 2.570582: 5 ± .938647 = (4.061353, 5.938647); 4 of 6 answered 5-7
    found = score(Scale.of("ces"), {4: 2, 5: 2, 6: 2})
    assert found.value == 5
    assert (found.low, found.high) == (approx(4.061353, abs=1e-5), approx(5.938647, abs=1e-5))
    assert found.share == approx(4 / 6)
    one = score(Scale.of("ces"), {7: 1})
    assert (one.value, one.low, one.high, one.note) == (7, None, None, "one answer: no interval")
    none = score(Scale.of("ces"), {})
    assert (none.n, none.value, none.note) == (0, None, "no answers")


def test_a_mean_interval_stays_on_its_scale() -> None:
    found = score(Scale.of("ces"), {1: 1, 7: 1})  # 4 ± 12.706·3 passes both ends
    assert (found.low, found.high) == (1, 7)


def test_t_quantiles_match_the_tables() -> None:
    for df, table in [
        (1, 12.7062),
        (2, 4.3027),
        (3, 3.1824),
        (4, 2.7764),
        (9, 2.2622),
        (30, 2.0423),
    ]:
        assert t_quantile(0.975, df) == approx(table, abs=1e-4)


def test_the_curve_rules_are_linear_onto_minus_two_to_two() -> None:
    assert to_curve(Scale.of("nps"), -100) == -2 and to_curve(Scale.of("nps"), 50) == 1
    assert to_curve(Scale.of("csat"), 1) == -2 and to_curve(Scale.of("csat"), 4) == 1
    assert to_curve(Scale.of("ces"), 7) == 2 and to_curve(Scale.of("ces"), 4) == 0
    assert to_curve(Scale.of("stars"), 3) == 0
    assert to_curve("sentiment", -0.5) == -1
    assert to_curve(Scale.of("effort10", 0, 10), 2.5) == -1
    # CSAT's curve is its mean: 4.1 -> 1.1
    point, low, high = curve_value(Scale.of("csat"), score(Scale.of("csat"), {5: 5, 4: 3, 2: 2}))
    assert point == approx(1.1) and low < point < high  # type: ignore[operator]


def test_two_periods_compared_on_per_answer_values() -> None:
    import numpy as np

    from journeymap.analytics.feedback_measures import compare_periods, per_answer

    # NPS answers 10, 10, 0, 0 (NPS 0) then 10, 10, 10, 5 (NPS 50): per-answer ±100 values;
    # s² = 40000/3 and 30000/3, se = sqrt(13333.3/4 + 10000/4) = 76.376, z = 0.6547,
    # two-sided p = erfc(0.6547/√2) = 0.5127
    before = per_answer("nps", np.array([10, 10, 0, 0]))
    after = per_answer("nps", np.array([10, 10, 10, 5]))
    low, high, p = compare_periods(before, after)
    assert (low, high) == (0, 50)
    assert p == approx(0.5127, abs=1e-4)
    assert per_answer("csat", np.array([5, 4, 3])).tolist() == [1.0, 1.0, 0.0]
    assert compare_periods(before[:1], after) == (100, 50, None)  # one answer: no test
