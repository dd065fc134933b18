"""The command line: a thin layer over reconcile.pipeline. Only this package imports click.

One module per command; each registers itself on `main`."""
from __future__ import annotations

import os
import tempfile

import click

from .. import __version__
from ..errors import ExitStatus

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



# The commands register themselves on `main` when imported.
from . import compare  # noqa: E402,F401
