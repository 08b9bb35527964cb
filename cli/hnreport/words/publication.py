"""The words a publication carries for its readers: the title and description of every table and
column (Datasette shows them) and of the canned queries. Chinese: the publication is for the
county's readers. Data only."""

from __future__ import annotations

SOURCE = {
    "title": "衡南县2022年政府工作报告",
    "issuer": "衡南县人民政府",
    "date": "2022-03-23",
    "occasion": "2022年3月23日在衡南县第十八届人民代表大会第二次会议上",
}

DATABASE = (
    "衡南县2022年政府工作报告 · 目标任务落实情况",
    "政府工作报告所定目标与承诺事项的落实记录：各项指标在截至日期的状态（对照序时进度）、所依据的数据及其来源、"
    "承诺事项的最新进展、牵头单位及排名、名词解释。原文出自{source}（{issuer}，{occasion}）。"
    "截至 {as_of}。本数据库只含公开内容，不含操作日志、用户名、设置和联系人信息。",
)

PLAN_COLUMN = "所属报告（计划）的代码，如 hengnan-2022"

# table → (title, description, {column: description})
TABLES: dict[str, tuple[str, str, dict[str, str]]] = {
    "plan": ("报告", "所跟踪的政府工作报告及本次发布的截至日期与出处。", {
        "plan": PLAN_COLUMN, "name_zh": "报告名称", "name_en": "报告英文名称", "county_zh": "县名", "county_en": "县名（英文）",
        "year": "计划年度", "delivered": "报告作出日期", "as_of": "本次发布的截至日期（状态按此日计算）",
        "source_title": "原文标题", "source_issuer": "发布机关", "source_occasion": "作报告的场合",
    }),
    "sections": ("部分", "报告的各个部分（一、2021年工作回顾；二、2022年工作安排）及其小节。", {
        "plan": PLAN_COLUMN, "code": "部分代码", "part": "所属部分（一/二）", "ordinal": "顺序", "name_zh": "标题",
        "name_en": "英文标题", "locator": "在原文中的位置",
    }),
    "targets": ("量化指标", "报告提出的2022年量化目标，以及截至日期的状态（对照序时进度计算）。", {
        "plan": PLAN_COLUMN, "key": "指标代码", "ordinal": "在报告中的顺序", "section": "所属部分代码",
        "name_zh": "指标名称", "name_en": "英文名称", "phrase": "原文（报告的原话）", "locator": "在原文中的位置",
        "kind": "指标类型：growth_rate 增速，level 水平，share 占比，cumulative 累计，reduction 压减",
        "comparator": "目标关系：>= 不低于，> 高于，<= 不高于，~ 左右", "target": "截至日期有效的目标值",
        "original_target": "年中调整前的原目标值（未调整为空）", "unit": "单位", "frequency": "数据频次：monthly 月度，quarterly 季度，annual 年度",
        "baseline": "2021年实际值", "baseline_unit": "2021年实际值的单位", "latest": "截至日期的最新数据",
        "latest_as_of": "最新数据所属时期的截止日", "vintage": "数据口径：preliminary 初步数，final 最终核实数",
        "latest_source": "最新数据的来源", "status": "状态：achieved 已完成，on_pace 符合序时，behind 滞后，far_behind 严重滞后，missed 未完成，no_data 暂无数据",
        "pace": "序时：ahead 超序时，on 达序时，behind 欠序时", "expected": "序时进度应达到的值", "gap": "最新数据与序时应达值之差",
        "completion_rate": "累计类指标的完成率（0–1）", "schedule_share": "序时进度（全年应完成的比例，0–1）",
        "final": "是否为年终结论（1 是：全年数据已出且年度已过）", "lead_unit": "牵头单位",
        "verdict": "记分卡结论：kept 已兑现，missed 未兑现，in_progress 推进中，not_rated 尚未评定",
    }),
    "figures": ("数据", "各指标录入的数据及来源（已撤回的数据不在其中；被修订的数据标为 superseded）。", {
        "plan": PLAN_COLUMN, "id": "数据编号", "target_key": "指标代码", "value": "数值", "decimals": "发布时的小数位数",
        "unit": "单位", "as_of": "数据所属时期的截止日", "vintage": "口径：preliminary 初步数，final 最终核实数",
        "state": "current 现行，superseded 已被修订", "note": "备注", "source": "来源（如统计月报）",
    }),
    "milestones": ("承诺事项", "报告作出的定性承诺（工程、改革、民生实事等）及截至日期的最新进展。", {
        "plan": PLAN_COLUMN, "key": "事项代码", "ordinal": "在报告中的顺序", "section": "所属部分代码", "name_zh": "事项名称",
        "name_en": "英文名称", "phrase": "原文（报告的原话）", "locator": "在原文中的位置", "strength": "措辞力度（如 确保、力争）",
        "status": "状态：done 已完成，in_progress 推进中，not_started 未启动，stalled 滞后/停滞，dropped 已调整/取消，not_rated 未评估",
        "status_as_of": "最新状态的日期", "progress": "进展情况", "problems": "存在问题", "next_steps": "下一步措施",
        "source": "佐证材料/来源", "due_date": "完成时限", "due_implied": "1：报告未写时限，按年底计", "extended": "1：时限已延期",
        "overdue": "1：截至日期已逾期未完成", "lead_unit": "牵头单位", "support_units": "配合单位",
        "verdict": "记分卡结论：kept 已兑现，missed 未兑现，in_progress 推进中，not_rated 尚未评定",
    }),
    "status_history": ("进展记录", "承诺事项每次报送的状态与进展（截至日期以前）。", {
        "plan": PLAN_COLUMN, "id": "记录编号", "milestone_key": "事项代码", "as_of": "所报状态的日期", "status": "状态",
        "progress": "进展情况", "problems": "存在问题", "next_steps": "下一步措施", "source": "佐证材料/来源",
    }),
    "results": ("2021年成绩", "报告第一部分回顾的2021年量化成绩。", {
        "plan": PLAN_COLUMN, "key": "代码", "section": "所属部分代码", "name_zh": "名称", "name_en": "英文名称",
        "kind": "类型", "value": "数值", "unit": "单位", "scope": "范围（如 全市、全省排名）", "phrase": "原文", "locator": "在原文中的位置",
    }),
    "units": ("牵头单位排名", "各牵头单位所牵头事项的情况与排名：按正常率（已兑现与正常推进占已评定事项的比例）排序，同率时滞后/逾期少者在前。", {
        "plan": PLAN_COLUMN, "rank": "名次（无已评定事项的单位不排名）", "unit": "单位", "led": "牵头的指标与事项数",
        "kept": "已兑现", "on_course": "正常推进", "behind": "滞后、严重滞后、停滞、未启动或已逾期", "missed": "未兑现",
        "not_rated": "尚未评定", "score": "正常率（0–1）",
    }),
    "assignments": ("责任分工", "各指标与事项的牵头单位和配合单位。", {
        "plan": PLAN_COLUMN, "item_key": "指标或事项代码", "unit": "单位", "role": "lead 牵头，support 配合",
    }),
    "glossary": ("名词解释", "报告所附的名词解释。", {
        "plan": PLAN_COLUMN, "number": "序号", "term": "名词", "page": "原文页码", "explanation_zh": "解释",
        "explanation_en": "英文解释", "body_locator": "在正文中的位置",
    }),
    "scorecard": ("承诺兑现记分卡", "每项指标与承诺事项的结论：已兑现、未兑现、推进中或尚未评定，附原文、差距与依据。", {
        "plan": PLAN_COLUMN, "kind": "target 指标，milestone 承诺事项", "key": "代码", "name_zh": "名称", "section": "所属部分代码",
        "verdict": "结论：kept 已兑现，missed 未兑现，in_progress 推进中，not_rated 尚未评定",
        "status": "结论所依据的状态", "final": "1：最终结论（全年最终核实数，或事项已完成/已调整）；0：初步",
        "margin": "差距：指标为数据减去应达值（年终对全年目标，年内对序时进度；正数为好），事项为完成日早于时限的天数（负数为逾期天数）",
        "margin_unit": "差距的单位（points 为百分点，days 为天）", "phrase": "原文", "locator": "在原文中的位置",
        "source": "结论的依据（数据或进展的来源）", "evidence_as_of": "依据的日期", "lead_unit": "牵头单位",
    }),
    "search": ("全文检索", "可检索的全部文字：指标与事项的名称和原文、进展记录、数据备注与来源、2021年成绩、名词解释。", {
        "plan": PLAN_COLUMN, "kind": "类别：target 指标，milestone 承诺事项，note 进展记录，figure 数据，result 2021年成绩，term 名词解释",
        "key": "所属指标或事项的代码（名词解释为序号）", "name_zh": "所属指标或事项的名称", "field": "是哪一段文字",
        "text": "文字", "locator": "在原文中的位置", "as_of": "进展记录或数据的日期",
    }),
}

# canned query → (title, description)
QUERIES = {
    "滞后指标": ("滞后指标", "截至日期滞后或严重滞后于序时进度的量化指标。"),
    "逾期事项": ("逾期事项", "已过完成时限仍未完成的承诺事项。"),
    "按牵头单位": ("按牵头单位", "每个牵头单位所牵头的指标与事项，按状态计数。"),
    "已完成承诺": ("已完成承诺", "已兑现的指标与承诺事项，附原文与依据。"),
    "搜索": ("搜索", "在全部公开文字中检索（三个字及以上用全文索引，一两个字逐条查找）。"),
}
