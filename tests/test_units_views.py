"""Units as the office sees them: `units list`, `units show UNIT`, who leads and supports an item,
and an assignment that replaces a lead says whom it replaced."""

from __future__ import annotations

from helpers import as_json, by_key


def setup_units(cli):
    cli.ok("units", "add", "县发展和改革局", "--alias", "县发改局")
    cli.ok("units", "add", "县财政局")
    cli.ok("units", "add", "县交通运输局", "--alias", "县交通局")
    cli.ok("assign", "gdp", "县发改局")
    cli.ok("assign", "gdp", "县财政局", "--role", "support")
    cli.ok("assign", "tugutang-bridge", "县交通局")
    cli.ok("assign", "tugutang-bridge", "县发改局", "--role", "support")


def test_units_list_is_the_units_listing(cli, seeded):
    setup_units(cli)
    assert as_json(cli.ok("units", "list", "--format", "json")) == as_json(cli.ok("units", "--format", "json"))
    names = [u["name"] for u in as_json(cli.ok("units", "list", "--format", "json"))]
    assert names == ["县发展和改革局", "县财政局", "县交通运输局"]


def test_units_show_lists_what_a_unit_leads_and_supports(cli, seeded):
    setup_units(cli)
    cli.ok("record", "gdp", "7.0", "--as-of", "2022-06")
    rows = by_key(as_json(cli.ok("units", "show", "县发改局", "--format", "json")))
    assert rows["gdp"]["role"] == "lead" and rows["gdp"]["status"] == "far_behind"
    assert rows["tugutang-bridge"]["role"] == "support" and rows["tugutang-bridge"]["type"] == "milestone"
    table = cli.ok("units", "show", "县发展和改革局").stdout
    assert "牵头" in table and "配合" in table and "严重滞后" in table


def test_targets_show_and_milestones_show_name_lead_and_supporting_units(cli, seeded):
    setup_units(cli)
    shown = cli.ok("targets", "show", "gdp").stdout
    assert "牵头单位" in shown and "县发展和改革局" in shown
    assert "配合单位" in shown and "县财政局" in shown
    ms = cli.ok("milestones", "show", "tugutang-bridge").stdout
    assert "县交通运输局" in ms and "配合单位" in ms and "县发展和改革局" in ms


def test_assigning_a_new_lead_says_whom_it_replaces(cli, seeded):
    setup_units(cli)
    result = cli.ok("assign", "gdp", "县财政局")
    assert result.stdout.strip() == "县财政局 → lead of target gdp (replaces 县发展和改革局 as lead)"
    again = cli.ok("assign", "gdp", "县财政局")
    assert "replaces" not in again.stdout
