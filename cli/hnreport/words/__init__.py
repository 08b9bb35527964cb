"""Every word and message hnreport shows a user, in Chinese and English, in one place.

``labels`` holds the interface's own words (status labels, column titles …) and ``messages`` the
catalogue of messages (code → (zh, en) templates) that errors and reports are rendered from.
The catalogue is read only when a message is shown: ``words.MESSAGES`` loads it on first use.
"""

from __future__ import annotations

from typing import Any

from hnreport.words.labels import (
    BASIS,
    CHECKED,
    CHECK_KINDS,
    CHECK_ROWS,
    EXPORT_PARTS,
    CONFIG,
    MEASURE,
    RULE_CLASS,
    BULLETIN,
    CHART,
    COLUMNS,
    COMPARATOR,
    DUE_SOON,
    FINALITY,
    FLAG,
    FREQUENCY,
    IMPLIED,
    ITEM_KIND,
    ACTIONS,
    JOURNAL,
    KIND,
    MILESTONE_STATUS,
    NODE_MARK,
    NODE_PASSED,
    NODE_SOON,
    OVERDUE,
    PACE,
    PRESET,
    PUBLIC,
    RANK_ORDER,
    ROLE,
    SEARCH_FIELD,
    SEARCH_KIND,
    STATE,
    STATUS,
    UNASSIGNED,
    VERDICT,
    VINTAGE,
    WORDS,
    flag_word,
    figure_text,
    unit_word,
    UNIT_EN,
    choices_text,
    comparator_mark,
    days_word,
    fold,
    labels_of,
    action_word,
    mark_word,
    milestone_word,
    names_for,
    pick,
    status_style,
    status_word,
    verdict_word,
)

# The language of messages (errors, notices) when the user gives neither --lang nor HNREPORT_LANG:
# Chinese, like names and labels (the people who use hnreport read Chinese). Read when a command
# runs, so the test suite can keep its older tests' English messages in one place (conftest).
DEFAULT_MESSAGE_LANG = "zh"

__all__ = [
    "ACTIONS", "BASIS", "CHECKED", "CHECK_KINDS", "CHECK_ROWS", "EXPORT_PARTS", "CONFIG", "MEASURE", "RULE_CLASS", "BULLETIN", "CHART", "COLUMNS", "COMPARATOR", "DUE_SOON", "FLAG", "FREQUENCY", "IMPLIED", "JOURNAL", "KIND", "MILESTONE_STATUS", "NODE_MARK",
    "NODE_PASSED", "NODE_SOON", "OVERDUE", "PACE", "PRESET", "RANK_ORDER", "ROLE", "STATE", "STATUS", "UNASSIGNED", "VINTAGE", "WORDS",
    "FINALITY", "ITEM_KIND", "PUBLIC", "SEARCH_FIELD", "SEARCH_KIND", "VERDICT", "verdict_word",
    "DEFAULT_MESSAGE_LANG", "MESSAGES",
    "action_word", "choices_text", "comparator_mark", "days_word", "figure_text", "flag_word", "unit_word", "UNIT_EN", "fold", "labels_of", "mark_word", "milestone_word", "names_for", "pick",
    "status_style", "status_word",
]  # fmt: skip


def __getattr__(name: str) -> Any:
    if name == "MESSAGES":
        from hnreport.words.messages import MESSAGES

        return MESSAGES
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
