"""tables.find_table on the sheets both of its readers meet: a bureau's 统计月报 (see
test_statsheet) and a department's 责任分工方案 (workbooks.ALLOCATION_HEADERS, read by
``assign --from``; the command itself is tested in test_unit_reports).

Rows are given as openpyxl's read-only mode and a CSV export give them: a merged cell's text in
its first cell, the others empty — or, for a sheet whose merged cells were undone and filled
(WPS 拆分并填充), the label written again in each.
"""

from __future__ import annotations

import pytest

from hnreport.tables import find_table
from hnreport.workbooks import ALLOCATION_HEADERS

NEEDS = ("task", "lead")


def allocation(rows: list[list]):
    return find_table(iter(enumerate(rows, start=1)), ALLOCATION_HEADERS, needs=NEEDS, scan=20)


def first_columns(found) -> dict[str, int]:
    return {role: columns[0] for role, columns in found.roles.items() if columns and role != "unread"}


# Every heading the 分工方案's vocabulary has read since issue 14, and those it leaves alone.
@pytest.mark.parametrize(("heading", "role"), [
    ("序号", "number"), ("序 号", "number"), ("编号", "number"), ("序", "number"), ("No.", "number"), ("No", "number"),
    ("序号（按领域）", "number"), ("代码", "key"), ("事项代码", "key"), ("指标代码", "key"), ("KEY", "key"),
    ("工作任务", "task"), ("重点工作", "task"), ("工作内容", "task"), ("主要任务", "task"), ("目标任务", "task"),
    ("项目名称", "task"), ("事项", "task"), ("指标名称", "task"), ("任 务", "task"),
    ("牵头单位", "lead"), ("责任单位", "lead"), ("主责单位", "lead"), ("责任部门", "lead"), ("负责单位", "lead"),
    ("承办单位", "lead"), ("牵头", "lead"), ("牵头部门", "lead"), ("责任单位（牵头）", "lead"),
    ("配合单位", "support"), ("协同单位", "support"), ("协助单位", "support"), ("协办单位", "support"),
    ("参与单位", "support"), ("配合部门", "support"),
    ("完成时限", "deadline"), ("时间节点", "deadline"), ("完成时间", "deadline"), ("完成期限", "deadline"),
    ("截止时间", "deadline"), ("完成日期", "deadline"), ("时间要求", "deadline"), ("进度要求", "deadline"),
    ("工作任务及完成时限", "deadline"),
    ("牵头县领导", None), ("责任领导", None), ("责任人", None), ("联系人", None), ("备注", None), ("联系电话", None),
    ("主体单位", None), ("说明", None),
])  # fmt: skip
def test_the_allocation_vocabulary_names_each_heading_as_before(heading, role):
    found = allocation([["工作任务", "牵头单位", heading], ["土谷塘大桥通车", "县交通运输局", "x"]])
    roles = {r for r, columns in found.roles.items() if 2 in columns} - {"unread"}
    assert roles == ({role} if role else set())


def test_a_header_with_a_leaders_column_and_a_merged_unit_label_over_two_rows():
    # As openpyxl's read-only mode gives the test_unit_reports workbook: 责任单位 merged D3:E3
    # over 牵头单位 | 配合单位, the other headings merged down over both rows.
    found = allocation([["衡南县2022年政府工作报告重点工作责任分工方案"], ["衡南政办发〔2022〕5号"],
                        ["序号", "工作任务", "牵头县领导", "责任单位", None, "完成时限"],
                        [None, None, None, "牵头单位", "配合单位", None], ["一、稳增长"],
                        [1, "土谷塘大桥通车", "张三", "交通局", "县财政局", "9月底前建成通车"]])  # fmt: skip
    assert found.header_lines == (3, 4)
    assert found.title == ["衡南县2022年政府工作报告重点工作责任分工方案", "衡南政办发〔2022〕5号"]
    assert [found.header(i) for i in range(6)] == ["序号", "工作任务", "牵头县领导", "责任单位 牵头单位", "责任单位 配合单位", "完成时限"]
    assert found.roles == {"unread": [2], "number": [0], "key": [], "support": [4], "lead": [3], "deadline": [5], "task": [1]}
    assert [line for line, _ in found.rows] == [5, 6]


@pytest.mark.parametrize("rows", [
    # the merged cells undone and their labels written in every cell (WPS 拆分并填充)
    [["序号", "工作任务", "牵头县领导", "责任单位", "责任单位", "完成时限"],
     ["序号", "工作任务", "牵头县领导", "牵头单位", "配合单位", "完成时限"]],
    # a CSV export: the merged label in its first cell, short sub-labels
    [["序号", "工作任务", "牵头县领导", "责任单位", "", "完成时限"], ["", "", "", "牵头", "配合", ""]],
    # sub-labels hnreport does not know under a label it does: the label decides
    [["序号", "工作任务", "牵头县领导", "承办单位", "", "完成时限"], ["", "", "", "主办", "协办", ""]],
])  # fmt: skip
def test_a_two_row_header_is_read_however_its_merged_cells_come(rows):
    found = allocation([*rows, ["1", "土谷塘大桥通车", "张三", "县交通运输局", "县财政局", "9月底"]])
    assert found.header_lines == (1, 2)
    assert first_columns(found) == {"number": 0, "task": 1, "lead": 3, "support": 4, "deadline": 5}
    assert [line for line, _ in found.rows] == [3]


def test_a_columns_lowest_heading_decides_its_role():
    # 配合单位 before 牵头单位 under 责任单位: the first column is the supporting units'
    found = allocation([["工作任务", "责任单位", None], [None, "配合单位", "牵头单位"], ["土谷塘大桥通车", "县财政局", "县交通运输局"]])
    assert first_columns(found) == {"task": 0, "support": 1, "lead": 2}
    # a leaders' column under 责任单位 is not the lead unit's
    found = allocation([["工作任务", "责任单位", None], [None, "牵头县领导", "牵头单位"], ["土谷塘大桥通车", "张三", "县交通运输局"]])
    assert first_columns(found) == {"task": 0, "lead": 2}


@pytest.mark.parametrize(("top", "low"), [
    (["序号", "工作任务", "责任主体", None, "完成时限"], [None, None, "牵头单位", "配合单位", None]),
    (["序号", "工作任务", "责任", None, "完成时限"], [None, None, "单位", "领导", None]),  # 责任 over 单位 reads 责任单位
])  # fmt: skip
def test_the_roles_needed_may_be_named_over_the_two_rows_of_a_header(top, low):
    found = allocation([["分工方案"], top, low, [1, "土谷塘大桥通车", "县交通运输局", "县财政局", "9月底"]])
    assert found.header_lines == (2, 3) and found.title == ["分工方案"]
    assert first_columns(found)["task"] == 1 and first_columns(found)["lead"] == 2


def test_the_first_row_below_a_header_stays_a_row_though_its_cells_hold_header_words():
    # 项目 is a task's heading word and 牵头 a lead's: a row of them is still a row of the table
    found = allocation([["工作任务", "牵头单位"], ["重点项目完成投资", "县发改局（牵头）"], ["加快推进重点项目建设", "县发改局（牵头）、县财政局"]])
    assert found.header_lines == (1,)
    assert [line for line, _ in found.rows] == [2, 3]
    # nor does a one-cell title join a header under it (a title that says 工作 is no task heading)
    found = allocation([["衡南县2022年政府工作报告分工方案"], ["序号", "工作任务", "牵头单位"], ["1", "土谷塘大桥通车", "县交通运输局"]])
    assert found.header_lines == (2,) and first_columns(found) == {"number": 0, "task": 1, "lead": 2}


def test_a_heading_names_the_first_role_whose_names_match_it():
    rows = [(1, ["指标名称", "单位", "备注"]), (2, ["地区生产总值", "亿元", ""])]
    found = find_table(iter(rows), {"name": {"指标名称"}, "unit": {"单位"}, "note": lambda k: k in ("单位", "备注")}, needs=("name",))
    assert found.roles == {"name": [0], "unit": [1], "note": [2]}
    found = find_table(iter(rows), {"name": {"指标名称"}, "note": lambda k: k in ("单位", "备注"), "unit": {"单位"}}, needs=("name",))
    assert found.roles == {"name": [0], "note": [1, 2], "unit": []}
