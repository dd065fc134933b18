"""`reconcile check`: gate drafts against their sources; exit 1 when a finding reaches --fail-on."""
from __future__ import annotations

import os
import sys

import click

from ..errors import ExitStatus, ReconcileError
from . import (Abort, _parse_dates, _use_color, config_option, dates_option, main, max_bytes_option, no_color_option,
               read_stdin, refuse_unknown_dates, reprints_option, table_width, trust_of, trust_options,
               warnings_to_stderr, width_option, write_output)

CHECK_FORMAT_NAMES = ("table", "json", "markdown", "github", "gitlab", "sarif", "junit", "rdjson", "html")
FAIL_ON_NAMES = ("contradiction", "disputed", "unsupported", "any", "never")


class AgainstCommand(click.Command):
    """`--against` takes every argument after it up to the next option: `--against a.txt b.txt`."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, spread_against(args))


def spread_against(args: list[str]) -> list[str]:
    """["--against", "a", "b", "-f", "json"] -> ["--against", "a", "--against", "b", "-f", "json"]."""
    out: list[str] = []
    collecting = False
    waiting = False  # --against seen, no value yet
    for n, arg in enumerate(args):
        if arg == "--":
            if waiting:
                out.append("--against")
            out.extend(args[n:])
            return out
        is_value = arg == "-" or not arg.startswith("-")
        if collecting and is_value:
            out += ["--against", arg]
            waiting = False
            continue
        if waiting:
            out.append("--against")  # let click report the missing value
        collecting = waiting = arg == "--against"
        if not collecting:
            out.append(arg)
    if waiting:
        out.append("--against")
    return out


@main.command(cls=AgainstCommand)
@click.argument("drafts", nargs=-1, required=True, metavar="DRAFT...")
@click.option("--against", "sources", multiple=True, required=True, metavar="SOURCE...",
              help="The sources the drafts are written from: files, directories, or - for stdin. "
                   "Takes every argument up to the next option.")
@click.option("--fail-on", type=click.Choice(FAIL_ON_NAMES),
              help="Lowest verdict that fails the check (exit 1). Default: contradiction.")
@click.option("-f", "--format", "fmt", type=click.Choice(CHECK_FORMAT_NAMES),
              help="Output format. Default: table, or github when run by GitHub Actions without a terminal.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report to FILE instead of stdout.")
@click.option("--coverage/--no-coverage", default=None,
              help="Also report facts several sources agree on that the drafts leave out.")
@config_option
@click.option("--baseline", type=click.Path(dir_okay=False), help="Accept the findings recorded in FILE.")
@click.option("--write-baseline", type=click.Path(dir_okay=False),
              help="Record the current findings in FILE (to pass as --baseline later) and exit 0.")
@click.option("--diff", "diff_ref", metavar="REF", help="Report only lines the drafts changed since the git revision REF.")
@dates_option
@click.option("--min-confidence", type=click.FloatRange(0, 1), help="Leave out findings below this confidence.")
@no_color_option
@click.option("--explain", is_flag=True, help="Show the rules behind each finding.")
@width_option
@reprints_option
@max_bytes_option
@trust_options
def check(drafts, sources, fail_on, fmt, output, coverage, config_path, baseline, write_baseline, diff_ref, dates,
          min_confidence, no_color, explain, width, keep_reprints, max_bytes, allow_outside, allow_fetch, allow_private):
    """Check drafts against their sources: contradictions, disputed and unsupported claims.

    Exit status: 0 when nothing reaches --fail-on, 1 when something does, 2 for usage and
    input errors.
    """
    from dataclasses import replace

    from ..check import CheckOptions, baseline_entries, load_inputs, check_sources
    from ..config import load_config, pipeline_config, source_names
    from ..report.ci import render_check
    from ..check.suppress import baseline_text, load_baseline

    try:
        settings = load_config(os.getcwd(), config_path)
        given_dates = _parse_dates(dates)
        baseline = baseline or settings.get("baseline")
        accepted = frozenset()
        if baseline and not write_baseline:
            accepted = load_baseline(baseline)
        options = CheckOptions(
            fail_on=fail_on or settings.get("fail-on", "contradiction"),
            coverage=coverage if coverage is not None else settings.get("coverage", False),
            coverage_min_sources=settings.get("coverage-min-sources", 2),
            min_confidence=min_confidence if min_confidence is not None else settings.get("min-confidence", 0.0),
            config=replace(pipeline_config(settings, given_dates), keep_reprints=keep_reprints),
            names=tuple(sorted(source_names(settings).items())),
            ignore=settings.get("ignore", ()),
            baseline=accepted,
            baseline_dir=os.path.dirname(os.path.abspath(baseline)) if baseline else None,
            diff=diff_ref,
        )
        stdin = read_stdin([*drafts, *sources], max_bytes)
        with warnings_to_stderr():
            loaded_drafts, loaded_sources = load_inputs(drafts, sources, stdin, max_bytes=max_bytes,
                                                        trust=trust_of(allow_outside, allow_fetch, allow_private))
        refuse_unknown_dates(given_dates, [s.id for s in loaded_sources])  # a draft has no date
        report = check_sources(loaded_drafts, loaded_sources, options)
        if write_baseline:
            folder = os.path.dirname(os.path.abspath(write_baseline))
            write_output(baseline_text(baseline_entries(report, folder)), write_baseline, [*drafts, *sources])
            click.echo(f"reconcile: recorded {len(report.issues)} finding{'s' * (len(report.issues) != 1)} "
                       f"in {write_baseline}", err=True)
            return
        fmt = fmt or _default_format()
        color = fmt == "table" and output is None and _use_color(no_color, sys.stdout)
        width = table_width(width, fmt)
        texts = {s.id: s.text for s in (*loaded_drafts, *loaded_sources)}  # for the HTML page's columns
        write_output(render_check(report, fmt, color=color, explain=explain, width=width, texts=texts), output,
                     [*drafts, *sources])
    except ReconcileError as exc:
        raise Abort(str(exc)) from None
    except KeyboardInterrupt:
        click.echo("reconcile: interrupted", err=True)
        sys.exit(int(ExitStatus.INTERRUPTED))
    if fmt != "table" or output is not None:
        click.echo(f"reconcile: {_counts(report)}", err=True)
    click.get_current_context().exit(int(ExitStatus.FINDINGS) if report.status else int(ExitStatus.OK))


def _default_format() -> str:
    """The table on a terminal; annotations when GitHub Actions runs the command."""
    if not sys.stdout.isatty() and os.environ.get("GITHUB_ACTIONS") == "true":
        return "github"
    return "table"


def _counts(report) -> str:
    errors = sum(1 for i in report.issues if i.severity == "error")
    warnings = len(report.issues) - errors
    return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)} (fail on {report.fail_on})"
