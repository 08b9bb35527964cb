"""``hnreport results …``: the past year's results the report states (its part 一)."""

from typing import Annotated, Optional

import typer

from hnreport.commands.context import FormatOpt, app_context, check_choice, choose_section
from hnreport.errors import Message
from hnreport.render.formats import FORMATS

app = typer.Typer(help="The 2021 results the report states.\n\nExample: hnreport results list", no_args_is_help=True)


# ── results ──────────────────────────────────────────────────────────────────────────────
@app.command("list")
def results_list(
    ctx: typer.Context,
    section: Annotated[Optional[str], typer.Option(metavar="SECTION", help="Only this section of part 一, e.g. review-industry.")] = None,
    fmt: FormatOpt = "table",
) -> None:
    """List the 2021 results stated in part 一 of the report.

    \b
    Example: hnreport results list --format csv > results-2021.csv
    """
    app_ctx = app_context(ctx)
    store = app_ctx.store()
    from hnreport.domain.model import review_sections
    from hnreport.render import targets as render

    check_choice(fmt, FORMATS, Message("what_format"))
    sections = {s.code: s for s in store.items.sections()}
    if section is not None:
        section = choose_section(section, review_sections(list(sections.values())))
    render.render_results(store.items.results(section), sections, fmt, app_ctx.lang, app_ctx.console)

