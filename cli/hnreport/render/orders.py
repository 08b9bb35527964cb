"""The 督办单 (supervision order) for one unit: its content (plain data, kept as issued) and that
content laid out as a document; and the list of issued orders with their replies.

A reply's 责任人 and 联系电话 are the office's own: the list shows them on the screen and in
JSON/CSV for the office, and no document (order, bulletin) carries them.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from hnreport.domain.bulletin import Concern
from hnreport.render.bulletin import IMPLIED, REASON_WORDS, chinese_date, order_number, replied_late, target_status_words
from hnreport.render.common import emit
from hnreport.render.formats.blocks import Block, Cell, Document, Table, cell
from hnreport.render.targets import gap_text, target_text
from hnreport.render.common import with_unit

if TYPE_CHECKING:
    from rich.console import Console

REQUIREMENTS = (
    "1.请对照督办事项逐项分析滞后、逾期原因，明确整改措施、责任人和完成时限。",
    "2.主要负责同志要亲自研究、亲自推动，确保督办事项按期取得实质性进展。",
    "3.办理情况请如实填写下方回执，经单位主要负责同志审核后按时报送；逾期未报送的，将在下期督查通报中予以通报。",
)


def order_content(*, plan, unit: str, as_of: date, issued_on: date, reply_due: date, number: int | None, office: str | None,
                  concerns: list[Concern], assessments: dict) -> dict[str, Any]:  # fmt: skip
    """What one order says: the unit's items of concern with their gap or days overdue."""
    items = []
    for c in concerns:
        a = assessments.get(c.key)
        if c.kind == "target" and a is not None:
            obs = a.observation
            detail = (f"目标{target_text(a.target, 'zh')}，最新值{with_unit(obs.value, a.target.unit, obs.decimals) if obs else '—'}"
                      f"，差距{gap_text(a, 'zh')}（{target_status_words(a.status, a.pace)}）")  # fmt: skip
        else:
            due = (c.due.isoformat() if c.due else "—") + (IMPLIED if c.due_implied else "")
            detail = f"完成时限{due}" + (f"，已逾期{c.days_overdue}天" if c.days_overdue else "")
        items.append({"kind": c.kind, "key": c.key, "name": c.name_zh, "reason": c.reason, "detail": detail,
                      "due": c.due.isoformat() if c.due else None, "due_implied": c.due_implied, "days_overdue": c.days_overdue, "problems": c.problems,
                      "reported_on": c.reported_on.isoformat() if c.reported_on else None})  # fmt: skip
    return {
        "kind": "order", "format": 1,
        "plan": {"key": plan.key, "name_zh": plan.name_zh, "year": plan.year},
        "office": office or "", "unit": unit, "number": number, "year": issued_on.year,
        "issued_on": issued_on.isoformat(), "as_of": as_of.isoformat(), "reply_due": reply_due.isoformat(),
        "items": items,
    }  # fmt: skip


def order_document(c: dict) -> Document:
    number_line = order_number(c["year"], c["number"]) if c["number"] else "（未编号）"
    as_of = chinese_date(date.fromisoformat(c["as_of"]))
    blocks = [Block("p", f"经督查，截至{as_of}，你单位牵头的{c['plan']['name_zh']}以下{len(c['items'])}项目标任务滞后于序时进度或逾期未完成，"
                         "现予督办。")]  # fmt: skip
    blocks.append(Block("h1", "一、督办事项"))
    body = []
    for i, it in enumerate(c["items"], start=1):
        body.append([Cell(str(i), i, "0"), cell(it["name"]), Cell(REASON_WORDS[it["reason"]], light="red" if it["reason"] in
                     ("missed", "far_behind", "overdue", "stalled") else "yellow"), cell(it["detail"]), cell(it["problems"] or "未报送")])  # fmt: skip
    blocks.append(Block("table", table=Table("督办事项", ["序号", "事项", "督办原因", "差距或时限", "最近报送的存在问题"], body, [7, 26, 14, 30, 30])))
    blocks.append(Block("h1", "二、督办要求"))
    blocks += [Block("p", r) for r in REQUIREMENTS]
    blocks.append(Block("h1", "三、办理时限"))
    office = c["office"] or "县政府督查室"
    blocks.append(Block("p", f"请于{chinese_date(date.fromisoformat(c['reply_due']))}前将办理情况书面报送{office}。"))
    blocks.append(Block("h1", "四、办理情况（由承办单位填写）"))
    blank = Cell(" \n ")  # room to write by hand
    reply = [[cell("办理情况"), Cell("\n" * 8)], [cell("责任人"), blank], [cell("联系电话"), blank], [cell("单位负责人签字"), blank]]
    blocks.append(Block("table", table=Table("回执", ["项目", "内容"], reply, [20, 80])))
    return Document("order", c["office"], number_line, f"{c['plan']['name_zh']}目标任务督办单", f"{c['unit']}：", blocks,
                    c["office"], chinese_date(date.fromisoformat(c["issued_on"])))  # fmt: skip


# ── orders list ──────────────────────────────────────────────────────────────────────────────
def order_dict(o, as_of: date) -> dict[str, Any]:
    """One order as listed. ``reply_overdue``: no reply by the deadline — none yet and the
    deadline passed by ``as_of`` (逾期未回复), or answered after it (``replied_late``: 逾期回复,
    已回复 all the same), as the bulletin words them."""
    last = o.replies[-1] if o.replies else None
    late = replied_late(o)
    return {
        "id": o.id, "number": order_number(o.year, o.number), "unit": o.unit, "issued_on": o.issued_on.isoformat(),
        "as_of": o.as_of.isoformat(), "reply_due": o.reply_due.isoformat(), "items": [k for k, _ in o.items],
        "replied": last is not None, "reply_overdue": late or (last is None and o.reply_due < as_of), "replied_late": late,
        "replies": [{"id": r.id, "replied_on": r.replied_on.isoformat(), "text": r.text, "source": r.source,
                     "person": r.person, "phone": r.phone, "recorded_at": r.recorded_at} for r in o.replies],
    }  # fmt: skip


def orders_list(orders: list, as_of: date, fmt: str, lang: str, console: Console) -> None:
    rows = [order_dict(o, as_of) for o in orders]
    zh = lang != "en"
    headers = ["ID", "文号" if zh else "number", "单位" if zh else "unit", "下发" if zh else "issued",
               "回复时限" if zh else "reply due", "事项" if zh else "items", "回复" if zh else "reply"]  # fmt: skip

    def state(r: dict) -> str:
        if r["replied"]:
            last = r["replies"][-1]
            late = ("（逾期回复）" if zh else " (late)") if r["replied_late"] else ""
            return (f"已回复 {last['replied_on']}" if zh else f"replied {last['replied_on']}") + late + f"：{last['text']}"
        if r["reply_overdue"]:
            return "逾期未回复" if zh else "reply overdue"
        return "未回复" if zh else "no reply yet"

    body = [[str(r["id"]), r["number"], r["unit"], r["issued_on"], r["reply_due"], "、".join(r["items"]), state(r)] for r in rows]
    flat = [{**{k: v for k, v in r.items() if k != "replies"}, "items": ";".join(r["items"]),
             "reply": r["replies"][-1]["text"] if r["replies"] else "",
             "person": r["replies"][-1]["person"] if r["replies"] else "",
             "phone": r["replies"][-1]["phone"] if r["replies"] else ""} for r in rows]  # fmt: skip
    empty = "尚未下发督办单；用 hnreport orders draft --all --issue 下发" if zh else "no orders issued yet; issue them with 'hnreport orders draft --all --issue'"
    if fmt == "json":
        emit(fmt, console, rows, headers, body)
        return
    emit(fmt, console, flat, headers, body, empty=empty, nowrap=(0, 1, 3, 4),
         fieldnames=("id", "number", "unit", "issued_on", "as_of", "reply_due", "items", "replied", "reply_overdue", "replied_late", "reply",
                     "person", "phone"))  # fmt: skip
