"""The documents the office issues, as recorded: bulletins (督查通报), orders (督办单) and the units'
replies. Each issue is one journalled change (undo hides it, --known-at counts it from then);
numbers are unique among the rows that stand, the next one by default."""

from __future__ import annotations

import json
from datetime import date

from hnreport.records import Record
from hnreport.domain.bulletin import order_number
from hnreport.errors import BadValue, HnreportError, Message
from hnreport.store.sql import Repository, now_utc, visible


class IssuedBulletin(Record):
    id: int
    year: int
    number: int
    issued_on: date
    as_of: date
    known_at: str
    title: str
    content: dict


class IssuedOrder(Record):
    id: int
    year: int
    number: int
    unit: str
    issued_on: date
    as_of: date
    reply_due: date
    items: list[tuple[str, str]]  # (item key, reason)
    content: dict
    replies: list[Reply]


class Reply(Record):
    id: int
    order_id: int
    replied_on: date
    text: str
    source: str | None
    person: str | None
    phone: str | None
    recorded_at: str


class NewOrder(Record):
    """An order to record: for ``unit``, numbered ``number``, naming ``items``."""

    unit: str
    number: int
    issued_on: date
    as_of: date
    reply_due: date
    items: list[tuple[str, str]]
    content: dict


class Documents(Repository):
    # ── bulletins ────────────────────────────────────────────────────────────────────────────
    def next_bulletin_number(self, year: int) -> int:
        plan = self.store.items.plan()
        row = self.conn.execute(
            f"SELECT max(b.number) FROM bulletins b WHERE b.plan_key = ? AND b.year = ? AND {visible('b')}", (plan.key, year)
        ).fetchone()
        return (row[0] or 0) + 1

    def bulletin(self, year: int, number: int) -> IssuedBulletin | None:
        plan = self.store.items.plan()
        row = self.conn.execute(
            "SELECT b.id, b.year, b.number, b.issued_on, b.as_of, b.known_at, b.title, b.content FROM bulletins b "
            f"WHERE b.plan_key = ? AND b.year = ? AND b.number = ? AND {visible('b')} ORDER BY b.id DESC LIMIT 1",
            (plan.key, year, number),
        ).fetchone()
        return _bulletin(row) if row else None

    def bulletins(self) -> list[IssuedBulletin]:
        plan = self.store.items.plan()
        rows = self.conn.execute(
            "SELECT b.id, b.year, b.number, b.issued_on, b.as_of, b.known_at, b.title, b.content FROM bulletins b "
            f"WHERE b.plan_key = ? AND {visible('b')} ORDER BY b.year, b.number",
            (plan.key,),
        )
        return [_bulletin(r) for r in rows]

    def issue_bulletin(self, year: int, number: int, issued_on: date, as_of: date, known_at: str, title: str,
                       content: dict) -> int:  # fmt: skip
        """Record a bulletin as issued; a number another bulletin of the year has is refused."""
        if number < 1:
            raise BadValue("bulletin_number_positive", number=number)
        plan = self.store.items.plan()
        summary = Message("j_bulletin_issued", year=year, number=number, title=title, as_of=as_of.isoformat())
        with self.store.change("bulletin.issue", summary) as (conn, change_id):
            if self.bulletin(year, number) is not None:
                raise HnreportError("bulletin_number_taken", year=year, number=number, next=self.next_bulletin_number(year))
            return conn.execute(
                "INSERT INTO bulletins (plan_key, year, number, issued_on, as_of, known_at, title, content, change_id) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (plan.key, year, number, issued_on.isoformat(), as_of.isoformat(), known_at, title,
                 json.dumps(content, ensure_ascii=False), change_id),
            ).lastrowid  # fmt: skip

    # ── orders ───────────────────────────────────────────────────────────────────────────────
    def next_order_number(self, year: int) -> int:
        plan = self.store.items.plan()
        row = self.conn.execute(
            f"SELECT max(o.number) FROM orders o WHERE o.plan_key = ? AND o.year = ? AND {visible('o')}", (plan.key, year)
        ).fetchone()
        return (row[0] or 0) + 1

    def orders(self, unit: str | None = None) -> list[IssuedOrder]:
        """The orders that stand, oldest first, each with its items and replies."""
        plan = self.store.items.plan()
        rows = self.conn.execute(
            "SELECT o.id, o.year, o.number, u.name, o.issued_on, o.as_of, o.reply_due, o.content FROM orders o "
            f"JOIN units u ON u.id = o.unit_id WHERE o.plan_key = ? AND {visible('o')} ORDER BY o.id",
            (plan.key,),
        ).fetchall()
        items: dict[int, list[tuple[str, str]]] = {}
        for order_id, key, reason in self.conn.execute(
            f"SELECT i.order_id, i.item_key, i.reason FROM order_items i WHERE {visible('i')} ORDER BY i.id"
        ):
            items.setdefault(order_id, []).append((key, reason))
        replies: dict[int, list[Reply]] = {}
        for r in self.conn.execute(
            "SELECT r.id, r.order_id, r.replied_on, r.text, r.source, r.person, r.phone, r.recorded_at FROM order_replies r "
            f"WHERE {visible('r')} ORDER BY r.id"
        ):
            replies.setdefault(r[1], []).append(Reply(r[0], r[1], date.fromisoformat(r[2]), *r[3:]))
        out = [
            IssuedOrder(oid, year, number, name, date.fromisoformat(issued), date.fromisoformat(as_of), date.fromisoformat(due),
                        items.get(oid, []), json.loads(content), replies.get(oid, []))
            for oid, year, number, name, issued, as_of, due, content in rows
        ]  # fmt: skip
        return [o for o in out if unit is None or o.unit == unit]

    def order(self, order_id: int) -> IssuedOrder:
        found = next((o for o in self.orders() if o.id == order_id), None)
        if found is None:
            raise HnreportError("unknown_order", id=order_id)
        return found

    def issue_orders(self, orders: list[NewOrder]) -> list[int]:
        """Record ``orders`` as issued: one change (one undo takes them all back)."""
        plan = self.store.items.plan()
        cited = "、".join(order_number(o.issued_on.year, o.number) + " " + o.unit for o in orders)
        summary = Message("j_orders_issued", orders=cited)
        ids = []
        with self.store.change("orders.issue", summary) as (conn, change_id):
            for o in orders:
                taken = conn.execute(
                    f"SELECT 1 FROM orders x WHERE x.plan_key = ? AND x.year = ? AND x.number = ? AND {visible('x')}",
                    (plan.key, o.issued_on.year, o.number),
                ).fetchone()
                if taken:
                    raise HnreportError("order_number_taken", year=o.issued_on.year, number=o.number)
                unit_id = self.store.tracking._unit_id(o.unit)
                if unit_id is None:
                    self.store.tracking.resolve_unit(o.unit)  # raises, naming the closest units
                oid = conn.execute(
                    "INSERT INTO orders (plan_key, year, number, unit_id, issued_on, as_of, reply_due, content, change_id) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (plan.key, o.issued_on.year, o.number, unit_id, o.issued_on.isoformat(), o.as_of.isoformat(),
                     o.reply_due.isoformat(), json.dumps(o.content, ensure_ascii=False), change_id),
                ).lastrowid  # fmt: skip
                conn.executemany(
                    "INSERT INTO order_items (order_id, item_key, reason, change_id) VALUES (?, ?, ?, ?)",
                    [(oid, key, reason, change_id) for key, reason in o.items],
                )
                ids.append(oid)
        return ids

    def add_reply(self, order_id: int, replied_on: date, text: str, source: str | None, person: str | None,
                  phone: str | None) -> int:  # fmt: skip
        order = self.order(order_id)
        if not text.strip():
            raise BadValue("reply_needs_text")
        summary = Message("j_order_replied", unit=order.unit, number=order_number(order.year, order.number),
                          replied_on=replied_on.isoformat())  # fmt: skip
        with self.store.change("orders.reply", summary) as (conn, change_id):
            return conn.execute(
                "INSERT INTO order_replies (order_id, replied_on, text, source, person, phone, recorded_at, change_id) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (order_id, replied_on.isoformat(), text, source, person, phone, now_utc(), change_id),
            ).lastrowid


def _bulletin(row) -> IssuedBulletin:
    bid, year, number, issued, as_of, known_at, title, content = row
    return IssuedBulletin(bid, year, number, date.fromisoformat(issued), date.fromisoformat(as_of), known_at, title, json.loads(content))
