"""Short, typeable keys for drafted items: the known indicators keep their usual keys (gdp,
industry …, as data/aliases.toml names them); others are the pinyin of their names, two syllables
a word (粮食播种面积 → liangshi-bozhong-mianji), unique within the draft."""

from __future__ import annotations

import re
from functools import lru_cache

MAX_WORDS = 3


@lru_cache(maxsize=4096)
def pinyin_key(name: str) -> str:
    """The pinyin of ``name``'s Chinese characters, two syllables a word, at most three words;
    letters and digits kept. pypinyin is loaded here only."""
    from pypinyin import lazy_pinyin

    chars = re.sub(r"[^\u4e00-\u9fffA-Za-z0-9]", "", name)
    syllables = [s.lower() for s in lazy_pinyin(chars) if re.fullmatch(r"[a-zA-Z0-9]+", s)]
    words = ["".join(syllables[i : i + 2]) for i in range(0, len(syllables), 2)]
    return "-".join(words[:MAX_WORDS]) or "item"


def county_key(county: str) -> str:
    """衡南县 → hengnan (the administrative suffix left out)."""
    from pypinyin import lazy_pinyin

    base = re.sub(r"(自治县|自治旗|县|区|市|旗|州|盟)$", "", county) or county
    return "".join(lazy_pinyin(base)).lower()


def county_en(county: str) -> str:
    kind = {"县": "County", "区": "District", "市": "City", "旗": "Banner", "州": "Prefecture", "盟": "League"}
    suffix = next((v for k, v in kind.items() if county.endswith(k)), "County")
    return f"{county_key(county).capitalize()} {suffix}"


class Keys:
    """Hands out keys unique within one draft (liangshi-chanliang, liangshi-chanliang-2 …)."""

    def __init__(self, reserved: tuple[str, ...] = ()) -> None:
        self.taken: set[str] = set(reserved)

    def unique(self, key: str) -> str:
        candidate, n = key, 2
        while candidate in self.taken:
            candidate = f"{key}-{n}"
            n += 1
        self.taken.add(candidate)
        return candidate
