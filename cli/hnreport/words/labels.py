"""The interface's own labels: status words, symbols, colours, column titles — (zh, en) pairs."""

from __future__ import annotations

# status → (symbol, Chinese, English, rich style). Colour is never the only signal.
STATUS = {
    "achieved": ("✓", "已完成", "achieved", "bold green"),
    "on_pace": ("●", "符合序时", "on pace", "green"),
    "behind": ("▼", "滞后", "behind", "yellow"),
    "far_behind": ("▼▼", "严重滞后", "far behind", "bold red"),
    "missed": ("✗", "未完成", "missed", "bold red"),
    "no_data": ("○", "暂无数据", "no data", "dim"),
}

KIND = {
    "growth_rate": ("增速", "growth rate"),
    "level": ("水平", "level"),
    "share": ("占比", "share"),
    "cumulative": ("累计", "cumulative"),
    "reduction": ("压减", "reduction"),
    "count": ("数量", "count"),
    "rank": ("排名", "rank"),
}

COMPARATOR = {
    ">=": ("≥", "≥"),
    ">": (">", ">"),
    "<=": ("≤", "≤"),
    "~": ("约", "≈"),
}

FREQUENCY = {"monthly": ("月度", "monthly"), "quarterly": ("季度", "quarterly"), "annual": ("年度", "annual")}

COLUMNS = {
    "key": ("代码", "key"),
    "name": ("指标", "target"),
    "lead": ("牵头单位", "lead unit"),
    "baseline": ("2021年", "2021"),
    "target": ("2022目标", "2022 target"),
    "latest": ("最新值", "latest"),
    "as_of": ("截至", "as of"),
    "expected": ("序时应达", "expected"),
    "gap": ("差距", "gap"),
    "completion": ("完成率/序时", "done/schedule"),
    "projected": ("预计全年", "projected"),
    "progress": ("进度", "progress"),
    "status": ("状态", "status"),
    "kind": ("类型", "kind"),
    "frequency": ("频次", "frequency"),
    "section": ("部分", "section"),
    "value": ("数值", "value"),
    "unit": ("单位", "unit"),
    "id": ("编号", "id"),
    "note": ("备注", "note"),
    "source": ("来源", "source"),
    "recorded_at": ("录入时间", "recorded"),
    "vintage": ("口径", "vintage"),
    "state": ("状态", "state"),
    "known_from": ("获知日期", "known from"),
    "flag": ("标记", "flag"),
}

# the year chart of `targets show`
CHART = {
    "title": ("走势", "the year"),
    "figure": ("实际值", "figure"),
    "expected": ("序时应达", "expected to date"),
    "target_line": ("目标", "target"),
    "both": ("两者重合", "both"),
    "month": ("月", "month"),
}

VINTAGE = {"preliminary": ("初步", "preliminary"), "final": ("最终核实", "final")}
# why a figure was let in over a refusal or a warning (observations.flag; domain.plausibility.FLAGS)
FLAG = {"future": ("期未结束(强制录入)", "period not ended (forced)"), "implausible": ("疑似异常(已确认)", "implausible (confirmed)")}
STATE = {"current": ("现行", "current"), "superseded": ("已被修订", "superseded"), "retracted": ("已撤回", "retracted")}

WORDS = {
    "as_of": ("截至", "as of"),
    "rule": ("亮灯规则", "light rule"),
    "total": ("合计", "total"),
    "no_unit": ("(原文无单位)", "(no unit in the report)"),
    "alias_added": ("(自行添加)", " (added)"),
    "points": ("个百分点", " pts"),
    "ahead": ("超序时进度", "ahead of schedule by"),
    "behind_schedule": ("慢于序时进度", "behind schedule by"),
    "preliminary": ("初步数", "preliminary"),
    "revised_from": ("原", "was "),
    "part_year": (
        "* 全年数据尚未发布:显示的是最新数据对其所属时期的序时状态,不是全年结论",
        "* the year's figure is not in yet: the status is the latest figure against its own period, not a verdict",
    ),
    "after_today": ("晚于今天", "later than today"),
    "after_today_note": (
        "截至日期晚于今天({today}):尚未发布的数据不作结论,各指标按最新数据的序时状态显示",
        "the date is later than today ({today}): figures not yet published are not judged; each target shows its latest figure's pace",
    ),
    "first_figure": (
        "尚无数据。录入第一个数据,例如:hnreport record gdp 5.1 --as-of 2022年上半年 --source \"统计月报\";或导入统计局月报:hnreport import 月报.xlsx",
        "Nothing recorded yet. Record a first figure, e.g. hnreport record gdp 5.1 --as-of 2022H1 --source \"monthly bulletin\"; or import the bureau's sheet: hnreport import bulletin.xlsx",
    ),
}

# what db check counted (the seeded plan against data/)
CHECKED = {
    "plan": ("个规划", "plans"),
    "sections": ("个部分", "sections"),
    "results": ("项2021年结果", "results"),
    "targets": ("个指标", "targets"),
    "milestones": ("项工作任务", "milestones"),
    "glossary": ("条名词解释", "glossary terms"),
}

# what an export restores (import of a .json export), in its own words
EXPORT_PARTS = {
    "observations": ("数据", "observations"),
    "milestone_status": ("工作任务状态", "milestone_status"),
    "deadlines": ("时限", "deadlines"),
    "node_marks": ("节点标记", "node_marks"),
    "units": ("单位", "units"),
    "assignments": ("分工", "assignments"),
    "settings": ("设置", "settings"),
    "target_aliases": ("统计表名称", "target_aliases"),
    "unit_reports": ("报送表", "unit_reports"),
    "targets_added": ("新增指标", "targets_added"),
    "milestones_added": ("新增工作任务", "milestones_added"),
    "target_revisions": ("目标调整", "target_revisions"),
    "bulletins": ("督查通报", "bulletins"),
    "orders": ("督办单", "orders"),
    "order_replies": ("督办回复", "order_replies"),
}

# ranking.order: what the bulletin's ranking of units counts, worst first
RANK_ORDER = {
    "red": ("红灯数", "red"),
    "overdue": ("逾期数", "overdue"),
    "yellow": ("黄灯数", "yellow"),
    "no_report": ("未报送", "not reported"),
    "support_red": ("配合事项红灯数", "red where supporting"),
}

# the checks of db check (dbfile/check.py): the kind of each problem
CHECK_KINDS = {
    "integrity": ("完整性", "integrity"),
    "foreign-key": ("外键", "foreign-key"),
    "schema": ("数据库结构", "schema"),
    "seed": ("报告内容", "seed"),
    "drift": ("与报告内容不符", "drift"),
    "search": ("检索索引", "search index"),
    "journal": ("日志", "journal"),
    "data": ("数据", "data"),
}

# the rows db check names (dbfile/rows.py)
CHECK_ROWS = {
    "observation": ("记录", "observation"),
    "target revision": ("目标调整", "target revision"),
    "milestone status": ("工作任务状态", "milestone status"),
    "deadline": ("时限", "deadline"),
    "target": ("指标", "target"),
    "unit report item": ("报送事项", "unit report item"),
}

# the journal (log)
# A journal entry's action (``log``'s table; JSON and CSV keep the code).
ACTIONS = {
    "record": ("录入", "record"), "correct": ("更正", "correct"), "retract": ("撤回", "retract"), "import": ("导入", "import"),
    "undo": ("撤销", "undo"), "redo": ("重做", "redo"), "db.restore": ("恢复数据库", "restore"),
    "assign": ("分配单位", "assign"), "assign.from": ("沿用分工", "assign from"), "config.set": ("设置", "setting"),
    "milestones.add": ("新增事项", "add milestone"), "milestones.set": ("登记进展", "milestone status"),
    "milestones.due": ("设定时限", "deadline"), "milestones.node": ("节点核验", "node mark"),
    "targets.add": ("新增指标", "add target"), "targets.alias": ("指标别名", "target alias"),
    "targets.revise": ("调整目标", "revise target"), "units.add": ("新增单位", "add unit"),
    "units.collect": ("收取报送表", "collect returns"), "bulletin.issue": ("印发通报", "issue bulletin"),
    "orders.issue": ("下发督办单", "issue orders"), "orders.reply": ("登记回复", "order reply"),
    "plan.load": ("载入计划", "load plan"), "plan.remove": ("移除计划", "remove plan"), "plan.use": ("切换计划", "use plan"),
    "plan.outcomes": ("记录上年结果", "record outcomes"),
}  # fmt: skip


def action_word(action: str, lang: str) -> str:
    """A journal action in words; an action this release does not know, as stored."""
    pair = ACTIONS.get(action)
    return pick(pair, lang) if pair else action


JOURNAL = {
    "id": ("编号", "id"),
    "at": ("时间", "at"),
    "user": ("用户", "user"),
    "action": ("操作", "action"),
    "key": ("代码", "key"),
    "summary": ("摘要", "summary"),
    "reason": ("原因", "reason"),
    "known_from": ("获知日期", "known from"),
    "plan": ("计划", "plan"),
    "undone": ("（已撤销）", " (undone)"),
    "empty": ("尚无变更记录", "the journal is empty"),
}

# import of a bureau's table: the mapping (--dry-run) and the rows not taken
BULLETIN = {
    "line": ("行", "line"),
    "printed": ("表中名称", "name in the sheet"),
    "target": ("指标", "target"),
    "column": ("所取列", "column used"),
    "read": ("表中值", "as read"),
    "value": ("录入值", "recorded as"),
    "conversion": ("换算", "conversion"),
    "period": ("时期", "period"),
    "reason": ("原因", "reason"),
    "mapping": ("对应关系(表中行 → 指标)", "mapping (sheet row → target)"),
    "skipped": ("未导入的行", "rows not taken"),
}

# pace (序时) sub-field of a status: 超序时 / 达序时 / 欠序时, as supervision offices count them
PACE = {"ahead": ("超序时", "ahead of schedule"), "on": ("达序时", "on schedule"), "behind": ("欠序时", "behind schedule")}


def pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def flag_word(flag: str | None, lang: str) -> str:
    """A figure's flag as words ("" for none): each code's label, joined."""
    if not flag:
        return ""
    return (", " if lang == "en" else "、").join(pick(FLAG[c], lang) if c in FLAG else c for c in flag.split(",") if c)


def status_word(status: str, lang: str) -> str:
    symbol, zh, en, _ = STATUS[status]
    return f"{symbol} {en if lang == 'en' else zh}"


def status_style(status: str) -> str:
    return STATUS[status][3]

# The units the plan's figures are given in → how English shows a figure in them: (places, words).
# A Chinese scale (亿 = 100M, 万 = 10k) becomes the English one by moving the decimal point
# ``places`` to the left, digits as published (68亿元 → 6.8bn yuan, 138万亩 → 1.38M mu,
# 70.50亿元 → 7.050bn yuan); ``UNIT_WORDS`` name a unit on its own (亿元 → 100M yuan). A unit not
# listed is shown as written.
UNIT_EN = {
    "%": (0, "%"),
    "亿元": (1, "bn yuan"),
    "亿": (1, "bn"),
    "亿千瓦时": (1, "bn kWh"),
    "万元": (2, "M yuan"),
    "万元/村": (2, "M yuan per village"),
    "万美元": (2, "M US$"),
    "万亩": (2, "M mu"),
    "万人次": (2, "M person-times"),
    "万吨": (2, "M t"),
    "万立方米": (2, "M m3"),
    "元": (0, " yuan"),
    "亩": (0, " mu"),
    "公斤": (0, " kg"),
    # measure words (个, 户, 家 …) count what the target's name says: the number alone
    "个": (0, ""),
    "家": (0, ""),
    "户": (0, ""),
    "项": (0, ""),
    "件": (0, ""),
    "人": (0, ""),
    "处": (0, ""),
    "座": (0, ""),
    "所": (0, ""),
    "批次": (0, ""),
    "名": (0, " (rank)"),
    "年": (0, " years"),
}
UNIT_WORDS = {
    "个": "items", "家": "firms", "户": "households", "项": "items", "件": "cases", "人": "people", "处": "sites",
    "座": "facilities", "所": "schools", "批次": "batches", "名": "rank",
    "亿元": "100M yuan", "亿": "100M", "亿千瓦时": "100M kWh", "万元": "10k yuan", "万元/村": "10k yuan per village",
    "万美元": "10k US$", "万亩": "10k mu", "万人次": "10k person-times", "万吨": "10k t", "万立方米": "10k m3",
}


def figure_text(number: str, unit: str | None, lang: str) -> str:
    """A number (as published) with its unit: 70亿元 / 7.0bn yuan."""
    if not unit:
        return number
    if lang != "en" or unit not in UNIT_EN:
        return f"{number}{unit}"
    places, word = UNIT_EN[unit]
    return f"{_shifted(number, places)}{word}"


def _shifted(number: str, places: int) -> str:
    """``number`` (1,234.5, +9.67, −2) with its decimal point ``places`` to the left, every digit kept."""
    if not places:
        return number
    from decimal import Decimal, InvalidOperation

    sign = number[0] if number[:1] in "+-−" else ""
    try:
        value = Decimal(number[len(sign):].replace(",", "")).scaleb(-places)
    except InvalidOperation:
        return number
    text = format(value, "f")
    whole, dot, decimals = text.partition(".")
    return f"{sign}{int(whole):,}{dot}{decimals}" if "," in number else f"{sign}{text}"


def unit_word(unit: str | None, lang: str) -> str:
    """A unit on its own (a column, a message): 亿元 / 100M yuan."""
    if not unit:
        return ""
    if lang == "en":
        return UNIT_WORDS.get(unit) or UNIT_EN.get(unit, (0, unit))[1].strip(" ()") or unit
    return unit


# milestone status → (symbol, Chinese, English, rich style)
MILESTONE_STATUS = {
    "done": ("✓", "已完成", "done", "bold green"),
    "in_progress": ("▶", "推进中", "in progress", "green"),
    "not_started": ("◇", "未启动", "not started", "yellow"),
    "stalled": ("▼", "滞后/停滞", "stalled", "bold red"),
    "dropped": ("⊘", "已调整/取消", "dropped", "dim"),
    "not_rated": ("○", "未评估", "not rated", "dim"),
}
OVERDUE = ("逾期", "overdue")
DUE_SOON = ("即将到期", "due soon")
NODE_SOON = ("节点", "time node")
NODE_PASSED = ("节点已过未标记", "node passed, unmarked")
IMPLIED = ("推定", "implied")  # a due date nobody stated: the plan year's end
# a time node's mark → (symbol, Chinese, English, rich style); "open" is a node not marked yet
NODE_MARK = {
    "met": ("✓", "已完成", "met", "green"),
    "missed": ("✗", "未完成", "missed", "bold red"),
    "passed": ("○", "已过，未标记", "passed, unmarked", "yellow"),
    "open": ("·", "未到期", "not yet due", "dim"),
}
UNASSIGNED = ("未分配牵头单位", "no lead unit")
ROLE = {"lead": ("牵头", "lead"), "support": ("配合", "supporting")}


def days_word(days: int, lang: str) -> str:
    """Days from the as-of date to a due date as an office says it: 逾期15天 / 15 days overdue,
    今天到期 / due today, 还有3天 / in 3 days."""
    if days < 0:
        return f"{-days} day{'s' if days != -1 else ''} overdue" if lang == "en" else f"逾期{-days}天"
    if days == 0:
        return "due today" if lang == "en" else "今天到期"
    return f"in {days} day{'s' if days != 1 else ''}" if lang == "en" else f"还有{days}天"
PRESET = {"default": ("默认", "default"), "relative": ("相对差距", "relative"), "points": ("百分点差距", "points")}
BASIS = {"months": ("月", "months"), "days": ("日", "days")}
RULE_CLASS = {"amount": ("总量类", "amount"), "rate": ("增速/占比类", "rate")}
MEASURE = {"relative": ("相对差距", "relative"), "points": ("百分点", "points")}
# config show
CONFIG = {
    "title": ("亮灯方案（light.<preset>.<class>）", "light presets (light.<preset>.<class>)"),
    "preset": ("方案", "preset"),
    "class": ("指标类别", "class"),
    "measure": ("衡量方式", "measure"),
    "tolerance": ("容差", "tolerance"),
    "in_use": ("在用", "in use"),
}


# Set once for the run when ASCII marks are asked for (--ascii, display.symbols = ascii): the
# comparators are then written >= and <=, before a table measures them.
ascii_marks = False


def comparator_mark(code: str, lang: str) -> str:
    if ascii_marks and code in (">=", "<="):
        return code
    return pick(COMPARATOR[code], lang)


def labels_of(table: dict[str, tuple]) -> dict[str, tuple[str, str]]:
    """code → (Chinese, English) of a label table, whichever shape its rows have (a status row
    is (symbol, zh, en, style); a plain one (zh, en))."""
    return {code: (row[1], row[2]) if len(row) == 4 else (row[0], row[1]) for code, row in table.items()}


def names_for(table: dict[str, tuple]) -> dict[str, str]:
    """Every way a user may name a code of ``table``, in the folded form ``fold`` gives: the code,
    its Chinese and English labels, and each part of a label written with "/" (滞后/停滞 →
    滞后, 停滞) — so what the tool shows can be typed back."""
    names: dict[str, str] = {}
    for code, (zh, en) in labels_of(table).items():
        for name in (code, zh, en, *zh.split("/"), *en.split("/")):
            names.setdefault(fold(name), code)
    return names


def fold(text: str) -> str:
    """A name as compared: full-width folded (NFKC), case-blind, spaces and underscores alike."""
    import unicodedata

    return "_".join(unicodedata.normalize("NFKC", text).casefold().replace("_", " ").split())


def choices_text(table: dict[str, tuple]) -> str:
    """``code (中文)`` for each code: how --help and a refusal list the choices."""
    return ", ".join(f"{code} ({zh})" for code, (zh, _en) in labels_of(table).items())


def milestone_word(status: str, lang: str) -> str:
    symbol, zh, en, _ = MILESTONE_STATUS[status]
    return f"{symbol} {en if lang == 'en' else zh}"


def mark_word(mark: str, lang: str) -> str:
    symbol, zh, en, _ = NODE_MARK[mark]
    return f"{symbol} {en if lang == 'en' else zh}"


# plan list / show, plan outcomes and ledger: column titles
PLANS = {
    "plan": ("计划", "plan"), "county": ("县", "county"), "year": ("年份", "year"), "title": ("报告", "title"),
    "delivered": ("作报告日期", "delivered"), "targets": ("指标", "targets"), "milestones": ("事项", "milestones"),
    "figures": ("数据", "figures"), "field": ("项目", "field"), "value": ("内容", "value"),
    "result": ("结果", "result"), "name": ("名称", "name"), "number": ("数值", "value"), "by": ("依据", "by"),
    "vintage": ("口径", "vintage"), "recorded": ("记录", "recorded"), "indicator": ("指标", "indicator"),
    "result_before": ("上年结果", "result N−1"), "target": ("当年目标", "target N"), "outcome": ("当年结果", "outcome N"),
    "status": ("状态", "status"), "next_target": ("次年目标", "target N+1"),
}  # fmt: skip

# the promise scorecard: a verdict → (symbol, Chinese, English, rich style)
VERDICT = {
    "kept": ("✓", "已兑现", "kept", "bold green"),
    "missed": ("✗", "未兑现", "missed", "bold red"),
    "in_progress": ("▶", "推进中", "in progress", "yellow"),
    "not_rated": ("○", "尚未评定", "not yet rated", "dim"),
}
FINALITY = {"final": ("最终", "final"), "preliminary": ("初步", "preliminary")}
ITEM_KIND = {"target": ("指标", "target"), "milestone": ("承诺事项", "commitment")}
# what a search hit is, and which of its texts matched
SEARCH_KIND = {
    "target": ("指标", "target"),
    "milestone": ("承诺事项", "commitment"),
    "result": ("2021年成绩", "2021 result"),
    "term": ("名词解释", "glossary term"),
    "note": ("进展记录", "progress note"),
    "figure": ("数据", "figure"),
}
SEARCH_FIELD = {
    "name": ("名称", "name"),
    "phrase": ("原文", "report's words"),
    "progress": ("进展情况", "progress"),
    "problems": ("存在问题", "problems"),
    "next_steps": ("下一步措施", "next steps"),
    "source": ("来源", "source"),
    "note": ("备注", "note"),
    "term": ("词条", "term"),
    "explanation": ("释义", "explanation"),
}
# column titles of the scorecard, the ranking and a search
PUBLIC = {
    "verdict": ("结论", "verdict"),
    "finality": ("最终/初步", "final?"),
    "margin": ("差距", "margin"),
    "phrase": ("原文", "the report's words"),
    "locator": ("出处", "where in the report"),
    "source": ("依据", "source of the verdict"),
    "lead": ("牵头单位", "lead unit"),
    "item": ("事项", "item"),
    "kind": ("类别", "kind"),
    "field": ("字段", "field"),
    "snippet": ("摘录", "snippet"),
    "date": ("日期", "date"),
    "rank": ("名次", "rank"),
    "unit": ("单位", "unit"),
    "led": ("牵头事项数", "items led"),
    "on_course": ("正常推进", "on course"),
    "behind": ("滞后/逾期", "behind or overdue"),
    "not_rated": ("未评定", "not rated"),
    "score": ("正常率", "share on course"),
    "days": ("天", " days"),
    "scorecard": ("承诺兑现记分卡", "Promise scorecard"),
}


def verdict_word(verdict: str, lang: str) -> str:
    symbol, zh, en, _ = VERDICT[verdict]
    return f"{symbol} {en if lang == 'en' else zh}"

# The title of each listing's documents (-o x.md / .html / .xlsx), after the plan's name.
VIEW_TITLE = {
    "targets": ("目标指标", "Targets"),
    "results": ("2021年工作成绩", "Results of 2021"),
    "milestones": ("工作任务", "Milestones"),
    "due": ("到期与逾期事项", "Due and overdue"),
    "units": ("责任单位", "Responsible units"),
    "log": ("变更记录", "Journal of changes"),
    "history": ("数据记录", "Figures recorded"),
    "figures": ("全部数据", "All figures"),
}


def view_title(view: str, lang: str, plan_name: str | None = None) -> str:
    title = pick(VIEW_TITLE[view], lang)
    return f"{plan_name} — {title}" if plan_name else title
