"""`reconcile track`, `changes` and `history`: follow a story over runs, in a ledger file."""
from __future__ import annotations

import sys

import click

from ..errors import ExitStatus, ReconcileError
from . import (Abort, _use_color, dates_option, main, no_color_option, reading_options, table_width, trust_of,
               warnings_to_stderr, width_option, write_output)

LEDGER_FORMATS = ("table", "json")


def ledger_option(command):
    return click.option("--ledger", "ledger_path", metavar="PATH",
                        help="The ledger file (default: RECONCILE_LEDGER, else ledger.sqlite3 in the user data folder).")(command)


def format_option(command):
    return click.option("-f", "--format", "fmt", type=click.Choice(LEDGER_FORMATS), default="table",
                        show_default=True, help="Output format.")(command)


def _open(ledger_path: str | None, create: bool):
    from ..ledger import Ledger, default_path

    path = ledger_path or default_path()
    # The default ledger's folder is made on first use; a folder the user names must exist.
    return Ledger(path, create=create, make_folder=create and not ledger_path)


def _usable(ledger_path: str | None) -> str:
    """The ledger's path, checked before the work so that a bad ledger stops the run early;
    nothing is written to it until the run is computed (a missing ledger is not created yet)."""
    import os

    from ..ledger import LedgerError, check_ledger, default_path

    path = ledger_path or default_path()
    if os.path.exists(path):
        check_ledger(path)
    elif ledger_path and not os.path.isdir(os.path.dirname(os.path.abspath(path))):
        raise LedgerError(f"{path}: folder {os.path.dirname(os.path.abspath(path))} does not exist")
    return path


@main.command()
@click.argument("story")
@click.argument("inputs", nargs=-1, required=True, metavar="SOURCE...")
@format_option
@ledger_option
@no_color_option
@dates_option
@width_option
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no note of the run on stderr.")
@reading_options
def track(story, inputs, fmt, ledger_path, no_color, dates, width, quiet, config_path, jobs, keep_reprints, max_bytes,
          allow_outside, allow_fetch, allow_private):
    """Compare the sources as `compare` does and record the run in the STORY's ledger."""
    from ..ledger import check_story, now, snapshot
    from ..report import render
    from .compare import run_compare

    try:
        check_story(story)
        path = _usable(ledger_path)
        started = now()
        with warnings_to_stderr():
            report, sources, config = run_compare(inputs, dates, config_path, max_bytes, jobs, quiet,
                                                  trust_of(allow_outside, allow_fetch, allow_private), keep_reprints)
        run = snapshot(story, report, sources, config, fetched=started)
        # Everything is computed before the ledger is written: an interrupted run leaves it as it was.
        with _open(ledger_path and path, create=True) as ledger:
            number = ledger.record(run)
        color = fmt == "table" and _use_color(no_color, sys.stdout)
        write_output(render(report, fmt, color=color, width=table_width(width, fmt)), None, list(inputs))
    except ReconcileError as exc:
        raise Abort(str(exc)) from None
    except KeyboardInterrupt:
        click.echo("reconcile: interrupted", err=True)
        sys.exit(int(ExitStatus.INTERRUPTED))
    if not quiet:
        click.echo(f"reconcile: recorded run {number} of {story} in {path}", err=True)


@main.command()
@click.argument("story")
@click.option("--since", metavar="TIME",
              help="Compare the latest run with the last one recorded at or before TIME (ISO 8601), "
                   "instead of the run before it.")
@click.option("--fail-on", multiple=True, metavar="WHAT",
              type=click.Choice(("contradiction", "update", "agreement", "figure", "finding", "source", "any", "never")),
              help="Exit 1 when this changed: a new contradiction, update or agreement (new, or a verdict "
                   "that moved to it), a figure, any finding, a source; any; never (the default). Repeatable.")
@format_option
@ledger_option
@width_option
def changes(story, since, fail_on, fmt, ledger_path, width):
    """What changed in STORY between its last two runs: findings new, gone or moved, figures,
    sources. Exit status 1 when something --fail-on watches changed, 0 otherwise, 2 on bad input."""
    from ..ingest.dates import normalise_date
    from ..ledger import changes_since, check_story
    from ..report.changes import render_changes

    try:
        check_story(story)
        if since is not None:
            since = normalise_date(since, f"--since {since}")  # a DateError is a ReconcileError
        with _open(ledger_path, create=False) as ledger:
            found = changes_since(ledger, story, since)
        write_output(render_changes(found, fmt, width=table_width(width, fmt)), None, [])
    except ReconcileError as exc:
        raise Abort(str(exc)) from None
    watched = found.watched(tuple(fail_on))
    click.get_current_context().exit(int(ExitStatus.FINDINGS) if watched else int(ExitStatus.OK))


@main.command()
@click.argument("story")
@format_option
@ledger_option
@width_option
def history(story, fmt, ledger_path, width):
    """The runs of STORY, oldest first, with their counts per verdict."""
    from ..ledger import check_story
    from ..report.changes import render_history

    try:
        check_story(story)
        with _open(ledger_path, create=False) as ledger:
            runs = ledger.history(story)
        write_output(render_history(story, runs, fmt, width=table_width(width, fmt)), None, [])
    except ReconcileError as exc:
        raise Abort(str(exc)) from None
