"""The units' monthly reports: returned 报送表 weighed against what is recorded, collected as one
journalled change (the statuses and figures they bring are recorded through the same paths as
`milestones set` and `record`), and read back — who has reported for a month, what was left blank.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from hnreport.records import Record
from hnreport.domain.reporting import Answer, LastReport, Period, milestone_outcome, same_figure, status_from_word, status_choices, target_outcome
from hnreport.errors import HnreportError, Message, stored
from hnreport.store.sql import Repository, now_utc, visible

if TYPE_CHECKING:
    from hnreport.workbooks import ReturnedRow, ReturnedSheet

TEXT_ROLES = ("progress", "problems", "next_steps", "source")


class RowPlan(Record):
    """What one row of a returned sheet does: its outcome, the status to record (commitments),
    the figure to record (targets: None when there is none or it is the one recorded), and what
    stood before."""

    row: int
    key: str
    kind: str
    name: str
    answer: Answer
    outcome: str  # blank | unchanged | reported
    status: str | None
    status_before: str | None
    figure: float | None
    figure_as_of: date | None
    figure_before: float | None
    unit: str | None = None  # a target's unit, for showing its figures


class ReturnPlan(Record):
    """One returned sheet, weighed: the unit, its month, the day its statuses are recorded as of,
    each row's plan — and whether it brings nothing new (``already``: collected before)."""

    path: str
    sheet_id: str
    unit: str
    unit_id: int
    period: Period
    as_of: date
    rows: list[RowPlan]
    already: bool

    def rows_with(self, outcome: str) -> int:
        return sum(1 for r in self.rows if r.outcome == outcome)

    @property
    def statuses(self) -> int:
        return sum(1 for r in self.rows if r.kind == "milestone" and r.outcome == "reported")

    @property
    def figures(self) -> int:
        return sum(1 for r in self.rows if r.figure is not None)


class UnitReturn(Record):
    """The report a unit returned for a month (the latest collected, if several)."""

    unit: str
    period: str
    file: str
    collected_at: str
    change_id: int
    answers: dict[str, str]  # item key → reported | unchanged | blank


class Reports(Repository):
    # ── reading what was collected ───────────────────────────────────────────────────────────
    def last_reports(self, keys: list[str]) -> dict[str, LastReport]:
        """Each item's latest report that said something (not left blank), with its day."""
        out: dict[str, LastReport] = {}
        if not keys:
            return out
        wanted = sorted({k.lower() for k in keys})
        for key, collected, progress, problems, next_steps, source in self.conn.execute(
            "SELECT i.item_key, r.collected_at, i.progress, i.problems, i.next_steps, i.source FROM unit_report_items i "
            f"JOIN unit_reports r ON r.id = i.report_id WHERE i.answer != 'blank' AND {visible('i')} "
            f"AND lower(i.item_key) IN ({', '.join('?' for _ in wanted)}) ORDER BY i.id",  # only these items' rows, not every month's
            wanted,
        ):
            out[key] = LastReport(date.fromisoformat(collected[:10]), progress, problems, next_steps, source)
        return out

    def returns(self, period: Period) -> dict[str, UnitReturn]:
        """The latest report each unit returned for ``period``, by unit name."""
        out: dict[str, UnitReturn] = {}
        rows = self.conn.execute(
            "SELECT r.id, u.name, r.file, r.collected_at, r.change_id FROM unit_reports r JOIN units u ON u.id = r.unit_id "
            f"WHERE r.period = ? AND {visible('r')} ORDER BY r.id",
            (period.key,),
        ).fetchall()
        for report_id, unit, file, collected, change_id in rows:
            answers = {key: answer for key, answer in self.conn.execute(
                "SELECT item_key, answer FROM unit_report_items WHERE report_id = ? ORDER BY id", (report_id,))}  # fmt: skip
            out[unit] = UnitReturn(unit, period.key, file, collected, change_id, answers)
        return out

    def _latest_report(self, unit_id: int, period: Period) -> tuple[str, set[str]] | None:
        """(sheet id, the items left blank) of the unit's latest report for ``period``."""
        row = self.conn.execute(
            f"SELECT r.id, r.sheet_id FROM unit_reports r WHERE r.unit_id = ? AND r.period = ? AND {visible('r')} "
            "ORDER BY r.id DESC LIMIT 1",
            (unit_id, period.key),
        ).fetchone()
        if row is None:
            return None
        blank = {k.lower() for (k,) in self.conn.execute(
            "SELECT item_key FROM unit_report_items WHERE report_id = ? AND answer = 'blank'", (row[0],))}  # fmt: skip
        return row[1], blank

    # ── weighing returned sheets ─────────────────────────────────────────────────────────────
    def weigh(self, sheet: ReturnedSheet, unit: str, unit_id: int, period: Period, as_of: date,
              problems: list[Message]) -> ReturnPlan:  # fmt: skip
        """What ``sheet`` would change; each answer that cannot be taken (a status that is none,
        a figure that is no number or breaks a rule) is added to ``problems``, naming its cell."""
        from hnreport.workbooks import where

        tracking, items, figures = self.store.tracking, self.store.items, self.store.figures
        states = {s.milestone.key.lower(): s for s in tracking.milestone_states(as_of)}
        targets = {t.key.lower(): t for t in items.targets()}
        last = self.last_reports([r.key for r in sheet.rows if r.kind == "target"])
        plans: list[RowPlan] = []
        for row in sheet.rows:
            answer = self._answer(sheet, row, targets, problems, where)
            if answer is None:
                continue
            key_cell = sheet.record.columns["key"] + str(row.row)
            if row.kind == "milestone":
                state = states.get(row.key.lower())
                if state is None:
                    problems.append(Message("sheet_item_gone", where=where(sheet.path, sheet.record.sheet, key_cell), key=row.key))
                    continue
                change = state.change
                last_said = (change.status, change.progress, change.problems, change.next_steps, change.source) if change else None
                outcome, status = milestone_outcome(answer, state.status, last_said)
                plans.append(RowPlan(row.row, state.milestone.key, "milestone", state.milestone.name_zh, answer, outcome, status,
                                     state.status, None, None, None))  # fmt: skip
                continue
            target = targets.get(row.key.lower())
            if target is None:
                problems.append(Message("sheet_item_gone", where=where(sheet.path, sheet.record.sheet, key_cell), key=row.key))
                continue
            day = date.fromisoformat(row.figure_as_of) if row.figure_as_of else None
            current = figures.current_for_period(target.key, day) if day else None
            figure_now = current[1] if current else None
            previous = last.get(target.key)
            outcome = target_outcome(answer, figure_now, previous.texts if previous else None)
            figure = answer.value
            if figure is not None and day is not None:
                try:
                    figures.check_observation(target, figure, day)  # the rules record applies, said at the cell
                except HnreportError as err:
                    cell = row.answers["figure"][0]
                    problems.append(Message("sheet_cell_problem", where=where(sheet.path, sheet.record.sheet, cell), problem=err))
                    continue
            if figure is not None and figure_now is not None and outcome != "blank" and same_figure(figure, figure_now):
                figure = None  # the figure already recorded for the period: nothing to record
            plans.append(RowPlan(row.row, target.key, "target", target.name_zh, answer, outcome, None, None, figure, day, figure_now,
                                 target.unit))  # fmt: skip
        previous_report = self._latest_report(unit_id, period)
        already = (
            previous_report is not None
            and previous_report[0] == sheet.record.sheet_id
            and not any(p.outcome == "reported" for p in plans)
            and previous_report[1] == {p.key.lower() for p in plans if p.outcome == "blank"}
        )
        return ReturnPlan(sheet.path, sheet.record.sheet_id, unit, unit_id, period, as_of, plans, already)

    def _answer(self, sheet: ReturnedSheet, row: ReturnedRow, targets: dict[str, Any], problems: list[Message], where) -> Answer | None:
        """The unit's answers on ``row``, read as hnreport takes them, or None (problems added)."""
        from hnreport.domain.model import NONNEGATIVE_KINDS
        from hnreport.domain.values import read_figure, text_problem
        from hnreport.workbooks import text_of

        found = len(problems)
        texts: dict[str, str | None] = {}
        for role in TEXT_ROLES:
            cell, value = row.answers[role]
            text = text_of(value) or None
            if text is not None and (problem := text_problem(role, text)) is not None:
                problems.append(Message("sheet_cell_problem", where=where(sheet.path, sheet.record.sheet, cell), problem=problem))
            texts[role] = text
        status = None
        cell, value = row.answers["status"]
        word = text_of(value)
        if word and word != "—":
            if row.kind != "milestone":
                problems.append(Message("sheet_status_on_target", where=where(sheet.path, sheet.record.sheet, cell), value=word))
            else:
                status = status_from_word(word)
                if status is None:
                    problems.append(Message("sheet_bad_status", where=where(sheet.path, sheet.record.sheet, cell), value=word,
                                            choices="、".join(status_choices("zh"))))  # fmt: skip
        figure, decimals = None, None
        cell, value = row.answers["figure"]
        if value is not None and text_of(value) not in ("", "—"):
            target = targets.get(row.key.lower())
            if row.kind != "target" or target is None:
                problems.append(Message("sheet_figure_on_milestone", where=where(sheet.path, sheet.record.sheet, cell), value=text_of(value)))
            elif row.figure_as_of is None:
                problems.append(Message("sheet_figure_not_due", where=where(sheet.path, sheet.record.sheet, cell), value=text_of(value)))
            else:
                try:  # a number cell as Excel shows it (72.5, -3), text as typed (72.5亿元), with its decimals
                    read = read_figure(text_of(value), target.unit, nonnegative=target.kind in NONNEGATIVE_KINDS)
                    figure, decimals = read.value, read.decimals
                except HnreportError as err:
                    problems.append(Message("sheet_cell_problem", where=where(sheet.path, sheet.record.sheet, cell), problem=err))
        if len(problems) > found:
            return None
        return Answer(status, figure, texts["progress"], texts["problems"], texts["next_steps"], texts["source"], decimals)

    # ── collecting ───────────────────────────────────────────────────────────────────────────
    def collect(self, plans: list[ReturnPlan], files: str, flagged: frozenset[str] = frozenset()) -> int | None:
        """Record the returned sheets as one journalled change: each return and its rows, a
        status change per commitment that reports something new (as `milestones set` does), a
        figure per target whose figure is new (as `record` does, with its decimals; a target in
        ``flagged`` was let in over the plausibility warning). Returns the change id, or None
        when nothing is new."""
        todo = [p for p in plans if not p.already]
        if not todo:
            return None
        items, tracking, figures = self.store.items, self.store.tracking, self.store.figures
        with self.store.change("units.collect", Message("j_collect_started", files=files), reason=files) as (conn, change_id):
            for plan in todo:
                report_id = conn.execute(
                    "INSERT INTO main.unit_reports (plan_id, unit_id, period, sheet_id, file, collected_at, change_id) VALUES (hnreport_plan(), ?, ?, ?, ?, ?, ?)",
                    (plan.unit_id, plan.period.key, plan.sheet_id, plan.path, now_utc(), change_id),
                ).lastrowid
                for row in plan.rows:
                    a = row.answer
                    conn.execute(
                        "INSERT INTO main.unit_report_items (plan_id, report_id, item_key, answer, status, value, value_as_of, progress, problems, "
                        "next_steps, source, change_id) VALUES (hnreport_plan(), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (report_id, row.key, row.outcome, row.status if row.outcome != "blank" else None, a.value,
                         row.figure_as_of.isoformat() if row.figure_as_of and a.value is not None else None,
                         a.progress, a.problems, a.next_steps, a.source, change_id),
                    )  # fmt: skip
                    if row.kind == "milestone" and row.outcome == "reported":
                        tracking.set_status(items.milestone(row.key), row.status, plan.as_of, progress=a.progress,  # type: ignore[arg-type]
                                            problems=a.problems, next_steps=a.next_steps, source=a.source)  # fmt: skip
                    elif row.kind == "target" and row.figure is not None:
                        source = a.source or f"{plan.unit}报送表（{plan.period.label('zh')}）"
                        figures.record(items.target(row.key), row.figure, row.figure_as_of, note=a.progress, source=source,  # type: ignore[arg-type]
                                       decimals=a.decimals, flag="implausible" if row.key in flagged else None)
            summary = Message("j_collected", sheets=[
                Message("j_collected_sheet", unit=p.unit, period=p.period.key, path=p.path, statuses=p.statuses, figures=p.figures,
                        unchanged=p.rows_with("unchanged"), blank=p.rows_with("blank")) for p in todo
            ])  # fmt: skip
            conn.execute("UPDATE journal SET summary = ?, key = NULL WHERE id = ?", (stored(summary), change_id))
        return change_id

