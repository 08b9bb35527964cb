"""Full-text search: what a hit is, how a query is read and how a snippet marks the match.

Pure: the store finds the rows (an FTS5 trigram index for terms of three characters or more, the
content tables for shorter ones); this module holds the rules both paths share.
"""

from __future__ import annotations

from datetime import date

from hnreport.records import Record

# What a hit can be, in the order a short query (no index ranking) lists them.
KINDS = ("target", "milestone", "result", "term", "note", "figure")
# The fields of each kind that are searched.
FIELDS = ("name", "phrase", "progress", "problems", "next_steps", "source", "note", "term", "explanation")
TRIGRAM = 3  # the trigram index finds a term of at least this many characters
SNIPPET_CHARS = 18  # characters shown either side of a match
# Marks the store asks SQLite's snippet() to put around a match: private-use characters, which no
# report text holds, so the match is found again exactly.
OPEN, CLOSE = "\ue000", "\ue001"

Segments = tuple[tuple[str, bool], ...]  # the snippet as (text, is it the match) pieces


class SearchHit(Record):
    kind: str  # one of KINDS
    key: str  # the item's key (a glossary term's number)
    field: str  # one of FIELDS
    plan: str
    snippet: Segments
    locator: str = ""
    name_zh: str = ""  # the item's name (the milestone a note is about, the target of a figure)
    name_en: str = ""
    as_of: date | None = None  # a note's or a figure's date
    score: float = 0.0  # lower is better (bm25, as SQLite ranks)

    def marked(self, open_mark: str = "【", close_mark: str = "】") -> str:
        return "".join(f"{open_mark}{text}{close_mark}" if match else text for text, match in self.snippet)


def terms_of(query: str) -> list[str]:
    """The terms a query asks for (all of them must occur), split at spaces."""
    return [t for t in query.split() if t]


def indexed(terms: list[str]) -> bool:
    """Whether the trigram index can answer: every term has at least three characters."""
    return bool(terms) and all(len(t) >= TRIGRAM for t in terms)


def match_expression(terms: list[str]) -> str:
    """The FTS5 query: each term a quoted phrase (its own quotes doubled), all required."""
    return " AND ".join('"' + t.replace('"', '""') + '"' for t in terms)


def from_marked(text: str) -> Segments:
    """Segments of a snippet SQLite marked with OPEN/CLOSE."""
    out: list[tuple[str, bool]] = []
    match, start = False, 0
    for i, ch in enumerate(text + OPEN):
        if ch in (OPEN, CLOSE):
            if i > start:
                out.append((text[start:i], match))
            match, start = ch == OPEN, i + 1
    return tuple(out)


def snippet_around(text: str, terms: list[str], chars: int = SNIPPET_CHARS) -> Segments:
    """The part of ``text`` around the first match of any term, every match in it marked; the
    whole text (unmarked) when no term is found."""
    found = [(text.find(t), t) for t in terms if t and t in text]
    if not found:
        return ((text[: chars * 2] + ("…" if len(text) > chars * 2 else ""), False),)
    first = min(p for p, _ in found)
    start = max(0, first - chars)
    end = min(len(text), first + chars + max(len(t) for _, t in found))
    window = text[start:end]
    spans: list[tuple[int, int]] = []
    for t in terms:
        i = window.find(t)
        while t and i >= 0:
            spans.append((i, i + len(t)))
            i = window.find(t, i + len(t))
    spans.sort()
    out: list[tuple[str, bool]] = [("…", False)] if start > 0 else []
    at = 0
    for s, e in spans:
        if s < at:
            continue
        if s > at:
            out.append((window[at:s], False))
        out.append((window[s:e], True))
        at = e
    if at < len(window):
        out.append((window[at:], False))
    if end < len(text):
        out.append(("…", False))
    return tuple(out)
