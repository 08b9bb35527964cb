"""A draft plan as the text of a plan file (TOML): a header saying what it is and how to review
it, then the tables of data/*.toml in their order, every item with confidence and review = true."""

from __future__ import annotations

from hnreport.domain.extract.draft import Draft, toml_layout
from hnreport.render.formats.toml import table_text

HEADER = """\
# 草稿：{name}（计划 {key}）——由 hnreport extract 从报告原文生成，须人工逐条核对。
# Draft of {name} (plan {key}), made by `hnreport extract` from the report's text: check every item.
#
# 格式同 data/*.toml：[plan]、[[section]]、[[target]]、[[result]]、[[milestone]]、[[term]]、[[aliases]]。
# 每项都有 locator（部分、节、段）、phrase（原文）、confidence（0–1，越低越要细看）和 review = true。
# 核对一项后删去它的 review 行（或改为 false）；不要的项整段删去。未核对的项 plan load 会拒绝并列出，
# 除非加 --accept-drafts。区间目标（6%—7%）取下限、比较符 >=，note 里写明区间；候选承诺的 due 是
# 文中期限（年底前、6月底前）所指的日期，没有期限的为空（默认年底）。name_en 暂同中文，待译。
{notes}"""


def draft_text(draft: Draft) -> str:
    notes = []
    if draft.converted:
        notes.append("# 原文为繁体，已用 OpenCC t2s 转为简体。")
    for d in draft.damage:
        how = "转换时读作“面”" if d.kind == "mis_converted" else "未改动"
        notes.append(f"# 原文转换痕迹：{d.text}（{d.count} 处，如“{d.example}”），{how}，请核对。")
    for heading in draft.missing_ordinals:
        notes.append(f"# 标题缺序号：{heading}")
    if draft.unclassified:
        notes.append(f"# 含数字而未归类的句子（{len(draft.unclassified)} 句），请人工阅读：")
        notes.extend(f"#   {where}：{sentence[:120]}" for where, sentence in draft.unclassified)
    parts = [HEADER.format(name=draft.plan["name_zh"], key=draft.plan["key"], notes="\n".join(notes) + ("\n" if notes else ""))]
    for name, rows in toml_layout(draft):
        if isinstance(rows, dict):
            parts.append(table_text(name, rows, array=False))
        else:
            parts.extend(table_text(name, row, array=True) for row in rows)
    return "\n".join(parts)
