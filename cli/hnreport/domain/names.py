"""Indicator names as statistical tables print them, and how two are compared.

A name matches exactly after normalising what printing varies and the statistic does not:
full-width forms (ＧＤＰ, （）, ：), spaces (full-width ones too), the kind of bracket (【】 [] 〔〕
are all ( )), ASCII case, a leading sub-item marker or list number (其中：, #, 一、, 1.) and a
unit in brackets at the end (地区生产总值（亿元）). Nothing else: 规模以上工业增加值, 规上工业增加值
and 规模工业增加值 are three names, and a target lists each it is published under.
"""

from __future__ import annotations

import re
import unicodedata

from hnreport.records import Record
from hnreport.text import nocase

# Units a bureau puts in brackets after a name: 地区生产总值(亿元), 增速(%).
UNITS = ("亿元", "万元", "元", "万美元", "美元", "亿美元", "%", "个", "户", "家", "人", "万人", "万吨", "吨",
         "万亩", "亩", "公顷", "万立方米", "立方米", "平方米", "万平方米", "公里", "千瓦时", "万千瓦时", "亿千瓦时",
         "辆", "套", "间", "座", "所", "项", "元/人", "‰")  # fmt: skip

_BRACKETS = str.maketrans({"【": "(", "】": ")", "[": "(", "]": ")", "〔": "(", "〕": ")", "［": "(", "］": ")"})
_NUMBERING = r"(?:[一二三四五六七八九十]+[、.]|\d{1,2}[、.](?!\d)|\([一二三四五六七八九十\d]{1,2}\)|[①-⑳])"
_SUB_ITEM = re.compile(r"^(?:其中\s*[:：]?|#|＃)")
_LEAD = re.compile(rf"^\s*(?:其中\s*[:：]?\s*|[#＃]+\s*|{_NUMBERING}\s*)+")
_UNIT_AT_END = re.compile(r"\((?P<unit>[^()]{1,8})\)$")


class Alias(Record):
    """A name a statistical table prints for a target."""

    key: str  # the target
    name: str  # as printed
    norm: str  # as compared
    source: str | None  # who prints it (seeded names)
    added: bool  # added with `targets alias` (journalled), not seeded


class IndicatorName(Record):
    """A name as printed, taken apart: ``norm`` (what is compared), ``unit`` (a unit in
    brackets at its end, or None) and ``sub_item`` (其中, # or indented: a part of the row above)."""

    norm: str
    unit: str | None
    sub_item: bool


def read_name(text: str) -> IndicatorName:
    """``read_name("  其中：地方一般公共预算收入（万元）") == ("地方一般公共预算收入", "万元", True)``."""
    raw = text or ""
    indented = raw[:1].isspace()  # a leading space or full-width space: an indented sub-item
    cleaned = unicodedata.normalize("NFKC", raw).strip()
    sub_item = indented or bool(_SUB_ITEM.match(cleaned))
    cleaned = _LEAD.sub("", cleaned)
    cleaned = "".join(cleaned.split()).translate(_BRACKETS)
    unit = None
    m = _UNIT_AT_END.search(cleaned)
    if m and m.group("unit") in UNITS and m.start() > 0:
        unit, cleaned = m.group("unit"), cleaned[: m.start()]
    return IndicatorName(nocase(cleaned), unit, sub_item)


def name_norm(text: str) -> str:
    """What a name is compared as (see the module's docstring)."""
    return read_name(text).norm

