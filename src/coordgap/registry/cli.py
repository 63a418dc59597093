"""``coordgap registry``: check a registry, run a tabletop exercise, write an HTML report.

    coordgap registry check [FILE] [--json]
    coordgap registry tabletop SCENARIO [FILE] [--runs N] [--seed S] [--json]
    coordgap registry report [FILE] --html out.html [--runs N] [--seed S]
    coordgap registry review SCENARIO [FILE] [--runs N] [--seed S] [--json]
    coordgap registry cycles [FILE] [--rounds R] [--drift P] [--runs N] [--seed S] [--json]

Without FILE the packaged sample registry is used. ``check`` exits with 0 when there is no gap
and no conflict, 1 when there are, and 2 when the file has problems (listed with their dotted
paths, without a traceback).
"""

from __future__ import annotations

import argparse
import json
import math
from typing import TYPE_CHECKING

from ..files import check_targets, write_all
from ..results import to_plain

if TYPE_CHECKING:
    from .checks import RegistryReport

__all__ = ["add_parser", "run"]

_EPILOG = """examples:
  coordgap registry check                       the packaged sample registry
  coordgap registry check registry.toml --json
  coordgap registry tabletop grid_intrusion --runs 10000 --seed 1
  coordgap registry report registry.toml --html report.html
  coordgap registry review lab_systems_disruption --runs 2000
  coordgap registry cycles --rounds 20 --drift 0.5 --seed 3
"""


def seed(text: str) -> int:
    """An argparse type: a random seed, an integer >= 0 (argparse reports anything else)."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be an integer >= 0, got {text!r}")
    return value


def count(low: int):
    """An argparse type: an integer >= ``low`` (argparse reports anything else)."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = low - 1
        if value < low:
            raise argparse.ArgumentTypeError(f"must be an integer >= {low}, got {text!r}")
        return value

    parse.__name__ = "count"
    return parse


def add_parser(subparsers, parents=()) -> argparse.ArgumentParser:
    """Add the ``registry`` command and its subcommands to the main parser's subparsers
    (``parents``: parsers of options every subcommand takes).

    Parameters
    ----------
    subparsers : argparse._SubParsersAction
        What ``ArgumentParser.add_subparsers`` returned for the main parser.
    parents : sequence of argparse.ArgumentParser
        Parsers whose options every subcommand also takes (default none).

    Returns
    -------
    argparse.ArgumentParser
        The ``registry`` parser.
    """
    parents = list(parents)
    parser = subparsers.add_parser(
        "registry",
        help="check filed response plans, run tabletop exercises, write reports",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="The Scenario Response Registry (M6): coverage, gaps, overlaps, conflicts "
        "and library diagnostics of filed if-then response plans; Monte Carlo "
        "tabletop exercises of a scenario; an HTML report.",
        epilog=_EPILOG,
    )
    sub = parser.add_subparsers(dest="registry_command", metavar="SUBCOMMAND")
    p_check = sub.add_parser(
        "check",
        parents=parents,
        help="coverage, gaps, overlaps, conflicts and library diagnostics",
        description="Check a registry file (TOML or JSON). Exit status: 0 no gap or conflict, "
        "1 gaps or conflicts found, 2 the file has problems.",
    )
    p_check.add_argument("file", nargs="?", help="registry file (default: packaged sample)")
    p_check.add_argument("--json", action="store_true", help="print JSON instead of text")
    p_table = sub.add_parser(
        "tabletop",
        parents=parents,
        help="Monte Carlo tabletop exercise of one scenario",
        description="Simulate a scenario: indicator paths, triggers, who honours, decision and "
        "escalation latencies, time to a coordinated response, unmet functions "
        "and residual harm. The same seed gives the same result.",
    )
    _exercise_arguments(p_table, 10_000, "number of runs")
    p_report = sub.add_parser(
        "report",
        parents=parents,
        help="write a self-contained HTML report",
        description="Write an HTML report: findings, coverage, actors and a tabletop summary "
        "of every scenario.",
    )
    p_report.add_argument("file", nargs="?", help="registry file (default: packaged sample)")
    p_report.add_argument("--html", required=True, metavar="OUT", help="output HTML file")
    p_report.add_argument(
        "--runs", type=count(0), default=1000, help="tabletop runs per scenario (1000; 0 to skip)"
    )
    p_report.add_argument("--seed", type=seed, default=0, help="random seed, an integer >= 0 (0)")
    p_review = sub.add_parser(
        "review",
        parents=parents,
        help="review the registry after a tabletop exercise of one scenario",
        description="Run a tabletop exercise of a scenario and review the registry: revisions "
        "proposed (plans extended to gaps, decisions delegated, conflicts carved out, "
        "functions flagged) and coverage before and after.",
    )
    _exercise_arguments(p_review, 1000, "tabletop runs")
    p_cycles = sub.add_parser(
        "cycles",
        parents=parents,
        help="simulate review cycles against a registry never reviewed",
        description="Rounds of exercise or incident, review and apply, in a world whose "
        "scenarios drift: coverage, credible coverage and time to a coordinated response per "
        "round, reviewed and never reviewed, and whether the registry keeps pace.",
    )
    p_cycles.add_argument("file", nargs="?", help="registry file (default: packaged sample)")
    p_cycles.add_argument("--rounds", type=count(1), default=20, help="rounds, >= 1 (20)")
    p_cycles.add_argument(
        "--drift",
        type=_share,
        default=0.0,
        help="probability per round that a scenario is replaced by a novel one, in [0, 1] (0)",
    )
    p_cycles.add_argument(
        "--runs", type=count(1), default=200, help="tabletop runs per exercise, >= 1 (200)"
    )
    p_cycles.add_argument("--seed", type=seed, default=0, help="random seed, an integer >= 0 (0)")
    p_cycles.add_argument("--json", action="store_true", help="print JSON instead of text")
    parser.set_defaults(registry_parser=parser)
    return parser


def _exercise_arguments(parser, runs: int, what: str) -> None:
    """Add the arguments of a command that exercises one scenario: scenario, file, runs, seed, json."""
    parser.add_argument("scenario", help="scenario id")
    parser.add_argument("file", nargs="?", help="registry file (default: packaged sample)")
    parser.add_argument(
        "--runs", type=count(1), default=runs, help=f"{what}, an integer >= 1 ({runs})"
    )
    parser.add_argument("--seed", type=seed, default=0, help="random seed, an integer >= 0 (0)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")


def _share(text: str) -> float:
    """An argparse type: a float in [0, 1] (argparse reports anything else)."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"must be a float in [0, 1], got {text!r}")
    return value


def _review(args) -> int:
    from .load import load_registry  # the commands load the registry machinery when they run
    from .reviews import review

    registry = load_registry(args.file)
    rev = review(registry, registry.tabletop(args.scenario, args.runs, rng=args.seed))
    if args.json:
        out = {**rev.to_dict(), "revision_list": [r.to_dict() for r in rev.revisions]}
        return _print_json(out)
    print(
        f"review of {registry.name!r} after a tabletop of {args.scenario!r} ({args.runs} runs, "
        f"seed {args.seed}): {rev.n_revisions} revisions; uncovered: "
        f"{', '.join(rev.uncovered) or 'none'}"
    )
    print(
        f"credible coverage {rev.credible_coverage_before:.1%} -> {rev.credible_coverage_after:.1%}"
    )
    for r in rev.revisions:
        print(f"  - [{r.kind}] {r.message}")
    return 0


def _cycles(args) -> int:
    from .cycles import review_cycles
    from .load import load_registry  # the commands load the registry machinery when they run

    registry = load_registry(args.file)
    cyc = review_cycles(registry, args.rounds, drift=args.drift, n_runs=args.runs, rng=args.seed)
    if args.json:
        out = {**cyc.to_dict(), "rounds_table": cyc.frame.to_dict(orient="records")}
        return _print_json(out)
    import pandas as pd

    pd.set_option("display.width", 120)
    print(
        f"review cycles of {registry.name!r}: {args.rounds} rounds, drift {args.drift:g}, "
        f"seed {args.seed}"
    )
    print(
        f"coverage after the last round {cyc.final_coverage:.1%} reviewed, "
        f"{cyc.final_coverage_never:.1%} never reviewed; drift rate {cyc.drift_rate:.4g}, "
        f"learning rate {cyc.learning_rate:.4g} per round: "
        f"{'keeps' if cyc.keeps_pace else 'does not keep'} pace"
    )
    table = cyc.frame.pivot(index="round", columns="regime", values="coverage")
    print(table.to_string(float_format="%.3f"))
    return 0


def _print_check(registry, report: RegistryReport) -> None:
    print(
        f"registry {registry.name!r} ({registry.source}): {len(registry.scenarios)} "
        f"scenarios, {len(registry.actors)} actors, {len(registry.filings)} filings"
    )
    print(f"credible coverage {report.credible_coverage:.1%}; {report.message}")
    for category, heading in (
        ("gap", "Gaps"),
        ("conflict", "Conflicts"),
        ("overlap", "Overlaps"),
        ("library", "Library diagnostics"),
    ):
        found = [f for f in report.findings if f.category == category]
        if found:
            print(f"\n{heading} ({len(found)}):")
            for f in found:
                print(f"  - [{f.kind}] {f.message}")


def _check(args) -> int:
    from .load import load_registry  # the commands load the registry machinery when they run

    registry = load_registry(args.file)
    report = registry.check()
    if args.json:
        out = {"registry": {"name": registry.name, "source": registry.source}, **report.to_dict()}
        _print_json(out)
    else:
        _print_check(registry, report)
    return 0 if report.success else 1


def _print_json(value) -> int:
    """Print ``value`` as indented JSON (plain values) and return exit status 0."""
    print(json.dumps(to_plain(value), indent=2))
    return 0


def _fmt_hours(x: float) -> str:
    return "never" if math.isinf(x) else f"{x:.3g} h"


def _tabletop(args) -> int:
    from .load import load_registry  # the commands load the registry machinery when they run

    registry = load_registry(args.file)
    ex = registry.tabletop(args.scenario, args.runs, rng=args.seed)
    if args.json:
        return _print_json(ex.to_dict())
    import pandas as pd

    scenario = registry.scenario(args.scenario)
    pd.set_option("display.width", 120)
    print(
        f"tabletop {scenario.id!r} ({scenario.domain}, {scenario.severity}): {ex.n_runs} "
        f"runs, seed {args.seed}"
    )
    print(
        f"coordinated response within every window in {ex.p_coordinated:.1%} of runs; "
        f"time to coordinated response median {_fmt_hours(ex.time_to_response_median)}, "
        f"90th percentile {_fmt_hours(ex.time_to_response_p90)}"
    )
    print(
        f"residual harm mean {ex.residual_harm_mean:.4g}, 90th percentile "
        f"{ex.residual_harm_p90:.4g} (of {ex.harm:.4g} if nothing is delivered)"
    )
    print("\nFunctions:")
    print(ex.functions.to_string(index=False, float_format="%.3g"))
    print("\nPlans:")
    print(ex.filings.to_string(index=False, float_format="%.3g"))
    return 0


def _report(args) -> int:
    inputs = [args.file] if args.file else []
    check_targets([args.html], inputs)  # before the tabletop runs
    from .load import load_registry  # the commands load the registry machinery when they run

    registry = load_registry(args.file)
    from .report import registry_html

    text = registry_html(registry, tabletop_runs=args.runs, rng=args.seed)
    # backslashreplace: a file name that is not UTF-8 (surrogate escapes) stays readable
    path = write_all({args.html: text.encode("utf-8", "backslashreplace")}, inputs=inputs)[0]
    print(f"wrote {path}")
    return 0


def run(args) -> int:
    """Run ``coordgap registry ...``; returns the exit status.

    Parameters
    ----------
    args : argparse.Namespace
        The parsed command line (``registry_command`` names the subcommand).

    Returns
    -------
    int
        0 on success (``check``: no gap and no conflict), 1 when ``check`` finds gaps or
        conflicts; usage without a subcommand prints help and returns 0.
    """
    commands = {
        "check": _check,
        "tabletop": _tabletop,
        "report": _report,
        "review": _review,
        "cycles": _cycles,
    }
    if getattr(args, "registry_command", None) is None:
        args.registry_parser.print_help()
        return 0
    return commands[args.registry_command](args)
