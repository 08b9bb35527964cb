"""A year's outcomes as the next year's report states them, and the promise ledger.

A county's report for year N+1 opens with its review of year N (part 一): the results it states
are the outcomes of year N's targets. ``match_outcomes`` pairs each such result with the older
plan's target measuring the same thing — by key (the newer plan's target whose baseline the result
is has the older target's key), by name or by a name the older target is printed under (its
aliases) — of a compatible kind and unit; a result with no such target, or with several, is left
unmatched and said why, never guessed.
"""

from __future__ import annotations

from datetime import date

from hnreport.records import Record
from hnreport.domain.model import Result, Target
from hnreport.domain.names import name_norm

FINAL_WORDS = ("最终核实",)  # the wording of a figure the statistics bureau has verified


class OutcomeMatch(Record):
    result: Result
    target: Target | None  # the older plan's target, or None (unmatched)
    how: str  # 'key', 'name', 'alias'; or why unmatched: 'no_target', 'kind', 'unit', 'ambiguous'
    vintage: str  # 'final' when the text says 最终核实, else 'preliminary'


def vintage_of(result: Result) -> str:
    text = f"{result.phrase or ''} {result.note or ''}"
    return "final" if any(w in text for w in FINAL_WORDS) else "preliminary"


def _unit(unit: str | None) -> str:
    return (unit or "").strip().replace("％", "%")


def _names(name: str) -> set[str]:
    """A name and its bare form: a result is printed as the amount (全体居民人均可支配收入) where
    the target names its growth (…增长)."""
    norm = name_norm(name)
    return {norm, norm.removesuffix("增长"), norm.removesuffix("增速")} - {""}


def match_outcomes(
    results: list[Result], newer_targets: list[Target], older_targets: list[Target], older_aliases: dict[str, set[str]],
) -> list[OutcomeMatch]:
    """Each of the newer plan's results, with the older plan's target it is the outcome of.

    ``older_aliases``: target key → the normalised names (``name_norm``) it is printed under."""
    by_key = {t.key.lower(): t for t in older_targets}
    baseline_of = {t.baseline.key.lower(): t.key.lower() for t in newer_targets if t.baseline is not None}
    names: dict[str, set[str]] = {}
    for t in older_targets:
        for n in _names(t.name_zh):
            names.setdefault(n, set()).add(t.key.lower())
    aliases: dict[str, set[str]] = {}
    for key, norms in older_aliases.items():
        for n in norms:
            for bare in _names(n):
                aliases.setdefault(bare, set()).add(key.lower())
    out = []
    for r in results:
        vintage = vintage_of(r)
        found: list[tuple[Target, str]] = []
        key = baseline_of.get(r.key.lower())
        if key and key in by_key:
            found = [(by_key[key], "key")]
        else:
            stripped = r.key.lower().rsplit("-", 1)[0] if r.key[-4:].isdigit() else r.key.lower()
            if stripped in by_key:
                found = [(by_key[stripped], "key")]
        if not found:
            wanted = _names(r.name_zh)
            by_name = {k for n in wanted for k in names.get(n, ())}
            how = "name"
            if not by_name:
                by_name = {k for n in wanted for k in aliases.get(n, ())}
                how = "alias"
            found = [(by_key[k], how) for k in sorted(by_name)]
        if not found:
            out.append(OutcomeMatch(r, None, "no_target", vintage))
            continue
        fitting = [(t, how) for t, how in found if t.kind == r.kind]
        if not fitting:
            out.append(OutcomeMatch(r, found[0][0], "kind", vintage))
            continue
        fitting_unit = [(t, how) for t, how in fitting if _unit(t.unit) == _unit(r.unit)]
        if not fitting_unit:
            out.append(OutcomeMatch(r, fitting[0][0], "unit", vintage))
            continue
        if len(fitting_unit) > 1:
            out.append(OutcomeMatch(r, None, "ambiguous", vintage))
            continue
        out.append(OutcomeMatch(r, fitting_unit[0][0], fitting_unit[0][1], vintage))
    return out


def decimals_of(value: float) -> int:
    """The decimals a figure from a plan file was written with (6.1 → 1, 6200 → 0)."""
    text = repr(float(value))
    if "e" in text:
        return 0
    whole, _, frac = text.partition(".")
    frac = frac.rstrip("0")
    return len(frac)


# ── the promise ledger ───────────────────────────────────────────────────────────────────────
class LedgerPlan(Record):
    """One plan as the ledger reads it: its targets assessed at the year's end."""

    key: str
    county_zh: str
    county_en: str
    year: int
    assessments: list  # domain.progress.Assessment, one per target, at the plan year's end
    aliases: dict[str, set[str]]  # target key → normalised names it is printed under
    # While the year runs (today before its end): each target assessed today, for the targets
    # without a year-end figure yet — their status is the year's so far, not its outcome.
    so_far: list | None = None
    as_of: date | None = None  # the day of ``so_far``


class LedgerRow(Record):
    county_zh: str
    county_en: str
    indicator: str  # the key the indicator has in the first plan that sets it
    name_zh: str
    name_en: str
    year: int
    plan: str
    unit: str | None
    result_before: float | None  # year N−1, as plan N's review states it
    comparator: str
    target: float  # year N
    outcome: float | None  # year N: the plan's year-end figure, else the next review's result
    outcome_from: str | None  # 'figure' | 'review'
    status: str  # at the year's end (domain.progress); while the year runs, as of ``status_as_of``
    next_comparator: str | None
    next_target: float | None  # year N+1, if the county's next plan sets it
    status_as_of: str | None = None  # None: the year's outcome; else the day (ISO) the status is as of


def ledger(plans: list[LedgerPlan]) -> list[LedgerRow]:
    """One row per indicator and plan year, county by county: what was promised, what came of it,
    and what the next year promised. An indicator is the same across a county's plans by key, or
    by name or a printed name (aliases)."""
    rows: list[LedgerRow] = []
    by_county: dict[str, list[LedgerPlan]] = {}
    for p in sorted(plans, key=lambda p: (p.year, p.key)):
        by_county.setdefault(p.county_zh, []).append(p)
    for county, county_plans in by_county.items():
        groups: list[tuple[str, set[str], set[str]]] = []  # (indicator key, keys, names)
        placed: dict[tuple[str, str], int] = {}  # (plan key, target key) → group
        for p in county_plans:
            for a in p.assessments:
                t = a.target
                names = _names(t.name_zh) | {b for n in p.aliases.get(t.key, ()) for b in _names(n)}
                found = next((i for i, (_, keys, _) in enumerate(groups) if t.key.lower() in keys), None)
                if found is None:
                    found = next((i for i, (_, _, gnames) in enumerate(groups) if gnames & names), None)
                if found is None:
                    groups.append((t.key, set(), set()))
                    found = len(groups) - 1
                groups[found][1].add(t.key.lower())
                groups[found][2].update(names)
                placed[(p.key, t.key)] = found
        for i, p in enumerate(county_plans):
            so_far = {b.target.key: b for b in p.so_far} if p.so_far is not None else {}
            following = next((q for q in county_plans[i + 1:] if q.year == p.year + 1), None)
            next_by_group = {placed[(following.key, b.target.key)]: b.target for b in following.assessments} if following else {}
            for a in p.assessments:
                t = a.target
                group = placed[(p.key, t.key)]
                nxt = next_by_group.get(group)
                year_end = a.observation is not None and a.observation.as_of == date(p.year, 12, 31)
                outcome, source = (a.observation.value, "figure") if year_end else (None, None)
                if outcome is None and nxt is not None and nxt.baseline is not None:
                    outcome, source = nxt.baseline.value, "review"
                status, as_of = a.status, None
                if not year_end and t.key in so_far and p.as_of is not None:  # the year is not over: so far
                    status, as_of = so_far[t.key].status, p.as_of.isoformat()
                rows.append(LedgerRow(
                    p.county_zh, p.county_en, groups[group][0], t.name_zh, t.name_en, p.year, p.key, t.unit,
                    t.baseline.value if t.baseline is not None else None, t.comparator, t.in_force(date(p.year, 12, 31)).value,
                    outcome, source, status, nxt.comparator if nxt else None, nxt.value if nxt else None, as_of,
                ))  # fmt: skip
    return rows
