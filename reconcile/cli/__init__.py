"""The command line: a thin layer over reconcile.pipeline. Only this package imports click.

One module per command; each registers itself on `main`."""
from __future__ import annotations

import contextlib
import errno
import os
import re
import warnings

import click

from .. import __version__
from ..errors import ExitStatus
from .output import cannot_write, refuse_unsafe, write_file

FORMAT_NAMES = ("table", "json", "yaml", "markdown", "csv", "html", "claimreview")


class Abort(click.ClickException):
    """A one-line error with exit status 2 (click's usage errors already use 2)."""

    exit_code = int(ExitStatus.ERROR)

    def show(self, file=None):
        click.echo(f"reconcile: error: {self.format_message()}", err=True)


def _use_color(no_color: bool, stream) -> bool:
    if no_color or os.environ.get("NO_COLOR"):
        return False
    return bool(getattr(stream, "isatty", lambda: False)())


class ByteSize(click.ParamType):
    """A size in bytes: 5000000, 50MB, 64MiB, 1G."""

    name = "size"
    _UNITS = {"": 1, "b": 1, "k": 10**3, "kb": 10**3, "kib": 2**10, "m": 10**6, "mb": 10**6, "mib": 2**20,
              "g": 10**9, "gb": 10**9, "gib": 2**30}

    def convert(self, value, param, ctx):
        if isinstance(value, int):
            return value
        match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*", str(value))
        unit = match and self._UNITS.get(match.group(2).lower())
        if not match or unit is None or float(match.group(1)) * unit < 1:
            self.fail(f"{value!r}: expected a size such as 5000000, 50MB or 1GiB", param, ctx)
        return int(float(match.group(1)) * unit)


# reconcile.ingest.DEFAULT_MAX_BYTES (a test checks they agree); importing ingest here would
# load the models at start-up for --help and --version.
DEFAULT_MAX_BYTES = 200 * 2**20


def max_bytes_option(command):
    """--max-bytes, shared by the commands that read sources."""
    return click.option("--max-bytes", type=ByteSize(), default=DEFAULT_MAX_BYTES, show_default="200MiB",
                        metavar="SIZE", help="Refuse an input (file, URL, stdin) larger than SIZE.")(command)


def no_color_option(command):
    return click.option("--no-color", is_flag=True, help="No colour in the table (NO_COLOR does the same).")(command)


def width_option(command):
    return click.option("--width", type=click.IntRange(60, 400), help="Table width (default: the terminal's).")(command)


def dates_option(command):
    """--dates, shared by the commands that compare sources."""
    return click.option("--dates", multiple=True, metavar="ID=DATE",
                        help="Publication time of a source (ISO 8601, or e.g. '17 October 2022 09:30 BST'), for "
                             "telling updates from contradictions. Repeatable.")(command)


def config_option(command):
    return click.option("--config", "config_path", type=click.Path(dir_okay=False),
                        help="Settings file (default: reconcile.yaml, .reconcile.yaml or pyproject.toml "
                             "found upwards).")(command)


def jobs_option(command):
    return click.option("-j", "--jobs", type=click.IntRange(0, 512), default=0, show_default=True,
                        help="Processes that read the sources; 0: one per CPU (up to 8) "
                             "from 100 KB of text on (1 MB where they cannot be forked); 1: one process.")(command)


def reprints_option(command):
    """--keep-reprints, shared by the commands that compare sources."""
    return click.option("--keep-reprints", is_flag=True,
                        help="Compare every copy of a wire story as a source of its own (by default copies "
                             "of one article count once, the others listed as its reprints).")(command)


def trust_options(command):
    """--allow-outside, --allow-fetch and --allow-private, shared by the commands that read sources."""
    for name, help_text in reversed((
            ("--allow-outside", "Let a case manifest name files outside its own folder."),
            ("--allow-fetch", "Fetch the URLs a case manifest names (URLs on the command line are fetched anyway)."),
            ("--allow-private", "Fetch URLs on private, loopback and link-local addresses."))):
        command = click.option(name, is_flag=True, help=help_text)(command)
    return command


def table_width(width: int | None, fmt: str) -> int | None:
    """--width, or for a table on a terminal the terminal's width."""
    import shutil
    import sys

    if width is None and fmt == "table" and sys.stdout.isatty():
        return shutil.get_terminal_size().columns
    return width


def reading_options(command):
    """--config, --jobs, --keep-reprints, --max-bytes and the --allow-* flags: how `compare` and
    `track` read and compare their sources."""
    for option in (trust_options, max_bytes_option, reprints_option, jobs_option, config_option):
        command = option(command)
    return command


def trust_of(allow_outside: bool, allow_fetch: bool, allow_private: bool):
    from ..ingest.trust import Trust

    return Trust(outside=allow_outside, fetch=allow_fetch, private=allow_private)


STDIN_PROMPT = "reconcile: reading the article from standard input (Ctrl-D to end)"


def stdin_is_terminal() -> bool:
    import sys

    return bool(sys.stdin is not None and getattr(sys.stdin, "isatty", lambda: False)())


def read_stdin(inputs, max_bytes: int) -> bytes | None:
    """Standard input's bytes when "-" is an input, at most one byte over max_bytes (ingest refuses
    that). On a terminal, say so first: the command would otherwise wait without a word."""
    import sys

    if "-" not in inputs:
        return None
    if stdin_is_terminal():
        click.echo(STDIN_PROMPT, err=True)
    return sys.stdin.buffer.read(max_bytes + 1)


@contextlib.contextmanager
def warnings_to_stderr():
    """Show the core's SourceWarnings as `reconcile: warning: ...` lines on stderr, even when the run fails."""
    from ..ingest import SourceWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", SourceWarning)
        try:
            yield
        finally:
            for w in caught:
                if issubclass(w.category, SourceWarning):
                    click.echo(f"reconcile: warning: {w.message}", err=True)
                else:
                    warnings.showwarning(w.message, w.category, w.filename, w.lineno)


def write_output(text: str, output: str | None, inputs: list[str]) -> None:
    """Print to stdout, or write FILE whole (see cli/output.py), never over or beside one of the inputs."""
    if output is None or output == "-":
        try:
            click.echo(text, nl=False)
        except OSError as exc:
            if exc.errno == errno.EPIPE:
                raise  # the reader has all it wanted: click ends the run quietly
            raise cannot_write("stdout", exc) from None
        return
    from ..ingest import SUPPORTED_SUFFIXES

    refuse_unsafe(output, inputs, SUPPORTED_SUFFIXES)
    write_file(text, output)


def _parse_dates(values: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """--dates ID=DATE ... as (id, date in reconcile's one form), sorted; a date that does not read is an error."""
    from ..ingest.dates import DateError, normalise_date

    out = []
    for value in values:
        source, sep, date = value.partition("=")
        if not sep or not source or not date:
            raise click.BadParameter(f"{value!r}: expected SOURCE_ID=DATE", param_hint="--dates")
        try:
            out.append((source, normalise_date(date, f"--dates {value}")))
        except DateError as exc:
            raise Abort(str(exc)) from None
    given: dict[str, str] = {}
    for source, date in out:
        if given.setdefault(source, date) != date:  # which one was meant? neither is dropped silently
            raise Abort(f"--dates {source}: given twice, as {given[source]} and {date}")
    return tuple(sorted(set(out)))


def refuse_unknown_dates(dates: tuple[tuple[str, str], ...], ids: list[str]) -> None:
    """--dates for an id that no source has is a typo, or a date meant for another run."""
    for source, _ in dates:
        if source not in ids:
            raise Abort(f"--dates {source}=...: no source has the id {source!r} (the ids are {', '.join(sorted(ids))})")


class OneLineErrors(click.Group):
    """Every error is one line on stderr: click's usage errors too ("Usage: ... Try ... Error: ...")."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            status = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.UsageError as exc:
            command = f"{exc.ctx.info_name}: " if exc.ctx is not None and exc.ctx.parent is not None else ""
            click.echo(f"reconcile: error: {command}{exc.format_message()} (see --help)", err=True)
            raise SystemExit(int(ExitStatus.ERROR)) from None
        except click.ClickException as exc:
            exc.show()
            raise SystemExit(exc.exit_code) from None
        except click.exceptions.Abort:
            click.echo("reconcile: interrupted", err=True)
            raise SystemExit(int(ExitStatus.INTERRUPTED)) from None
        raise SystemExit(status if isinstance(status, int) else 0)


@click.group(cls=OneLineErrors, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="reconcile")
def main() -> None:
    """Reconcile news coverage: align the claims of several articles and show where they
    agree, contradict each other, update a figure, or stand alone."""



def run() -> None:
    """The console script and `python -m reconcile`: `main`, then an exit that leaves out the
    interpreter's teardown. Freeing the objects of a large run one by one takes a third of a
    second for 1,000 articles, after every output is written (mypy's hard_exit does the same).
    Tests call `main` through click's CliRunner, which this does not touch."""
    import sys

    try:
        main()
        status = 0
    except SystemExit as done:
        status = done.code
    if status is None:
        status = 0
    elif not isinstance(status, int):
        print(status, file=sys.stderr)
        status = 1
    for stream in (sys.stdout, sys.stderr):
        if stream is None:  # started with the stream closed
            continue
        try:
            stream.flush()
        except (OSError, ValueError):  # as the interpreter's own exit reports output it could not write
            status = status or 120
    os._exit(status)


# The commands register themselves on `main` when imported.
from . import compare  # noqa: E402,F401
from . import batch  # noqa: E402,F401
from . import check  # noqa: E402,F401
from . import ledger  # noqa: E402,F401
