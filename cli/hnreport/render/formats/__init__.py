"""One module per output format. Each writes to the stream it is given (the console's file,
or a file opened for ``-o``), never to ``sys.stdout`` directly."""

from __future__ import annotations

from pathlib import Path

# What --format accepts for listings and documents (.xlsx only with -o; .svg is -o's alone).
FORMATS = ("table", "json", "csv", "markdown", "html", "xlsx")
FILE_ONLY = ("xlsx",)  # binary: written to a file, never to stdout

# -o FILE: the extension picks the format.
SUFFIXES = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html", ".svg": "svg",
            ".csv": "csv", ".json": "json", ".xlsx": "xlsx"}  # fmt: skip

# The formats written from a view's document (render.listing), each by "module:function"
# taking the document and returning its text or bytes — loaded only when asked for. A document
# format added here (.docx) works for every view that builds a document.
DOCUMENT_FORMATS = {
    "markdown": "hnreport.render.formats.markdown:markdown_document",
    "html": "hnreport.render.formats.html:html_document",
    "xlsx": "hnreport.render.formats.xlsx:xlsx_document",
}


def format_of(path: Path) -> str | None:
    return SUFFIXES.get(path.suffix.lower())


# The writers, each loading its module on first call: a view imports these names once, and a
# table on the screen does not pay for the JSON, CSV and Markdown modules it never uses.
def write_json(out, data) -> None:
    from hnreport.render.formats.json import write_json

    write_json(out, data)


def write_json_rows(out, rows) -> None:
    from hnreport.render.formats.json import write_json_rows

    write_json_rows(out, rows)


def write_csv(out, rows, fieldnames=()) -> None:
    from hnreport.render.formats.csv import write_csv

    write_csv(out, rows, fieldnames=fieldnames)


def write_csv_rows(out, rows, fieldnames=()) -> None:
    from hnreport.render.formats.csv import write_csv_rows

    write_csv_rows(out, rows, fieldnames=fieldnames)


def markdown_table(headers, rows) -> str:
    from hnreport.render.formats.markdown import markdown_table

    return markdown_table(headers, rows)


def markdown_text(text) -> str:
    from hnreport.render.formats.markdown import markdown_text

    return markdown_text(text)
