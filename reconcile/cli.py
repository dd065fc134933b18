"""The command line: a thin layer over reconcile.pipeline. The only module that imports click."""
from __future__ import annotations

import os
import shutil
import sys
import tempfile

import click

from . import __version__
from .errors import ExitStatus, ReconcileError

FORMAT_NAMES = ("table", "json", "yaml", "markdown", "csv")


class Abort(click.ClickException):
    """A one-line error with exit status 2 (click's usage errors already use 2)."""

    exit_code = int(ExitStatus.ERROR)

    def show(self, file=None):
        click.echo(f"reconcile: error: {self.format_message()}", err=True)


def _use_color(no_color: bool, stream) -> bool:
    if no_color or os.environ.get("NO_COLOR"):
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


def write_output(text: str, output: str | None, inputs: list[str]) -> None:
    """Print to stdout, or write a file atomically, never over one of the inputs."""
    if output is None or output == "-":
        click.echo(text, nl=False)
        return
    target = os.path.realpath(output)
    for item in inputs:
        if item != "-" and os.path.exists(item) and os.path.realpath(item) == target:
            raise Abort(f"{output}: --output names one of the inputs; refusing to overwrite it")
        if item != "-" and os.path.isdir(item) and target.startswith(os.path.realpath(item) + os.sep) \
                and output.lower().endswith((".txt", ".md")):
            raise Abort(f"{output}: --output would add a file to the input directory {item}")
    folder = os.path.dirname(target) or "."
    if not os.path.isdir(folder):
        raise Abort(f"{output}: directory {folder} does not exist")
    handle, temp = tempfile.mkstemp(prefix=".reconcile-", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temp, target)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise


def _parse_dates(values: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    out = []
    for value in values:
        source, sep, date = value.partition("=")
        if not sep or not source or not date:
            raise click.BadParameter(f"{value!r}: expected SOURCE_ID=DATE", param_hint="--dates")
        out.append((source, date))
    return tuple(sorted(out))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="reconcile")
def main() -> None:
    """Reconcile news coverage: align the claims of several articles and show where they
    agree, contradict each other, update a figure, or stand alone."""


@main.command()
@click.argument("inputs", nargs=-1, required=True, metavar="SOURCE...")
@click.option("-f", "--format", "fmt", type=click.Choice(FORMAT_NAMES), default="table", show_default=True,
              help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report to FILE instead of stdout.")
@click.option("--no-color", is_flag=True, help="No colour in the table (NO_COLOR does the same).")
@click.option("--explain", is_flag=True, help="Show each finding's alignment score and the rules that fired.")
@click.option("--dates", multiple=True, metavar="ID=DATE",
              help="Publication time of a source (ISO 8601), for telling updates from contradictions. Repeatable.")
@click.option("--width", type=click.IntRange(60, 400), help="Table width (default: the terminal's).")
def compare(inputs, fmt, output, no_color, explain, dates, width):
    """Compare two or more articles (files, directories, or - for stdin)."""
    from .pipeline import Config, compare_sources, to_sources
    from .report import render

    try:
        stdin = sys.stdin.buffer.read() if "-" in inputs else None
        sources = to_sources(inputs, stdin)
        report = compare_sources(sources, Config(dates=_parse_dates(dates)))
        color = fmt == "table" and output is None and _use_color(no_color, sys.stdout)
        if width is None and fmt == "table" and sys.stdout.isatty():
            width = shutil.get_terminal_size().columns
        write_output(render(report, fmt, color=color, explain=explain, width=width), output, list(inputs))
    except ReconcileError as exc:
        raise Abort(str(exc)) from None
    except KeyboardInterrupt:
        click.echo("reconcile: interrupted", err=True)
        sys.exit(int(ExitStatus.INTERRUPTED))

