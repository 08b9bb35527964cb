"""Settings: what each configuration key accepts, and the light rules they make.

Pure: the store keeps the settings (an append-only log) and hands them here as plain values.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from hnreport.domain.rules import BASES, MEASURES, RULE_CLASS, LightRule, Rules
from hnreport.errors import BadConfig, Message

MAX_DUE_WITHIN = 3660  # ten years of days: enough for any deadline, small enough for date maths
DEFAULT_DUE_WITHIN = 7
# The day of each month the units' reports (报送表) are due: the 25th, as most offices ask; at most
# the 28th, so that every month has it.
DEFAULT_DUE_DAY = 25
MAX_DUE_DAY = 28
# display.symbols: unicode marks and borders, or ASCII for terminals that draw East Asian
# ambiguous-width symbols (○ ● ▼ ✓, box drawing) two cells wide.
SYMBOLS = ("unicode", "ascii")
# office.name: the issuing office a bulletin and an order are headed with (衡南县人民政府督查室).
MAX_OFFICE_CHARS = 60

Settings = Mapping[tuple[str, str], str]  # (scope, key) → value; scope "" is global, else a target key


def checked_setting(key: str, value: str, for_target: bool, presets: Iterable[str]) -> str:
    """The value as it would be stored, or BadConfig saying what is wrong with it."""
    value = value.strip()
    if key == "light.preset" and not for_target:
        if value not in presets:
            raise BadConfig("unknown_choice", what=Message("what_preset"), value=value, choices=", ".join(presets))
        return value
    if key == "due.within" and not for_target:
        if not value.isdecimal() or not 0 <= int(value) <= MAX_DUE_WITHIN:
            raise BadConfig("due_within_range", max=MAX_DUE_WITHIN)
        return str(int(value))
    if key == "report.due_day" and not for_target:
        if not (value.isdecimal() and value.isascii()) or not 1 <= int(value) <= MAX_DUE_DAY:
            raise BadConfig("due_day_range", max=MAX_DUE_DAY)
        return str(int(value))
    if key == "display.symbols" and not for_target:
        if value not in SYMBOLS:
            raise BadConfig("setting_one_of", key=key, choices=", ".join(SYMBOLS))
        return value
    if key == "office.name" and not for_target:
        if not value or len(value) > MAX_OFFICE_CHARS or not value.isprintable():
            raise BadConfig("office_name_text", max=MAX_OFFICE_CHARS)
        return value
    if key == "order.reply_days" and not for_target:
        from hnreport.domain.bulletin import MAX_REPLY_DAYS

        if not (value.isdecimal() and value.isascii()) or not 1 <= int(value) <= MAX_REPLY_DAYS:
            raise BadConfig("reply_days_range", max=MAX_REPLY_DAYS)
        return str(int(value))
    if key == "ranking.order" and not for_target:
        from hnreport.domain.bulletin import parse_rank_order

        return ",".join(parse_rank_order(value))
    if key == "pace.basis":
        if value not in BASES:
            raise BadConfig("setting_one_of", key=key, choices=", ".join(BASES))
        return value
    if key == "pace.ahead":
        return f"{parse_tolerance(value):g}"
    if key == "pace.profile" and for_target:
        return ",".join(f"{share:g}" for share in parse_profile(value))
    if key == "light.measure" and for_target:
        if value not in MEASURES:
            raise BadConfig("setting_one_of", key=key, choices=", ".join(MEASURES))
        return value
    if key == "light.tolerance" and for_target:
        return f"{parse_tolerance(value):g}"
    m = re.fullmatch(r"light\.([a-z_-]+)\.(amount|rate)(\.measure)?", key)
    if m and not for_target:
        preset, _cls, is_measure = m.groups()
        if preset not in presets:
            raise BadConfig("unknown_choice", what=Message("what_preset"), value=preset, choices=", ".join(presets))
        if is_measure:
            if value not in MEASURES:
                raise BadConfig("setting_one_of", key=key, choices=", ".join(MEASURES))
            return value
        return f"{parse_tolerance(value):g}"
    raise BadConfig("unknown_setting_for_target" if for_target else "unknown_setting", key=key)


def usual_tolerance(measure: str, cls: str) -> str:
    """The tolerance the presets use for a measure: 10 % relative, 1 point for rates, 10 points
    of completion rate for amounts."""
    if measure == "relative":
        return "0.1"
    return "1" if cls == "rate" else "10"


def parse_tolerance(value: str) -> float:
    try:
        tol = float(value)
    except ValueError:
        raise BadConfig("tolerance_not_number", value=value) from None
    if not 0 <= tol < float("inf"):
        raise BadConfig("tolerance_negative", value=value)
    return tol


def parse_profile(value: str) -> list[float]:
    parts = [p.strip() for p in value.replace("，", ",").split(",")]
    try:
        shares = [float(p.rstrip("%")) / (100 if p.endswith("%") else 1) for p in parts]
    except ValueError:
        raise BadConfig("profile_not_numbers") from None
    if len(shares) != 12:
        raise BadConfig("profile_count", count=len(shares))
    if any(b < a for a, b in zip(shares, shares[1:])) or not 0 <= shares[0] or abs(shares[-1] - 1) > 1e-9:
        raise BadConfig("profile_shape")
    return shares



def companion_settings(key: str, stored: str, target_kind: str | None) -> list[tuple[str, str]]:
    """Settings that change together with ``key``: a tolerance means something only in its
    measure (0.1 relative is not 0.1 points), so changing a measure also sets that measure's
    usual tolerance."""
    if key == "light.measure" and target_kind is not None:
        return [("light.tolerance", usual_tolerance(stored, RULE_CLASS[target_kind]))]
    m = re.fullmatch(r"light\.([a-z_-]+)\.(amount|rate)\.measure", key)
    if m and target_kind is None:
        return [(f"light.{m.group(1)}.{m.group(2)}", usual_tolerance(stored, m.group(2)))]
    return []


def presets_from(rows: Iterable[tuple[str, str, str, float]], settings: Settings) -> dict[str, dict[str, LightRule]]:
    """The light presets (rows of preset, class, measure, tolerance) with the thresholds edited
    through ``light.<preset>.<class>`` applied."""
    out: dict[str, dict[str, LightRule]] = {}
    for preset, cls, measure, tol in rows:
        measure = settings.get(("", f"light.{preset}.{cls}.measure"), measure)
        tol = float(settings.get(("", f"light.{preset}.{cls}"), tol))
        out.setdefault(preset, {})[cls] = LightRule(measure, tol)
    return out


def rules_from(settings: Settings, presets: Mapping[str, Mapping[str, LightRule]]) -> Rules:
    """The rules in force: the chosen preset, the pace basis and every per-target override."""
    preset = settings.get(("", "light.preset"), "default")
    per_target: dict[str, dict[str, object]] = {}
    for (scope, key), value in settings.items():
        if not scope:
            continue
        own = per_target.setdefault(scope, {})
        if key == "pace.profile":
            own["profile"] = [float(x) for x in value.split(",")]
        elif key == "light.tolerance":
            own["tolerance"] = float(value)
        elif key == "pace.ahead":
            own["ahead"] = float(value)
        else:
            own[key.split(".", 1)[1]] = value
    ahead = settings.get(("", "pace.ahead"))
    return Rules(
        preset,
        presets[preset]["amount"],
        presets[preset]["rate"],
        settings.get(("", "pace.basis"), "months"),
        per_target,
        float(ahead) if ahead is not None else None,
    )


def due_within(settings: Settings) -> int:
    return int(settings.get(("", "due.within"), str(DEFAULT_DUE_WITHIN)))


def due_day(settings: Settings) -> int:
    """The day of the month the units' reports are due (``report.due_day``)."""
    return int(settings.get(("", "report.due_day"), str(DEFAULT_DUE_DAY)))


def office_name(settings: Settings) -> str | None:
    """The issuing office (``office.name``), or None when it has not been set."""
    return settings.get(("", "office.name"))


def reply_days(settings: Settings) -> int:
    """Days an order gives for the reply (``order.reply_days``)."""
    from hnreport.domain.bulletin import DEFAULT_REPLY_DAYS

    return int(settings.get(("", "order.reply_days"), str(DEFAULT_REPLY_DAYS)))


def rank_order(settings: Settings) -> tuple[str, ...]:
    """The counts the ranking of units sorts by, worst first (``ranking.order``)."""
    from hnreport.domain.bulletin import DEFAULT_RANK_ORDER, parse_rank_order

    stored = settings.get(("", "ranking.order"))
    return parse_rank_order(stored) if stored else DEFAULT_RANK_ORDER
