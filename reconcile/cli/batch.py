"""`reconcile batch`: one JSON report per case, as JSON Lines."""
from __future__ import annotations

import os
import sys

import click

from ..errors import ExitStatus, ReconcileError
from . import Abort, _parse_dates, main, reprints_option, trust_of, trust_options
from .output import OutputFile, refuse_unsafe


@main.command()
@click.argument("cases", nargs=-1, required=True, metavar="CASE...")
@click.option("-j", "--jobs", type=click.IntRange(1, 512), default=1, show_default=True,
              help="Worker processes that compare cases side by side.")
@click.option("--dask", "dask_address", metavar="ADDRESS",
              help="Run the cases as tasks on the Dask cluster whose scheduler is at ADDRESS "
                   "(e.g. tcp://10.0.0.5:8786); needs pip install 'reconcile[dask]'.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the JSON Lines to FILE instead of stdout.")
@click.option("--explain", is_flag=True, help="Add each finding's alignment score and the rules that fired.")
@click.option("--dates", multiple=True, metavar="ID=DATE",
              help="Publication time of a source (ISO 8601, or e.g. '17 October 2022 09:30 BST'), in every case "
                   "that has that source id. Repeatable.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary on stderr.")
@reprints_option
@trust_options
def batch(cases, jobs, dask_address, output, explain, dates, quiet, keep_reprints, allow_outside, allow_fetch,
          allow_private):
    """Compare many cases (each a directory of articles or a case.yaml manifest): one JSON report
    per case, one line each, in the order given. A failing case gets a line with its error and
    does not stop the others; the exit status is 2 when any case failed."""
    from ..batch import json_line, run_cases
    from .progress import ProgressBar, wanted

    if dask_address is not None and jobs != 1:
        raise click.UsageError("--jobs and --dask do not go together: the Dask cluster has its own workers")
    if "-" in cases:
        raise click.UsageError("a case is a directory or a manifest, not standard input")
    sink, finish, discard = _sink(output, cases)
    failed = 0
    try:
        with ProgressBar(wanted(quiet)) as bar:
            for result in run_cases(cases, jobs=jobs, dask_address=dask_address, dates=_parse_dates(dates),
                                    explain=explain, progress=bar,
                                    trust=trust_of(allow_outside, allow_fetch, allow_private),
                                    keep_reprints=keep_reprints):
                failed += not result["ok"]
                sink(json_line(result))
        finish()
    except ReconcileError as exc:
        discard()
        raise Abort(str(exc)) from None
    except KeyboardInterrupt:
        discard()
        click.echo("reconcile: interrupted", err=True)
        sys.exit(int(ExitStatus.INTERRUPTED))
    except BaseException:
        discard()
        raise
    if failed:
        if not quiet:
            click.echo(f"reconcile: {failed} of {len(cases)} case{'s' if len(cases) != 1 else ''} failed "
                       f"(see their \"error\")", err=True)
        sys.exit(int(ExitStatus.ERROR))


def _sink(output: str | None, cases: tuple[str, ...]):
    """(write, finish, discard): lines go to stdout as they come, or to FILE written whole when
    the batch is done (see cli/output.py)."""
    if output is None or output == "-":
        def write(line: str) -> None:
            click.echo(line, nl=False)
            sys.stdout.flush()
        return write, lambda: None, lambda: None
    try:
        refuse_unsafe(output, (), ())
        target = os.path.realpath(output)
        for case in cases:
            real = os.path.realpath(case)
            if real == target or (os.path.isdir(case) and target.startswith(real + os.sep)):
                raise Abort(f"{output}: --output would write into the case {case}; refusing")
        out = OutputFile(output, suffix=".jsonl")
    except ReconcileError as exc:
        raise Abort(str(exc)) from None
    return out.write, out.commit, out.discard
