"""Traditional → Simplified, and the marks of a damaged conversion, reported (never repaired).

Reports published on county sites are often machine conversions between the two scripts, and
the conversion leaves traces: 面 written 麵 (noodles) in 全麵/方麵, placeholder tokens such as
关键词2 where a word was masked, 著 where Simplified writes 着 (著力). A draft must show them to
the person who reviews it, not hide them: the text is converted with OpenCC (t2s) only when it is
Traditional, and every trace is listed with where it stands.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# 麵 is right for noodles and flour; anywhere else it is 面 converted wrongly.
_NOODLE = re.compile(r"麵(?![粉條条包食館馆店湯汤線线餅饼皮])")
_NOODLE_BEFORE = ("拉", "湯", "汤", "炒", "煮", "掛", "挂", "涼", "凉", "米", "粉")
# Placeholder tokens left where a word was masked (关键词2 = 我们 in the seed report).
PLACEHOLDER = re.compile(r"(?:关键词|關鍵詞|关键字|關鍵字|KEYWORD|keyword)\d+")
# 著 in words where Simplified writes 着 (OpenCC t2s keeps 著, which is right for 著名/著作).
_ZHUO = re.compile(r"著(?=[力重手眼实實眼陆陸落])")


@dataclass(frozen=True)
class Damage:
    """A trace of a damaged conversion: what (the characters), how many, the first context."""

    kind: str  # "placeholder" | "mis_converted" | "zhuo"
    text: str
    count: int
    example: str  # the first place, a few characters either side


def looks_traditional(text: str) -> bool:
    """Whether ``text`` is in Traditional script: enough of its characters change under t2s."""
    sample = "".join(ch for ch in text if "\u4e00" <= ch <= "\u9fff")[:3000]  # Chinese characters only
    if not sample:
        return False
    changed = sum(1 for a, b in zip(sample, to_simplified(sample)) if a != b)
    return changed >= max(3, len(sample) // 100)


def to_simplified(text: str) -> str:
    """``text`` converted with OpenCC's t2s (imported here only: Simplified input never loads it).
    t2s maps one character to one character, so offsets and line numbers stay as in the source."""
    from opencc import OpenCC

    return OpenCC("t2s").convert(text)


def _context(text: str, start: int, end: int) -> str:
    return text[max(0, start - 4) : end + 4].replace("\n", " ")


def damage(original: str, simplified: str) -> list[Damage]:
    """The traces of a damaged conversion in the source (``original``) and what remains of them in
    the text the items quote (``simplified``)."""
    found: list[Damage] = []
    tokens: dict[str, list[int]] = {}
    for m in PLACEHOLDER.finditer(simplified):
        tokens.setdefault(m.group(), []).append(m.start())
    for token, starts in tokens.items():
        found.append(Damage("placeholder", token, len(starts), _context(simplified, starts[0], starts[0] + len(token))))
    noodles = [m.start() for m in _NOODLE.finditer(original) if not original[max(0, m.start() - 1) : m.start()] in _NOODLE_BEFORE]
    if noodles:
        found.append(Damage("mis_converted", "麵", len(noodles), _context(original, noodles[0], noodles[0] + 1)))
    zhuo = list(_ZHUO.finditer(simplified))
    if zhuo:
        words = sorted({m.group() + simplified[m.end()] for m in zhuo})
        found.append(Damage("zhuo", "、".join(words), len(zhuo), _context(simplified, zhuo[0].start(), zhuo[0].end() + 1)))
    return found
