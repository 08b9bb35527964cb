"""``hnreport config …``: light rules and pace settings, kept in the database."""

from typing import Annotated, Optional

import typer

from hnreport.commands.context import FormatOpt, app_context, check_choice, say
from hnreport.errors import Message

app = typer.Typer(
    help="Light rules and pace settings, kept in the database.\n\nExample: hnreport config set light.preset points",
    no_args_is_help=True,
)


# ── config ───────────────────────────────────────────────────────────────────────────────
@app.command("show")
def config_show(ctx: typer.Context, fmt: FormatOpt = "table") -> None:
    """Show the light rules and pace settings.

    The presets and any per-target settings too.

    \b
    Example: hnreport config show --format json
    """
    app_ctx = app_context(ctx)
    store = app_ctx.store()
    from hnreport.render import details

    check_choice(fmt, ("table", "json"), Message("what_format"))
    from hnreport.domain import settings as setting_rules

    settings = store.config.settings()
    documents = {"office.name": setting_rules.office_name(settings), "order.reply_days": setting_rules.reply_days(settings),
                 "ranking.order": ",".join(setting_rules.rank_order(settings))}  # fmt: skip
    details.config(settings, store.config.presets(), store.config.rules(), fmt, app_ctx.console,
                   due_day=store.config.due_day(), lang=app_ctx.lang, documents=documents)


@app.command("set")
def config_set(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(metavar="SETTING", help="light.preset (default 默认, relative 相对差距, points 百分点差距), light.<preset>.amount|rate, pace.basis, …")],
    value: Annotated[str, typer.Argument(metavar="VALUE", help="The new value.")],
    target: Annotated[Optional[str], typer.Option("--target", metavar="KEY", help="Set it for one target only.")] = None,
) -> None:
    """Change a light rule or pace setting.

    See README for every key.

    \b
    Example: hnreport config set light.preset points
    """
    store = app_context(ctx).store()
    t = store.items.target(target) if target else None
    if key.strip() == "light.preset":  # a preset by its Chinese label too (百分点差距 → points)
        from hnreport import words

        value = words.names_for(words.PRESET).get(words.fold(value), value)
    stored, changed = store.config.set_config(key, value, t)
    scope = Message("for_target", key=t.key) if t else ""
    say(Message("n_setting_set" if changed else "n_setting_already", key=key, value=stored, scope=scope))

