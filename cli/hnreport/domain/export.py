"""What an export must hold to be restored: every hard rule the commands apply to what a user
enters, checked over the whole document before anything is written.

A hand-edited export (a deadline of 2022-02-30, a target of Infinity, a figure dated outside
the plan year, an empty unit name, an alias given twice, figures superseding one another in a
ring) would otherwise restore and then crash the commands that read it. Each problem is
reported with where it is in the file (``observations[3].as_of``).

Checking also resolves what the rows refer to, as the commands do: keys to their canonical
spelling, unit names and aliases trimmed, settings to the values the store keeps.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from hnreport.domain.bulletin import CONCERNS
from hnreport.domain.values import text_problem
from hnreport.domain.model import MILESTONE_STATUSES, ROLES
from hnreport.domain.model import COMPARATORS, FREQUENCIES, KINDS, NONNEGATIVE_KINDS, VINTAGES, Plan
from hnreport.errors import HnreportError, Message
from hnreport.text import nocase  # noqa: F401 (the store imports it from here too)


DEADLINE_KINDS = ("due", "node", "extension")
REPORT_ANSWERS = ("reported", "unchanged", "blank")
REPORT_PERIOD = re.compile(r"[0-9]{4}-[0-9]{2}")
KEY = re.compile(r"[a-z0-9][a-z0-9-]*")
DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass
class Known:
    """What the database holds before the restore: the plan, the sections items may be added
    to, the seeded targets (lower-case key → (key, kind, Chinese name)) and milestones (lower-case
    key → key), and the settings rule (``checked_setting(key, value, for_target)``)."""

    plan: Plan
    sections: tuple[str, ...]
    targets: dict[str, tuple[str, str, str]]
    milestones: dict[str, str]
    check_setting: Callable[[str, str, bool], str]
    names: dict[str, list[str]] = field(default_factory=dict)  # statistical names (as compared) → target keys


@dataclass
class Checked:
    """The problems found, each (where, what), and what the rows resolve to."""

    problems: list[tuple[str, Message | HnreportError]] = field(default_factory=list)
    targets: dict[str, str] = field(default_factory=dict)  # lower-case key → key, seeded and added
    milestones: dict[str, str] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)  # name or alias (no case) → the unit's name
    settings: list[str] = field(default_factory=list)  # each setting's value as the store keeps it
    aliases: list[tuple[str, str, str]] = field(default_factory=list)  # (target key, name, as compared)

    def item(self, key: str) -> str:
        """The canonical key of a target or milestone the check has resolved."""
        return self.targets.get(key.lower()) or self.milestones[key.lower()]


class _Missing:
    pass


MISSING = _Missing()


def check_export(data: dict[str, Any], known: Known) -> Checked:
    return _Checker(data, known).run()


class _Checker:
    def __init__(self, data: dict[str, Any], known: Known) -> None:
        self.data = data
        self.known = known
        self.out = Checked()
        self.out.targets = {k: v[0] for k, v in known.targets.items()}
        self.out.milestones = dict(known.milestones)
        self.kinds = {k: v[1] for k, v in known.targets.items()}
        self.names = {v[2]: v[0] for v in known.targets.values()}  # Chinese name → key

    def run(self) -> Checked:
        for part in (self.targets_added, self.milestones_added, self.observations, self.retractions,
                     self.target_revisions, self.milestone_status, self.deadlines, self.units, self.assignments,
                     self.settings, self.target_aliases, self.unit_reports, self.unit_report_items, self.bulletins,
                     self.orders, self.order_replies):  # fmt: skip
            part()
        return self.out

    # ── the pieces every part uses ────────────────────────────────────────────────────────
    def problem(self, where: str, what: Message | HnreportError) -> None:
        self.out.problems.append((where, what))

    def rows(self, part: str) -> Iterator[tuple[str, dict[str, Any]]]:
        """(where, row) for each row of a part that is a list of objects (a part left out is
        empty)."""
        rows = self.data.get(part, [])
        if not isinstance(rows, list):
            self.problem(part, Message("export_wrong_type", expected=Message("type_list"), found=_kind(rows)))
            return
        for i, row in enumerate(rows):
            where = f"{part}[{i}]"
            if isinstance(row, dict):
                yield where, row
            else:
                self.problem(where, Message("export_wrong_type", expected=Message("type_object"), found=_kind(row)))

    def get(self, where: str, row: dict[str, Any], name: str) -> Any:
        value = row.get(name, MISSING)
        if value is MISSING:
            self.problem(f"{where}.{name}", Message("export_missing"))
        return value

    def text(self, where: str, row: dict[str, Any], name: str, *, optional: bool = False, filled: bool = False) -> Any:
        """A text field: a string (or null where ``optional``), storable, of bounded length;
        ``filled``: not empty or blank. MISSING when it is not."""
        value = row.get(name, None if optional else MISSING)
        at = f"{where}.{name}"
        if value is MISSING:
            self.problem(at, Message("export_missing"))
        elif value is None and optional:
            return None
        elif not isinstance(value, str):
            expected = Message("type_text_or_null") if optional else Message("type_text")
            self.problem(at, Message("export_wrong_type", expected=expected, found=_kind(value)))
        elif (problem := text_problem(name, value)) is not None:
            self.problem(at, problem)
        elif filled and not value.strip():
            self.problem(at, Message("export_empty"))
        else:
            return value
        return MISSING

    def number(self, where: str, row: dict[str, Any], name: str) -> Any:
        value = self.get(where, row, name)
        if value is MISSING:
            return MISSING
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            self.problem(f"{where}.{name}", Message("export_wrong_type", expected=Message("type_number"), found=_kind(value)))
            return MISSING
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
        if not math.isfinite(number):
            self.problem(f"{where}.{name}", Message("export_not_finite", value=_short(value)))
            return MISSING
        return number + 0.0

    def integer(self, where: str, row: dict[str, Any], name: str, *, optional: bool = False) -> Any:
        value = row.get(name, None if optional else MISSING)
        if value is MISSING:
            self.problem(f"{where}.{name}", Message("export_missing"))
        elif value is None and optional:
            return None
        elif not isinstance(value, int) or isinstance(value, bool):
            self.problem(f"{where}.{name}", Message("export_wrong_type", expected=Message("type_integer"), found=_kind(value)))
        else:
            return value
        return MISSING

    def day(self, where: str, row: dict[str, Any], name: str, *, in_plan_year: bool = False) -> Any:
        value = self.text(where, row, name)
        if value is MISSING:
            return MISSING
        try:
            if not DAY.fullmatch(value):
                raise ValueError
            day = date.fromisoformat(value)
        except ValueError:
            self.problem(f"{where}.{name}", Message("export_not_a_day", text=_short(value)))
            return MISSING
        plan = self.known.plan
        if in_plan_year and not plan.start <= day <= plan.end:
            self.problem(f"{where}.{name}", Message("period_outside_year", period=value, year=plan.year))
            return MISSING
        return value

    def moment(self, where: str, row: dict[str, Any], name: str) -> Any:
        value = self.text(where, row, name)
        if value is MISSING:
            return MISSING
        try:
            datetime.fromisoformat(value)
        except ValueError:
            self.problem(f"{where}.{name}", Message("export_not_a_moment", text=_short(value)))
            return MISSING
        return value

    def choice(self, where: str, row: dict[str, Any], name: str, choices: tuple[str, ...], what: Message) -> Any:
        value = self.get(where, row, name)
        if value is MISSING:
            return MISSING
        if value not in choices:
            self.problem(f"{where}.{name}", Message("unknown_choice", what=what, value=_short(value), choices=", ".join(choices)))
            return MISSING
        return value

    def reference(self, where: str, row: dict[str, Any], kind: str) -> Any:
        """The canonical key ``row["key"]`` names: a target, a milestone, or (``item``) either."""
        key = self.text(where, row, "key")
        if key is MISSING:
            return MISSING
        found = None
        if kind in ("target", "item"):
            found = self.out.targets.get(key.lower())
        if found is None and kind in ("milestone", "item"):
            found = self.out.milestones.get(key.lower())
        if found is None:
            noun = {"target": Message("noun_target"), "milestone": Message("noun_milestone"), "item": Message("noun_item")}[kind]
            self.problem(f"{where}.key", Message("unknown_key", kind=noun, key=key, hint=""))
            return MISSING
        return found

    # ── the parts, in the order the restore writes them ──────────────────────────────────
    def new_key(self, where: str, row: dict[str, Any]) -> Any:
        key = self.text(where, row, "key")
        if key is MISSING:
            return MISSING
        if not KEY.fullmatch(key):
            self.problem(f"{where}.key", Message("invalid_key", key=key))
            return MISSING
        if key in self.out.targets or key in self.out.milestones:
            noun = Message("noun_target") if key in self.out.targets else Message("noun_milestone")
            self.problem(f"{where}.key", Message("key_taken", key=key, kind=noun))
            return MISSING
        return key

    def item_fields(self, where: str, row: dict[str, Any], needs_name: Message) -> tuple[Any, Any]:
        name_zh = self.text(where, row, "name_zh")
        if name_zh is not MISSING and not name_zh.strip():
            self.problem(f"{where}.name_zh", needs_name)
            name_zh = MISSING
        self.text(where, row, "name_en")
        section = self.choice(where, row, "section", self.known.sections, Message("what_section"))
        for name in ("locator", "phrase", "note"):
            self.text(where, row, name, optional=True)
        return name_zh, section

    def targets_added(self) -> None:
        for where, t in self.rows("targets_added"):
            key = self.new_key(where, t)
            name_zh, _ = self.item_fields(where, t, Message("target_needs_name"))
            if name_zh is not MISSING and name_zh in self.names:
                self.problem(f"{where}.name_zh", Message("name_taken", name=name_zh, other=self.names[name_zh]))
            kind = self.choice(where, t, "kind", KINDS, Message("what_kind"))
            self.choice(where, t, "comparator", COMPARATORS, Message("what_comparator"))
            self.choice(where, t, "frequency", FREQUENCIES, Message("what_frequency"))
            value = self.number(where, t, "value")
            if value is not MISSING and kind in NONNEGATIVE_KINDS and value < 0:
                self.problem(f"{where}.value", Message("new_target_negative", kind=kind, value=value))
            self.text(where, t, "unit", optional=True)
            if key is not MISSING:
                self.out.targets[key] = key
                self.kinds[key] = kind
                if name_zh is not MISSING:
                    self.names[name_zh] = key

    def milestones_added(self) -> None:
        for where, m in self.rows("milestones_added"):
            key = self.new_key(where, m)
            self.item_fields(where, m, Message("milestone_needs_name"))
            self.text(where, m, "strength", optional=True)
            if key is not MISSING:
                self.out.milestones[key] = key

    def observations(self) -> None:
        self.figures: dict[int, tuple[Any, Any]] = {}  # id → (key, as_of)
        for where, o in self.rows("observations"):
            obs_id = self.integer(where, o, "id")
            if obs_id is not MISSING and obs_id in self.figures:
                self.problem(f"{where}.id", Message("export_duplicate_id", id=obs_id))
            key = self.reference(where, o, "target")
            value = self.number(where, o, "value")
            if key is not MISSING and value is not MISSING and value < 0 and self.kinds.get(key.lower()) in NONNEGATIVE_KINDS:
                self.problem(f"{where}.value", Message("figure_negative", key=key, value=value))
            as_of = self.day(where, o, "as_of", in_plan_year=True)
            self.choice(where, o, "vintage", VINTAGES, Message("what_vintage"))
            self.moment(where, o, "recorded_at")
            self.text(where, o, "note", optional=True)
            self.text(where, o, "source", optional=True)
            self.published(where, o, value)
            older = self.integer(where, o, "supersedes", optional=True)
            # A figure supersedes an earlier one of the same target and period (as record and
            # correct make it): so no figure can supersede itself, a later one, or a ring.
            if older not in (None, MISSING) and MISSING not in (key, as_of) and self.figures.get(older) != (key, as_of):
                self.problem(f"{where}.supersedes", Message("export_supersedes", id=older))
            if obs_id is not MISSING and obs_id not in self.figures:
                self.figures[obs_id] = (key, as_of)

    def published(self, where: str, o: dict[str, Any], value: Any) -> None:
        """A figure's decimals and flag (exports before version 7 of the schema have neither):
        decimals a whole number from 0 to 15 that shows the value whole, a flag hnreport writes."""
        from hnreport.domain.plausibility import flag_problem
        from hnreport.domain.values import MAX_DECIMALS, decimals_problem

        decimals = self.integer(where, o, "decimals", optional=True) if "decimals" in o else None
        if decimals not in (None, MISSING):
            if not 0 <= decimals <= MAX_DECIMALS:
                self.problem(f"{where}.decimals", Message("bad_decimals", decimals=decimals, limit=MAX_DECIMALS))
            elif value is not MISSING and (problem := decimals_problem(value, decimals)) is not None:
                self.problem(f"{where}.decimals", problem)
        flag = self.text(where, o, "flag", optional=True) if "flag" in o else None
        if flag not in (None, MISSING) and (problem := flag_problem(flag)) is not None:
            self.problem(f"{where}.flag", problem)

    def retractions(self) -> None:
        retracted: set[int] = set()
        for where, x in self.rows("retractions"):
            obs_id = self.integer(where, x, "observation_id")
            if obs_id is not MISSING and obs_id not in self.figures:
                self.problem(f"{where}.observation_id", Message("export_no_such_figure", id=obs_id))
            elif obs_id in retracted:
                self.problem(f"{where}.observation_id", Message("observation_already_retracted", id=obs_id))
            elif obs_id is not MISSING:
                retracted.add(obs_id)
            self.text(where, x, "reason", filled=True)

    def target_revisions(self) -> None:
        for where, r in self.rows("target_revisions"):
            key = self.reference(where, r, "target")
            value = self.number(where, r, "value")
            if key is not MISSING and value is not MISSING and value < 0 and self.kinds.get(key.lower()) in NONNEGATIVE_KINDS:
                self.problem(f"{where}.value", Message("target_negative", key=key, value=value))
            self.day(where, r, "effective", in_plan_year=True)
            self.text(where, r, "reason", filled=True)

    def milestone_status(self) -> None:
        for where, s in self.rows("milestone_status"):
            self.reference(where, s, "milestone")
            self.choice(where, s, "status", MILESTONE_STATUSES, Message("what_status"))
            self.day(where, s, "as_of")
            self.moment(where, s, "recorded_at")
            for name in ("progress", "problems", "next_steps", "source"):
                self.text(where, s, name, optional=True)

    def deadlines(self) -> None:
        in_force: dict[str, str] = {}  # milestone → the deadline in force so far
        has_due: set[str] = set()
        for where, d in self.rows("deadlines"):
            key = self.reference(where, d, "milestone")
            kind = self.choice(where, d, "kind", DEADLINE_KINDS, Message("export_what_deadline"))
            due = self.day(where, d, "due_date")
            text = self.text(where, d, "text", optional=True)
            reason = self.text(where, d, "reason", optional=True)
            self.moment(where, d, "recorded_at")
            if MISSING in (key, kind, due):
                continue
            if kind == "node" and not (text or "").strip():
                self.problem(f"{where}.text", Message("export_node_needs_text"))
            if kind == "extension":
                if not (reason or "").strip():
                    self.problem(f"{where}.reason", Message("export_extension_needs_reason"))
                if key not in has_due:
                    self.problem(where, Message("extension_no_due", key=key))
                elif due <= in_force[key]:
                    self.problem(f"{where}.due_date", Message("export_extension_not_later", current=in_force[key]))
            if kind == "due":
                has_due.add(key)
            if kind in ("due", "extension"):
                in_force[key] = due

    def units(self) -> None:
        owner = self.out.units  # name or alias, as NOCASE compares → the unit's name
        for where, u in self.rows("units"):
            name = self.text(where, u, "name")
            if name is not MISSING and not name.strip():
                self.problem(f"{where}.name", Message("unit_needs_name"))
                name = MISSING
            if name is not MISSING:
                name = name.strip()
                if nocase(name) in owner:
                    self.problem(f"{where}.name", Message("export_unit_taken", name=name, other=owner[nocase(name)]))
                else:
                    owner[nocase(name)] = name
            aliases = u.get("aliases", [])
            if not isinstance(aliases, list):
                self.problem(f"{where}.aliases", Message("export_wrong_type", expected=Message("type_list"), found=_kind(aliases)))
                continue
            for i, alias in enumerate(aliases):
                at = f"{where}.aliases[{i}]"
                if not isinstance(alias, str) or not alias.strip():
                    self.problem(at, Message("export_empty") if isinstance(alias, str) else
                                 Message("export_wrong_type", expected=Message("type_text"), found=_kind(alias)))  # fmt: skip
                elif (problem := text_problem("alias", alias)) is not None:
                    self.problem(at, problem)
                elif nocase(alias.strip()) in owner:
                    self.problem(at, Message("alias_taken", alias=alias.strip(), other=owner[nocase(alias.strip())]))
                elif name is not MISSING:
                    owner[nocase(alias.strip())] = name

    def assignments(self) -> None:
        for where, a in self.rows("assignments"):
            self.reference(where, a, "item")
            unit = self.text(where, a, "unit")
            if unit is not MISSING and nocase(unit.strip()) not in self.out.units:
                self.problem(f"{where}.unit", Message("unknown_unit", unit=unit, hint=""))
            self.choice(where, a, "role", ROLES, Message("what_role"))
            self.moment(where, a, "recorded_at")

    def settings(self) -> None:
        for where, s in self.rows("settings"):
            scope = self.text(where, s, "scope")
            if scope not in (MISSING, "") and scope.lower() not in self.out.targets:
                self.problem(f"{where}.scope", Message("unknown_key", kind=Message("noun_target"), key=scope, hint=""))
            key = self.text(where, s, "key")
            value = self.get(where, s, "value")
            if value is not MISSING and (not isinstance(value, (str, int, float)) or isinstance(value, bool)):
                self.problem(f"{where}.value", Message("export_wrong_type", expected=Message("type_text"), found=_kind(value)))
                value = MISSING
            stored = MISSING
            if MISSING not in (scope, key, value):
                try:
                    stored = self.known.check_setting(key, str(value), bool(scope))
                except HnreportError as err:
                    self.problem(where, err)
            self.out.settings.append(stored)


    def target_aliases(self) -> None:
        from hnreport.domain.names import name_norm

        names = {norm: list(keys) for norm, keys in self.known.names.items()}
        for where, a in self.rows("target_aliases"):
            key = self.reference(where, a, "target")
            alias = self.text(where, a, "alias")
            if alias is MISSING:
                continue
            norm = name_norm(alias.strip())
            if not norm:
                self.problem(f"{where}.alias", Message("alias_needs_name"))
            elif key is not MISSING and key in names.get(norm, []):
                continue  # a name the target already has (a later release seeds it): nothing to restore
            elif key is not MISSING:
                names.setdefault(norm, []).append(key)
                self.out.aliases.append((key, alias.strip(), norm))

    def unit_reports(self) -> None:
        self.reports: set[int] = set()
        for where, r in self.rows("unit_reports"):
            report_id = self.integer(where, r, "id")
            if report_id is not MISSING and report_id in self.reports:
                self.problem(f"{where}.id", Message("export_duplicate_id", id=report_id))
            elif report_id is not MISSING:
                self.reports.add(report_id)
            unit = self.text(where, r, "unit")
            if unit is not MISSING and nocase(unit.strip()) not in self.out.units:
                self.problem(f"{where}.unit", Message("unknown_unit", unit=unit, hint=""))
            period = self.text(where, r, "period")
            if period is not MISSING and not (REPORT_PERIOD.fullmatch(period) and period[:4] == str(self.known.plan.year)
                                              and 1 <= int(period[5:]) <= 12):  # fmt: skip
                self.problem(f"{where}.period", Message("period_outside_year", period=period, year=self.known.plan.year))
            self.text(where, r, "sheet_id", filled=True)
            self.text(where, r, "file")
            self.moment(where, r, "collected_at")

    def unit_report_items(self) -> None:
        for where, i in self.rows("unit_report_items"):
            report = self.integer(where, i, "report")
            if report is not MISSING and report not in self.reports:
                self.problem(f"{where}.report", Message("export_no_such_report", id=report))
            self.reference(where, i, "item")
            self.choice(where, i, "answer", REPORT_ANSWERS, Message("export_what_answer"))
            if i.get("status") is not None:
                self.choice(where, i, "status", MILESTONE_STATUSES, Message("what_status"))
            if i.get("value") is not None:
                self.number(where, i, "value")
            if i.get("value_as_of") is not None:
                self.day(where, i, "value_as_of", in_plan_year=True)
            for name in ("progress", "problems", "next_steps", "source"):
                self.text(where, i, name, optional=True)


    # ── the documents the office issued (issue 15) ─────────────────────────────────────────
    def _issued(self, where: str, row: dict[str, Any], taken: set, what: str) -> None:
        """What a bulletin and an order both hold: a year, a number unique in it, days, content."""
        year, number = self.integer(where, row, "year"), self.integer(where, row, "number")
        if number is not MISSING and number < 1:
            self.problem(f"{where}.number", Message("bulletin_number_positive", number=number))
        elif year is not MISSING and number is not MISSING:
            if (year, number) in taken:
                self.problem(f"{where}.number", Message("export_duplicate_bulletin" if what == "bulletin" else "export_duplicate_order",
                                                        year=year, number=number))  # fmt: skip
            taken.add((year, number))
        for name in ("issued_on", "as_of"):
            self.day(where, row, name)
        if not isinstance(row.get("content"), dict):
            self.problem(f"{where}.content", Message("export_wrong_type", expected=Message("type_object"), found=_kind(row.get("content"))))

    def bulletins(self) -> None:
        taken: set = set()
        for where, b in self.rows("bulletins"):
            self._issued(where, b, taken, "bulletin")
            self.moment(where, b, "known_at")
            self.text(where, b, "title", filled=True)

    def orders(self) -> None:
        taken: set = set()
        self.order_ids: set[int] = set()
        for where, o in self.rows("orders"):
            order_id = self.integer(where, o, "id")
            if order_id is not MISSING and order_id in self.order_ids:
                self.problem(f"{where}.id", Message("export_duplicate_id", id=order_id))
            elif order_id is not MISSING:
                self.order_ids.add(order_id)
            self._issued(where, o, taken, "order")
            self.day(where, o, "reply_due")
            unit = self.text(where, o, "unit")
            if unit is not MISSING and nocase(unit.strip()) not in self.out.units:
                self.problem(f"{where}.unit", Message("unknown_unit", unit=unit, hint=""))
            items = o.get("items", [])
            if not isinstance(items, list):
                self.problem(f"{where}.items", Message("export_wrong_type", expected=Message("type_list"), found=_kind(items)))
                continue
            for j, item in enumerate(items):
                at = f"{where}.items[{j}]"
                if not isinstance(item, dict):
                    self.problem(at, Message("export_wrong_type", expected=Message("type_object"), found=_kind(item)))
                    continue
                self.reference(at, item, "item")
                self.choice(at, item, "reason", CONCERNS, Message("export_what_reason"))

    def order_replies(self) -> None:
        for where, r in self.rows("order_replies"):
            order = self.integer(where, r, "order")
            if order is not MISSING and order not in getattr(self, "order_ids", set()):
                self.problem(f"{where}.order", Message("unknown_order", id=order))
            self.day(where, r, "replied_on")
            self.text(where, r, "text", filled=True)
            for name in ("source", "person", "phone"):
                self.text(where, r, name, optional=True)
            self.moment(where, r, "recorded_at")


def _kind(value: Any) -> Message:
    """What a JSON value is, for 'should be text, not a number'."""
    if value is None:
        return Message("type_null")
    if isinstance(value, bool):
        return Message("type_boolean")
    if isinstance(value, int):
        return Message("type_integer")
    if isinstance(value, float):
        return Message("type_number")
    if isinstance(value, list):
        return Message("type_list")
    if isinstance(value, dict):
        return Message("type_object")
    return Message("type_text")


def _short(value: Any) -> str:
    """A value for a message, as JSON writes it (Infinity, not inf), cut short."""
    if isinstance(value, float) and not math.isfinite(value):
        text = "NaN" if value != value else "Infinity" if value > 0 else "-Infinity"
    else:
        text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= 40 else text[:39] + "…"
