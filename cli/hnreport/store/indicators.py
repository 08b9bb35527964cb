"""The main indicators as data/ describes them, for recognising them in another year's report
(``hnreport extract``): their fixed keys, the names bureaus print (aliases.toml) and what
targets.toml says of them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hnreport import resources

MAIN_KEYS = ("gdp", "industry", "investment", "retail", "trade", "revenue", "income")


def main_indicators(data_dir: Path | None = None) -> list[dict[str, Any]]:
    """key, names, name_zh, name_en, frequency and source of each of the seven main indicators."""
    import tomllib

    data_dir = data_dir or resources.data_dir()
    with open(data_dir / "targets.toml", "rb") as fh:
        targets = {t["key"]: t for t in tomllib.load(fh)["target"]}
    with open(data_dir / "aliases.toml", "rb") as fh:
        aliases = tomllib.load(fh)["aliases"]
    out = []
    for entry in aliases:
        key = entry["key"]
        if key in MAIN_KEYS and key in targets:
            t = targets[key]
            out.append({"key": key, "names": tuple(entry["names"]), "name_zh": t["name_zh"], "name_en": t["name_en"],
                        "frequency": t["frequency"], "source": entry.get("source")})  # fmt: skip
    return out
