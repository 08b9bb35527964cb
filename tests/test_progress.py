"""Expected to date (序时进度), gap, projection and status: hnreport.domain.progress.assess.

Targets are model.Target values built from the seed (data/targets.toml); each scenario shows its
arithmetic. Default rules: amounts (cumulative, level) ≤ 10 % short of expected → behind, more
→ far_behind; rates (growth_rate, share, reduction) ≤ 1 percentage point short → behind.
"""

from __future__ import annotations

import json
import tomllib
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hnreport import resources
from hnreport.domain.model import Observation, Plan, Target
from hnreport.domain.periods import month_end, year_fraction
from hnreport.domain.progress import DEFAULT_RULES, LightRule, Rules, assess, schedule_share
from hnreport.store import Store

PLAN = Plan("hengnan-2022", "衡南县2022年政府工作报告", "Hengnan County 2022 Government Work Report", 2022)


def _seed_targets() -> dict[str, Target]:
    with open(resources.data_dir() / "targets.toml", "rb") as fh:
        rows = tomllib.load(fh)["target"]
    return {
        t["key"]: Target(
            key=t["key"], name_zh=t["name_zh"], name_en=t["name_en"], section=t["section"],
            kind=t["kind"], comparator=t["comparator"], value=float(t["value"]), unit=t.get("unit"),
            frequency=t["frequency"], unit_missing=bool(t.get("unit_missing")),
        )  # fmt: skip
        for t in rows
    }


SEED = _seed_targets()

# The seed values the arithmetic below relies on; if the seed changes, these fail first.
SEED_FACTS = {
    "key-project-investment": ("cumulative", ">=", 140.0, "monthly"),
    "electronics-output": ("cumulative", ">", 30.0, "quarterly"),
    "projects-100m": ("cumulative", ">=", 35.0, "quarterly"),
    "grain-output": ("cumulative", ">=", 62.0, "annual"),
    "listings": ("cumulative", ">=", 1.0, "annual"),
    "grain-area": ("level", ">=", 138.0, "annual"),
    "forest-cover": ("share", ">=", 43.42, "annual"),
    "private-school-share": ("share", "<=", 5.0, "annual"),
    "gdp": ("growth_rate", ">=", 8.5, "quarterly"),
    "trade": ("growth_rate", "~", 15.0, "monthly"),
    "spending-cut": ("reduction", ">=", 10.0, "annual"),
}


@pytest.mark.parametrize("key", sorted(SEED_FACTS))
def test_seed_values_used_by_these_tests(key: str) -> None:
    t = SEED[key]
    assert (t.kind, t.comparator, t.value, t.frequency) == SEED_FACTS[key]


def obs(key: str, value: float, on: date) -> Observation:
    return Observation(1, key, value, on, "2022-01-01T00:00:00+00:00")


def check(key: str, value: float | None, on: date, as_of: date | None = None, rules: Rules = DEFAULT_RULES):
    """Assess seed target ``key`` with figure ``value`` for the period ending ``on``, as of ``as_of``."""
    observation = None if value is None else obs(key, value, on)
    return assess(SEED[key], observation, as_of or on, PLAN, rules)


H1 = date(2022, 6, 30)
Q1, Q3 = date(2022, 3, 31), date(2022, 9, 30)
YEAR_END = date(2022, 12, 31)
AFTER = date(2023, 3, 31)


# ── the scenarios of the specification ─────────────────────────────────────────────────────
def test_key_project_investment_70_at_mid_year_is_on_pace() -> None:
    a = check("key-project-investment", 70, H1)
    # 序时进度 6/12 = 50 %; expected 140 × 0.5 = 70; completion 70/140 = 50 %; gap (50 − 50) × 100 = 0
    assert a.schedule_share == pytest.approx(0.5)
    assert a.expected == pytest.approx(70)
    assert a.completion_rate == pytest.approx(0.5)
    assert a.gap_points == pytest.approx(0)
    assert a.gap == pytest.approx(0)
    assert a.projected == pytest.approx(140)  # 70 ÷ 0.5
    assert a.status == "on_pace"


def test_key_project_investment_40_at_mid_year_is_far_behind() -> None:
    a = check("key-project-investment", 40, H1)
    # 40 / (140 × 6/12) → 30 short of 70 = 42.9 % short > 10 % → far_behind
    assert a.expected == pytest.approx(70)
    assert a.completion_rate == pytest.approx(40 / 140)
    assert a.gap_points == pytest.approx((40 / 140 - 0.5) * 100)  # −21.43 points
    assert a.projected == pytest.approx(80)  # 40 ÷ 0.5
    assert a.status == "far_behind"


def test_gdp_8_6_for_the_first_half_is_on_pace() -> None:
    a = check("gdp", 8.6, H1)  # 8.6 ≥ 8.5: at or better than expected
    assert (a.expected, a.status) == (8.5, "on_pace")
    assert a.gap == pytest.approx(0.1)


def test_gdp_7_0_for_the_first_half_is_far_behind() -> None:
    a = check("gdp", 7.0, H1)  # 8.5 − 7.0 = 1.5 points short > 1 point → far_behind
    assert (a.expected, a.status) == (8.5, "far_behind")
    assert a.gap == pytest.approx(-1.5)


@pytest.mark.parametrize(
    ("value", "status"),
    [
        (4.2, "on_pace"),  # 4.2 ≤ 5: within the ceiling
        (5.8, "behind"),  # 5.8 − 5 = 0.8 points over ≤ 1
        (6.5, "far_behind"),  # 6.5 − 5 = 1.5 points over > 1
    ],
)
def test_private_school_share_scenarios(value: float, status: str) -> None:
    a = check("private-school-share", value, H1)
    assert a.expected == 5.0
    assert a.status == status


@pytest.mark.parametrize(("value", "status"), [(8.7, "achieved"), (7.9, "missed")])
def test_gdp_full_year(value: float, status: str) -> None:
    # Full year, as of 2022-12-31: 8.7 ≥ 8.5 → achieved; 7.9 < 8.5 → missed
    a = check("gdp", value, YEAR_END)
    assert a.final
    assert a.status == status


# ── expected to date ───────────────────────────────────────────────────────────────────────
@pytest.mark.parametrize("month", range(1, 12))
def test_cumulative_expected_is_target_times_completed_months(month: int) -> None:
    end = month_end(2022, month)
    a = check("key-project-investment", 1.0, end)
    # expected = 140 × month/12 at each month end
    assert a.schedule_share == pytest.approx(month / 12)
    assert a.expected == pytest.approx(140 * month / 12)
    assert a.projected == pytest.approx(1.0 / (month / 12))


def test_cumulative_mid_month_counts_only_finished_months() -> None:
    a = check("key-project-investment", 60, date(2022, 6, 29))
    # June is not over: 5/12; expected 140 × 5/12 = 58.33; 60 ≥ 58.33 → on_pace
    assert a.schedule_share == pytest.approx(5 / 12)
    assert a.expected == pytest.approx(140 * 5 / 12)
    assert a.status == "on_pace"


def test_cumulative_before_the_first_month_end_expects_nothing_and_projects_nothing() -> None:
    a = check("key-project-investment", 5, date(2022, 1, 20))
    # 0 completed months → 序时进度 0, expected 140 × 0 = 0; no projection (÷ 0)
    assert a.schedule_share == 0
    assert a.expected == 0
    assert a.projected is None
    assert a.completion_rate == pytest.approx(5 / 140)
    assert a.status == "on_pace"


def test_cumulative_by_days_basis() -> None:
    rules = Rules("default", LightRule("relative", 0.10), LightRule("points", 1.0), basis="days")
    a = check("key-project-investment", 70, H1, rules=rules)
    # 序时进度 by days: 181/365 = 49.59 %; expected 140 × 181/365 = 69.42; 70 ≥ 69.42 → on_pace
    assert a.schedule_share == pytest.approx(181 / 365)
    assert a.expected == pytest.approx(140 * 181 / 365)
    assert a.status == "on_pace"


def test_quarterly_cumulative_is_paced_too() -> None:
    a = check("projects-100m", 9, Q1)
    # 35 × 3/12 = 8.75; 9 ≥ 8.75 → on_pace
    assert a.expected == pytest.approx(8.75)
    assert a.status == "on_pace"


def test_schedule_at_the_observation_agrees_with_the_as_of_date_when_they_coincide() -> None:
    for day in [month_end(2022, m) for m in range(1, 12)] + [date(2022, 1, 20), date(2022, 6, 15)]:
        a = check("key-project-investment", 50, day, as_of=day)
        # figure's period end = as-of → both conventions give completed months/12 at that day
        assert a.schedule_share == pytest.approx(year_fraction(day))
        assert a.expected == pytest.approx(140 * year_fraction(day))


def test_older_observation_is_compared_with_its_own_period_end_not_the_as_of_date() -> None:
    # Pins the code's convention (bulletin style): a 1–5月 figure is compared with 5/12 even
    # when the report is as of 2022-07-15 (where 序时进度 would be 6/12).
    a = check("key-project-investment", 58.4, date(2022, 5, 31), as_of=date(2022, 7, 15))
    # 140 × 5/12 = 58.33; 58.4 ≥ 58.33 → on_pace   (against 6/12: 70, 16.6 % short → far_behind)
    assert a.schedule_share == pytest.approx(5 / 12)
    assert a.expected == pytest.approx(140 * 5 / 12)
    assert a.projected == pytest.approx(58.4 * 12 / 5)
    assert a.status == "on_pace"


def test_older_observation_convention_in_the_report(cli, seeded) -> None:
    cli.ok("record", "key-project-investment", "58.4", "--as-of", "2022年1-5月")
    out = json.loads(cli.ok("report", "--as-of", "2022-06-30", "--format", "json").stdout)
    row = next(t for t in out["targets"] if t["key"] == "key-project-investment")
    # schedule at the figure's own period end: 5/12 = 0.4167; expected 58.3333 → on_pace
    assert row["latest_as_of"] == "2022-05-31"
    assert row["schedule_share"] == pytest.approx(5 / 12, abs=1e-4)
    assert row["expected"] == pytest.approx(140 * 5 / 12, abs=1e-4)
    assert row["status"] == "on_pace"


@given(st.dates(min_value=date(2022, 1, 1), max_value=date(2023, 6, 30)))
def test_rates_and_shares_expect_the_target_at_every_date(on: date) -> None:
    for key, value in (("gdp", 8.5), ("forest-cover", 43.42), ("private-school-share", 5.0), ("spending-cut", 10.0)):
        a = check(key, value, min(on, YEAR_END), as_of=on)
        assert a.expected == value
        assert a.schedule_share is None and a.projected is None and a.gap_points is None
    # 左右: the band's lower edge 15 × 0.9 = 13.5
    assert check("trade", 14, min(on, YEAR_END), as_of=on).expected == pytest.approx(13.5)


@given(st.dates(min_value=date(2022, 1, 1), max_value=date(2022, 12, 30)))
def test_annual_cumulative_is_not_paced(on: date) -> None:
    a = check("grain-output", 30, on)
    # no 序时进度 for an annual figure: expected = 62 whenever it is recorded
    assert a.expected == 62
    assert a.schedule_share is None and a.projected is None
    assert a.completion_rate == pytest.approx(30 / 62)


def test_schedule_share_with_a_seasonal_profile() -> None:
    from hnreport.domain.progress import TargetRules

    profile = tuple(i / 12 for i in range(1, 13))
    rules = TargetRules("default", LightRule("relative", 0.1), "months", profile)
    assert schedule_share(H1, rules) == pytest.approx(0.5)  # profile[5] = 6/12
    assert schedule_share(date(2022, 1, 15), rules) == 0.0


# ── kind × comparator × status, with the edges ─────────────────────────────────────────────
M = {
    "kpi": "key-project-investment",
    "elec": "electronics-output",
    "p100": "projects-100m",
    "grain": "grain-output",
    "area": "grain-area",
    "forest": "forest-cover",
    "school": "private-school-share",
    "cut": "spending-cut",
}
MATRIX = [
    # cumulative >=, monthly (140 亿元) — expected 140 × m/12
    ("kpi", 70, H1, None, "on_pace"),  # exactly on expected 70
    ("kpi", 63, H1, None, "behind"),  # (70 − 63)/70 = 10 % exactly at tolerance
    ("kpi", 62.9, H1, None, "far_behind"),  # 7.1/70 = 10.14 % > 10 %
    ("kpi", 105, Q3, None, "on_pace"),  # 140 × 9/12 = 105 exactly
    ("kpi", 139.9, date(2022, 11, 30), None, "on_pace"),  # ≥ 128.33 but < 140: not yet achieved
    ("kpi", 140, Q3, None, "achieved"),  # annual 140 already reached in September
    ("kpi", 140, YEAR_END, None, "achieved"),  # 140 ≥ 140, year over
    ("kpi", 139.9, YEAR_END, None, "missed"),  # 139.9 < 140, year over
    # Nov figure, as of year end: no verdict before the year's figure is in; paced at its own
    # period: expected 140 × 11/12 = 128.33, (128.33 − 120) / 128.33 = 6.5 % short → behind
    ("kpi", 120, date(2022, 11, 30), YEAR_END, "behind"),
    ("kpi", 141, YEAR_END, AFTER, "achieved"),  # after year end
    ("kpi", 100, YEAR_END, AFTER, "missed"),
    ("kpi", None, H1, None, "no_data"),  # before the first observation
    ("kpi", None, H1, AFTER, "no_data"),  # never recorded, even after the year
    # cumulative >, quarterly (突破 30 亿元), paced by months like every non-annual amount
    ("elec", 15, H1, None, "on_pace"),  # 30 × 6/12 = 15 exactly
    ("elec", 13.5, H1, None, "behind"),  # (15 − 13.5)/15 = 10 %
    ("elec", 13.4, H1, None, "far_behind"),  # 1.6/15 = 10.7 %
    ("elec", 30, Q3, None, "on_pace"),  # 30 is not > 30: not achieved; ≥ 22.5 expected
    ("elec", 30.1, Q3, None, "achieved"),  # 30.1 > 30 already
    ("elec", 30, YEAR_END, None, "missed"),  # 突破 needs more than 30
    ("elec", 30.5, YEAR_END, None, "achieved"),
    # cumulative >=, quarterly (35 个)
    ("p100", 8.75, Q1, None, "on_pace"),  # 35 × 3/12 = 8.75
    ("p100", 8, Q1, None, "behind"),  # 0.75/8.75 = 8.6 % ≤ 10 %
    ("p100", 7, Q1, None, "far_behind"),  # 1.75/8.75 = 20 %
    ("p100", 7, Q1, date(2022, 5, 31), "far_behind"),  # Q1 figure still compared with 3/12
    # cumulative >=, annual (62 万吨): no pace
    ("grain", 62, Q3, None, "achieved"),  # already the annual amount
    ("grain", 61, Q3, None, "behind"),  # (62 − 61)/62 = 1.6 %
    ("grain", 55.8, Q3, None, "behind"),  # 6.2/62 = 10 % exactly
    ("grain", 55, Q3, None, "far_behind"),  # 7/62 = 11.3 %
    ("grain", 61, YEAR_END, None, "missed"),
    ("grain", None, Q3, None, "no_data"),
    # level >=, annual (138 万亩): met mid-year is on_pace, not achieved (not a cumulative amount)
    ("area", 138, H1, None, "on_pace"),
    ("area", 150, H1, None, "on_pace"),
    ("area", 124.2, H1, None, "behind"),  # (138 − 124.2)/138 = 10 %
    ("area", 124, H1, None, "far_behind"),  # 14/138 = 10.1 %
    ("area", 138, YEAR_END, None, "achieved"),
    ("area", 137.9, YEAR_END, None, "missed"),
    # share >=, annual (43.42 %)
    ("forest", 43.42, H1, None, "on_pace"),  # exactly on target
    ("forest", 42.42, H1, None, "behind"),  # 1 point short
    ("forest", 42.4, H1, None, "far_behind"),  # 1.02 points short
    ("forest", 43.5, YEAR_END, None, "achieved"),
    ("forest", 43.4, YEAR_END, None, "missed"),
    # share <=, annual (≤ 5 %): lower is better
    ("school", 5.0, H1, None, "on_pace"),  # exactly on the ceiling
    ("school", 6.0, H1, None, "behind"),  # 1 point over: at tolerance
    ("school", 6.01, H1, None, "far_behind"),  # 1.01 points over
    ("school", 5.0, YEAR_END, None, "achieved"),
    ("school", 5.1, YEAR_END, None, "missed"),
    ("school", None, YEAR_END, None, "no_data"),
    # growth_rate >= (8.5 %): the target at every date
    ("gdp", 8.5, H1, None, "on_pace"),  # exactly on
    ("gdp", 9.5, H1, None, "on_pace"),  # better, but a rate is never achieved before year end
    ("gdp", 7.5, H1, None, "behind"),  # 8.5 − 7.5 = 1 point: at tolerance
    ("gdp", 7.4, H1, None, "far_behind"),  # 1.1 points
    ("gdp", 8.5, YEAR_END, None, "achieved"),  # exactly on, year over
    ("gdp", 8.4, YEAR_END, AFTER, "missed"),
    # year over, but the latest figure is for 1–9月: no verdict yet, its pace status (9.0 ≥ 8.5)
    ("gdp", 9.0, Q3, YEAR_END, "on_pace"),
    ("gdp", 7.9, Q3, YEAR_END, "behind"),  # 8.5 − 7.9 = 0.6 points short, still no verdict
    ("gdp", 7.9, YEAR_END, AFTER, "missed"),  # the year's figure, read after the year: the verdict
    # growth_rate ~ (15 %左右 → lower edge 13.5 acts as >=)
    ("trade", 13.5, H1, None, "on_pace"),  # on the band's lower edge
    ("trade", 20, H1, None, "on_pace"),  # above the band: met
    ("trade", 12.5, H1, None, "behind"),  # 13.5 − 12.5 = 1 point
    ("trade", 12.4, H1, None, "far_behind"),  # 1.1 points
    ("trade", 13.5, YEAR_END, None, "achieved"),
    ("trade", 16.5, YEAR_END, None, "achieved"),  # upper edge
    ("trade", 25, YEAR_END, None, "achieved"),  # above the band counts as met
    ("trade", 13.4, YEAR_END, None, "missed"),
    # reduction >= (压减 10 %): like >= on the size of the cut
    ("cut", 10, H1, None, "on_pace"),
    ("cut", 9, H1, None, "behind"),  # 1 point short of a 10 % cut
    ("cut", 8.9, H1, None, "far_behind"),  # 1.1 points
    ("cut", 12, YEAR_END, None, "achieved"),
    ("cut", 9.5, YEAR_END, None, "missed"),
]


@pytest.mark.parametrize(
    ("alias", "value", "on", "as_of", "status"),
    MATRIX,
    ids=[f"{a}-{v}-{o}-{s}" for a, v, o, _, s in MATRIX],
)
def test_status_matrix(alias: str, value: float | None, on: date, as_of: date | None, status: str) -> None:
    assert check(M.get(alias, alias), value, on, as_of).status == status


def test_status_matrix_covers_every_kind_comparator_and_status() -> None:
    combos = {(SEED[M.get(a, a)].kind, SEED[M.get(a, a)].comparator) for a, *_ in MATRIX}
    assert combos == {
        ("cumulative", ">="), ("cumulative", ">"), ("level", ">="), ("share", ">="),
        ("share", "<="), ("growth_rate", ">="), ("growth_rate", "~"), ("reduction", ">="),
    }  # fmt: skip
    assert {s for *_, s in MATRIX} == {"achieved", "missed", "on_pace", "behind", "far_behind", "no_data"}


# ── presets ─────────────────────────────────────────────────────────────────────────────────
def store_rules(cli, db_path, preset: str) -> Rules:
    cli.ok("config", "set", "light.preset", preset)
    store = Store.open(db_path)
    try:
        return store.config.rules()
    finally:
        store.close()


def test_store_default_rules_are_progress_default_rules(cli, seeded) -> None:
    store = Store.open(seeded)
    try:
        assert store.config.rules() == DEFAULT_RULES
    finally:
        store.close()


@pytest.mark.parametrize(
    ("preset", "amount", "rate"),
    [
        ("default", LightRule("relative", 0.10), LightRule("points", 1.0)),
        ("points", LightRule("points", 10.0), LightRule("points", 1.0)),
        ("relative", LightRule("relative", 0.50), LightRule("relative", 0.50)),
    ],
)
def test_presets_in_the_store(cli, seeded, preset: str, amount: LightRule, rate: LightRule) -> None:
    rules = store_rules(cli, seeded, preset)
    assert (rules.preset, rules.amount, rules.rate, rules.basis) == (preset, amount, rate, "months")


PRESET_CASES = [
    # default: amounts 10 % of expected, rates 1 point
    ("default", "kpi", 63, "behind"),  # (70 − 63)/70 = 10 %
    ("default", "kpi", 62.9, "far_behind"),  # 10.14 %
    ("default", "kpi", 56, "far_behind"),  # 14/70 = 20 %
    ("default", "gdp", 7.5, "behind"),  # 1 point
    ("default", "gdp", 7.4, "far_behind"),  # 1.1 points
    # points: amounts by completion-rate points below 序时进度 (10), rates 1 point
    ("points", "kpi", 70, "on_pace"),  # 50 % done vs 50 % schedule
    ("points", "kpi", 56, "behind"),  # 56/140 = 40 % vs 50 %: 10 points
    ("points", "kpi", 55.86, "far_behind"),  # 39.9 %: 10.1 points
    ("points", "area", 124.2, "behind"),  # (138 − 124.2)/138 × 100 = 10 points
    ("points", "area", 124, "far_behind"),  # 10.14 points
    ("points", "gdp", 7.5, "behind"),
    ("points", "gdp", 7.4, "far_behind"),
    # relative: 50 % below expected for both
    ("relative", "kpi", 35, "behind"),  # (70 − 35)/70 = 50 %
    ("relative", "kpi", 34.9, "far_behind"),  # 50.14 %
    ("relative", "gdp", 7.0, "behind"),  # 1.5/8.5 = 17.6 % (far_behind under default)
    ("relative", "gdp", 4.25, "behind"),  # 4.25/8.5 = 50 %
    ("relative", "gdp", 4.2, "far_behind"),  # 4.3/8.5 = 50.6 %
    ("relative", "school", 7.5, "behind"),  # (7.5 − 5)/5 = 50 % over the ceiling
    ("relative", "school", 7.6, "far_behind"),  # 52 %
]


@pytest.mark.parametrize(("preset", "alias", "value", "status"), PRESET_CASES, ids=[f"{p}-{a}-{v}" for p, a, v, _ in PRESET_CASES])
def test_preset_thresholds(cli, seeded, preset: str, alias: str, value: float, status: str) -> None:
    rules = store_rules(cli, seeded, preset)
    assert check(M.get(alias, alias), value, H1, rules=rules).status == status


@pytest.mark.parametrize(
    ("preset", "value", "status"),
    [
        ("default", "56", "far_behind"),  # 14/70 = 20 % of expected > 10 %
        ("points", "56", "behind"),  # 50 % − 40 % = 10 points
        ("points", "55.86", "far_behind"),  # 10.1 points
        ("relative", "35", "behind"),  # 50 % of expected
        ("relative", "34.9", "far_behind"),
    ],
)
def test_preset_switch_through_the_cli(cli, seeded, preset: str, value: str, status: str) -> None:
    cli.ok("config", "set", "light.preset", preset)
    cli.ok("record", "key-project-investment", value, "--as-of", "2022-06")
    out = json.loads(cli.ok("report", "--as-of", "2022-06-30", "--format", "json").stdout)
    assert out["rule"].startswith(f"preset {preset}:")
    row = next(t for t in out["targets"] if t["key"] == "key-project-investment")
    assert row["expected"] == pytest.approx(70)  # 140 × 6/12
    assert row["status"] == status


# ── monotonicity ────────────────────────────────────────────────────────────────────────────
RANK = {"achieved": 4, "on_pace": 3, "behind": 2, "far_behind": 1, "missed": 0}
ALL_RULES = [
    DEFAULT_RULES,
    Rules("points", LightRule("points", 10.0), LightRule("points", 1.0)),
    Rules("relative", LightRule("relative", 0.5), LightRule("relative", 0.5)),
    Rules("default", LightRule("relative", 0.10), LightRule("points", 1.0), basis="days"),
    Rules("zero", LightRule("relative", 0.0), LightRule("points", 0.0)),
]


@settings(max_examples=500)
@given(
    key=st.sampled_from(sorted(SEED)),
    rules=st.sampled_from(ALL_RULES),
    as_of=st.dates(min_value=date(2022, 1, 1), max_value=date(2023, 3, 31)),
    back=st.integers(min_value=0, max_value=200),
    a=st.floats(min_value=-1_000, max_value=10_000, allow_nan=False),
    b=st.floats(min_value=-1_000, max_value=10_000, allow_nan=False),
)
def test_status_never_improves_when_the_figure_worsens(key, rules, as_of, back, a, b) -> None:
    target = SEED[key]
    on = max(date(2022, 1, 1), min(as_of, YEAR_END) - timedelta(days=back))
    # for >= (and >, ~) a lower figure is worse; for <= a higher one is
    better, worse = (min(a, b), max(a, b)) if target.lower_is_better else (max(a, b), min(a, b))
    s_better = assess(target, obs(key, better, on), as_of, PLAN, rules).status
    s_worse = assess(target, obs(key, worse, on), as_of, PLAN, rules).status
    assert RANK[s_worse] <= RANK[s_better], (key, on, as_of, better, worse, s_better, s_worse)


# ── what 序时进度 depends on (the import works the plausible ranges out once per point) ─────────
PROFILE = (0.05, 0.1, 0.2, 0.3, 0.38, 0.5, 0.58, 0.66, 0.75, 0.83, 0.92, 1.0)


@pytest.mark.parametrize("year", [2022, 2024])
@pytest.mark.parametrize("basis", ["months", "days"])
@pytest.mark.parametrize("profile", [None, PROFILE])
def test_days_with_the_same_schedule_point_have_the_same_share(year, basis, profile) -> None:
    from hnreport.domain.progress import TargetRules, schedule_point

    rules = TargetRules("test", DEFAULT_RULES.amount, basis, profile)
    shares: dict[object, set[float]] = {}
    day = date(year, 1, 1)
    while day.year == year:
        shares.setdefault(schedule_point(day, rules), set()).add(schedule_share(day, rules))
        day += timedelta(days=1)
    assert all(len(s) == 1 for s in shares.values())
    days = 366 if year == 2024 else 365
    # by months: one point a month plus the months' last days; by days: one a day
    assert len(shares) == (13 if basis == "months" else days)


@pytest.mark.parametrize("basis", ["months", "days"])
def test_days_with_the_same_references_point_have_the_same_references(basis) -> None:
    from hnreport.domain.plausibility import amount_references, is_rate, references_point

    rules = Rules("test", DEFAULT_RULES.amount, DEFAULT_RULES.rate, basis, {"grain-output": {"profile": list(PROFILE)}})
    amounts = [t for t in SEED.values() if not is_rate(t)]
    assert len(amounts) > 10
    for target in amounts:
        seen: dict[object, set[tuple]] = {}
        day = PLAN.start
        while day <= PLAN.end:
            seen.setdefault(references_point(target, day, PLAN, rules), set()).add(amount_references(target, day, PLAN, rules))
            day += timedelta(days=1)
        assert all(len(s) == 1 for s in seen.values()), target.key
        assert len(seen) == (13 if basis == "months" else 365)
