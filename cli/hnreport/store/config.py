"""Settings, kept as an append-only log that follows the journal (so undo and --known-at apply
to them), and the light rules they make. What each key accepts is ``domain.settings``."""

from __future__ import annotations

from hnreport.domain import settings as setting_rules
from hnreport.domain.model import Target
from hnreport.domain.rules import LightRule, Rules
from hnreport.errors import Message
from hnreport.store.sql import Repository, visible


class Config(Repository):
    def settings(self) -> dict[tuple[str, str], str]:
        """The settings in force — as of ``--known-at`` too, since rows follow visible changes."""
        rows = self.conn.execute(
            "SELECT s.scope, s.key, s.value FROM setting_log s WHERE s.id = (SELECT s2.id FROM setting_log s2 "
            f"WHERE s2.scope = s.scope AND s2.key = s.key AND {visible('s2')} ORDER BY s2.id DESC LIMIT 1)"
        )
        return {(scope, k): v for scope, k, v in rows}

    def presets(self, settings: dict[tuple[str, str], str] | None = None) -> dict[str, dict[str, LightRule]]:
        """The light presets, with any thresholds edited through ``light.<preset>.<class>``."""
        rows = self.conn.execute("SELECT preset, class, measure, tolerance FROM light_presets ORDER BY preset, class")
        return setting_rules.presets_from(rows, self.settings() if settings is None else settings)

    def rules(self) -> Rules:
        settings = self.settings()
        return setting_rules.rules_from(settings, self.presets(settings))

    def due_within(self) -> int:
        return setting_rules.due_within(self.settings())

    def due_day(self) -> int:
        return setting_rules.due_day(self.settings())

    def checked_setting(self, key: str, value: str, for_target: bool) -> str:
        """The value as it would be stored, or BadConfig saying what is wrong with it."""
        return setting_rules.checked_setting(key, value, for_target, self.presets())

    def set_config(self, key: str, value: str, target: Target | None = None) -> tuple[str, bool]:
        """Validate and store one setting (with the settings that change with it); returns the
        value as stored with what else changed, and whether anything did: a setting already in
        force with that value (and its companions with theirs) is not recorded again, and
        nothing is journalled. A default that was never set is recorded when set explicitly."""
        stored = self.checked_setting(key, value, target is not None)
        extra = setting_rules.companion_settings(key, stored, target.kind if target else None)
        scope = target.key if target else ""
        pairs = [(key, stored), *extra]
        shown = stored + "".join(f" ({k} = {v})" for k, v in extra)
        in_force = self.settings()
        if all(in_force.get((scope, k)) == v for k, v in pairs):
            return shown, False
        settings = ", ".join(f"{k} = {v}" for k, v in pairs)  # keys and values: codes, the same in both languages
        summary = Message("j_config_set", pairs=settings, scope=Message("for_target", key=scope) if scope else "")
        with self.store.change("config.set", summary, key=scope or None) as (conn, change_id):
            conn.executemany(
                # A target's setting belongs to its plan; one of scope '' to the database.
                "INSERT INTO main.setting_log (plan_id, scope, key, value, change_id) "
                "VALUES (CASE WHEN ?1 = '' THEN NULL ELSE hnreport_plan() END, ?1, ?2, ?3, ?4)",
                [(scope, k, v, change_id) for k, v in pairs],
            )
        return shown, True
