-- Version 10: the documents the supervision office issues — the 督查通报 (bulletins), the 督办单
-- (supervision orders) and the units' replies to them.
--
-- `hnreport bulletin --issue` records a bulletin: its number (第N期, counted per plan and year),
-- the day it was issued, the as-of date and the moment its figures were taken at (known_at), and
-- the bulletin itself as it was issued (content, JSON), so that `bulletin --reissue N` gives the
-- same text and numbers whatever has been recorded since. `orders … --issue` records the orders
-- the same way, with the items each names; `orders reply` records a unit's reply. Every row
-- carries the journal entry that made it: undo hides it, --known-at counts it from then.

CREATE TABLE bulletins (
    id         INTEGER PRIMARY KEY,
    plan_key   TEXT NOT NULL,
    year       INTEGER NOT NULL,
    number     INTEGER NOT NULL CHECK (number >= 1),      -- 第N期 within the plan and year
    issued_on  TEXT NOT NULL CHECK (issued_on GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    as_of      TEXT NOT NULL CHECK (as_of GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    known_at   TEXT NOT NULL,                             -- UTC, ISO 8601: what had been recorded
    title      TEXT NOT NULL,
    content    TEXT NOT NULL,                             -- the bulletin as issued (JSON)
    change_id  INTEGER REFERENCES journal(id)
);
CREATE INDEX bulletins_number ON bulletins (plan_key, year, number, id);

CREATE TABLE orders (
    id         INTEGER PRIMARY KEY,                       -- the ID `orders reply` takes
    plan_key   TEXT NOT NULL,
    year       INTEGER NOT NULL,
    number     INTEGER NOT NULL CHECK (number >= 1),      -- 督办〔year〕N号
    unit_id    INTEGER NOT NULL REFERENCES units(id),
    issued_on  TEXT NOT NULL CHECK (issued_on GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    as_of      TEXT NOT NULL CHECK (as_of GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    reply_due  TEXT NOT NULL CHECK (reply_due GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    content    TEXT NOT NULL,                             -- the order as issued (JSON)
    change_id  INTEGER REFERENCES journal(id)
);
CREATE INDEX orders_unit ON orders (unit_id, id);
CREATE INDEX orders_number ON orders (plan_key, year, number, id);

-- The items an order names (督办事项): which items a later bulletin calls 已督办.
CREATE TABLE order_items (
    id         INTEGER PRIMARY KEY,
    order_id   INTEGER NOT NULL REFERENCES orders(id),
    item_key   TEXT NOT NULL COLLATE NOCASE,
    reason     TEXT NOT NULL,                             -- behind | far_behind | missed | overdue | stalled
    change_id  INTEGER REFERENCES journal(id)
);
CREATE INDEX order_items_key ON order_items (item_key, order_id);
CREATE INDEX order_items_order ON order_items (order_id, id);

-- A unit's reply (办理情况). The person and telephone are for the office only: no publication
-- carries them.
CREATE TABLE order_replies (
    id          INTEGER PRIMARY KEY,
    order_id    INTEGER NOT NULL REFERENCES orders(id),
    replied_on  TEXT NOT NULL CHECK (replied_on GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    text        TEXT NOT NULL,
    source      TEXT,
    person      TEXT,                                     -- 责任人
    phone       TEXT,                                     -- 联系电话
    recorded_at TEXT NOT NULL,
    change_id   INTEGER REFERENCES journal(id)
);
CREATE INDEX order_replies_order ON order_replies (order_id, id);
