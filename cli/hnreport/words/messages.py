"""The message catalogue: code → (Chinese template, English template).

Templates use ``str.format`` named fields (``{key}``, ``{value:g}``); the Chinese and English
text of a code name the same fields (a test checks). Errors carry a code and their fields
(``errors.HnreportError``) and are made into text only when shown, in the reader's language.

Writing a message: say what is wrong and what to do, in one line. Keys, codes, file paths,
option and command names stay as they are in both languages. Chinese uses full-width
punctuation (，；：（）？) around its own words. Pieces (hints, reasons, nouns) that several
messages share are codes of their own, given to a message as a field.

Data only: no code here. It is longer than the ~400 lines a module should keep to because it
is one table that every message joins; split by subject it would hide a missing language.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # ── the error boundary ─────────────────────────────────────────────────────────────────
    "error_label": ("错误：", "error: "),
    "notice_label": ("注意：", "note: "),
    "database_error": ("数据库错误：{reason}", "database error: {reason}"),
    # click's usage mistakes, said in Chinese (commands.usage; in English click says them itself)
    "usage_no_option": ("没有 {option} 这个选项{maybe}；'{command} --help' 列出可用的选项",
                        "no such option: {option}{maybe}; '{command} --help' lists the options"),
    "usage_maybe": ("（是不是 {names}？）", " (did you mean {names}?)"),
    "usage_no_command": ("没有 '{name}' 这个命令{maybe}；'{command} --help' 列出可用的命令",
                         "no such command '{name}'{maybe}; '{command} --help' lists the commands"),
    "usage_needs_value": ("选项 {option} 后面要跟一个值；'{command} --help' 说明它取什么值",
                          "option {option} needs a value; '{command} --help' says which"),
    "usage_takes_no_value": ("选项 {option} 不带值；'{command} --help' 说明它的用法",
                             "option {option} takes no value; '{command} --help' says how it is used"),
    "usage_missing": ("缺少 {name}；用法：{usage}", "missing {name}; usage: {usage}"),
    "usage_bad_value": ("{name} 的值不对：{detail}；'{command} --help' 说明它取什么值",
                        "invalid value for {name}: {detail}; '{command} --help' says which values it takes"),
    "usage_db_empty": ("要给出数据库文件名（或不用 --db，使用默认位置）", "give a database file name (or leave --db out for the default)"),
    "usage_not_one_of": ("{value} 不是可选的值（{choices}）之一", "{value} is not one of {choices}"),
    "usage_not_a": ("{value} 不是{kind}", "{value} is not {kind}"),
    "kind_integer": ("整数", "a whole number"),
    "kind_number": ("数字", "a number"),
    "kind_boolean": ("是/否的值", "a yes/no value"),
    "usage_no_subcommand": ("缺少命令；'{command} --help' 列出可用的命令", "missing command; '{command} --help' lists the commands"),
    "usage_extra": ("多出了参数 {args}；用法：{usage}", "unexpected extra argument(s) {args}; usage: {usage}"),
    "usage_other": ("用法不对：{text}；'{command} --help' 说明用法", "usage: {text}; '{command} --help' says how"),

    # ── pieces shared by several messages ──────────────────────────────────────────────────
    "or": (" 或 ", " or "),
    "nothing": ("无", "nothing"),
    "in_parens": ("（{what}）", " ({what})"),
    "did_you_mean": (" — 是否想输入 {choices}？", " — did you mean {choices}?"),
    "see_hint": ("；{see}", "; {see}"),
    "and_more": ("… 另有 {count} 处", "… and {count} more"),
    "file_problem": ("{path} {reason}", "{path} {reason}"),
    "no_such_file": ("文件不存在：{path}", "no such file: {path}"),
    "output_onto_database": (
        "拒绝写入 {path}：它就是数据库 {database}{which}；请换一个文件名",
        "refusing to write {path}: it is the database {database}{which}; choose another file name",
    ),
    "database_companion": ("（其 {suffix} 文件）", " (its {suffix} file)"),
    "output_exists": ("{path} 已存在；如要替换，请加 --force", "{path} exists; add --force to replace it"),
    "output_locked": (
        "无法替换 {path}：它正被其他程序打开或为只读（请关闭后重试）；原文件未改动",
        "cannot replace {path}: it is open in another program or read-only (close it and try again); "
        "the old file is unchanged",
    ),
    "format_contradicts_extension": (
        "--format {asked} 与文件名 {name}（{fmt}）不符；请去掉其中之一",
        "--format {asked} contradicts the file name {name} ({fmt}); drop one of them",
    ),
    "output_encoding": (
        "输出的编码（{encoding}）无法表示 '{chars}'；请用 -o FILE 写入文件（UTF-8），或设置 PYTHONIOENCODING=utf-8",
        "the output's encoding ({encoding}) cannot carry '{chars}'; write to a file with -o FILE (UTF-8), "
        "or set PYTHONIOENCODING=utf-8",
    ),
    "argument_not_text": (
        "{option} 含有不是 UTF-8 的字节（{shown}）；请以 UTF-8 输入（检查终端的编码设置）",
        "{option} holds bytes that are not UTF-8 ({shown}); give it as UTF-8 text (check the terminal's encoding)",
    ),
    "argument_too_long": (
        "{option} 过长（{length} 个字符，最多 {limit} 个）",
        "{option} is too long ({length} characters; at most {limit})",
    ),
    "text_not_utf8": (
        "有文字含有不是 UTF-8 的字节（…{shown}…），无法保存或显示；请以 UTF-8 给出",
        "some text holds bytes that are not UTF-8 (…{shown}…) and cannot be stored or shown; give it as UTF-8",
    ),
    "user_not_text": (
        "用户名（HNREPORT_USER 或登录名）含有不是 UTF-8 的字节（{shown}）；请用 --user NAME 给出",
        "the user name (HNREPORT_USER or the login name) holds bytes that are not UTF-8 ({shown}); give one with --user NAME",
    ),
    "env_today": ("环境变量 HNREPORT_TODAY：{error}", "HNREPORT_TODAY: {error}"),
    "folder_missing": ("文件夹 {folder} 不存在", "the folder {folder} does not exist"),
    "output_is_directory": ("{path} 是一个文件夹；请给出文件名", "{path} is a directory; give a file name"),
    "file_exists_force": ("{path} 已存在；如要替换，请加 --force", "{path} already exists; use --force to replace it"),
    # what a choice or a key is of: "unknown {what} …", "no {kind} key given …"
    "noun_target": ("指标", "target"),
    "noun_milestone": ("工作任务", "milestone"),
    "noun_item": ("指标或工作任务", "item"),
    "noun_database": ("数据库", "database"),
    "noun_backup": ("备份", "backup"),
    "what_format": ("格式", "format"),
    "what_sort": ("排序方式", "sort"),
    "what_grouping": ("分组方式", "grouping for --by"),
    "what_section": ("部分", "section"),
    "what_kind": ("类型", "kind"),
    "what_status": ("状态", "status"),
    "what_comparator": ("比较符", "comparator"),
    "what_frequency": ("频次", "frequency"),
    "what_role": ("职责", "role"),
    "what_vintage": ("口径", "vintage"),
    "what_preset": ("亮灯方案", "preset"),
    "unknown_choice": ("未知{what} '{value}'；可选：{choices}", "unknown {what} '{value}'; choose one of: {choices}"),

    # ── keys of targets, milestones, units, observations ───────────────────────────────────
    "unknown_key": ("未知{kind} '{key}'{hint}", "unknown {kind} '{key}'{hint}"),
    "no_key_given": ("未给出{kind}代码；{see}", "no {kind} key given; {see}"),
    "keys_listed_target": ("'hnreport targets list' 可列出全部代码", "see 'hnreport targets list' for the keys"),
    "keys_listed_milestone": ("'hnreport milestones list' 可列出全部代码", "see 'hnreport milestones list' for the keys"),
    "keys_listed_item": (
        "'hnreport targets list' 或 'hnreport milestones list' 可列出全部代码",
        "see 'hnreport targets list' or 'hnreport milestones list' for the keys",
    ),
    "invalid_key": (
        "'{key}' 不是有效的代码；请只用小写字母、数字和连字符（例如 minsheng-01）",
        "'{key}' is not a valid key; use lowercase letters, digits and hyphens (e.g. minsheng-01)",
    ),
    "key_taken": ("代码 '{key}' 已被一个{kind}使用", "the key '{key}' is already used by a {kind}"),
    "key_undone": (
        "代码 '{key}' 属于一个添加后又被撤销的{kind}；可用 'hnreport redo' 恢复它，或换一个代码",
        "the key '{key}' belongs to a {kind} whose addition was undone; 'hnreport redo' brings it back, or choose another key",
    ),
    "name_taken": (
        "名称 '{name}' 已被指标 '{other}' 使用；请换一个",
        "the name '{name}' is already used by the target '{other}'; choose another",
    ),
    "no_observation": (
        "没有编号为 {id} 的记录；'hnreport history KEY' 可列出编号",
        "no observation {id}; 'hnreport history KEY' lists the ids",
    ),
    "unknown_unit": (
        "未知单位 '{unit}'{hint}（可用 --new 或 'hnreport units add' 添加）",
        "unknown unit '{unit}'{hint} (add it with --new or 'hnreport units add')",
    ),
    "unit_needs_name": ("单位需要名称", "a unit needs a name"),
    "unit_needs_name_eg": ("单位需要名称，例如 县发展和改革局", "a unit needs a name, e.g. 县发展和改革局"),
    "alias_taken": ("'{alias}' 已是单位 '{other}' 的名称", "'{alias}' already names the unit '{other}'"),
    "no_glossary_match": (
        "没有与 '{query}' 匹配的名词解释；运行 'hnreport glossary' 可查看全部",
        "no glossary term matches '{query}'; run 'hnreport glossary' for all of them",
    ),

    # ── values (figures as a user types them) ──────────────────────────────────────────────
    "value_empty": ("数值为空；请输入数字，例如 8.7", "the value is empty; give a number such as 8.7"),
    "value_bad_comma": (
        "'{raw}' 中的逗号位置不对；请写成 1234.5 或 1,234.5（逗号只用于千位分隔）",
        "'{raw}' has a misplaced comma; write 1234.5 or 1,234.5 (a comma only between thousands)",
    ),
    "value_not_number": (
        "'{raw}' 不是数字；请输入纯数字{unit}，例如 8.7",
        "'{raw}' is not a number; give a plain number{unit} such as 8.7",
    ),
    "in_unit": ("（单位：{unit}）", " in {unit}"),
    "value_too_large": ("'{raw}' 太大，不能作为数据", "'{raw}' is too large to be a figure"),
    "value_too_small": ("'{raw}' 太小，不能作为数据", "'{raw}' is too small to be a figure"),
    "value_negative": ("'{raw}' 是负数，但该数据不能小于零", "'{raw}' is negative, but this figure cannot be below zero"),
    "figure_negative": ("{key} 不能为负数（输入的是 {value:g}）", "{key} cannot be negative (got {value:g})"),
    "value_unit_mismatch": (
        "'{raw}' 的单位是 {given}，无法换算为该指标的单位 {unit}；请按 {unit} 输入",
        "'{raw}' is in {given}, which does not convert to {unit} (the target's unit); give the figure in {unit}",
    ),
    "value_unit_not_expected": (
        "'{raw}' 带有单位 {given}，但该指标没有单位；请输入纯数字",
        "'{raw}' is given in {given}, but this target has no unit; give a plain number",
    ),

    # ── figures that cannot be right as given: a period not ended, an implausible magnitude ─
    "period_not_ended": (
        "时期 {as_of} 尚未结束（今天是 {today}）；如确要录入，请加 --force（该数据将被标记）",
        "the period ending {as_of} has not ended yet (today is {today}); add --force to record it anyway (it is flagged)",
    ),
    "implausible_growth": (
        "增速 {shown}% 超出 ±{limit:g} 个百分点",
        "a growth rate of {shown}% is beyond ±{limit:g} percentage points",
    ),
    "implausible_share_over": ("占比 {shown}% 超过 100%", "a share of {shown}% is over 100%"),
    "implausible_share_gap": (
        "占比 {shown}% 与目标 {target}% 相差超过 {limit:g} 个百分点",
        "a share of {shown}% is more than {limit:g} percentage points from the target {target}%",
    ),
    "implausible_total_fell": (
        "{shown} 低于截至 {day} 的累计数 {other}（年度累计数不会随月份减少）",
        "{shown} is below the {other} total as of {day} (a year-to-date total does not fall)",
    ),
    "implausible_total_above_later": (
        "{shown} 高于截至 {day} 的累计数 {other}（年度累计数不会随月份减少）",
        "{shown} is above the {other} total as of {day} (a year-to-date total does not fall)",
    ),
    "implausible_amount": (
        "{shown} 与序时应达值 {expected} 相差 {factor:g} 倍以上",
        "{shown} is more than {factor:g}× away from the {expected} expected to date (序时应达)",
    ),
    "implausible_amount_last_year": (
        "{shown} 与序时应达值 {expected} 及上年同期 {last} 均相差 {factor:g} 倍以上",
        "{shown} is more than {factor:g}× away from both the {expected} expected to date (序时应达) and last year's {last} for the same period",
    ),
    "implausible_above_year": (
        "{shown} 超过全年目标 {target} 的 {factor:g} 倍",
        "{shown} is more than {factor:g}× the whole year's target of {target}",
    ),
    "implausible_amount_only_last_year": (
        "{shown} 与上年同期 {last} 相差 {factor:g} 倍以上",
        "{shown} is more than {factor:g}× away from last year's {last} for the same period",
    ),
    "implausible_needs_yes": (
        "{key}：{reason}，疑似录入错误；如确认无误，请加 --yes 录入（该数据将被标记；在终端上会先询问）",
        "{key}: {reason}, which looks like a typo; add --yes to record it anyway (it is flagged; on a terminal you are asked)",
    ),
    "implausible_confirm": ("{key}：{reason}。仍要录入吗（该数据将被标记）？", "{key}: {reason}. Record it anyway (it is flagged)?"),
    "implausible_declined": ("未录入", "nothing was recorded"),
    "implausible_in_row": ("{key}：{reason}", "{key}: {reason}"),
    "import_implausible": (
        "{path} 中有 {count} 个数据疑似有误（见上）；核对后如确认无误，请加 --yes 导入（这些数据将被标记）；未导入任何数据",
        "{count} figure(s) in {path} look implausible (above); check them (--dry-run lists them) and add --yes to import them anyway "
        "(they are flagged); nothing was imported",
    ),
    "collect_implausible": (
        "回收的报送表中有 {count} 个数据疑似有误（见上）；与报送单位核实后如确认无误，请加 --yes 录入（这些数据将被标记）；未录入任何内容",
        "{count} figure(s) in the returned sheets look implausible (above); check them with the unit and add --yes to collect "
        "them anyway (they are flagged); nothing was collected",
    ),
    "unknown_flag": ("未知标记 '{flag}'；可用：{choices}", "unknown flag '{flag}'; known flags: {choices}"),
    "bad_decimals": (
        "小数位数 {decimals} 无效；应为 0 到 {limit} 之间的整数",
        "decimals {decimals} is not a whole number from 0 to {limit}",
    ),
    "decimals_hide_value": (
        "按 {decimals} 位小数显示，{value!r} 会显示为 {shown}",
        "{decimals} decimal(s) would show {value!r} as {shown}",
    ),
    "figure_outside_year": (
        "{as_of} 不在规划年度 {year} 内；{plan}的数据日期须在 {start}..{end} 之间",
        "{as_of} is outside the plan year {year}; figures for {plan} must fall in {start}..{end}",
    ),

    # ── periods ────────────────────────────────────────────────────────────────────────────
    "bad_period": (
        "无法识别时期 '{text}'{reason}；可用写法：{forms}",
        "cannot read the period '{text}'{reason}; accepted forms: {forms}",
    ),
    # the same in a row of an import: the forms are said once, not on every row
    "bad_period_in_row": ("无法识别时期 '{text}'{reason}", "cannot read the period '{text}'{reason}"),
    "period_empty": ("为空", "empty"),
    "period_no_such_date": ("没有这一天", "no such date"),
    "period_no_year": ("未给出年份", "no year given"),
    "period_no_clear_year": ("年份不明确", "no clear year given"),
    "period_no_month": ("未给出月份", "no month given"),
    "period_one_year": ("须写明一个四位数的年份", "name exactly one four-digit year"),
    "period_too_many_numbers": ("数字太多，分不清日、月、年", "too many numbers to tell day, month and year apart"),
    "period_day_month_ambiguous": (
        "分不清日和月；请写成 {year}-MM-DD",
        "day and month are ambiguous; write it as {year}-MM-DD",
    ),
    "period_day_month_either": ("分不清日和月；请写成 {one} 或 {other}", "day and month are ambiguous; write {one} or {other}"),
    "period_outside_year": ("{period} 不在规划年度 {year} 内", "{period} is outside the plan year {year}"),
    "range_reversed": ("--to（{last}）早于 --from（{first}）", "--to ({last}) is before --from ({first})"),
    "range_too_long": ("一次最多 {max} 个月；请缩小 --from/--to 的范围", "at most {max} months at once; narrow --from/--to"),

    # ── recording, correcting, retracting figures; revising targets ────────────────────────
    "state_superseded": ("已被修订", "superseded"),
    "state_retracted": ("已撤回", "retracted"),
    "observation_not_current": (
        "记录 {id} {state}；请更正现行的数据",
        "observation {id} is {state}; correct the current figure instead",
    ),
    "observation_already_retracted": ("记录 {id} 已撤回", "observation {id} is already retracted"),
    "correction_needs_reason": ("更正需要填写原因（--reason）", "a correction needs a reason (--reason)"),
    "retraction_needs_reason": ("撤回需要填写原因（--reason）", "a retraction needs a reason (--reason)"),
    "revision_needs_reason": ("调整目标需要填写原因（--reason）", "a target revision needs a reason (--reason)"),
    "effective_outside_year": (
        "生效日期 {date} 不在规划年度 {year} 内",
        "the effective date {date} is outside the plan year {year}",
    ),
    "target_negative": ("{key} 的目标值不能为负数（输入的是 {value:g}）", "{key} cannot have a negative target (got {value:g})"),
    "new_target_negative": (
        "类型为 {kind} 的指标不能为负数（输入的是 {value:g}）",
        "a {kind} target cannot be negative (got {value:g})",
    ),
    "target_needs_name": ("指标需要中文名称（--name-zh）", "a target needs a Chinese name (--name-zh)"),
    "milestone_needs_name": ("工作任务需要中文名称（--name-zh）", "a milestone needs a Chinese name (--name-zh)"),
    "known_from_future": (
        "--known-from {known_from} 晚于现在；它说的是这一数据从何时起已为人所知，不能晚于录入之时",
        "--known-from {known_from} is later than now; it says since when the figure was known, "
        "which cannot be after it is recorded",
    ),
    "known_from_not_for_restore": (
        "导出文件（.json）自带每个数据的获知日期；--known-from 只用于 CSV、.xlsx 和 .jsonl 导入",
        "an export (.json) carries each figure's own known-from date; --known-from is for CSV, .xlsx and .jsonl imports",
    ),
    "known_at_read_only": ("--known-at 只用于查看，不能用来修改数据", "--known-at is for reading; it cannot be used to change anything"),
    "nothing_to_undo": ("没有可撤销的修改", "nothing to undo"),
    "nothing_to_undo_after": ("{moment} 之后没有可撤销的修改", "nothing to undo after {moment}"),
    "undo_is_a_restore": (
        "修改 {change} 是一次恢复（db restore）：撤销它要换回它所替换的整个数据库文件",
        "change {change} is a restore: undoing it puts back the whole database file it replaced",
    ),
    "undo_to_crosses_restore": (
        "{moment} 之后的修改包括修改 {change}，即从 {source} 恢复数据库；请用 'hnreport undo' 逐次撤销，直到这次恢复为止",
        "the changes after {moment} include change {change}, the restore of {source}; undo one change at a time "
        "('hnreport undo') back to it instead",
    ),
    "restore_record_missing": (
        "修改 {change} 是一次恢复，但数据库中没有它的记录（在 hnreport 之外被改动）；请用 'hnreport db restore' 手动恢复所需的文件",
        "change {change} is a restore, but the database holds no record of it (changed outside hnreport); "
        "restore the file you want by hand with 'hnreport db restore'",
    ),
    "undo_restore_nothing_replaced": (
        "修改 {change} 把 {source} 恢复为新的数据库 {path}，当时没有被替换的数据库可以换回（如不再需要，可手动删除 {path}）",
        "change {change} restored {source} as the new database {path}: no database was replaced, so there is "
        "nothing to put back (delete {path} by hand if you no longer want it)",
    ),
    "undo_restore_copy_gone": (
        "无法撤销修改 {change}（从 {source} 恢复）：被替换的数据库的副本 {copy} 已不存在；如果移动过它，请用 'hnreport db restore' "
        "加上它的新路径手动换回，否则请恢复你自己的备份",
        "cannot undo change {change} (the restore of {source}): the copy of the database it replaced, {copy}, is gone; "
        "if you moved it, put it back by hand with 'hnreport db restore' and its new path, or restore a backup of your own",
    ),
    "undo_restore_copy_unusable": (
        "无法撤销修改 {change}（从 {source} 恢复）：{problem}", "cannot undo change {change} (the restore of {source}): {problem}"
    ),
    "undo_restore_changed": (
        "自这次恢复以来数据库又有了修改（修改 {change} 已不是最后一次修改）；请再次运行 'hnreport undo'",
        "the database changed since the restore (change {change} is no longer the last change); run 'hnreport undo' again",
    ),
    "undo_needs_yes": (
        "undo --to {moment} 将撤销 {count} 项修改（{ids}）；确认请加 --yes，或先用 --dry-run 列出",
        "undo --to {moment} would revert {count} change(s) ({ids}); add --yes to confirm, or --dry-run to list them",
    ),
    "undo_confirm": ("撤销 {moment} 之后的以上 {count} 项修改？", "Undo these {count} change(s) made after {moment}?"),
    "undo_declined": ("未撤销任何修改", "nothing was undone"),
    "undo_journal_moved": (
        "确认之后又有新的修改记入日志；未撤销任何修改，请重新运行",
        "the journal changed after you confirmed; nothing was undone — run it again",
    ),
    "nothing_to_redo": (
        "没有可重做的修改（redo 重新应用 undo 撤销的修改，且要求此后没有新的修改）",
        "nothing to redo (redo re-applies what undo reverted, if nothing changed since)",
    ),

    # ── milestones ─────────────────────────────────────────────────────────────────────────
    "node_needs_text": (
        "时间节点需要日期和内容，例如 \"2022-06-30 主体完工\"（输入的是 '{text}'）",
        "a time node needs a date and a text, e.g. \"2022-06-30 主体完工\" (got '{text}')",
    ),
    "extension_needs_reason": ("延期需要填写原因（--reason）", "an extension needs a reason (--reason)"),
    "extension_not_later": (
        "延期后的时限须晚于 {current}；如需更正完成时限，请用 'hnreport milestones due {key} DATE'",
        "an extension must move the deadline later than {current}; to correct the due date "
        "use 'hnreport milestones due {key} DATE'",
    ),
    "extension_no_due": (
        "{key} 尚无明定的完成时限（只有推定的年末时限），无法延期；请先用 'hnreport milestones due {key} DATE' 设置",
        "{key} has no stated due date to extend (only the implied end of the plan year); set one first with "
        "'hnreport milestones due {key} DATE'",
    ),
    "what_mark": ("节点标记", "node mark"),
    "no_time_nodes": (
        "{key} 没有时间节点；可用 'hnreport milestones due {key} DATE --node \"DATE 内容\"' 设置",
        "{key} has no time nodes; give it some with 'hnreport milestones due {key} DATE --node \"DATE TEXT\"'",
    ),
    "no_node_on": (
        "{key} 在 {date} 没有时间节点；它的节点：{nodes}",
        "{key} has no time node on {date}; its nodes: {nodes}",
    ),
    "within_range": ("--within 须为 0 到 {max} 天", "--within takes 0 to {max} days"),

    # ── settings ───────────────────────────────────────────────────────────────────────────
    "unknown_setting": (
        "未知设置项 '{key}'；'hnreport config show' 可列出全部设置",
        "unknown setting '{key}'; see 'hnreport config show' for the settings",
    ),
    "unknown_setting_for_target": (
        "指标没有设置项 '{key}'；'hnreport config show' 可列出全部设置",
        "unknown setting '{key}' for a target; see 'hnreport config show' for the settings",
    ),
    "setting_one_of": ("{key} 只能取以下之一：{choices}", "{key} must be one of: {choices}"),
    "due_within_range": (
        "due.within 须为 0 到 {max} 之间的整数天数，例如 7",
        "due.within takes a whole number of days from 0 to {max}, e.g. 7",
    ),
    # ── the 督查通报 and the 督办单 (issue 15) ──────────────────────────────────────────────────
    "document_written": ("已写入 {path}", "wrote {path}"),
    "documents_written": ("已写入 {count} 个文件到 {folder}", "wrote {count} file(s) to {folder}"),
    "document_format_unknown": (
        "无法从文件名 '{name}' 判断文档格式；请使用 {suffixes}",
        "cannot tell the document format of '{name}'; use {suffixes}",
    ),
    "document_needs_file": (
        "--format {fmt} 只能写入文件；请用 -o 文件名.{fmt}",
        "--format {fmt} is written to a file only; use -o NAME.{fmt}",
    ),
    "bulletin_issued": (
        "已登记为 {year}年第{number}期督查通报（截至 {as_of}，印发日期 {issued_on}）；撤销：'hnreport undo'",
        "recorded as 督查通报 {year} no. {number} (as of {as_of}, issued {issued_on}); 'hnreport undo' takes it back",
    ),
    "bulletin_number_taken": (
        "{year}年第{number}期督查通报已登记；下一期为第{next}期（去掉 --number 即用下一期）",
        "督查通报 {year} no. {number} is already recorded; the next is no. {next} (leave out --number to take it)",
    ),
    "order_number_taken": (
        "督办〔{year}〕{number}号已登记（可能有人同时下发了督办单）；请重试",
        "order 督办〔{year}〕{number}号 is already recorded (someone issued orders meanwhile); try again",
    ),
    "office_name_unset": (
        "未设置发文机关，文件没有版头和落款；请设置：'hnreport config set office.name 衡南县人民政府督查室'",
        "no issuing office is set, so the document has no heading office or signature; set it: 'hnreport config set office.name 衡南县人民政府督查室'",
    ),
    "bulletin_number_positive": ("期号须为正整数（得到 {number}）", "the number must be a positive whole number (got {number})"),
    "bulletin_number_needs_issue": (
        "--number 只与 --issue 一起使用（草稿不编号）",
        "--number goes with --issue (a draft has no number)",
    ),
    "bulletin_reissue_alone": (
        "--reissue 按登记的内容重印，不能与 {option} 一起使用",
        "--reissue prints what was recorded; it does not go with {option}",
    ),
    "unknown_bulletin": (
        "没有登记 {year}年第{number}期督查通报{known}；用 'hnreport bulletin --issue' 登记",
        "no 督查通报 {year} no. {number} is recorded{known}; record one with 'hnreport bulletin --issue'",
    ),
    "bulletins_known": ("（已登记：{numbers}）", " (recorded: {numbers})"),
    "orders_issued": (
        "已登记 {count} 份督办单（{numbers}），回复时限 {reply_due}；撤销：'hnreport undo'",
        "recorded {count} order(s) ({numbers}), reply due {reply_due}; 'hnreport undo' takes them back",
    ),
    "orders_none": (
        "截至 {as_of} 没有滞后、逾期或停滞的事项需要督办{unit}",
        "as of {as_of} nothing is behind, overdue or stalled{unit}: no order to draft",
    ),
    "orders_no_lead": (
        "截至 {as_of}，{count} 项滞后、逾期或停滞的事项尚未明确牵头单位（{items}），无单位可督办；请先分配：'hnreport assign KEY 单位'",
        "as of {as_of}, {count} item(s) behind, overdue or stalled have no lead unit ({items}): no unit to send an order to; assign them first: 'hnreport assign KEY UNIT'",
    ),
    "orders_skipped_no_lead": (
        "{count} 项滞后、逾期或停滞的事项尚未明确牵头单位，未起草督办单：{items}；分配：'hnreport assign KEY 单位'",
        "{count} item(s) behind, overdue or stalled have no lead unit and get no order: {items}; assign them with 'hnreport assign KEY UNIT'",
    ),
    "orders_for_unit": ("（{unit}）", " ({unit})"),
    "orders_unit_or_all": (
        "请给出一个单位（'hnreport orders draft 县发改局 -o 督办单.docx'）或 --all -o 文件夹/",
        "name a unit (hnreport orders draft 县发改局 -o order.docx) or give --all -o FOLDER/",
    ),
    "orders_all_needs_folder": (
        "--all 为每个单位写一个文件：请用 -o 文件夹/ 指定文件夹（文件扩展名用 --format docx|xlsx|html|md|json，默认 docx）",
        "--all writes one file per unit: give a folder with -o FOLDER/ (the file type with --format docx|xlsx|html|md|json; docx by default)",
    ),
    "unknown_order": ("没有编号为 {id} 的督办单；'hnreport orders list' 列出已登记的督办单", "no order with ID {id}; 'hnreport orders list' shows the orders recorded"),
    "reply_needs_text": ("回复须有办理情况（--text）", "a reply needs its text (--text)"),
    "reply_in_future": (
        "回复日期 {replied_on} 晚于今天（{today}）；回复须在收到之后登记",
        "the reply date {replied_on} is after today ({today}); record a reply once it has come",
    ),
    "reply_before_issue": (
        "回复日期 {replied_on} 早于 {number} 的下发日期 {issued_on}；请检查 --date",
        "the reply date {replied_on} is before {number} was issued ({issued_on}); check --date",
    ),
    "bulletin_not_ended": (
        "通报截至 {as_of}，该时期尚未结束（今天是 {today}）；如确要起草，请加 --force（通报将注明时期尚未结束）",
        "the bulletin's period ending {as_of} has not ended yet (today is {today}); add --force to draft it anyway (it says so)",
    ),
    "orders_not_ended": (
        "督办单截至 {as_of}，该日尚未到来（今天是 {today}）；如确要起草，请加 --force",
        "the orders' as-of date {as_of} has not come yet (today is {today}); add --force to draft them anyway",
    ),
    "reply_recorded": (
        "已登记 {unit} 对 {number} 的回复（{replied_on}）；撤销：'hnreport undo'",
        "recorded {unit}'s reply to {number} ({replied_on}); 'hnreport undo' takes it back",
    ),
    "office_name_text": (
        "office.name 须为发文机关的名称（1 到 {max} 个字符，不含控制字符），例如 衡南县人民政府督查室",
        "office.name takes the issuing office's name (1 to {max} characters, no control characters), e.g. 衡南县人民政府督查室",
    ),
    "reply_days_range": (
        "order.reply_days 须为 1 到 {max} 之间的整数（督办单的办理时限天数），例如 7",
        "order.reply_days takes a number of days from 1 to {max} (the reply deadline of an order), e.g. 7",
    ),
    "rank_order_keys": (
        "ranking.order 须为以逗号分隔的排序依据（每项一次）：{choices}，例如 red,overdue,yellow",
        "ranking.order takes a comma-separated list of counts to rank by (each once): {choices}, e.g. red,overdue,yellow",
    ),
    "due_day_range": (
        "report.due_day 须为 1 到 {max} 之间的整数（每月报送截止日），例如 25",
        "report.due_day takes a day of the month from 1 to {max} (when the units' reports are due), e.g. 25",
    ),
    "tolerance_not_number": (
        "'{value}' 不是数字；容差应为数字，例如 0.1 或 10",
        "'{value}' is not a number; a tolerance is a number such as 0.1 or 10",
    ),
    "tolerance_negative": ("容差须大于或等于零，不能是 {value}", "a tolerance must be zero or more, not {value}"),
    "profile_not_numbers": (
        "pace.profile 须为 12 个逐月累计比例，例如 0.05,0.1,…,1",
        "pace.profile takes 12 cumulative monthly shares, e.g. 0.05,0.1,…,1",
    ),
    "profile_count": (
        "pace.profile 须为 12 个逐月累计比例，实际给出 {count} 个",
        "pace.profile takes 12 cumulative monthly shares, got {count}",
    ),
    "profile_shape": (
        "pace.profile 须逐月递增，并以 1 结束（12 月达到 100%）",
        "pace.profile must rise month by month and end at 1 (100% by December)",
    ),

    # ── reading files of figures (import) ──────────────────────────────────────────────────
    "import_is_directory": (
        "{path} 是一个文件夹；请给出 CSV、.xlsx 或 JSON Lines 文件",
        "{path} is a directory; give a CSV, .xlsx or JSON-lines file",
    ),
    "import_json_not_export": (
        "{path}：.json 文件按 hnreport 导出文件读取，但此文件不是（数据请用 .jsonl）",
        "{path}: a .json file is read as an hnreport export; this one is not (use .jsonl for figures)",
    ),
    "import_xls": (
        "{path}：不支持旧的 .xls 格式；请另存为 .xlsx 或 CSV",
        "{path}: the old .xls format is not supported; save it as .xlsx or CSV",
    ),
    "alias_needs_name": ("统计表名称不能为空", "a name for statistical tables cannot be empty"),
    "alias_already": (
        "'{name}' 已是 {key} 的统计表名称（'{same}'）",
        "'{name}' already names {key} in statistical tables ('{same}')",
    ),
    "import_et": (
        "{path}：不读取 WPS 的 .et 格式；请在 WPS 中另存为 .xlsx 或 CSV",
        "{path}: WPS .et workbooks are not read; save it as .xlsx or CSV in WPS",
    ),
    "import_ole": (
        "{path} 实为 Excel 97-2003（.xls）或 WPS（.et）工作簿，不论其文件名；请另存为 .xlsx 或 CSV",
        "{path} is an Excel 97-2003 (.xls) or WPS (.et) workbook whatever its name; save it as .xlsx or CSV",
    ),
    "import_no_such_sheet": (
        "{path} 中没有名为 '{sheet}' 的工作表（有：{sheets}）",
        "{path} has no sheet named '{sheet}' (it has: {sheets})",
    ),
    "import_sheet_not_workbook": (
        "{path}：--sheet 只适用于 .xlsx 工作簿",
        "{path}: --sheet is for a .xlsx workbook",
    ),
    # ── a bureau's table as printed (import of a 统计月报 sheet) ───────────────────────────
    "bulletin_no_columns": (
        "{path}：第 {line} 行是表头，但其中没有数据列（本月、累计、同比……）；现有：{headers}",
        "{path}: line {line} is the header but names no column of figures (本月, 累计, 同比 …); it has: {headers}",
    ),
    "bulletin_no_period": (
        "{path}：标题中没有时期（如 2022年1-6月），表头也未写明年份；请用 --period 给出，例如 --period 2022年1-6月",
        "{path}: the title names no period (such as 2022年1-6月) and the header no year; give one with --period, "
        "e.g. --period 2022年1-6月",
    ),
    "bulletin_by_title": ("标题中的“{words}”", "the title's '{words}'"),
    "bulletin_period_contradiction": (
        "{path}：{given} 表示截至 {period}，但 {column} 列的表头为 '{header}'（截至 {end}）；请核对标题，或用 --period 给出正确时期",
        "{path}: {given} means the period ending {period}, but column {column} is headed '{header}' (ending {end}); "
        "check the title, or give the right period with --period",
    ),
    "bulletin_outside_year": (
        "{path}：表中时期截至 {period}，不在计划年度 {year} 年之内；未导入任何数据",
        "{path}: the sheet is for the period ending {period}, outside the plan year {year}; nothing was imported",
    ),
    "bulletin_too_many_rows": (
        "{path}：表头以下超过 {limit} 行，不像一张统计表；请检查工作表（--sheet）",
        "{path}: more than {limit} rows below the header, which no bureau table has; check the sheet (--sheet)",
    ),
    "bulletin_period_for_plain_file": (
        "{path}：--period 用于统计表；此文件的每行已在 as_of/时期 列给出时期",
        "{path}: --period is for a bureau table; this file gives each figure's period in its as_of/时期 column",
    ),
    "bulletin_columns_not_read": ("未读取的列：{columns}（目标不取这些数）", "column(s) not read: {columns} (no target takes them)"),
    "bulletin_where": ("第 {line} 行 {cell} 单元格", "line {line}, cell {cell}"),
    "bulletin_where_sheet": ("工作表 '{sheet}' 第 {line} 行 {cell} 单元格", "sheet '{sheet}', line {line}, cell {cell}"),
    "bulletin_bad_cell": (
        "{where}：{key} 所取的单元格（{column}）为 '{text}'，不是数字",
        "{where}: the cell {key} takes ({column}) holds '{text}', which is not a number",
    ),
    "bulletin_skip_no_name": ("没有指标名称", "no indicator name"),
    "bulletin_skip_footnote": ("注释行", "a footnote"),
    "bulletin_skip_untracked": ("不是本计划的指标", "not a target of the plan"),
    "bulletin_skip_sub_item": ("分项（其中/#/缩进），不是本计划的指标", "a sub-item (其中/#/indented), not a target of the plan"),
    "bulletin_skip_near": (
        "不是本计划的指标 — 是否指 {choices}（{keys}）？不同口径的指标不会代替它；如确为同一指标，请用 'hnreport targets alias' 添加名称",
        "not a target of the plan — did you mean {choices} ({keys})? a different statistic is never taken for it; "
        "if it is the same, add the name with 'hnreport targets alias'",
    ),
    "bulletin_skip_blank": ("{columns} 无数据", "no figure in {columns}"),
    "bulletin_skip_taken": ("{key} 在截至 {period} 的数据已取自第 {other} 行", "{key} for {period} is already taken from line {other}"),
    "bulletin_skip_no_growth_column": ("表中没有同比增速列", "the sheet has no growth (同比) column"),
    "bulletin_skip_no_amount_column": ("表中没有数额列（累计、本月……）", "the sheet has no column of amounts (累计, 本月 …)"),
    "bulletin_skip_month_amount": (
        "只有当月数（{column}），累计类指标需要年初以来的累计数",
        "only the month's amount ({column}); a cumulative target needs the amount so far this year",
    ),
    "bulletin_skip_unit": (
        "单位 {unit}（{column}）不能换算为目标的单位 {target_unit}",
        "the unit {unit} ({column}) does not convert to the target's {target_unit}",
    ),
    "bulletin_skip_no_unit": ("{column} 未注明单位，而目标以 {target_unit} 计", "no unit given for {column}; the target is in {target_unit}"),
    "bulletin_skip_percent_cell": (
        "{column} 的单元格格式为百分比（{value}%），不是以 {target_unit} 计的数额",
        "the cell in {column} is formatted as a percentage ({value}%), not an amount in {target_unit}",
    ),
    "bulletin_skip_kind": ("{kind} 类指标不从统计表读取", "a {kind} target is not read from statistical tables"),
    "bulletin_month_only": ("当月数：表中无累计列", "the month's figure: the sheet has no year-to-date column"),
    "bulletin_target_no_unit": ("目标未写单位，按表中的 {unit}", "the target has no unit; taken as printed, in {unit}"),
    "bulletin_percent_cell": ("{shown}（单元格存 {stored}，百分比格式 {format}）", "{shown} (stored {stored}, percent format {format})"),
    "import_missing_columns": (
        "{path}：缺少列 {missing}；表头需要 key/指标、value/数值 和 as_of/时期（现有：{found}）",
        "{path}: missing column(s) {missing}; the header needs key/指标, value/数值 and as_of/时期 (found: {found})",
    ),
    "import_missing_fields": (
        "{path}：缺少字段 {missing}（key/指标、value/数值、as_of/时期）",
        "{path}: missing field(s) {missing} (key/指标, value/数值, as_of/时期)",
    ),
    "import_bad_utf8_bom": (
        "{path}：文件以 UTF-8（BOM）开头，但第 {at} 字节处不是 UTF-8 编码",
        "{path}: starts as UTF-8 (BOM) but has bytes that are not UTF-8 at byte {at}",
    ),
    "import_mixed_encoding": (
        "{path}：第 {line} 行是 UTF-8 编码，其他行不是；请用同一种编码保存文件",
        "{path}: line {line} is UTF-8 but other lines are not; save the file in one encoding",
    ),
    "import_bad_utf16_bom": (
        "{path}：文件以 UTF-16（BOM）开头，但第 {at} 字节处不是 UTF-16 编码",
        "{path}: starts as UTF-16 (BOM) but has bytes that are not UTF-16 at byte {at}",
    ),
    "import_unknown_encoding": (
        "{path}：既不是 UTF-8、UTF-16 也不是 GBK 编码（第 {at} 字节无法解码）；请另存为 UTF-8 的 CSV",
        "{path}: neither UTF-8, UTF-16 nor GBK (byte {at} cannot be decoded); save it as CSV UTF-8",
    ),
    "import_empty_csv": ("{path} 是空文件；请提供带表头行和数据的文件", "{path} is empty; give a file with a header row and figures"),
    "import_bad_csv_line": ("{path}：第 {line} 行不是可读取的 CSV（{reason}）", "{path}: line {line} is not readable CSV ({reason})"),
    "import_quote_not_closed": (
        "{path}：第 {line} 行的引号（\"）没有闭合，其后各行都会并入这一个单元格；请补上或删去这个引号",
        "{path}: the quote (\") opened on line {line} is never closed, so every later row would become part of "
        "one cell; close it or remove it",
    ),
    "import_quote_then_text": (
        "{path}：第 {line} 行开始的带引号单元格在第 {end} 行结束后紧跟其他文字；引号缺失或多余，请检查",
        "{path}: the quoted cell opened on line {line} ends on line {end} with text after its closing quote; "
        "a quote is missing or stray",
    ),
    "import_cell_too_long": (
        "{path}：第 {line} 行有超过 {limit} 个字符的单元格",
        "{path}: line {line} has a cell longer than {limit} characters",
    ),
    "import_line_too_long": (
        "{path}：第 {line} 行超过 {limit} 个字符；这不是一份数据文件吗？",
        "{path}: line {line} is longer than {limit} characters; is this a file of figures?",
    ),
    "import_too_many_rows": (
        "{path} 超过 {limit} 行；请拆分成几个较小的文件分别导入",
        "{path} has more than {limit} rows; split it into smaller files and import each",
    ),
    "import_cannot_read": ("无法读取 {path}（{reason}）", "cannot read {path} ({reason})"),
    "import_not_a_file": (
        "{path} 不是普通文件（是设备、管道或终端）；请给出保存在磁盘上的文件",
        "{path} is not a regular file (a device, pipe or terminal); give a file saved on disk",
    ),
    "import_file_too_large": (
        "{path} 有 {size}，超过上限 {limit}；请拆分成几个较小的文件",
        "{path} is {size}, more than the limit of {limit}; split it into smaller files",
    ),
    "import_xlsx_inflates": (
        "{path} 解压后有 {size}，超过上限 {limit}；请拆分工作簿或另存为 CSV",
        "{path} inflates to {size}, more than the limit of {limit}; split the workbook or save it as CSV",
    ),
    "import_xlsx_ratio": (
        "{path} 中的 {part} 解压后膨胀 {ratio} 倍（上限 {limit} 倍）；这不是正常的工作簿（压缩炸弹？），未读取",
        "{path}: its part {part} inflates {ratio} times (at most {limit}); not an ordinary workbook "
        "(a zip bomb?), not read",
    ),
    "import_xlsx_dtd": (
        "{path} 中的 {part} 含有 DTD 声明（<!DOCTYPE/<!ENTITY），正常的 .xlsx 工作簿不会有；未读取",
        "{path}: its part {part} declares a DTD (<!DOCTYPE/<!ENTITY), which no .xlsx workbook has; not read",
    ),
    "json_syntax_column": ("{reason}，第 {column} 列", "{reason} at column {column}"),
    "json_syntax": ("{reason}，第 {line} 行第 {column} 列", "{reason} at line {line}, column {column}"),
    "json_number_too_long": (
        "有一个 {digits} 位的整数，最多 {limit} 位",
        "an integer of {digits} digits; at most {limit}",
    ),
    "json_too_deep": ("嵌套层数过多", "nested too deeply"),
    "json_bad_number": ("无法读取的数字：{reason}", "a number that cannot be read: {reason}"),
    "import_needs_openpyxl": ("读取 .xlsx 需要 openpyxl：pip install openpyxl", "reading .xlsx needs openpyxl: pip install openpyxl"),
    "import_bad_xlsx": ("{path} 不是可读取的 .xlsx 工作簿（{reason}）", "{path} is not a readable .xlsx workbook ({reason})"),
    "import_empty_xlsx": (
        "{path} 是空表；请提供带表头行和数据的工作表",
        "{path} is empty; give a sheet with a header row and figures",
    ),
    "import_line_not_json": ("{path}：第 {line} 行不是 JSON（{reason}）", "{path}: line {line} is not JSON ({reason})"),
    "import_line_not_object": ("{path}：第 {line} 行不是 JSON 对象", "{path}: line {line} is not a JSON object"),
    "import_empty_jsonl": ("{path} 是空文件；请每行写一个 JSON 对象", "{path} is empty; give one JSON object per line"),
    "import_line": ("第 {line} 行：{problem}", "line {line}: {problem}"),
    "unknown_vintage_in_row": (
        "未知口径 '{vintage}'（应为 preliminary/初步 或 final/最终核实）",
        "unknown vintage '{vintage}' (preliminary or final)",
    ),
    "field_too_long": ("{field} 过长（{length} 个字符，最多 {limit} 个）", "{field} is too long ({length} characters; at most {limit})"),
    "field_not_text": (
        "{field} 含有不是 UTF-8 文字的字节（或孤立的代理字符），无法保存",
        "{field} holds bytes that are not UTF-8 text (or a lone surrogate); it cannot be stored",
    ),
    "import_problems": ("{path} 中有 {count} 处问题；未导入任何数据", "{count} problem(s) in {path}; nothing was imported"),

    # ── exports (export / import of an hnreport export) ────────────────────────────────────
    "not_an_export": ("{path} 不是 hnreport 导出文件", "{path} is not an hnreport export"),
    "export_unreadable": ("{path} 不是可读取的 hnreport 导出文件（{reason}）", "{path} is not a readable hnreport export ({reason})"),
    "export_version": (
        "{path} 是第 {version} 版的导出文件；本 hnreport 只能读取第 {supported} 版",
        "{path} is an export of version {version}; this hnreport reads version {supported}",
    ),
    "export_other_plan": ("{path} 是规划 '{plan}' 的导出文件，不是 '{expected}' 的", "{path} is an export of plan '{plan}', not '{expected}'"),
    "export_needs_empty_db": (
        "恢复导出文件需要一个尚无任何记录的数据库；请使用 --db NEW.db",
        "restoring an export needs a database with nothing recorded yet; use --db NEW.db",
    ),
    "export_problem": ("{where}：{problem}", "{where}: {problem}"),
    "export_problems": ("{path} 中有 {count} 处问题；未恢复任何数据", "{count} problem(s) in {path}; nothing was restored"),
    "export_missing": ("缺少此项", "missing"),
    "export_empty": ("不能为空", "is empty"),
    "export_wrong_type": ("应为{expected}，实为{found}", "should be {expected}, not {found}"),
    "type_text": ("文字", "text"),
    "type_text_or_null": ("文字或 null", "text or null"),
    "type_number": ("数字", "a number"),
    "type_integer": ("整数", "an integer"),
    "type_boolean": ("布尔值（true/false）", "true/false"),
    "type_null": ("空值（null）", "null"),
    "type_list": ("列表", "a list"),
    "type_object": ("对象", "an object"),
    "export_not_finite": ("{value} 不是有限的数", "{value} is not a finite number"),
    "export_not_a_day": ("'{text}' 不是真实存在的日期（YYYY-MM-DD）", "'{text}' is not a real date (YYYY-MM-DD)"),
    "export_not_a_moment": ("'{text}' 不是时间（ISO 8601）", "'{text}' is not a moment in time (ISO 8601)"),
    "export_duplicate_id": ("记录编号 {id} 出现了两次", "observation id {id} appears twice"),
    "export_duplicate_bulletin": ("{year}年第{number}期督查通报出现了两次", "督查通报 {year} no. {number} appears twice"),
    "export_duplicate_order": ("督办〔{year}〕{number}号出现了两次", "order 督办〔{year}〕{number}号 appears twice"),
    "export_supersedes": (
        "取代记录 {id}，但它不是同一指标、同一时期中更早的记录",
        "supersedes observation {id}, which is not an earlier figure of the same target and period",
    ),
    "export_no_such_figure": ("文件中没有记录 {id}", "there is no observation {id} in the file"),
    "export_what_deadline": ("时限类型", "deadline kind"),
    "export_node_needs_text": ("时间节点需要内容（text）", "a time node needs its text"),
    "export_extension_needs_reason": ("延期需要原因（reason）", "an extension needs a reason"),
    "export_extension_not_later": ("延期后的时限须晚于当时的时限 {current}", "an extension must be later than the deadline then in force, {current}"),
    "export_no_such_report": ("文件中没有报送记录 {id}", "there is no unit report {id} in the file"),
    "export_what_answer": ("报送结果", "answer"),
    "export_what_reason": ("督办原因", "reason"),
    "export_unit_taken": ("单位名称 '{name}' 已用于单位 '{other}'", "the unit name '{name}' is already used by '{other}'"),
    "export_damaged": (
        "{path} 是已损坏的 hnreport 导出文件（{kind}: {reason}）；未恢复任何数据",
        "{path} is a damaged hnreport export ({kind}: {reason}); nothing was restored",
    ),

    # ── writing reports to files (-o) ──────────────────────────────────────────────────────
    "output_format_unknown": (
        "无法从文件名 '{name}' 判断格式；请使用 .md、.html、.xlsx、.csv、.json 或 .svg",
        "cannot tell the format of '{name}'; use .md, .html, .xlsx, .csv, .json or .svg",
    ),
    "format_needs_file": (
        "--format {fmt} 只能写入文件；请用 -o 文件名.{fmt}",
        "--format {fmt} is written to a file only; use -o FILE.{fmt}",
    ),

    # ── the database file: opening, location, schema ──────────────────────────────────────
    "db_is_directory": ("{path} 是一个文件夹，不是数据库文件", "{path} is a directory, not a database file"),
    "db_cannot_open": ("无法打开 {path}：{reason}", "cannot open {path}: {reason}"),
    "db_not_usable": ("{path} 不是可用的 hnreport 数据库（{reason}）", "{path} is not a usable hnreport database ({reason})"),
    "db_newer": (
        "{path} 由更新版本的 hnreport 写入（数据库结构版本 {version}，本版本最高支持 {latest}）；请升级 hnreport 后再使用",
        "{path} was written by a newer hnreport (schema version {version}; this version knows up to {latest}); "
        "upgrade hnreport to use it",
    ),
    "db_newer_upgrade_first": (
        "{path} 由更新版本的 hnreport 写入（数据库结构版本 {version}，本版本最高支持 {latest}）；请先升级 hnreport",
        "{path} was written by a newer hnreport (schema version {version}; this version knows up to {latest}); "
        "upgrade hnreport first",
    ),
    "db_foreign": ("{path} 是 SQLite 数据库，但不是 hnreport 的数据库", "{path} is an SQLite database but not an hnreport one"),
    "db_empty_sqlite": (
        "{path} 是空的 SQLite 数据库，不是 hnreport 数据库",
        "{path} is an empty SQLite database, not an hnreport database",
    ),
    "db_other_program": (
        "{path} 是其他程序的 SQLite 数据库，不是 hnreport 数据库",
        "{path} is an SQLite database of another program, not an hnreport database",
    ),
    "db_schema_incomplete": (
        "{path} 不是 hnreport 数据库（数据库结构版本为 {version}，但缺少 {missing}）",
        "{path} is not an hnreport database (schema version {version} but no {missing})",
    ),
    "db_truncated": (
        "{path} 已损坏：文件被截断（{size} 字节不是 {page} 字节页的整数倍）",
        "{path} is damaged: it was cut short ({size} bytes is not a whole number of {page}-byte pages)",
    ),
    # what in a database's schema departs from what the migrations create (db check, db restore)
    "schema_table": ("表", "table"),
    "schema_index": ("索引", "index"),
    "schema_trigger": ("触发器", "trigger"),
    "schema_view": ("视图", "view"),
    "schema_on": ("（作用于 {table}）", " on {table}"),
    "schema_extra": ("多出的{kind} '{name}'{on}", "an extra {kind} '{name}'{on}"),
    "schema_missing": ("缺少{kind} '{name}'{on}", "no {kind} '{name}'{on}"),
    "schema_changed": ("{kind} '{name}'{on} 的定义已被改动", "the {kind} '{name}'{on} is defined differently"),
    "schema_more": ("（另有 {count} 处不同）", " (and {count} more differences)"),
    "schema_differs": (
        "{path} 的数据库结构不是 hnreport 在结构版本 {version} 所建的：{difference}{more}",
        "{path} does not have the schema hnreport creates at version {version}: {difference}{more}",
    ),
    "schema_problem": (
        "{difference} — 不是 hnreport 的迁移在结构版本 {version} 所建的，是在 hnreport 之外改动的；请从备份恢复（'hnreport db restore FILE'）",
        "{difference} — not what hnreport's migrations create at schema {version}: changed outside hnreport; "
        "restore a backup ('hnreport db restore FILE')",
    ),
    "db_link_loop": ("{path} 是一串首尾相接的符号链接，不指向任何文件", "{path} is a loop of symbolic links that points to no file"),
    "db_link_folder_missing": (
        "{path} 是指向 {target} 的符号链接，但文件夹 {folder} 不存在",
        "{path} is a symbolic link to {target}, but the folder {folder} does not exist",
    ),
    # a database that can be read but not written (a read-only folder or file, a full disk)
    "db_read_only": (
        "无法写入 {path}：{why}；只读取的命令仍可使用", "cannot write to {path}: {why}; commands that only read still work"
    ),
    "db_needs_write": ("{path} {what}，但无法写入：{why}", "{path} {what}, but it cannot be written: {why}"),
    "needs_setup": ("尚未建立", "is not set up yet"),
    "needs_upgrade": ("需要从数据库结构版本 {version} 升级到 {latest}", "needs upgrading from schema {version} to {latest}"),
    "needs_seed": ("中的报告内容需要按本版本的 data/ 更新", "needs its seeded facts brought up to date with this release's data/"),
    "why_folder_read_only": (
        "文件夹 {folder} 为只读（SQLite 要在数据库旁写入日志文件）",
        "the folder {folder} is read-only (SQLite writes its journal files beside the database)",
    ),
    "why_file_read_only": ("文件本身为只读", "the file itself is read-only"),
    "why_no_room": ("SQLite 报告：{reason}（磁盘是否已满？）", "SQLite says: {reason} (is the disk full?)"),
    "why_sqlite": ("SQLite 报告：{reason}", "SQLite says: {reason}"),
    "db_on_network": (
        "{path} 位于网络驱动器上（{what}）：SQLite 的 WAL 模式在那里不安全，hnreport 改用 journal_mode=DELETE；请勿在多台电脑上同时写入，并经常备份",
        "{path} is on a network drive ({what}): SQLite's WAL mode is unsafe there, so hnreport uses journal_mode=DELETE; "
        "do not write from several computers at once, and back up often",
    ),
    "cannot_write_folder": ("无法写入 {folder}：{reason}", "cannot write {folder}: {reason}"),
    "migration_incomplete": ("某个迁移文件以不完整的 SQL 语句结尾", "a migration file ends with an incomplete SQL statement"),
    # why a file is not an SQLite database, after its path ("{path} {reason}")
    "file_unreadable": ("无法读取（{reason}）", "cannot be read ({reason})"),
    "file_empty_not_db": ("是空文件，不是数据库", "is empty, not a database"),
    "file_not_sqlite": ("不是 SQLite 数据库{hint}", "is not an SQLite database{hint}"),
    "hint_export_goes_to_import": (
        "（用 'hnreport export' 导出的文件请用 'hnreport import' 导回）",
        " (an export made by 'hnreport export' goes back in with 'hnreport import')",
    ),

    # ── check, backup, restore ─────────────────────────────────────────────────────────────
    "require_is_directory": ("{path} 是一个文件夹；请给出{what}文件", "{path} is a directory; give the {what} file"),
    "check_no_db": (
        "{path} 处没有可检查的数据库（'hnreport db init' 可创建）",
        "there is no database at {path} to check ('hnreport db init' creates one)",
    ),
    "op_backup": ("备份", "backup"),
    "op_restore": ("恢复", "restore"),
    "op_undo_restore": ("撤销恢复", "undoing of the restore"),
    "os_failed": ("无法完成{op}：{reason}", "cannot complete the {op}: {reason}"),
    "os_failed_at": ("无法完成{op}：{file} {reason}", "cannot complete the {op}: {file} {reason}"),
    "backup_dest_directory": (
        "{path} 是一个文件夹；请给出备份文件名，例如 {example}",
        "{path} is a directory; give a file name for the backup, e.g. {example}",
    ),
    "backup_onto_companion": (
        "{path} 是数据库自己的 {suffix} 文件；请换一个文件名", "{path} is the database's own {suffix} file; give another file name"
    ),
    "backup_onto_itself": ("{path} 就是数据库本身；请换一个文件名", "{path} is the database itself; give another file name"),
    "backup_companion_exists": (
        "{side} 已存在（{path} 处的数据库正在使用或未正常关闭）；SQLite 打开备份时会把它混入备份，请换一个文件名",
        "{side} exists (the database at {path} is in use or was not closed cleanly); SQLite would mix it into "
        "the backup when opening it, so choose another name",
    ),
    "backup_copy_failed": ("副本未通过检查（{trouble}）；未写入 {path}", "the copy failed its check ({trouble}); {path} was not written"),
    "backup_no_db": ("{path} 处没有可备份的数据库", "there is no database at {path} to back up"),
    "backup_not_db": ("{path} {reason}；没有可备份的内容", "{path} {reason}; nothing to back up"),
    "backup_failed": ("无法备份 {path}：{reason}", "cannot back up {path}: {reason}"),
    "nothing_restored": ("{problem}；未恢复任何数据", "{problem}; nothing was restored"),
    "restore_no_free_name": (
        "无法为 {path} 的副本找到可用的文件名；请清理它的 .before-restore 文件",
        "cannot find a free name for the copy of {path}; tidy up its .before-restore files",
    ),
    "restore_source_damaged": (
        "{path} 已损坏或被截断（{trouble}）；未恢复任何数据",
        "{path} is damaged or truncated ({trouble}); nothing was restored",
    ),
    "restore_no_plan": (
        "{path} 中没有规划；不是可用的 hnreport 数据库，未恢复任何数据",
        "{path} has no plan in it; not a usable hnreport database, nothing was restored",
    ),
    "restore_other_plan": (
        "{path} 中是规划 '{plan}'，不是 '{expected}'；未恢复任何数据",
        "{path} holds the plan '{plan}', not '{expected}'; nothing was restored",
    ),
    "restore_from_itself": (
        "{path} 就是正在使用的数据库；请从备份文件恢复",
        "{path} is the database in use; restore from a backup file",
    ),
    "restore_live_not_db": (
        "{path} {reason}；hnreport 不会覆盖它 — 请把它移走，或用 --db NEW.db 恢复",
        "{path} {reason}; hnreport will not overwrite it — move it away or restore with --db NEW.db",
    ),
    "restore_live_foreign": (
        "{path} 是其他程序的 SQLite 数据库；hnreport 不会覆盖它 — 请把它移走，或用 --db NEW.db 恢复",
        "{path} is an SQLite database of another program; hnreport will not overwrite it — "
        "move it away or restore with --db NEW.db",
    ),
    "restore_busy": (
        "{path} 持续被占用 {seconds:g} 秒（另一个 hnreport 正在使用）；未恢复任何数据，请重试",
        "{path} stayed busy for {seconds:g} s (another hnreport is using it); nothing was restored, try again",
    ),
    "restore_copy_failed": (
        "{path} 的副本未通过检查（{trouble}）；未恢复任何数据",
        "the copy of {path} failed its check ({trouble}); nothing was restored",
    ),

    # ── the units' monthly reports (报送表) ─────────────────────────────────────────────────
    "sheet_where": ("{path}，工作表“{sheet}”，第 {row} 行，单元格 {cell}", "{path}, sheet '{sheet}', row {row}, cell {cell}"),
    "sheet_column_no": ("序号", "序号 (no.)"),
    "sheet_column_key": ("代码", "代码 (key)"),
    "sheet_column_name": ("事项", "事项 (item)"),
    "sheet_column_figure_period": ("数据时期", "数据时期 (figure period)"),
    "sheet_not_ours": (
        "{path} 不是 hnreport 生成的报送表（没有隐藏的“{sheet}”记录）；请把 'hnreport units sheet' 生成的报送表发给单位填写",
        "{path} is not a 报送表 made by hnreport (it has no hidden '{sheet}' record); send units the sheets "
        "'hnreport units sheet' makes",
    ),
    "sheet_not_xlsx": ("{path} 不是 .xlsx 工作簿；报送表须为 .xlsx 文件", "{path} is not an .xlsx workbook; a 报送表 is an .xlsx file"),
    "sheet_version": (
        "{path} 是第 {version} 版的报送表；本 hnreport 只能读取第 {supported} 版",
        "{path} is a 报送表 of version {version}; this hnreport reads version {supported}",
    ),
    "sheet_record_damaged": (
        "{path} 的隐藏记录已损坏（{what}）；请重新生成报送表", "{path}: its hidden record is damaged ({what}); make the sheet again"
    ),
    "sheet_sheet_missing": ("{path} 中没有工作表“{sheet}”（被删除或改名）", "{path} has no sheet '{sheet}' (deleted or renamed)"),
    "sheet_too_many_rows": (
        "{path} 的工作表“{sheet}”超过 {limit} 行，不是报送表", "{path}: the sheet '{sheet}' has more than {limit} rows; not a 报送表"
    ),
    "sheet_row_added": (
        "{where}：报送表生成时没有这一行（'{found}'）；请只在原有各行中填写",
        "{where}: a row the sheet was not made with ('{found}'); fill in the rows the sheet has",
    ),
    "sheet_key_edited": (
        "{where}：“{column}”列被改动（现为 '{found}'，原为 '{written}'）；灰色各列不能修改，请单位在原表上重新填写",
        "{where}: the {column} column was changed ('{found}'; the sheet was made with '{written}'); key columns "
        "cannot be edited — have the unit fill in the sheet as it was sent",
    ),
    "sheet_cell_too_long": ("{where}：内容过长（最多 {limit} 个字符）", "{where}: too long (at most {limit} characters)"),
    "sheet_cell_problem": ("{where}：{problem}", "{where}: {problem}"),
    "sheet_bad_status": (
        "{where}：'{value}' 不是状态；请从下拉列表中选择：{choices}", "{where}: '{value}' is not a status; choose one of: {choices}"
    ),
    "sheet_status_on_target": (
        "{where}：指标的状态由数据判定，“本月状态”不填（填的是 '{value}'）",
        "{where}: a target's status follows from its figures, so its 本月状态 stays empty (found '{value}')",
    ),
    "sheet_figure_on_milestone": (
        "{where}：工作任务没有“本月数据”（填的是 '{value}'）", "{where}: a commitment has no figure (found '{value}')"
    ),
    "sheet_figure_not_due": (
        "{where}：该指标本月不报数据（填的是 '{value}'）；其数据请按统计公报用 'hnreport record' 录入",
        "{where}: no figure of this target is due this month (found '{value}'); record it from the bulletin with 'hnreport record'",
    ),
    "sheet_item_gone": ("{where}：'{key}' 已不是规划中的事项", "{where}: '{key}' is no longer an item of the plan"),
    "sheet_other_plan": (
        "{path} 是规划“{plan}”（{key}）的报送表，不是“{expected}”（{expected_key}）的",
        "{path} is a 报送表 of the plan '{plan}' ({key}), not of '{expected}' ({expected_key})",
    ),
    "why_period_given": ("按 --period", "as --period says"),
    "sheet_other_unit": ("{path} 是“{unit}”的报送表，不是“{expected}”的", "{path} is the 报送表 of {unit}, not of {expected}"),
    "sheet_other_period": (
        "{path} 是 {period} 的报送表；本次收录 {expected}（{why}）；如确要收录，请加 --period {key}",
        "{path} is the 报送表 for {period}; collecting {expected} ({why}); add --period {key} to collect it",
    ),
    "sheet_unknown_unit": (
        "{path} 是单位“{unit}”的报送表，但数据库中没有该单位", "{path} is the 报送表 of '{unit}', a unit the database does not hold"
    ),
    "sheet_twice": (
        "{path} 和 {other} 都是“{unit}” {period} 的报送表；请只收录其中一份",
        "{path} and {other} are both the 报送表 of {unit} for {period}; collect one of them",
    ),
    "collect_problems": ("{count} 处问题（{path}）；未收录任何报送表", "{count} problem(s) in {path}; nothing was collected"),
    "why_report_window": (
        "按 report.due_day（{day}日）和今天 {today}：上一期与下一期",
        "by report.due_day ({day}) and today, {today}: the last period due and the next",
    ),
    "report_period_not_month": (
        "--period 须为一个月，例如 2022-07 或 2022年7月（输入的是 '{text}'）",
        "--period names one month, e.g. 2022-07 or 2022年7月 (got '{text}')",
    ),
    "sheet_unit_or_all": (
        "请给出一个单位，或用 --all 为每个牵头单位各生成一份", "name a unit, or use --all for one sheet per lead unit"
    ),
    "sheet_unit_and_all": ("给出单位时不能再用 --all", "name a unit or use --all, not both"),
    "sheet_output_xlsx": ("{path}：报送表须存为 .xlsx 文件", "{path}: a 报送表 is an .xlsx file; give a name ending in .xlsx"),
    "sheet_output_folder": (
        "--all 为每个牵头单位各写一个文件：-o 须给出文件夹（不存在则新建），{path} 是文件",
        "--all writes one file per lead unit: give a folder with -o (made if missing), not the file {path}",
    ),
    "sheet_leads_nothing": (
        "“{unit}”没有牵头任何事项，无需报送表（可用 'hnreport assign' 分配）",
        "{unit} leads no item, so it has nothing to report (assign items with 'hnreport assign')",
    ),
    "sheet_no_lead_units": (
        "还没有任何牵头单位；请先用 'hnreport assign' 或 'hnreport assign --from 分工方案.xlsx' 分配",
        "no unit leads anything yet; assign items first with 'hnreport assign' or 'hnreport assign --from PLAN.xlsx'",
    ),

    # ── the 责任分工方案 (assign --from) ─────────────────────────────────────────────────────
    "line_where": ("{path} 第 {row} 行（单元格 {cell}）", "{path}, row {row}, cell {cell}"),
    "allocation_no_header": (
        "{path}：前 {rows} 行中没有含“工作任务”和“牵头单位”的表头（第一行为：{found}）",
        "{path}: no header with 工作任务 (task) and 牵头单位 (lead unit) in its first {rows} rows (the first row reads: {found})",
    ),
    "allocation_unknown_item": (
        "{where}：没有与“{text}”对应的事项{hint}；请在单元格中写事项的代码或准确名称",
        "{where}: no item matches '{text}'{hint}; write the item's key or its exact name in the cell",
    ),
    "allocation_ambiguous_item": (
        "{where}：“{text}”对应 {count} 个事项：{choices}；请在单元格中写其中一个的代码或准确名称",
        "{where}: '{text}' matches {count} items: {choices}; write one's key or exact name in the cell",
    ),
    "allocation_unknown_unit": (
        "{where}：未知单位“{unit}”{hint}；可用 'hnreport units add' 添加（或加别名），或加 --new-units 新建文件中的单位",
        "{where}: unknown unit '{unit}'{hint}; add it (or an alias) with 'hnreport units add', or give --new-units "
        "to create the units the file names",
    ),
    "allocation_bad_deadline": (
        "{where}：无法识别完成时限“{text}”；请写成 2022年9月底前、9月30日、2022-09-30 或 年底前",
        "{where}: cannot read the deadline '{text}'; write it as 2022年9月底前, 9月30日, 2022-09-30 or 年底前",
    ),
    "allocation_two_leads": (
        "{where}：{key} 的牵头单位为“{unit}”，但第 {line} 行为“{other}”；每项只有一个牵头单位",
        "{where}: {key} is led by {unit} here but by {other} on row {line}; an item has one lead unit",
    ),
    "allocation_two_deadlines": (
        "{where}：{key} 的完成时限与第 {line} 行不同", "{where}: {key} has another deadline than on row {line}"
    ),
    "allocation_problems": ("{path} 中有 {count} 处问题；未作任何分配", "{count} problem(s) in {path}; nothing was assigned"),
    "assign_from_and_key": (
        "--from 从文件分配；请不要同时给出 KEY 和 UNIT", "--from assigns from a file; give KEY and UNIT only without it"
    ),
    "assign_needs_key_unit": (
        "请给出事项代码和单位（hnreport assign KEY UNIT），或用 --from 分工方案.xlsx",
        "give an item's key and a unit (hnreport assign KEY UNIT), or a 分工方案 with --from FILE",
    ),

    # ── extract: a draft plan from a work report's text ────────────────────────────────────
    "extract_empty": ("{path} 是空文件，没有可提取的内容；未写出草稿", "{path} is empty: nothing to extract; no draft written"),
    "extract_binary": (
        "{path} 不是文本文件（含二进制内容）；请给出 .txt（UTF-8 或 GBK）、.docx 或另存的 .html 网页；未写出草稿",
        "{path} is not a text file (it holds binary content); give a .txt (UTF-8 or GBK), a .docx or a saved "
        ".html page; no draft written",
    ),
    "extract_old_word": (
        "{path} 是旧版 Word/WPS 文档（.doc/.wps）；请在 Word 或 WPS 中另存为 .docx 后再试；未写出草稿",
        "{path} is an old Word/WPS document (.doc/.wps); save it as .docx in Word or WPS and try again; no draft written",
    ),
    "extract_bad_docx": (
        "{path} 不是可读取的 .docx 文档（{reason}），可能已损坏；请在 Word 或 WPS 中打开后另存；未写出草稿",
        "{path} is not a readable .docx document ({reason}); it may be damaged: open it in Word or WPS and save it "
        "again; no draft written",
    ),
    "extract_docx_inflates": ("解压后过大", "it inflates too far"),
    "extract_needs_docx": ("读取 .docx 需要 python-docx；请重新安装 hnreport", "reading a .docx needs python-docx; reinstall hnreport"),
    "extract_no_figures": (
        "{path} 中没有任何指标数字（年份、日期不算），不像是一份政府工作报告；未写出草稿",
        "{path} holds no figures at all (years and dates are none): it does not look like a work report; no draft written",
    ),
    "extract_bad_key": (
        "--key '{key}' 不可用：请只用小写字母、数字和连字符，以字母开头（如 hengnan-2023）",
        "--key '{key}' cannot be used: use lowercase letters, digits and hyphens, starting with a letter "
        "(e.g. hengnan-2023)",
    ),
    "extract_wrote": (
        "已写出草稿 {path}（计划 {key}）：{targets} 个目标、{results} 项上年成绩、{milestones} 条候选承诺、{terms} 条名词解释、"
        "{sections} 个部分；每项都标有 review = true，请逐条核对",
        "wrote the draft {path} (plan {key}): {targets} targets, {results} results of the past year, {milestones} "
        "candidate commitments, {terms} glossary entries, {sections} sections; every item is marked review = true: "
        "check each",
    ),
    "extract_converted": (
        "原文为繁体，已用 OpenCC（t2s）转为简体后再读取",
        "the text is in Traditional script: converted to Simplified with OpenCC (t2s) before reading",
    ),
    "extract_damage_placeholder": (
        "原文有占位符 {text}（{count} 处，如“{example}”）：原样保留在所引原文中，请核对",
        "the text holds the placeholder {text} ({count} place(s), e.g. '{example}'): kept as printed in the phrases; check them",
    ),
    "extract_damage_mis_converted": (
        "原文有疑似转换错字 {text}（{count} 处，如“{example}”）：繁转简时读作“面”，请核对",
        "the text has {text}, which looks mis-converted ({count} place(s), e.g. '{example}'): read as 面 when converted; "
        "check them",
    ),
    "extract_damage_zhuo": (
        "文中有 {text}（{count} 处，如“{example}”），简体通常写作“着”：未改动，请核对",
        "the text has {text} ({count} place(s), e.g. '{example}'), which Simplified writes with 着: left as printed; check them",
    ),
    "extract_missing_ordinal": (
        "标题“{heading}”缺少序号：按前后次序补入方括号内",
        "the heading '{heading}' lost its number: the number its place gives is added in brackets",
    ),
    "extract_unclassified_head": (
        "{count} 个含数字的句子未能归类，请人工阅读：",
        "{count} sentence(s) with numbers could not be classified; read them:",
    ),
    "extract_unclassified": ("  {locator}：{sentence}", "  {locator}: {sentence}"),
    "extract_kinds": ("按类别：目标 {targets}；上年成绩 {results}", "by kind: targets {targets}; results {results}"),
    "extract_next": (
        "核对后载入：hnreport plan load {path} --accept-drafts",
        "once checked, load it: hnreport plan load {path} --accept-drafts",
    ),
    # ── restored from the other branch of the merge ──
    "no_period_ended_yet": (
        "{year}年尚无已结束的{frequency}期；请用 --as-of 指明数据所属时期",
        "no {frequency} period of {year} has ended yet; say which period the figure is for with --as-of",
    ),
    "why_year_over": ("{year}年已结束，按全年计", "the plan year {year} is over, so for the whole year"),
    "why_last_completed": ("按最近一个已结束的{frequency}期", "the last {frequency} period that has ended"),
    "freq_monthly": ("月度", "monthly"),
    "freq_quarterly": ("季度", "quarterly"),
    "freq_annual": ("年度", "annual"),
    "db_created": (
        "已新建数据库 {path}（已载入衡南县2022年政府工作报告）；'hnreport db path' 随时显示它的位置",
        "created the database {path} (with the 2022 plan of 衡南县 loaded); 'hnreport db path' shows where it is",
    ),

    # ── search, scorecard, publish, serve (issue 20) ─────────────────────────────────────────
    "what_search_kind": ("检索类别", "kind of hit"),
    "what_verdict": ("结论", "verdict"),
    "search_needs_text": ("请给出要查找的文字，例如：hnreport search 棚户区", "give the text to look for, e.g. hnreport search 棚户区"),
    "unknown_plan": ("未知的报告 '{plan}'；本数据库中的报告：{plans}", "unknown plan '{plan}'; the plans in this database: {plans}"),
    "limit_range": ("--limit 须在 1 到 {max} 之间", "--limit must be between 1 and {max}"),
    "wrote_site": ("已写入静态网站 {folder}（{count} 个文件；首页 {index}）", "wrote the static site {folder} ({count} files; start at {index})"),
    "wrote_publication": (
        "已写入发布库 {path} 及 Datasette 元数据 {metadata}（截至 {as_of}）",
        "wrote the publication {path} and its Datasette metadata {metadata} (as of {as_of})",
    ),
    "publish_needs_output": (
        "请说明写到哪里：-o site.db（发布库）和/或 --html 文件夹/（静态网站）",
        "say where to write: -o site.db (the publication database) and/or --html FOLDER/ (the static site)",
    ),
    "publication_suffix": ("发布库须以 .db 结尾：{name}", "the publication database's name must end in .db: {name}"),
    "site_folder_is_file": ("{folder} 是一个文件，不是文件夹", "{folder} is a file, not a folder"),
    "serve_needs_datasette": (
        "hnreport serve 需要 Datasette：pip install 'hnreport[web]'（即 datasette>=0.65,<1.0）",
        "hnreport serve needs Datasette: pip install 'hnreport[web]' (that is datasette>=0.65,<1.0)",
    ),
    "serve_missing_metadata": (
        "找不到 {path} 旁边的元数据 {metadata}；请用 hnreport publish -o {path} --force 重新生成",
        "no metadata {metadata} beside {path}; make it again with hnreport publish -o {path} --force",
    ),
    "serving": (
        "Datasette 正在 http://{host}:{port}/ 提供 {path}（只读）；按 Ctrl+C 停止",
        "Datasette is serving {path} at http://{host}:{port}/ (read-only); press Ctrl+C to stop",
    ),
    # ── why a figure or a status is for the day it is for ─────────────────────────────────
    "why_given": ("按所给日期", "as given"),
    "why_today": ("按今天", "as of today"),
    "why_plan_over": ("{year}年已结束，按年末", "the plan year {year} is over, so as of its last day"),
    "why_plan_not_begun": ("{year}年尚未开始，按年初", "the plan year {year} has not begun, so as of its first day"),

    # ── notices: what a command did (stdout), in the reader's language ──────────────────────
    "n_recorded": (
        "已录入 {key}（{name}）= {value}，时期截至 {date}（{why}，{vintage}）；记录 {id}",
        "recorded {key} ({name}) = {value} for the period ending {date} ({why}, {vintage}); observation {id}",
    ),
    "n_revised": (
        "已修订 {key}（{name}）= {value}，时期截至 {date}（{why}，{vintage}）；记录 {id}",
        "revised {key} ({name}) = {value} for the period ending {date} ({why}, {vintage}); observation {id}",
    ),
    "n_final_stands": (
        "该时期已有最终核实数，以其为准：这个初步数保留在历史中，标为已被修订",
        "the final figure for that period stands: this preliminary one is kept in history, superseded",
    ),
    "n_known_from": (
        "获知日期 {moment}（--known-at 从该日起计入；日志仍记今天的时间）",
        "known from {moment} (--known-at counts it from then; the journal keeps today's time)",
    ),
    "n_converted": ("已将 {given} 换算为 {shown}（该指标的单位）", "converted {given} to {shown}, the target's unit"),
    "n_read_as": ("{given} 按 {shown} 读取", "read {given} as {shown}"),
    "n_flagged": ("已标记：{flags}（'hnreport history {key}' 可查看）", "flagged: {flags} ('hnreport history {key}' shows it)"),
    "n_corrected": (
        "已更正 {key} 的记录 {id}：{old} → {new}（记录 {new_id}）",
        "corrected observation {id} of {key}: {old} → {new} (observation {new_id})",
    ),
    "n_retracted": ("已撤回 {key} 的记录 {id}（{date} 的 {value}）", "retracted observation {id} of {key} ({value} for {date})"),
    "n_would_restore": ("将从 {path} 恢复 {count} 个数据", "would restore {count} observations from {path}"),
    "n_restored_export": ("已从 {path} 恢复：{counts}", "restored {counts} from {path}"),
    "n_count_of": ("{what} {count}", "{count} {what}"),
    "n_ignored_columns": ("未读取的列：{columns}", "ignored column(s) {columns}"),
    "n_imported": (
        "已导入 {path}：新增 {added}，修订 {revised}，未变 {unchanged}{retracted}{said}{change}{known}",
        "imported {path}: {added} added, {revised} revised, {unchanged} unchanged{retracted}{said}{change}{known}",
    ),
    "n_would_import": (
        "将导入 {path}：新增 {added}，修订 {revised}，未变 {unchanged}{retracted}{said}{change}{known}",
        "would import {path}: {added} added, {revised} revised, {unchanged} unchanged{retracted}{said}{change}{known}",
    ),
    "n_import_retracted": ("，撤回 {count}", ", {count} retracted"),
    "n_change_undo": ("（修改 {change}；'hnreport undo' 可撤销）", " (change {change}; 'hnreport undo' reverts it)"),
    "n_import_known_from": ("；获知日期 {moment}", "; known from {moment}"),
    "n_import_implausible_needs_yes": (
        "{count} 个数据疑似有误：须加 --yes 才会导入（这些数据将被标记）",
        "{count} figure(s) look implausible: the import needs --yes to write them (they are flagged)",
    ),
    "n_import_implausible_would": (
        "{count} 个疑似有误的数据将被导入，并加标记", "{count} figure(s) that look implausible would be imported, flagged"
    ),
    "n_import_implausible_were": (
        "{count} 个疑似有误的数据已导入，并加标记", "{count} figure(s) that look implausible were imported, flagged"
    ),
    "n_paste_table": (
        "请粘贴表格（从 Excel 或 WPS 复制），然后按 Ctrl-D（Windows：Ctrl-Z 后回车）",
        "paste the table (copied from Excel or WPS), then press Ctrl-D (Windows: Ctrl-Z, Enter)",
    ),
    "n_checking_rows": ("正在检查各行", "checking rows"),
    "n_wrote": ("已写入 {path}", "wrote {path}"),
    "n_in_file": ("{path}：{line}", "{path}: {line}"),
    # a bureau's table, as the import summary says how it was read
    "bulletin_from_headers": ("表头各列", "the column headers"),
    "bulletin_year_from": ("表头各列，年份取自{origin}", "the column headers, the year from {origin}"),
    "bulletin_on_sheet": ("（工作表 {sheet}）", " (sheet {sheet})"),
    "bulletin_read_one": (
        "按统计表读取{sheet}，表头在第 {lines} 行，时期截至 {ends}（依据：{origin}）",
        "read as a bureau table{sheet}, header on line {lines}, period ending {ends} (from {origin})",
    ),
    "bulletin_read_many": (
        "按统计表读取{sheet}，共 {count} 个时期（{first} … {last}）",
        "read as a bureau table{sheet} of {count} periods ({first} … {last})",
    ),
    "bulletin_said": (
        "{read}；{figures} 个数据对应 {targets} 个指标，{skipped} 行未导入",
        "{read}; {figures} figure(s) for {targets} target(s), {skipped} row(s) not taken",
    ),
    # targets, milestones, units, settings
    "n_alias_added": (
        "'{alias}' 现为 {key}（{name}）在统计表中的名称（修改 {change}；'hnreport undo' 可撤销）",
        "'{alias}' now names {key} ({name}) in statistical tables (change {change}; 'hnreport undo' reverts it)",
    ),
    "n_alias_also_feeds": (
        "同名的行也对应 {keys}：各取其类型所需的列", "a row of that name also feeds {keys}: each takes the column its kind needs"
    ),
    "n_target_added": ("已新增指标 {key}（{name}）{comparator} {value}", "added target {key} ({name}) {comparator} {value}"),
    "n_target_revised": ("{key}：目标 {old:g} → {new}，自 {date} 起", "{key}: target {old:g} → {new} from {date}"),
    "n_milestone_set": (
        "{key}（{name}）→ {status}，截至 {date}（{why}）；修改 {change}",
        "{key} ({name}) → {status} as of {date} ({why}); change {change}",
    ),
    "n_node_marked": ("{key} 节点 {date}（{texts}）→ {mark}；修改 {change}", "{key} node {date} ({texts}) → {mark}; change {change}"),
    "n_assigned": ("{unit} → {kind} {key} 的{role}单位{replaced}", "{unit} → {role} of {kind} {key}{replaced}"),
    "n_assigned_already": ("{unit} 已是 {key} 的{role}单位，未作改动", "{unit} already has the {role} role for {key}; nothing changed"),
    "n_replaces_lead": ("（取代原牵头单位 {unit}）", " (replaces {unit} as lead)"),
    "n_rows_skipped": ("第 {rows} 行既无单位也无时限（标题行？），已跳过", "row(s) {rows} name no unit and no deadline (headings?): skipped"),
    "n_allocation_counts": (
        "{items} 项：牵头单位 {leads} 个，配合单位 {supports} 个，待设时限 {dues} 个{new_units}",
        "{items} item(s): {leads} lead(s), {supports} supporting unit(s), {dues} deadline(s) to set{new_units}",
    ),
    "n_new_units": ("，新单位 {count} 个：{names}", ", {count} new unit(s): {names}"),
    "n_would_assign_from": ("将按 {path} 分配：{counts}", "would assign from {path}: {counts}"),
    "n_allocation_nothing": (
        "{path}：无需修改 — 其中每项分配和时限均已记录", "{path}: nothing to change — every assignment and deadline in it is already recorded"
    ),
    "n_assigned_from": (
        "已按 {path} 分配：{counts}；{changed} 项有改动（修改 {change}；'hnreport undo' 可撤销）",
        "assigned from {path}: {counts}; {changed} item(s) changed (change {change}; 'hnreport undo' reverts it)",
    ),
    "n_wrote_sheet": (
        "已写入{unit} {period} 的报送表（{count} 项，{due} 前报送）：{path}",
        "wrote the 报送表 of {unit} for {period} ({count} items, due {due}) to {path}",
    ),
    "n_collected_before": ("{path}：{unit}，{period} — 此前已收录，无新内容", "{path}: {unit}, {period} — collected before, nothing new"),
    "n_collected": (
        "已收录 {path}：{unit}，{period} — 已报 {reported} 项（状态 {statuses} 个，数据 {figures} 个），未变 {unchanged} 项，未填 {blank} 项",
        "collected {path}: {unit}, {period} — {reported} reported ({statuses} status(es), {figures} figure(s)), "
        "{unchanged} unchanged, {blank} left blank",
    ),
    "n_would_collect": (
        "将收录 {path}：{unit}，{period} — 已报 {reported} 项（状态 {statuses} 个，数据 {figures} 个），未变 {unchanged} 项，未填 {blank} 项",
        "would collect {path}: {unit}, {period} — {reported} reported ({statuses} status(es), {figures} figure(s)), "
        "{unchanged} unchanged, {blank} left blank",
    ),
    "n_collect_nothing": ("无改动：每份报送表此前均已按原样收录", "nothing changed: every sheet was collected before as it is"),
    "n_collect_change": ("修改 {change}；'hnreport undo' 可撤销整次收录", "change {change}; 'hnreport undo' reverts the whole collect"),
    "n_setting_set": ("{key} = {value}{scope}", "{key} = {value}{scope}"),
    "n_setting_already": ("{key} 已是 {value}{scope}，未作改动", "{key} is {value}{scope} already; nothing changed"),
    "for_target": ("（指标 {key}）", " for {key}"),
    # the journal: undo and redo
    "n_would_undo": ("将撤销修改 {change}（{at}，{user}）：{summary}", "would undo change {change} ({at}, {user}): {summary}"),
    "n_change_line": ("修改 {change}（{at}，{user}）：{summary}", "change {change} ({at}, {user}): {summary}"),
    "n_undone": ("已撤销修改 {change}：{summary}", "undone change {change}: {summary}"),
    "n_redone": ("已重做修改 {change}：{summary}", "redone change {change}: {summary}"),
    "n_undone_in_plan": ("已撤销计划 {plan} 的修改 {change}：{summary}", "undone change {change} of plan {plan}: {summary}"),
    "n_redone_in_plan": ("已重做计划 {plan} 的修改 {change}：{summary}", "redone change {change} of plan {plan}: {summary}"),
    "n_undone_restore": (
        "已撤销修改 {change}：从 {source} 的恢复；已从 {saved_from} 换回被替换的数据库",
        "undone change {change}: the restore of {source}; put back the database it replaced, from {saved_from}",
    ),
    "n_restored_saved_as": (
        "恢复后的数据库已存为 {path}；记入日志，修改 {change}", "the restored database is saved as {path}; journalled as change {change}"
    ),
    # the database file
    "n_db_ready": (
        "数据库已就绪：{path}（结构版本 {version}，指标 {targets} 个，2021年结果 {results} 项，数据 {observations} 个）",
        "database ready: {path} (schema {version}, {targets} targets, {results} results of 2021, {observations} observations)",
    ),
    "n_checked": ("{count}{what}", "{count} {what}"),
    "n_check_ok": (
        "正常：{path}：完整性与外键无误，报告内容与 data/ 一致（{counts}）{older}",
        "ok: {path}: integrity and foreign keys sound, seeded plan matches data/ ({counts}){older}",
    ),
    "n_check_plans_not_checked": (
        "另有 {count} 个计划载入时数据库尚未保存计划文件，其内容未核对；用 'hnreport plan load FILE' 再载入一次原文件即可核对",
        "{count} more plan(s) were loaded before the database kept plan files, so their facts were not checked; load each "
        "file once more ('hnreport plan load FILE') to have them checked",
    ),
    "n_check_ok_plans": (
        "正常：{path}：完整性与外键无误，各计划内容与 data/ 及载入的计划文件一致（{counts}）{older}",
        "ok: {path}: integrity and foreign keys sound, every plan's seeded facts match data/ and the plan files loaded ({counts}){older}",
    ),
    "n_check_older": (
        "；数据库结构版本 {version}（下一条 hnreport 命令会将其迁移到 {latest}）",
        "; schema {version} (the next hnreport command migrates it to {latest})",
    ),
    "n_backed_up": (
        "已将 {path} 备份到 {copy}（结构版本 {version}，数据 {observations} 个，{size} 字节）",
        "backed up {path} to {copy} (schema {version}, {observations} observations, {size} bytes)",
    ),
    "n_restore_saved": ("被替换的数据库已存为 {path}{how}", "saved the database it replaces to {path}{how}"),
    "n_restore_saved_raw": ("（逐字节复制：它已损坏）", " (byte for byte: it is damaged)"),
    "n_restore_nothing_saved": ("{path} 处原本没有数据库，无需保存", "there was no database at {path}; nothing needed saving"),
    "n_migrated_from": ("，已从结构版本 {version} 迁移", ", migrated from schema {version}"),
    "n_restored_db": (
        "已将 {source} 恢复到 {path}（结构版本 {version}{migrated}；数据 {observations} 个，日志 {entries} 条）",
        "restored {source} into {path} (schema {version}{migrated}; {observations} observations, {entries} journal entries)",
    ),
    "n_restore_journalled": ("记入日志，修改 {change}{undo}", "journalled as change {change}{undo}"),
    "n_restore_undo_hint": ("；'hnreport undo' 可换回被替换的数据库", "; 'hnreport undo' puts back the database it replaced"),

    # ── the journal: what each change did, kept as a code and shown in the reader's language ──
    "j_record_started": ("录入", "record"),
    "j_recorded": ("录入 {key} = {value}（{date}，{vintage}）", "recorded {key} = {value} for {date} ({vintage})"),
    "j_revised": (
        "修订 {key} = {value}（{date}，{vintage}），原为 {was:g}（记录 {id}）",
        "revised {key} = {value} for {date} ({vintage}), was {was:g} (observation {id})",
    ),
    "j_recorded_final_stands": (
        "录入 {key} = {value}（{date}，{vintage}）；最终核实数 {final:g}（记录 {id}）仍有效",
        "recorded {key} = {value} for {date} ({vintage}); the final figure {final:g} (observation {id}) stands",
    ),
    "j_corrected": ("更正 {key} 的记录 {id}（{date}）：{old} → {new}", "corrected observation {id} of {key} for {date}: {old} → {new}"),
    "j_retracted": ("撤回 {key} 的记录 {id}（{date} 的 {value:g}）", "retracted observation {id} of {key} ({value:g} for {date})"),
    "j_import_started": ("导入 {path}", "imported {path}"),
    "j_imported": (
        "导入 {path}：新增 {added}，修订 {revised}，未变 {unchanged}",
        "imported {path}: {added} added, {revised} revised, {unchanged} unchanged",
    ),
    "j_restored_export": ("恢复导出文件 {path}", "restored export {path}"),
    "j_restored_export_backfilled": ("恢复导出文件 {path}：补录数据 {count} 个", "restored export {path}: {count} back-filled figure(s)"),
    "j_config_set": ("设置 {pairs}{scope}", "set {pairs}{scope}"),
    "j_target_revised": ("调整目标 {key}：{old:g} → {new:g}，自 {date} 起", "revised target {key}: {old:g} → {new:g} from {date}"),
    "j_alias": ("{key}：统计表名称 '{alias}'", "{key}: statistical name '{alias}'"),
    "j_target_added": ("新增指标 {key}（{name}）", "added target {key} ({name})"),
    "j_milestone_added": ("新增工作任务 {key}（{name}）", "added milestone {key} ({name})"),
    "j_milestone_set": ("{key} → {status}，截至 {date}", "{key} → {status} as of {date}"),
    "j_extended": ("{key} 延期至 {date}", "{key} extended to {date}"),
    "j_due": ("{key} 完成时限 {date}{nodes}", "{key} due {date}{nodes}"),
    "with_nodes": ("，含 {count} 个时间节点", " with {count} time node(s)"),
    "j_node_marked": ("{key} 节点 {date}{texts} → {mark}", "{key} node {date}{texts} → {mark}"),
    "j_unit_added": ("单位 {name}{aliases}", "unit {name}{aliases}"),
    "with_aliases": ("（别名：{aliases}）", " (aliases: {aliases})"),
    "n_unit_already": ("单位 {unit} 已有{aliases}，未作改动", "the unit {unit} is already recorded{aliases}; nothing changed"),
    "n_unit_already_alias": (
        "'{name}' 已是单位 {unit} 的别名{aliases}，未作改动",
        "'{name}' already names the unit {unit}{aliases}; nothing changed",
    ),
    "j_bulletin_issued": ("印发{year}年第{number}期督查通报（{title}，截至 {as_of}）", "issued 督查通报 {year} no. {number} ({title}, as of {as_of})"),
    "j_orders_issued": ("下发督办单：{orders}", "issued orders: {orders}"),
    "j_order_replied": ("登记 {unit} 对 {number} 的回复（{replied_on}）", "recorded {unit}'s reply to {number} ({replied_on})"),
    "j_assigned": ("{unit} → {key} 的{role}单位", "{unit} → {role} of {key}"),
    "j_assigned_from": (
        "按 {path} 分配：牵头单位 {leads} 个，配合单位 {supports} 个，时限 {dues} 个{new_units}",
        "assigned from {path}: {leads} lead(s), {supports} supporting unit(s), {dues} deadline(s){new_units}",
    ),
    "with_new_units": ("，新单位 {count} 个", ", {count} new unit(s)"),
    "j_collect_started": ("收录 {files}", "collected {files}"),
    "j_collected": ("收录 {sheets}", "collected {sheets}"),
    "j_collected_sheet": (
        "{unit} {period}（{path}）：状态 {statuses} 个，数据 {figures} 个，未变 {unchanged} 项，未填 {blank} 项",
        "{unit} {period} from {path}: {statuses} status(es), {figures} figure(s), {unchanged} unchanged, {blank} blank",
    ),
    "j_undid": ("撤销修改 {change}：{summary}", "undid change {change}: {summary}"),
    "j_redid": ("重做修改 {change}：{summary}", "redid change {change}: {summary}"),
    "j_restored_db": (
        "从 {source} 恢复数据库；被替换的数据库已存为 {saved_to}",
        "restored the database from {source}; the database it replaced is saved as {saved_to}",
    ),
    "j_restored_db_fresh": ("从 {source} 恢复数据库；原先没有数据库可替换", "restored the database from {source}; there was no database to replace"),
    "j_restore_undone": (
        "撤销从 {source} 的恢复（{at}，恢复后数据库的修改 {change}）：已从 {saved_from} 换回被替换的数据库；恢复后的数据库已存为 {saved_to}",
        "undid the restore of {source} (made at {at}, change {change} of the restored database): put back the database it "
        "replaced, from {saved_from}; the restored database is saved as {saved_to}",
    ),

    # ── db check: one line per problem ─────────────────────────────────────────────────────
    "check_line": ("{check}：{problem}", "{check}: {problem}"),
    "check_damaged": (
        "{reason}（文件已损坏或被截断；'hnreport db restore BACKUP' 可替换它）",
        "{reason} (the file is damaged or truncated; 'hnreport db restore BACKUP' replaces it)",
    ),
    "check_failed_reading": ("{reason}（检查{what}时）", "{reason} while checking the {what}"),
    "check_what_schema": ("数据库结构", "schema"),
    "check_what_foreign_keys": ("外键", "foreign keys"),
    "check_what_seed": ("报告内容", "seeded plan"),
    "check_what_journal": ("日志", "journal"),
    "check_what_rows": ("各行数据", "rows"),
    "check_what_search": ("检索索引", "search index"),
    "check_foreign_key": ("{table} 的第 {rowid} 行引用的 {parent} 行不存在", "{table} row {rowid} refers to a {parent} row that does not exist"),
    "check_no_plan_row": ("缺少规划行；请从备份恢复（'hnreport db restore FILE'）", "the plan row is missing; restore a backup ('hnreport db restore FILE')"),
    "check_seed_other_version": (
        "报告内容来自另一版本的 data/；任何一条 hnreport 命令（例如 'hnreport db init'）都会将其更新",
        "the seeded facts come from another version of data/ than the one installed; any hnreport command "
        "(e.g. 'hnreport db init') brings them up to date",
    ),
    "check_plan_missing": ("计划 {plan} 的文件 {file} 中的{name}在数据库中缺失", "{name} of plan {plan}'s file {file} is missing from the database"),
    "check_plan_changed": (
        "{name}：{column} 在数据库中为 {have}，在计划 {plan} 的文件 {file} 中为 {want}（在 hnreport 之外被改动：没有日志记录可解释）",
        "{name}: {column} is {have} in the database but {want} in plan {plan}'s file {file} (changed outside hnreport: no journal "
        "entry explains it)",
    ),
    "check_plan_extra": ("{name} 在数据库中标为计划 {plan} 的内容，但其文件 {file} 中没有", "{name} is in the database as seeded by plan {plan} but not in its file {file}"),
    "check_plan_alias_missing": (
        "计划 {plan} 的文件 {file} 中 {key} 的统计表名称 {alias} 在数据库中缺失",
        "target alias {alias} of {key} in plan {plan}'s file {file} is missing from the database",
    ),
    "check_plan_alias_changed": (
        "{key} 的统计表名称 {alias}：数据库中为 {have}（来源 {have_source}），计划 {plan} 的文件 {file} 中为 {want}（来源 {want_source}）（在 hnreport 之外被改动）",
        "target alias {alias} of {key}: the database has {have} from {have_source} but plan {plan}'s file {file} {want} from "
        "{want_source} (changed outside hnreport)",
    ),
    "check_plan_alias_extra": (
        "{key} 的统计表名称 {alias} 在数据库中标为计划 {plan} 的内容，但其文件 {file} 中没有",
        "target alias {alias} of {key} is in the database as seeded by plan {plan} but not in its file {file}",
    ),
    "check_plan_file_changed": (
        "数据库保存的计划 {plan} 的文件 {file} 与载入时不符（在 hnreport 之外被改动）；其内容无法核对，请重新载入该文件（'hnreport plan load FILE'）",
        "the copy of plan {plan}'s file {file} kept in the database is not the file that was loaded (changed outside hnreport), "
        "so its facts cannot be checked; load the file again ('hnreport plan load FILE')",
    ),
    "check_search_index": (
        "全文检索索引已损坏（{reason}）：'hnreport search' 可能漏掉或错列结果；'hnreport db restore BACKUP' 可用备份替换数据库",
        "the full-text search index is damaged ({reason}): 'hnreport search' may miss or misplace hits; "
        "'hnreport db restore BACKUP' replaces the database with a backup",
    ),
    "check_label_plan": ("规划", "the plan"),
    "check_label_section": ("部分", "section"),
    "check_label_result": ("2021年结果", "result"),
    "check_label_glossary": ("名词解释", "glossary term"),
    "check_named": ("{what} {key}", "{what} {key}"),
    "check_seed_missing": ("data/{file} 中的{name}在数据库中缺失", "{name} of data/{file} is missing from the database"),
    "check_seed_changed": (
        "{name}：{column} 在数据库中为 {have}，在 data/{file} 中为 {want}（在 hnreport 之外被改动：没有日志记录可解释）",
        "{name}: {column} is {have} in the database but {want} in data/{file} (changed outside hnreport: no journal entry explains it)",
    ),
    "check_seed_extra": ("{name} 在数据库中标为报告内容，但 data/{file} 中没有", "{name} is in the database as seeded but not in data/{file}"),
    "check_alias_missing": (
        "data/aliases.toml 中 {key} 的统计表名称 {alias} 在数据库中缺失",
        "target alias {alias} of {key} in data/aliases.toml is missing from the database",
    ),
    "check_alias_changed": (
        "{key} 的统计表名称 {alias}：数据库中为 {have}（来源 {have_source}），data/aliases.toml 中为 {want}（来源 {want_source}）（在 hnreport 之外被改动）",
        "target alias {alias} of {key}: the database has {have} from {have_source} but data/aliases.toml {want} from {want_source} "
        "(changed outside hnreport)",
    ),
    "check_alias_extra": (
        "{key} 的统计表名称 {alias} 在数据库中标为报告内容，但 data/aliases.toml 中没有",
        "target alias {alias} of {key} is in the database as seeded but not in data/aliases.toml",
    ),
    "check_unjournalled": (
        "记录 {id}（{key}，{as_of}）没有日志记录：它是在 hnreport 之外写入的",
        "observation {id} ({key}, {as_of}) has no journal entry: it was written outside hnreport",
    ),
    "check_revision_link": (
        "目标调整 {id}（{key} → {value:g}）关联的日志修改 {change} 是 {of} 的 '{action}'，它不调整目标：是在 hnreport 之外写入的",
        "target revision {id} ({key} → {value:g}) is linked to journal change {change}, a '{action}' of {of}, which does not "
        "revise targets: it was written outside hnreport",
    ),
    "check_no_target": ("无指标", "no target"),
    "check_not_a_date": ("{noun} {id}：{column} {day} 不是真实存在的日期", "{noun} {id}: {column} {day} is not a real date"),
    "check_outside_year": ("{noun} {id}：{column} {day} 不在规划年度 {year} 内", "{noun} {id}: {column} {day} is outside the plan year {year}"),
    "check_not_finite": ("{noun} {id}：数值 {value} 不是有限的数", "{noun} {id}: value {value} is not a finite number"),
    "check_bad_supersedes": (
        "记录 {id} 取代记录 {older}，但后者不是同一指标、同一时期中更早的记录",
        "observation {id} supersedes observation {older}, which is not an earlier figure of the same target and period",
    ),
    "check_bad_flag": ("记录 {id}：标记 {flag} 不是 hnreport 写入的标记（{flags}）", "observation {id}: flag {flag} is not one hnreport writes ({flags})"),
    "check_decimals": ("记录 {id}：按 {places} 位小数，{value} 会显示为 {shown}", "observation {id}: {places} decimal(s) would show {value} as {shown}"),
    "check_too_long": (
        "{table} 第 {id} 行：{field} 有 {length} 个字符，超过 {limit}",
        "{table} row {id}: {field} is {length} characters long, more than {limit}",
    ),
    "check_report_period": (
        "报送记录 {id}：时期 {period} 不是规划年度 {year} 的月份", "unit report {id}: period {period} is not a month of the plan year {year}"
    ),
    "check_unit_empty": ("单位 {id} 的名称为空 {name}", "unit {id} has an empty name {name}"),
    "check_unit_twice": ("单位 {id} 的名称 {name} 与单位 {other} 相同", "unit {id} has the name {name} of unit {other}"),
    "check_unit_alias_empty": ("单位别名 {id} 为空 {alias}", "unit alias {id} is empty {alias}"),
    "check_unit_alias_twice": ("单位别名 {id}（{alias}）与单位别名 {other} 重复", "unit alias {id} ({alias}) repeats unit alias {other}"),
    "check_unit_alias_names_unit": ("单位别名 {id}（{alias}）是另一个单位（{other}）的名称", "unit alias {id} ({alias}) is the name of another unit ({other})"),
    "check_target_alias_empty": ("统计表名称 {id} 为空 {alias}", "target alias {id} is empty {alias}"),
    "check_target_alias_norm": (
        "统计表名称 {id}（{alias}）按 {norm} 比较，但应读作 {reads}",
        "target alias {id} ({alias}) is kept as compared as {norm}, but reads as {reads}",
    ),
    # ── plans (issue 18) ───────────────────────────────────────────────────────────────────
    "plan_unknown": ("未知计划 '{key}'{hint}", "unknown plan '{key}'{hint}"),
    "plans_are": ("；已有计划：{keys}", "; the plans are: {keys}"),
    "no_plan": (
        "数据库中没有计划；请用 hnreport plan load FILE 载入一个（或 undo 撤销删除）",
        "the database holds no plan; load one with hnreport plan load FILE (or undo its removal)",
    ),
    "no_plans": ("数据库中没有计划", "the database holds no plan"),
    "plan_in_use": ("此后命令默认针对计划 {plan}（{name}）", "commands now work on plan {plan} ({name})"),
    "plan_added": ("已载入计划 {plan}（{name}）：{targets} 项指标，{milestones} 项事项",
                   "loaded plan {plan} ({name}): {targets} targets, {milestones} milestones"),
    "plan_updated": ("已更新计划 {plan}（{name}）的载入内容：{targets} 项指标，{milestones} 项事项；用户录入的数据未改动",
                     "updated the seeded facts of plan {plan} ({name}): {targets} targets, {milestones} milestones; "
                     "nothing users recorded was touched"),
    "plan_unchanged": ("计划 {plan}（{name}，{targets} 项指标，{milestones} 项事项）已是该文件的内容，未作改动",
                       "plan {plan} ({name}; {targets} targets, {milestones} milestones) already holds this file; nothing changed"),
    "plan_would_be_added": ("将载入新计划 {plan}：{targets} 项指标，{milestones} 项事项（未写入）",
                            "would load the new plan {plan}: {targets} targets, {milestones} milestones (nothing written)"),
    "plan_would_be_updated": ("将更新计划 {plan}：{targets} 项指标，{milestones} 项事项（未写入）",
                              "would update plan {plan}: {targets} targets, {milestones} milestones (nothing written)"),
    "plan_would_be_unchanged": ("计划 {plan}（{targets} 项指标，{milestones} 项事项）已是该文件的内容，不会改动",
                                "plan {plan} ({targets} targets, {milestones} milestones) already holds this file; nothing would change"),
    "plan_exported": ("已将计划 {plan} 写入 {path}", "wrote plan {plan} to {path}"),
    "plan_removed": ("已删除计划 {plan}（变更 {change}；hnreport undo 可恢复）", "removed plan {plan} (change {change}; hnreport undo brings it back)"),
    "plan_has_user_rows": (
        "计划 {plan} 含有用户录入的数据（{what}）；确要删除请加 --force（hnreport undo 可恢复）",
        "plan {plan} holds what users recorded ({what}); add --force to remove it anyway (hnreport undo brings it back)",
    ),
    "plan_load_embedded": (
        "{key} 是内置计划，随 hnreport 的 data/ 更新，不能从文件载入；请在计划文件中换一个 key",
        "{key} is the embedded plan, kept up to date from hnreport's data/, not from a file; give the plan file another key",
    ),
    "planfile_problems": ("计划文件 {path} 有 {count} 处问题，未写入任何内容：", "the plan file {path} has {count} problem(s); nothing was written:"),
    "planfile_is_directory": ("{path} 是一个文件夹；请给出计划文件（.toml）", "{path} is a directory; give a plan file (.toml)"),
    "planfile_not_utf8": ("{path} 不是 UTF-8 文本；请以 UTF-8 保存计划文件", "{path} is not UTF-8 text; save the plan file as UTF-8"),
    "planfile_syntax": ("TOML 格式错误：{reason}", "not valid TOML: {reason}"),
    "planfile_unknown_table": ("未知的表 [{table}]（可用：{tables}）", "unknown table [{table}] (known: {tables})"),
    "planfile_no_plan": ("缺少 [plan] 表", "the [plan] table is missing"),
    "planfile_missing_field": ("{item} 缺少字段 {field}", "{item} lacks the field {field}"),
    "planfile_bad_plan_key": ("计划的 key '{key}' 只能由小写字母、数字和 - . _ 组成，如 hengnan-2023",
                              "the plan's key '{key}' may hold only lower-case letters, digits and - . _, e.g. hengnan-2023"),
    "planfile_bad_key": ("{item}：key 只能由字母、数字和 - . _ 组成", "{item}: a key may hold only letters, digits and - . _"),
    "planfile_bad_year": ("year 应为 1949–2100 之间的整数，而不是 {value!r}", "year must be a whole number 1949–2100, not {value!r}"),
    "planfile_bad_date": ("{field} 应为日期（2023-03-20），而不是 {value!r}", "{field} must be a date (2023-03-20), not {value!r}"),
    "planfile_not_array": ("[[{table}]] 应为表数组", "[[{table}]] must be an array of tables"),
    "planfile_draft": ("{item} 是待审核的草稿（review = true，可信度 {confidence}）",
                       "{item} is a draft awaiting review (review = true, confidence {confidence})"),
    "planfile_drafts_hint": ("审核后删去 review = true，或加 --accept-drafts 照样载入这 {count} 项草稿",
                             "review them and delete review = true, or add --accept-drafts to load the {count} draft(s) as they are"),
    "planfile_duplicate": ("{item} 与第 {first} 行的重复", "{item} repeats the key of line {first}"),
    "planfile_duplicate_name": ("{item}：名称 {name} 与第 {first} 行的指标重复", "{item}: the name {name} is that of the target on line {first}"),
    "planfile_no_such": ("{item}：{field} = {value!r} 不在 {what} 中", "{item}: {field} = {value!r} is no {what} of the file"),
    "planfile_bad_choice": ("{item}：{field} = {value!r} 不是可用值（{choices}）", "{item}: {field} = {value!r} is not one of {choices}"),
    "planfile_bad_value": ("{item}：value 应为数字，而不是 {value!r}", "{item}: value must be a number, not {value!r}"),
    "planfile_bad_names": ("{item}：names 应为文本列表", "{item}: names must be a list of texts"),
    "planfile_bad_number": ("{item}：number 应为整数，而不是 {value!r}", "{item}: number must be a whole number, not {value!r}"),
    "migration_broke_reference": ("迁移 {number} 破坏了表 {table} 的引用；数据库未改动", "migration {number} broke a reference of the table {table}; the database is unchanged"),
    "outcomes_same_plan": ("--from 与 --for 是同一个计划 {plan}", "--from and --for name the same plan {plan}"),
    "outcome_dry_run": ("将记录", "would record"),
    "outcome_already": ("已有", "already recorded"),
    "outcome_unmatched_no_target": ("未匹配：无对应指标", "unmatched: no such target"),
    "outcome_unmatched_kind": ("未匹配：类型不同", "unmatched: another kind of figure"),
    "outcome_unmatched_unit": ("未匹配：单位不同", "unmatched: another unit"),
    "outcome_unmatched_ambiguous": ("未匹配：对应多个指标", "unmatched: fits several targets"),
    "outcomes_would_record": ("将为 {plan} 记录 {count} 项年终结果；{unmatched} 项未匹配（未写入）",
                              "would record {count} year-end outcome(s) of {plan}; {unmatched} unmatched (nothing written)"),
    "outcomes_recorded": ("已为 {plan} 记录 {count} 项年终结果（变更 {change}）；{unmatched} 项未匹配",
                          "recorded {count} year-end outcome(s) of {plan} (change {change}); {unmatched} unmatched"),
    "unknown_county": ("未知的县 '{county}'（已有：{counties}）", "unknown county '{county}' (the counties are: {counties})"),
    "ledger_so_far": ("（截至{day}，年度未完）", " (as of {day}; the year is not over)"),
    "ledger_empty": ("没有可列出的指标", "no targets to list"),
    "ledger_review_note": ("* 当年结果取自次年报告的回顾（尚未记录为数据；hnreport plan outcomes 可记录）",
                           "* the outcome as the next year's review states it (not recorded as a figure yet; hnreport plan outcomes records it)"),
    "wrote_file": ("已写入 {path}", "wrote {path}"),
    "j_plan_loaded": ("从 {path} 载入计划 {plan}", "loaded plan {plan} from {path}"),
    "j_plan_updated": ("从 {path} 更新计划 {plan}", "updated plan {plan} from {path}"),
    "j_plan_removed": ("删除计划 {plan}", "removed plan {plan}"),
    "j_plan_used": ("默认计划改为 {plan}（plan.current）", "set plan.current = {plan}"),
    "j_plan_outcomes": ("按 {newer} 的回顾为 {plan} 记录 {count} 项年终结果", "recorded {count} outcome(s) of {plan} from {newer}'s review"),
}
