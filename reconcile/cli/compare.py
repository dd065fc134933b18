"""`reconcile compare`: the report on two or more articles."""
from __future__ import annotations

import os
import sys

import click

from ..errors import ExitStatus, ReconcileError
from . import (Abort, FORMAT_NAMES, _parse_dates, _use_color, dates_option, main, no_color_option, read_stdin,
               reading_options, refuse_unknown_dates, table_width, trust_of, warnings_to_stderr, width_option,
               write_output)


@main.command()
@click.argument("inputs", nargs=-1, required=True, metavar="SOURCE...")
@click.option("-f", "--format", "fmt", type=click.Choice(FORMAT_NAMES), default="table", show_default=True,
              help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report to FILE instead of stdout.")
@no_color_option
@click.option("--explain", is_flag=True, help="Show each finding's alignment score and the rules that fired.")
@dates_option
@width_option
@click.option("-q", "--quiet", is_flag=True, help="No progress bar on stderr (it only shows on a terminal anyway).")
@reading_options
def compare(inputs, fmt, output, no_color, explain, dates, width, quiet, config_path, keep_reprints, max_bytes, jobs,
            allow_outside, allow_fetch, allow_private):
    """Compare two or more articles (files, directories, case.yaml manifests, URLs, or - for stdin)."""
    from ..execution import fewer_collections
    from ..report import render

    try:
        with warnings_to_stderr(), fewer_collections():  # rendering makes millions of objects too
            report, sources, _ = run_compare(inputs, dates, config_path, max_bytes, jobs, quiet,
                                             trust_of(allow_outside, allow_fetch, allow_private), keep_reprints)
            color = fmt == "table" and output is None and _use_color(no_color, sys.stdout)
            width = table_width(width, fmt)
            # Files a manifest names are inputs too: --output must not overwrite them.
            inputs_and_sources = list(inputs) + [s.path for s in sources if s.path]
            texts = {s.id: s.text for s in sources}  # the HTML page shows each article beside the findings
            write_output(render(report, fmt, color=color, explain=explain, width=width, texts=texts), output,
                         inputs_and_sources)
    except ReconcileError as exc:
        raise Abort(str(exc)) from None
    except KeyboardInterrupt:
        click.echo("reconcile: interrupted", err=True)
        sys.exit(int(ExitStatus.INTERRUPTED))


def run_compare(inputs, dates, config_path, max_bytes, jobs, quiet, trust, keep_reprints=False):
    """(report, sources, config) of a comparison as compare, track and the others take it from the command line."""
    from dataclasses import replace

    from ..config import load_config, pipeline_config, source_names
    from ..pipeline import auto_jobs, compare_sources, to_sources
    from .progress import ProgressBar, wanted

    settings = load_config(os.getcwd(), config_path)
    given_dates = _parse_dates(dates)
    sources = to_sources(inputs, read_stdin(inputs, max_bytes), max_bytes=max_bytes, trust=trust)
    refuse_unknown_dates(given_dates, [s.id for s in sources])
    names = source_names(settings)
    sources = tuple(replace(s, name=names[s.id]) if s.id in names else s for s in sources)
    with ProgressBar(wanted(quiet)) as bar:
        # The entry point is guarded, so the CLI may spawn workers where it cannot fork.
        config = replace(pipeline_config(settings, given_dates), jobs=jobs or auto_jobs(sources),
                         keep_reprints=keep_reprints)
        report = compare_sources(sources, config, progress=bar)
    return report, sources, config
