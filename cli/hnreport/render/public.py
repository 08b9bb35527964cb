"""The record as the public reads it: search hits and the promise scorecard, in every listing
format (table, JSON, CSV, Markdown, HTML)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from hnreport import words
from hnreport.domain.values import format_number
from hnreport.render.common import emit

if TYPE_CHECKING:
    from rich.console import Console

    from hnreport.domain.scorecard import ScoreEntry
    from hnreport.domain.search import SearchHit


# ── search ───────────────────────────────────────────────────────────────────────────────
def hit_dict(h: SearchHit, rank: int) -> dict[str, Any]:
    return {
        "rank": rank, "kind": h.kind, "key": h.key, "plan": h.plan, "field": h.field, "name_zh": h.name_zh,
        "name_en": h.name_en, "snippet": h.marked(), "locator": h.locator, "as_of": h.as_of.isoformat() if h.as_of else None,
    }  # fmt: skip


def search_hits(query: str, hits: list[SearchHit], fmt: str, lang: str, console: Console) -> None:
    rows = [hit_dict(h, i) for i, h in enumerate(hits, 1)]
    p = words.PUBLIC
    headers = [words.pick(p[c], lang) for c in ("kind", "item", "field", "snippet", "locator", "date")]
    if fmt == "table":
        from rich.text import Text

        def snippet(h: SearchHit) -> Text:
            text = Text()
            for part, match in h.snippet:
                text.append(f"【{part}】" if match else part, style="bold reverse" if match else "")
            return text
    else:
        def snippet(h: SearchHit) -> str:  # type: ignore[misc]
            return h.marked()

    body = [[
        words.pick(words.SEARCH_KIND[h.kind], lang), f"{h.key} {h.name_en if lang == 'en' else h.name_zh}".strip(),
        words.pick(words.SEARCH_FIELD[h.field], lang), snippet(h), h.locator, h.as_of.isoformat() if h.as_of else "",
    ] for h in hits]  # fmt: skip
    empty = f"没有找到“{query}”" if lang != "en" else f"nothing found for '{query}'"
    emit(fmt, console, rows, headers, body, empty=empty, nowrap=(0, 5),
         fieldnames=("rank", "kind", "key", "plan", "field", "name_zh", "name_en", "snippet", "locator", "as_of"))  # fmt: skip


# ── the scorecard ────────────────────────────────────────────────────────────────────────
def margin_text(e: ScoreEntry, lang: str) -> str:
    """The margin as a reader says it: +0.3个百分点, -12亿元, 提前5天, 逾期30天."""
    if e.margin is None:
        return "—"
    if e.margin_unit == "days":
        days = int(e.margin)
        if lang == "en":
            return f"{days} days early" if days > 0 else f"{-days} days late" if days < 0 else "on the day"
        return f"提前{days}天" if days > 0 else f"逾期{-days}天" if days < 0 else "按期"
    sign = "+" if e.margin > 0 else ""
    unit = words.pick(words.WORDS["points"], lang) if e.margin_unit == "points" else (e.margin_unit or "")
    return f"{sign}{format_number(round(e.margin, 2))}{unit}"


def entry_dict(e: ScoreEntry) -> dict[str, Any]:
    return {
        "plan": e.plan, "kind": e.kind, "key": e.key, "name_zh": e.name_zh, "name_en": e.name_en, "section": e.section,
        "verdict": e.verdict, "status": e.status, "final": e.final, "phrase": e.phrase, "locator": e.locator,
        "margin": None if e.margin is None else round(e.margin, 4), "margin_unit": e.margin_unit, "source": e.source,
        "evidence_as_of": e.evidence_as_of.isoformat() if e.evidence_as_of else None, "lead_unit": e.lead,
    }  # fmt: skip


def status_text(e: ScoreEntry, lang: str) -> str:
    if e.kind == "target":
        return words.status_word(e.status, lang)
    return words.milestone_word(e.status, lang)


def source_text(e: ScoreEntry, lang: str) -> str:
    parts = [e.source or ""]
    if e.evidence_as_of:
        parts.append(f"({e.evidence_as_of.isoformat()})")
    return " ".join(p for p in parts if p) or "—"


def scorecard(plan: dict, as_of: date, entries: list[ScoreEntry], counts: dict[str, int], fmt: str, lang: str,
              console: Console) -> None:  # fmt: skip
    if fmt == "json":
        from hnreport.render.formats import write_json

        write_json(console.file, {
            "plan": {k: plan[k] for k in ("key", "name_zh", "name_en", "year")}, "as_of": as_of.isoformat(),
            "counts": counts, "entries": [entry_dict(e) for e in entries],
        })  # fmt: skip
        return
    if fmt == "html":
        from hnreport.outfile import write_exact
        from hnreport.render import site

        write_exact(console.file, site.scorecard_page(plan, as_of, [entry_dict(e) for e in entries], counts), errors="xmlcharrefreplace")
        return
    p = words.PUBLIC
    headers = [words.pick(h, lang) for h in (p["kind"], words.COLUMNS["key"], p["item"], p["verdict"], p["finality"],
                                             p["margin"], p["phrase"], p["locator"], p["source"])]  # fmt: skip
    if fmt == "table":
        from rich.text import Text

        def verdict(e: ScoreEntry) -> Any:
            return Text(words.verdict_word(e.verdict, lang), style=words.VERDICT[e.verdict][3])
    else:
        def verdict(e: ScoreEntry) -> Any:
            return words.verdict_word(e.verdict, lang)

    body = [[
        words.pick(words.ITEM_KIND[e.kind], lang), e.key, e.name_en if lang == "en" else e.name_zh, verdict(e),
        "—" if e.verdict == "not_rated" else words.pick(words.FINALITY["final" if e.final else "preliminary"], lang),
        margin_text(e, lang), e.phrase,
        e.locator, source_text(e, lang),
    ] for e in entries]  # fmt: skip
    title = None
    if fmt == "table":
        summary = "  ".join(f"{words.verdict_word(v, lang)} {n}" for v, n in counts.items())
        title = f"{words.pick(p['scorecard'], lang)} · {words.pick(words.WORDS['as_of'], lang)} {as_of.isoformat()}   {summary}"
    emit(fmt, console, [entry_dict(e) for e in entries], headers, body, title=title, nowrap=(0, 1, 3, 4), show_lines=False,
         fieldnames=tuple(entry_dict(entries[0])) if entries else ())  # fmt: skip
