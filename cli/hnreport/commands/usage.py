"""Usage mistakes (an unknown option or command, a missing argument, an option without its
value, a value an option does not take) said in Chinese, as one line: click says them in
English, over three lines. Read only when such a mistake is made."""

from __future__ import annotations

import re
from typing import Any

from hnreport.errors import Message

# What click says, for the mistakes that carry no fields of their own.
_NO_COMMAND = re.compile(r"No such command '(?P<name>.*?)'\.(?: Did you mean (?P<maybe>.+)\?)?$", re.S)
_EXTRA = re.compile(r"Got unexpected extra argument(?:s|\(s\))? \((?P<args>.*)\)$", re.S)
_NO_SUBCOMMAND = re.compile(r"Missing command\.?$")
_NOT_ONE_OF = re.compile(r"(?P<value>.+) is not one of (?P<choices>.+?)\.?$", re.S)
_NOT_VALID = re.compile(r"(?P<value>.+) is not a valid (?P<kind>[\w ]+?)\.?(?: Recognized values: .*)?$", re.S)
_KINDS = {"integer": Message("kind_integer"), "int": Message("kind_integer"), "float": Message("kind_number"), "boolean": Message("kind_boolean"),
          "integer range": Message("kind_integer"), "float range": Message("kind_number")}  # fmt: skip


def said(err: Any, command: str = "hnreport") -> Message:
    """The message for click's usage error ``err``; ``command``: the command it was made in, when
    the error does not say (an option without its value)."""
    kind = type(err).__name__
    ctx = getattr(err, "ctx", None)
    command = ctx.command_path if ctx is not None else command
    if kind == "NoSuchOption":
        possible = sorted(err.possibilities or ())
        return Message("usage_no_option", option=err.option_name, command=command,
                       maybe=Message("usage_maybe", names=", ".join(possible)) if possible else "")  # fmt: skip
    if kind == "BadOptionUsage":
        if "does not take" in err.message:
            return Message("usage_takes_no_value", option=err.option_name, command=command)
        return Message("usage_needs_value", option=err.option_name, command=command)
    if kind == "MissingParameter":
        return Message("usage_missing", name=_hint(err), usage=_usage(ctx))
    if kind == "BadParameter":
        return Message("usage_bad_value", name=_hint(err), detail=_detail(err.message), command=command)
    text = err.format_message()
    if m := _NO_COMMAND.match(text):
        maybe = m["maybe"]
        return Message("usage_no_command", name=m["name"], command=command,
                       maybe=Message("usage_maybe", names=maybe) if maybe else "")  # fmt: skip
    if _NO_SUBCOMMAND.match(text):
        return Message("usage_no_subcommand", command=command)
    if m := _EXTRA.match(text):
        return Message("usage_extra", args=m["args"], usage=_usage(ctx))
    return Message("usage_other", text=text, command=command)


def _hint(err: Any) -> str:
    if err.param_hint is not None:
        hint = err.param_hint
    elif err.param is not None:
        hint = err.param.get_error_hint(err.ctx)
    else:
        return ""
    return " / ".join(hint) if isinstance(hint, (list, tuple)) else str(hint)


def _usage(ctx: Any) -> str:
    if ctx is None:
        return "hnreport --help"
    return ctx.get_usage().removeprefix("Usage:").strip()


def _detail(text: str) -> Message | str:
    if text == Message("usage_db_empty").text("en"):  # hnreport's own refusal of --db ''
        return Message("usage_db_empty")
    if m := _NOT_ONE_OF.match(text):
        return Message("usage_not_one_of", value=m["value"], choices=m["choices"])
    if (m := _NOT_VALID.match(text)) and m["kind"] in _KINDS:
        return Message("usage_not_a", value=m["value"], kind=_KINDS[m["kind"]])
    return text
