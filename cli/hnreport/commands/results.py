"""``hnreport results …``: the past year's results the report states (its part 一)."""

from typing import Annotated, Optional

import typer

from hnreport.commands.context import ForceOpt, FormatOpt, OutputOpt, app_context, check_output_format, choose_section, deliver

app = typer.Typer(help="The 2021 results the report states.\n\nExample: hnreport results list", no_args_is_help=True)


# ── results ──────────────────────────────────────────────────────────────────────────────
@app.command("list")
def results_list(
    ctx: typer.Context,
    section: Annotated[Optional[str], typer.Option(metavar="SECTION", help="Only this section of part 一, e.g. review-industry.")] = None,
    fmt: FormatOpt = "table",
    output: OutputOpt = None,
    force: ForceOpt = False,
) -> None:
    """List the 2021 results stated in part 一 of the report.

    \b
    Example: hnreport results list --format csv > results-2021.csv
    """
    app_ctx = app_context(ctx)
    store = app_ctx.store()
    from hnreport.domain.model import review_sections
    from hnreport.render import targets as render

    check_output_format(fmt, output)
    sections = {s.code: s for s in store.items.sections()}
    if section is not None:
        section = choose_section(section, review_sections(list(sections.values())))
    results = store.items.results(section)
    plan = store.items.plan()
    from hnreport.words.labels import view_title

    deliver(app_ctx, fmt, output, lambda fmt, console: render.render_results(results, sections, fmt, app_ctx.lang, console),
            title=view_title("results", app_ctx.lang, plan.name_en if app_ctx.lang == "en" else plan.name_zh),
            as_of=app_ctx.today(), force=force)  # fmt: skip

