"""Figures (observations): recording, correcting, retracting, and reading them back with
their state (current, superseded, retracted)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from hnreport.domain.model import NONNEGATIVE_KINDS, VINTAGES, Observation, Target
from hnreport.domain.values import format_number
from hnreport.errors import BadValue, Figure, Message, UnknownKey, Word, stored
from hnreport.store.sql import Repository, now_utc, standing, visible



# Which of two figures for the same target and period the period is read by: a final (最终核实)
# figure over a preliminary one, whichever came later; among figures of one vintage, the newest.
# ``_PREFERRED_*`` order the candidates best first.
_PREFERRED_O = "(o.vintage = 'final') DESC, o.id DESC"
_PREFERRED_O2 = "(o2.vintage = 'final') DESC, o2.id DESC"
# ``_SUPERSEDED`` says a later figure of the period outranks row ``o``: a final one is beaten only
# by a later final one; a preliminary one by any later one, or by a final one whenever it came.
# Written as index probes — the (target_key, as_of, id) index for "a later one", the partial
# index of final figures (migration 0009) for "a final one" — so a period with a million
# preliminary figures costs a seek per row, not a scan (one OR over both cases made it a scan).
_SAME_PERIOD = "n.target_key = o.target_key AND n.as_of = o.as_of"

class Figures(Repository):
    # ── observations ─────────────────────────────────────────────────────────────────────
    def check_observation(self, target: Target, value: float, as_of: date) -> None:
        plan = self.store.items.plan()
        if not plan.start <= as_of <= plan.end:
            raise BadValue("figure_outside_year", as_of=as_of.isoformat(), year=plan.year, plan=plan.name_zh,
                           start=plan.start.isoformat(), end=plan.end.isoformat())  # fmt: skip
        if target.kind in NONNEGATIVE_KINDS and value < 0:
            raise BadValue("figure_negative", key=target.key, value=value)

    def record(
        self,
        target: Target,
        value: float,
        as_of: date,
        *,
        note: str | None = None,
        source: str | None = None,
        vintage: str = "preliminary",
        known_from: str | None = None,
        decimals: int | None = None,
        flag: str | None = None,
    ) -> Observation:
        """Append an observation (never overwriting one) after checking it fits the plan.

        A second figure for the same target and period is a revision: the newest is used.
        ``known_from`` (UTC ISO) back-fills it: ``--known-at`` counts it from then.
        ``decimals``: as given ("5.0" → 1); ``flag``: why it was let in over a refusal or a
        warning (domain.plausibility).
        """
        self.check_observation(target, value, as_of)
        if vintage not in VINTAGES:
            raise BadValue("unknown_choice", what=Message("what_vintage"), value=vintage, choices=", ".join(VINTAGES))
        recorded_at = now_utc()
        with self.store.change("record", Message("j_record_started"), key=target.key, reason=note, known_from=known_from) as (conn, change_id):
            previous = self.current_for_period(target.key, as_of)  # inside the lock: no race
            if previous and previous[2] == "final" and vintage != "final":
                # A preliminary figure after the final one (the monthly sheet imported again):
                # kept, but the final figure stays the one the period is read by.
                summary = Message("j_recorded_final_stands", key=target.key, value=Figure(format_number(value, decimals), target.unit),
                                  date=as_of.isoformat(), vintage=Word("VINTAGE", vintage), final=previous[1], id=previous[0])
                previous = None
                stands = False
            else:
                fields = {"key": target.key, "value": Figure(format_number(value, decimals), target.unit), "date": as_of.isoformat(),
                          "vintage": Word("VINTAGE", vintage)}
                summary = (Message("j_revised", **fields, was=previous[1], id=previous[0]) if previous
                           else Message("j_recorded", **fields))  # fmt: skip
                stands = True
            conn.execute("UPDATE journal SET summary = ? WHERE id = ?", (stored(summary), change_id))
            supersedes = previous[0] if previous else None
            cur = conn.execute(
                "INSERT INTO main.observations (plan_id, target_key, value, as_of, recorded_at, note, source, change_id, vintage, supersedes, "
                "decimals, flag) VALUES (hnreport_plan(), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (target.key, value, as_of.isoformat(), recorded_at, note, source, change_id, vintage, supersedes, decimals, flag),
            )
            obs_id = cur.lastrowid
        return Observation(obs_id, target.key, value, as_of, recorded_at, note, source, vintage,  # type: ignore[arg-type]
                           "current" if stands else "superseded", supersedes, change_id, known_from, decimals, flag)

    def current_for_period(self, key: str, as_of: date) -> tuple[int, float, str] | None:
        return self.conn.execute(
            f"SELECT o.id, o.value, o.vintage FROM observations o WHERE o.target_key = ? AND o.as_of = ? AND {standing('o')} "
            f"ORDER BY {_PREFERRED_O} LIMIT 1",
            (key, as_of.isoformat()),
        ).fetchone()

    def beside(self, key: str, as_of: date) -> tuple[tuple[date, float] | None, tuple[date, float] | None]:
        """The standing figures of the periods just before and just after ``as_of`` (the figure
        each period is read by), as (period end, value) — for a year-to-date total, the totals
        it must lie between."""
        out = []
        for cmp, order in (("<", "DESC"), (">", "ASC")):
            row = self.conn.execute(
                f"SELECT o.as_of, o.value FROM observations o WHERE o.target_key = ? AND o.as_of {cmp} ? AND {standing('o')} "
                f"ORDER BY o.as_of {order}, {_PREFERRED_O} LIMIT 1",
                (key, as_of.isoformat()),
            ).fetchone()
            out.append((date.fromisoformat(row[0]), row[1]) if row else None)
        return out[0], out[1]

    def observation(self, obs_id: int) -> Observation:
        if not 0 < obs_id < 2**63:
            raise UnknownKey("no_observation", id=obs_id)
        rows = [o for o in self._observations("o.id = ?", (obs_id,))]
        if not rows:
            raise UnknownKey("no_observation", id=obs_id)
        return rows[0]

    _OBS_COLUMNS = (
        "o.id, o.target_key, o.value, o.as_of, o.recorded_at, o.note, o.source, o.vintage, o.supersedes, o.change_id, "
        "(SELECT j.known_from FROM journal j WHERE j.id = o.change_id), o.decimals, o.flag"
    )

    def _observations(self, where: str, args: tuple) -> list[Observation]:
        """Visible observations matching ``where``, each with its state."""
        return list(self._each_observation(where, args))

    def _each_observation(self, where: str, args: tuple) -> Iterator[Observation]:
        """Visible observations matching ``where``, each with its state, read as they are used."""
        live = standing("n")
        sql = (
            f"SELECT {self._OBS_COLUMNS}, "
            f"EXISTS (SELECT 1 FROM retractions x WHERE x.observation_id = o.id AND {visible('x')}) AS retracted, "
            f"CASE WHEN o.vintage = 'final' THEN "
            f"EXISTS (SELECT 1 FROM observations n WHERE {_SAME_PERIOD} AND n.vintage = 'final' AND n.id > o.id AND {live}) "
            f"ELSE EXISTS (SELECT 1 FROM observations n WHERE {_SAME_PERIOD} AND n.id > o.id AND {live}) "
            f"OR EXISTS (SELECT 1 FROM observations n WHERE {_SAME_PERIOD} AND n.vintage = 'final' AND {live}) "
            f"END AS superseded "
            f"FROM observations o WHERE {visible('o')} AND {where} ORDER BY o.as_of DESC, o.id DESC"
        )
        for r in self.conn.execute(sql, args):
            state = "retracted" if r[13] else "superseded" if r[14] else "current"
            yield Observation(r[0], r[1], r[2], date.fromisoformat(r[3]), r[4], r[5], r[6], r[7], state, r[8], r[9], r[10],
                              r[11], r[12])

    def history(self, target: Target, as_of: date | None = None) -> list[Observation]:
        """Every visible figure of a target, newest period first, with vintage and state."""
        return list(self.each_in_history(target, as_of))

    def each_in_history(self, target: Target, as_of: date | None = None) -> Iterator[Observation]:
        """``history``, one figure at a time: a target with a million figures is never held
        in memory whole (``history --format json`` writes each as it is read)."""
        if as_of is None:
            return self._each_observation("o.target_key = ?", (target.key,))
        return self._each_observation("o.target_key = ? AND o.as_of <= ?", (target.key, as_of.isoformat()))

    def every_standing(self, as_of: date) -> Iterator[Observation]:
        """Every visible figure not retracted, of periods ending by ``as_of``, by target and
        period: in each period the figure it is read by first (state current, the preference
        ``latest`` uses), the others after it (superseded). One pass for a whole publication,
        instead of ``history``'s probes per figure."""
        sql = (
            f"SELECT {self._OBS_COLUMNS} FROM observations o WHERE o.as_of <= ? AND {standing('o')} "
            f"ORDER BY o.target_key, o.as_of, {_PREFERRED_O}"
        )
        period = None
        for r in self.conn.execute(sql, (as_of.isoformat(),)):
            state = "superseded" if (r[1], r[3]) == period else "current"
            period = (r[1], r[3])
            yield Observation(r[0], r[1], r[2], date.fromisoformat(r[3]), r[4], r[5], r[6], r[7], state, r[8], r[9], r[10],
                              r[11], r[12])

    def latest(self, as_of: date) -> dict[str, Observation]:
        """Each target's latest current observation whose period ends at or before ``as_of``."""
        rows = self.conn.execute(
            f"""
            SELECT {self._OBS_COLUMNS}
            FROM targets t
            JOIN observations o ON o.id = (
                SELECT o2.id FROM observations o2
                WHERE o2.target_key = t.key AND o2.as_of <= ? AND {standing('o2')}
                ORDER BY o2.as_of DESC, {_PREFERRED_O2} LIMIT 1)
            """,
            (as_of.isoformat(),),
        )
        return {
            r[1]: Observation(r[0], r[1], r[2], date.fromisoformat(r[3]), r[4], r[5], r[6], r[7], "current", r[8], r[9], r[10],
                              r[11], r[12])
            for r in rows
        }

    def observation_count(self) -> int:
        return self.conn.execute(f"SELECT count(*) FROM observations o WHERE {visible('o')}").fetchone()[0]

    def correct(self, obs_id: int, value: float, reason: str, *, decimals: int | None = None, flag: str | None = None) -> Observation:
        """A corrected figure for the same target and period; the old row stays, superseded.
        ``decimals`` and ``flag`` as for ``record``."""
        old = self.observation(obs_id)
        if old.state != "current":
            state = Message("state_retracted") if old.state == "retracted" else Message("state_superseded")
            raise BadValue("observation_not_current", id=obs_id, state=state)
        if not reason.strip():
            raise BadValue("correction_needs_reason")
        target = self.store.items.target(old.target_key)
        self.check_observation(target, value, old.as_of)
        summary = Message("j_corrected", id=obs_id, key=old.target_key, date=old.as_of.isoformat(),
                          old=Figure(format_number(old.value, old.decimals), target.unit), new=Figure(format_number(value, decimals), target.unit))
        with self.store.change("correct", summary, key=old.target_key, reason=reason.strip()) as (conn, change_id):
            cur = conn.execute(
                "INSERT INTO main.observations (plan_id, target_key, value, as_of, recorded_at, note, source, change_id, vintage, supersedes, "
                "decimals, flag) VALUES (hnreport_plan(), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (old.target_key, value, old.as_of.isoformat(), now_utc(), old.note, old.source, change_id, old.vintage, obs_id,
                 decimals, flag),
            )
        return self.observation(cur.lastrowid)  # type: ignore[arg-type]

    def retract(self, obs_id: int, reason: str) -> Observation:
        old = self.observation(obs_id)
        if old.state == "retracted":
            raise BadValue("observation_already_retracted", id=obs_id)
        if not reason.strip():
            raise BadValue("retraction_needs_reason")
        summary = Message("j_retracted", id=obs_id, key=old.target_key, value=old.value, date=old.as_of.isoformat())
        with self.store.change("retract", summary, key=old.target_key, reason=reason.strip()) as (conn, change_id):
            conn.execute(
                "INSERT INTO retractions (observation_id, change_id, reason) VALUES (?, ?, ?)",
                (obs_id, change_id, reason.strip()),
            )
        return old

