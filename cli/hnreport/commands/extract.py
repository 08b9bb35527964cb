"""``hnreport extract``: a draft plan file from a work report's text, for a person to review."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Optional

import typer

from hnreport.commands.context import ForceOpt, app_context, say
from hnreport.errors import BadValue, HnreportError, Message

commands = typer.Typer()
_KEY = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")


@commands.command()
def extract(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(metavar="FILE", help="The report: .txt (UTF-8 or GBK), .docx or a saved .html page.")],
    output: Annotated[Path, typer.Option("-o", "--output", metavar="FILE", help="Where to write the draft plan file.")],
    key: Annotated[Optional[str], typer.Option("--key", metavar="PLAN-KEY", help="The draft plan's key (default: the county and year found, e.g. hengnan-2022).")] = None,
    force: ForceOpt = False,
) -> None:
    """Draft a plan file from a work report, for review.

    Finds the parts and sections, the quantified targets of the plan part, the results of the
    review part, candidate commitments with their deadlines and the 名词解释 list. Traditional
    script is converted to Simplified first (OpenCC). Every item carries its locator, the exact
    phrase, a confidence and review = true; the summary on stderr lists what needs a person.

    \b
    Example: hnreport extract 2023年政府工作报告.docx -o draft-2023.toml --key hengnan-2023
    """
    app_ctx = app_context(ctx)
    lang = app_ctx.message_lang
    if key is not None and not _KEY.fullmatch(key):
        raise BadValue("extract_bad_key", key=key)
    from hnreport.outfile import check_output, write_atomic

    check_output(output, app_ctx.db_path(), force=force)
    from hnreport.readers import read_report

    text = read_report(file)
    from hnreport.domain.extract import draft as drafting
    from hnreport.store.indicators import main_indicators

    known = {k["key"]: drafting.Known(**k) for k in main_indicators()}
    try:
        result = drafting.build(text, key=key, known=known)
    except drafting.NoFigures:
        raise HnreportError("extract_no_figures", path=file) from None
    from hnreport.render.draft import draft_text

    write_atomic(output, draft_text(result))
    counts = result.counts()
    if result.converted:
        say(Message("extract_converted"), err=True)
    for d in result.damage:
        line = Message("extract_damage_placeholder" if d.kind == "placeholder" else "extract_damage_mis_converted"
                       if d.kind == "mis_converted" else "extract_damage_zhuo", text=d.text, count=d.count, example=d.example)
        say(line, err=True)
    for heading in result.missing_ordinals:
        say(Message("extract_missing_ordinal", heading=heading), err=True)
    if result.unclassified:
        say(Message("extract_unclassified_head", count=len(result.unclassified)), err=True)
        for where, sentence in result.unclassified:
            say(Message("extract_unclassified", locator=where, sentence=sentence), err=True)
    say(Message("extract_wrote", path=output, key=result.plan["key"], **counts), err=True)
    say(Message("extract_kinds", targets=_by_kind(result.targets, lang), results=_by_kind(result.results, lang)), err=True)
    say(Message("extract_next", path=output), err=True)


def _by_kind(rows: list[dict], lang: str) -> str:
    """增速 7、水平 2 … (growth rate 7, level 2 …): how many rows of each kind, in the labels' order."""
    from hnreport.words.labels import KIND, pick

    counts = {kind: sum(1 for r in rows if r["kind"] == kind) for kind in KIND}
    joiner = "、" if lang != "en" else ", "
    return joiner.join(f"{pick(KIND[kind], lang)} {n}" for kind, n in counts.items() if n) or "0"
