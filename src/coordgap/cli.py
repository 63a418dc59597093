"""The ``coordgap`` command line.

    coordgap compare [MODEL] [--json] [--csv FILE]   incentive designs side by side (main job)
    coordgap solve [MODEL] [--json]     equilibrium and gap report of the preparedness game
    coordgap sweep | critical | figures  parameter sweeps, critical levels, figures
    coordgap optimize --design D ...    instrument levels that reach a target at least cost
    coordgap sensitivity --design D ... Sobol' or Morris indices of design metrics and ranks
    coordgap check MODEL...             validate model files (every problem, with its dotted path)

Each command imports the machinery it needs when it runs, so ``--help``, ``--version`` and
argument errors answer at once instead of after loading pandas, scipy and every model.

Every failure ends with a one-paragraph message, never a traceback: exit status 2 for bad
input, unreadable or unwritable files and work over a limit, 130 for an interrupt (Ctrl-C),
70 for an internal error (a bug: please report it). Text from model files is stripped of
control characters before it reaches the terminal.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ._version import __version__
from .errors import CoordgapError, SpecError
from .files import MAX_INPUT_BYTES, check_output_dir, clean_text, input_limit, write_all
from .limits import allow_large, check_size
from .registry import cli as registry_cli
from .results import format_number, format_quantity, to_plain

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

__all__ = ["main"]

_EPILOG = """examples:
  coordgap compare                    incentive designs on the packaged default model
  coordgap compare models/mine.toml --csv designs.csv
  coordgap solve                      the preparedness game of the default model
  coordgap figures --fast --out /tmp/figs
  coordgap solve models/mine.toml --json
  coordgap check models/*.toml
"""


def _mebibytes(text: str) -> int:
    """An argparse type: a size in MiB (> 0), returned in bytes."""
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not 0 < value <= 2**40:
        raise argparse.ArgumentTypeError(
            f"must be a number of MiB > 0 and <= {2**40}, got {text!r}"
        )
    return max(1, int(value * 2**20))


def _budget(text: str) -> float:
    """An argparse type: a finite number >= 0 (USD m per year)."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value >= 0):
        raise argparse.ArgumentTypeError(f"must be a finite number >= 0, got {text!r}")
    return value


def _positive_int(text: str) -> int:
    """An argparse type: an integer >= 1 (at most 1024)."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= 1024:
        raise argparse.ArgumentTypeError(f"must be an integer from 1 to 1024, got {text!r}")
    return value


def _port(text: str) -> int:
    """An argparse type: a TCP port, 0 to 65535 (0: any free port)."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"must be an integer from 0 to 65535, got {text!r}")
    return value


def _base_sample(text: str) -> int:
    """An argparse type: a sample size, an integer from 2 to 2**20."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 2 <= value <= 2**20:
        raise argparse.ArgumentTypeError(f"must be an integer from 2 to {2**20}, got {text!r}")
    return value


def _seed(text: str) -> int:
    """An argparse type: a seed, an integer >= 0."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be an integer >= 0, got {text!r}")
    return value


def common_options() -> argparse.ArgumentParser:
    """Options every subcommand takes: input size and work limits."""
    common = argparse.ArgumentParser(add_help=False)
    group = common.add_argument_group("limits")
    group.add_argument(
        "--max-input-size",
        type=_mebibytes,
        default=None,
        metavar="MIB",
        help=f"largest input file read, in MiB (default {MAX_INPUT_BYTES // 2**20})",
    )
    group.add_argument(
        "--allow-large",
        action="store_true",
        help="go past the work limits on runs, draws and grid sizes",
    )
    return common


_COMMON = common_options()


def _command(
    sub, name: str, *, json_help: str | None = "print JSON instead of tables", **kwargs
) -> argparse.ArgumentParser:
    """A subcommand taking an optional model file (and ``--json`` unless json_help is None)."""
    parser = sub.add_parser(
        name, formatter_class=argparse.RawDescriptionHelpFormatter, parents=[_COMMON], **kwargs
    )
    parser.add_argument("model", nargs="?", help="TOML model file (default: packaged model)")
    if json_help:
        parser.add_argument("--json", action="store_true", help=json_help)
    return parser


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="coordgap",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Game-theoretic models of the coordination gap in frontier-AI safety.",
        epilog=_EPILOG,
    )
    parser.add_argument("--version", action="version", version=f"coordgap {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    p_compare = _command(
        sub,
        "compare",
        help="compare the incentive designs of a model (the main job)",
        description="Compare the incentive designs of a model file side by side: "
        "participation, credible coverage, residual harm, welfare and fiscal cost "
        "under the worst and the best equilibrium, with a plain-language readout.",
        epilog="examples:\n  coordgap compare\n  coordgap compare models/mine.toml --json\n"
        "  coordgap compare --csv designs.csv --html report.html\n"
        "  coordgap compare --budget 20\n",
    )
    p_compare.add_argument("--csv", metavar="FILE", help="also write the table as CSV")
    p_compare.add_argument(
        "--budget",
        type=_budget,
        metavar="USD_M",
        help="compare at equal budgets: scale each design's instrument levels by one factor "
        "until its fiscal cost (worst equilibrium) is this much per year, where possible",
    )
    p_compare.add_argument(
        "--html",
        metavar="FILE",
        help="also write a self-contained HTML report (tables, figures, readouts, assumptions)",
    )
    _command(
        sub,
        "solve",
        help="solve the preparedness game and print the gap report",
        description="Solve the preparedness game (M1) of a model file: every Nash equilibrium "
        "with its max regret, the social optimum and the coordination gap.",
        epilog="examples:\n  coordgap solve\n  coordgap solve models/mine.toml --json\n",
    )
    p_sweep = _command(
        sub,
        "sweep",
        json_help="print JSON instead of a table",
        help="sweep one parameter of a design and print the metrics",
        description="Evaluate a design over a grid of one parameter (a model-file path such "
        "as preparedness.prob or actors.ai_developer.registry.join_cost, or an "
        "instrument parameter such as PerformanceBond.amount) under the worst and "
        "best equilibrium. Values set the parameter; --scale multiplies it.",
        epilog="examples:\n  coordgap sweep --design bond --param PerformanceBond.amount "
        "--range 0:6:13\n  coordgap sweep --design baseline --param preparedness.prob "
        "--values 0.05,0.1,0.2 --csv sweep.csv\n",
    )
    p_sweep.add_argument("--design", default="baseline", help="design name (default: baseline)")
    p_sweep.add_argument("--param", required=True, help="dotted parameter path")
    grid = p_sweep.add_mutually_exclusive_group(required=True)
    grid.add_argument("--values", help="comma-separated values")
    grid.add_argument("--range", help="START:STOP:NUM (inclusive)")
    p_sweep.add_argument(
        "--metrics",
        default="participation_worst,participation_best,"
        "credible_coverage_worst,credible_coverage_best,fiscal_cost_worst",
        help="comma-separated metric columns",
    )
    p_sweep.add_argument("--csv", metavar="FILE", help="also write the table as CSV")
    p_sweep.add_argument(
        "--scale",
        action="store_true",
        help="multiply the parameter by the values instead of setting it",
    )
    p_crit = _command(
        sub,
        "critical",
        json_help="print JSON",
        help="smallest instrument level that reaches a target",
        description="Find the smallest level of an instrument of a design that reaches a "
        "target, with its certificate (the target fails just below and holds at "
        "the level).",
        epilog="examples:\n  coordgap critical --design procurement --instrument "
        "ProcurementPreference --parameter margin --target participation:50\n"
        "  coordgap critical --design bond --instrument PerformanceBond "
        "--target credible_coverage:0.3:best\n",
    )
    p_crit.add_argument("--design", required=True, help="design holding the instrument")
    p_crit.add_argument("--instrument", required=True, help="instrument type in the design")
    p_crit.add_argument("--parameter", help="instrument parameter (default: its size)")
    p_crit.add_argument(
        "--target",
        default="unique_full",
        help="unique_full | credible_coverage:X[:worst|best] | "
        "participation:N[:...] | robustness:Y[:...]",
    )
    p_crit.add_argument(
        "--max-level",
        type=float,
        default=None,
        help="search bound (default: the parameter's upper bound, else 1e6)",
    )
    p_opt = _command(
        sub,
        "optimize",
        json_help="print JSON",
        help="instrument levels of a design that reach a target at least cost",
        description="Choose the levels of every instrument of a design at once: the least "
        "(1 + λ)·fiscal cost plus actor cost that reaches a target in the worst "
        "equilibrium, within a budget if one is given, or the most welfare within a "
        "budget. Feasibility is certified at the optimum.",
        epilog="examples:\n  coordgap optimize --design combined --target credible_coverage:0.5\n"
        "  coordgap optimize --design compute_access --budget 20\n",
    )
    p_opt.add_argument("--design", required=True, help="design whose instruments are sized")
    p_opt.add_argument(
        "--target",
        default=None,
        help="unique_full | credible_coverage:X[:worst|best] | "
        "participation:N[:...] | robustness:Y[:...]",
    )
    p_opt.add_argument(
        "--budget", type=_budget, default=None, metavar="USD_M", help="most fiscal cost per year"
    )
    p_opt.add_argument(
        "--grid", type=_positive_int, default=9, help="levels per instrument on the first grid"
    )
    p_sens = _command(
        sub,
        "sensitivity",
        json_help="print JSON",
        help="global sensitivity (Sobol' or Morris) of design metrics and of their ranking",
        description="Global sensitivity of the designs' metrics, and of each design's rank "
        "among them, to the uncertain parameters of a [figures.*] robustness block of the "
        "model file (SALib: a Sobol' or Morris sample of the unit hypercube mapped through "
        "each distribution's inverse CDF). Per-actor entries are analysed as one common "
        "factor on every actor of the path. Sobol' needs --n a power of 2 and runs "
        "n·(parameters + 2) samples, Morris n·(parameters + 1); each evaluates every design.",
        epilog="examples:\n  coordgap sensitivity --design bond --design assurance --n 32\n"
        "  coordgap sensitivity --method morris --n 10 --csv indices.csv\n",
    )
    p_sens.add_argument(
        "--design",
        action="append",
        metavar="NAME",
        help="a design to analyse (repeatable; default: every design of the model)",
    )
    p_sens.add_argument(
        "--n",
        type=_base_sample,
        default=32,
        help="Sobol': base sample, a power of 2; Morris: trajectories (default 32)",
    )
    p_sens.add_argument("--method", choices=("sobol", "morris"), default="sobol")
    p_sens.add_argument(
        "--metric",
        action="append",
        metavar="M",
        help="metric analysed, e.g. credible_coverage_worst (repeatable; default: "
        "credible_coverage_worst and welfare_worst)",
    )
    p_sens.add_argument(
        "--rank-by",
        default="welfare_worst",
        metavar="M",
        help="metric the designs are ranked on in each sample (default welfare_worst)",
    )
    p_sens.add_argument(
        "--from",
        dest="block",
        default=None,
        metavar="ID",
        help="the [figures.ID] block whose distributions are used (default: the first "
        "block of kind robustness)",
    )
    p_sens.add_argument(
        "--seed", type=_seed, default=None, help="seed (default: the block's seed, else 0)"
    )
    p_sens.add_argument(
        "--workers",
        type=_positive_int,
        default=1,
        metavar="N",
        help="processes that evaluate samples (default 1); the result is the same for any N",
    )
    p_sens.add_argument("--csv", metavar="FILE", help="also write the indices as CSV")
    for parser_ in (p_compare, p_sweep, p_crit, p_opt, p_sens):
        parser_.add_argument(
            "--public-funds-cost",
            type=float,
            default=None,
            metavar="LAMBDA",
            help="marginal cost of public funds λ (default: the model file's "
            "[welfare] public_funds_cost)",
        )
    p_fig = sub.add_parser(
        "figures",
        help="regenerate every figure of the model files",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[_COMMON],
        description="Run every [figures.*] block of the model files (default: models/*.toml "
        "in this directory, else the packaged default model) and write each figure "
        "(ID.png, ID.pdf, ID.svg as --format asks), its plotted data (ID.csv) and its "
        "provenance (ID.json) to the output directory, atomically and deterministically.",
        epilog="examples:\n  coordgap figures\n  coordgap figures --only design_comparison "
        "--fast --out /tmp/figs\n  coordgap figures models/default.toml --style paper "
        "--format pdf,svg --out paper\n",
    )
    p_fig.add_argument("models", nargs="*", help="TOML model files")
    p_fig.add_argument(
        "--only", action="append", metavar="ID", help="only this figure (repeatable)"
    )
    p_fig.add_argument("--fast", action="store_true", help="small grids and few draws")
    p_fig.add_argument("--out", default="figures", help="output directory (default: figures)")
    p_fig.add_argument(
        "--workers",
        type=_positive_int,
        default=None,
        metavar="N",
        help="processes that build figures (default: one per available processor); "
        "the files are the same for any N",
    )
    p_fig.add_argument(
        "--format",
        type=_figure_formats,
        default=("png", "pdf"),
        metavar="LIST",
        help="comma-separated image formats among png, pdf, svg (default: png,pdf); PDF "
        "embeds TrueType fonts",
    )
    p_fig.add_argument(
        "--dpi",
        type=_figure_dpi,
        default=150,
        metavar="N",
        help="resolution of PNG files in dots per inch, 10 to 2400 (default: 150)",
    )
    p_fig.add_argument(
        "--style",
        choices=("default", "paper", "paper-double", "slides"),
        default="default",
        help="size and type: paper (one journal column, 3.5 in), paper-double (7.2 in), "
        "slides (large type), default (6.4 in)",
    )
    p_check = sub.add_parser(
        "check",
        help="validate model files",
        parents=[_COMMON],
        description="Validate model files and list every problem found.",
    )
    p_check.add_argument("models", nargs="+", help="TOML model files")
    p_explore = _command(
        sub,
        "explore",
        json_help=None,
        help="open the design explorer: move instrument levels, see the outcomes",
        description="Serve a local, offline web page (on 127.0.0.1 only) where the "
        "instruments of the model's designs are sliders; participation, credible coverage, "
        "residual harm, welfare and fiscal cost are recomputed under the worst and the best "
        "equilibrium, with a readout in words and the design as a model-file table.",
        epilog="examples:\n  coordgap explore\n  coordgap explore models/mine.toml --port 8051 "
        "--no-browser\n  (then open http://127.0.0.1:8051/?bond=1.5)\n",
    )
    p_explore.add_argument(
        "--port", type=_port, default=8050, help="TCP port on 127.0.0.1 (default 8050; 0: any free)"
    )
    p_explore.add_argument(
        "--no-browser", action="store_true", help="do not open the page in a web browser"
    )
    registry_cli.add_parser(sub, parents=[_COMMON])
    return parser


def _by_role(game, investment: np.ndarray, opt: np.ndarray) -> pd.DataFrame:
    import pandas as pd

    frame = pd.DataFrame(
        {
            "role": game.roles,
            "share": game.share,
            "cost": game.cost,
            "x_nash": investment,
            "x_opt": opt,
            "cost_nash": game.costs(investment),
        }
    )
    table = frame.groupby("role", sort=False).agg(
        actors=("role", "size"),
        share_each=("share", "first"),
        cost_each=("cost", "first"),
        invest_nash_each=("x_nash", "mean"),
        invest_opt_each=("x_opt", "mean"),
        cost_share_nash=("cost_nash", "sum"),
    )
    total = table["cost_share_nash"].sum()
    table["cost_share_nash"] = table["cost_share_nash"] / total if total > 0 else 0.0
    return table


def _solve(args) -> int:
    import pandas as pd

    from .analysis.gap import gap_from
    from .api import optimum, solve
    from .spec import load_model

    spec = load_model(args.model)
    game = spec.preparedness_game()
    eqs = solve(game)
    opt = optimum(game)
    report = gap_from(game, eqs, opt)
    if args.json:
        out = {
            "model": {"name": spec.name, "source": spec.source, "sha256": spec.sha256},
            "equilibria": eqs.to_dict(),
            "optimum": opt.to_dict(),
            "gap": report.to_dict(),
        }
        print(json.dumps(to_plain(out), indent=2))
        return 0
    pd.set_option("display.width", 120)
    print(f"coordgap {__version__} — model {spec.name!r} ({spec.source})")
    if spec.title:
        print(spec.title)
    print(
        f"\n{game.n_actors} actors; aggregator {game.aggregator}, γ = {game.cost_exponent:g}, "
        f"p = {game.prob:g}, H = {game.harm:g}, κ = {game.efficacy:g}"
    )
    print(
        f"\nEquilibria: {len(eqs)} listed, complete = {eqs.complete}, method {eqs.method!r}, "
        f"max regret {eqs.max_regret:.2e}"
    )
    if eqs.message:
        print(f"  {eqs.message}")
    worst = min(eqs, key=lambda e: e.welfare)
    print("\nInvestment by role (worst equilibrium vs social optimum):")
    print(_by_role(game, worst.investment, opt.investment).to_string(float_format="%.4g"))
    print("\nCoordination gap:")
    print(report.to_frame().to_string(float_format="%.4g"))
    riders = len(report.free_riders)
    print(
        f"\nThe price of anarchy is {format_number(report.price_of_anarchy)}; {riders} of "
        f"{game.n_actors} actors invest nothing in the worst equilibrium."
    )
    return 0


def _policy_model(spec, args):
    """The model's policy model, with λ from the command line when given."""
    model = spec.policy_model()
    if getattr(args, "public_funds_cost", None) is not None:
        model = model.set("welfare.public_funds_cost", args.public_funds_cost)
    return model


def _compare(args) -> int:
    from .analysis.compare import METRICS, compare
    from .spec import validate

    spec = validate(args.model)  # the same validation as `coordgap check`
    if not spec.designs:
        raise SpecError(spec.source, ["designs: the model declares no [designs.*] to compare"])
    _check_targets([p for p in (args.csv, args.html) if p], args.model)
    result = compare(_policy_model(spec, args), spec.designs, budget=args.budget)
    # The table as a DataFrame only for the outputs that need one (pandas is slow to import).
    frame = result.to_frame() if (args.csv or args.json) else None
    files = {}
    if args.csv:
        assert frame is not None
        files[args.csv] = frame.to_csv().encode("utf-8")
    if args.html:
        from .plots.report import comparison_html

        # backslashreplace: a file name that is not UTF-8 (surrogate escapes) stays readable
        files[args.html] = comparison_html(spec, result).encode("utf-8", "backslashreplace")
    write_all(files, inputs=[args.model] if args.model else [])  # all or none
    if args.json:
        assert frame is not None
        out = {
            "model": {"name": spec.name, "source": spec.source, "sha256": spec.sha256},
            "designs": to_plain(frame.reset_index().to_dict(orient="records")),
            "pareto": list(result.pareto),
            "public_funds_cost": result.public_funds_cost,
            "budget": args.budget,
            "scaling": [
                {
                    "design": b.design.name,
                    "factor": b.factor,
                    "fiscal_cost": b.fiscal_cost,
                    "reached": b.reached,
                    "note": b.message,
                }
                for b in result.budgets
            ],
            "selection": result.selection,
            "units": dict(METRICS),
        }
        print(json.dumps(out, indent=2))
        return 0
    print(f"coordgap {__version__} — model {spec.name!r} ({spec.source})")
    if spec.title:
        print(spec.title)
    print(
        f"\n{spec.n_actors} actors; {len(spec.designs)} designs; money in USD m per year; "
        f"marginal cost of public funds λ = {result.public_funds_cost:g}"
    )
    print(result.selection + "\n")
    if args.budget is not None:
        print(f"Equal budgets: each design's instrument levels scaled to {args.budget:g} per year")
        for b in result.budgets:
            if b.design.instruments:
                state = "reached" if b.reached else b.message.partition(": ")[2]
                print(
                    f"  {b.design.name}: levels x {b.factor:.4g}, fiscal {b.fiscal_cost:.4g} ({state})"
                )
        print()
    columns = {
        "participation_worst": "filers (worst)",
        "participation_best": "filers (best)",
        "credible_coverage_worst": "cred. cov. (worst)",
        "credible_coverage_best": "cred. cov. (best)",
        "welfare_worst": "welfare (worst)",
        "welfare_best": "welfare (best)",
        "fiscal_cost_worst": "fiscal (worst)",
        "fiscal_cost_best": "fiscal (best)",
        "full_participation_unique": "full unique",
    }
    rows = [outcome.row() for outcome in result.outcomes]
    print(_text_table("design", [r["design"] for r in rows], columns, rows))
    print("\nReadouts:")
    for name, line in zip((r["design"] for r in rows), result.readouts):
        print(f"  {name}: {line}")
    print(
        f"\nPareto frontier (fiscal cost vs worst-case credible coverage): "
        f"{', '.join(result.pareto)}"
    )
    return 0


def _text_table(index_name: str, labels, columns: dict, rows) -> str:
    """A fixed-width table laid out as ``DataFrame.to_string`` does (numbers to 4 significant
    digits, right-aligned under their headers, the index name on its own line)."""
    import numpy as np

    def cell(value) -> str:
        if isinstance(value, (bool, np.bool_)) or value is None:
            return str(value)
        if isinstance(value, (int, np.integer)):
            return str(int(value))
        return f"{float(value):.4g}"

    body = [[cell(row[key]) for key in columns] for row in rows]
    widths = [
        max([len(title)] + [len(line[k]) for line in body])
        for k, title in enumerate(columns.values())
    ]
    left = max([len(index_name)] + [len(str(label)) for label in labels])
    head = " " * left + "".join("  " + title.rjust(w) for title, w in zip(columns.values(), widths))
    lines = [head, index_name.ljust(left + sum(w + 2 for w in widths))]
    for label, line in zip(labels, body):
        lines.append(
            str(label).ljust(left) + "".join("  " + v.rjust(w) for v, w in zip(line, widths))
        )
    return "\n".join(lines)


def _check_targets(outputs, model) -> None:
    """Refuse output paths that are directories, repeated, or the command's input — before
    any work is done."""
    from .files import check_targets

    check_targets(outputs, [model] if model else [])


def _design_of(spec, name: str):
    from .errors import did_you_mean

    for design in spec.designs:
        if design.name == name:
            return design
    names = [d.name for d in spec.designs]
    raise SpecError(spec.source, [f"--design {name}: no such design. {did_you_mean(name, names)}"])


def _grid_values(args) -> list[float]:
    try:
        if args.values is not None:
            return [float(v) for v in args.values.split(",") if v.strip()]
        start, stop, num = args.range.split(":")
        num = int(num)
    except ValueError:
        raise SpecError(
            "sweep",
            [
                "--values/--range: expected numbers such as 0,1,2 or "
                "0:6:13 (START:STOP:NUM with an integer NUM)"
            ],
        ) from None
    if num < 1:
        raise SpecError("sweep", [f"--range {args.range}: NUM must be an integer >= 1"])
    check_size("sweep", "--range", num, "sweep_points")  # before anything is allocated
    import numpy as np

    return [float(v) for v in np.linspace(float(start), float(stop), num)]


def _sweep(args) -> int:
    from .analysis.montecarlo import DesignMetrics
    from .analysis.sweep import sweep
    from .spec import load_model

    spec = load_model(args.model)
    design = _design_of(spec, args.design)
    _check_targets([args.csv] if args.csv else [], args.model)
    metrics = [m.strip() for m in args.metrics.split(",") if m.strip()]
    scale = (args.param,) if args.scale else ()
    res = sweep(
        DesignMetrics(_policy_model(spec, args), design, scale=scale),
        {args.param: _grid_values(args)},
        metrics=metrics,
    )
    frame = res.frame
    if args.csv:
        write_all(
            {args.csv: frame.to_csv(index=False).encode("utf-8")},
            inputs=[args.model] if args.model else [],
        )
    if args.json:
        print(json.dumps(to_plain(frame.to_dict(orient="records")), indent=2))
    else:
        print(frame.to_string(index=False, float_format="%.4g"))
    return 0


def _parse_target(text: str, command: str) -> tuple:
    """``KIND[:VALUE[:worst|best]]`` as the arguments of :class:`coordgap.Target`."""
    parts = text.split(":")
    try:
        return (parts[0],) + tuple(float(p) if k == 0 else p for k, p in enumerate(parts[1:]))
    except ValueError:
        raise SpecError(
            command,
            [
                f"--target {text}: expected KIND[:VALUE[:worst|best]]"
                " with a number as VALUE, e.g. credible_coverage:0.5:best"
            ],
        ) from None


def _optimize(args) -> int:
    from .analysis.optimize import optimize_design
    from .spec import load_model

    spec = load_model(args.model)
    design = _design_of(spec, args.design)
    if not design.instruments:
        raise SpecError(spec.source, [f"--design {args.design}: has no instruments to optimize"])
    target = None if args.target is None else _parse_target(args.target, "optimize")
    if target is None and args.budget is None:
        raise SpecError("optimize", ["give --target, --budget, or both"])
    res = optimize_design(
        _policy_model(spec, args),
        design.instruments,
        target=target,
        budget=args.budget,
        grid=args.grid,
        name=design.name,
    )
    worst = res.outcome.worst
    if args.json:
        out = {
            "design": design.name,
            "levels": res.levels,
            "objective": res.objective,
            "feasible": res.feasible,
            "target": res.target,
            "budget": None if args.budget is None else args.budget,
            "worst": worst,
            "best": res.outcome.best,
            "full_participation_unique": res.outcome.full_participation_unique,
            "evaluations": res.evaluations,
            "message": res.message,
        }
        print(json.dumps(to_plain(out), indent=2))
        return 0 if res.feasible else 1
    goal = res.target or f"most welfare within a budget of {args.budget:g} USD m per year"
    print(f"design {design.name!r}: {goal}")
    for item in res.design.instruments:
        print(f"  {type(item).__name__}.{item.level}: {item.quantity(item.level, digits=6)}")
    what = "(1 + λ)·fiscal + actor cost" if res.target else "Welfare"
    print(
        f"{what} {format_quantity(res.objective, 'USD m per period')}. In the worst equilibrium "
        f"{worst['participation']} actors file; credible coverage is "
        f"{format_quantity(worst['credible_coverage'], '%')} of the required capacity, the "
        f"fiscal cost {format_quantity(worst['fiscal_cost'], 'USD m per period')} and welfare "
        f"{format_quantity(worst['welfare'], 'USD m per period')}."
    )
    print(("feasible at the optimum; " if res.feasible else "NOT feasible; ") + res.message)
    return 0 if res.feasible else 1


def _sensitivity_inputs(spec, block_id: str | None) -> tuple[dict, list, list[str]]:
    """Distributions, scaled paths and notes from a robustness block of the model file."""
    from .spec.figures import sensitivity_inputs

    blocks = {k: b for k, b in spec.figures.items() if b.get("kind") == "robustness"}
    if block_id is None:
        if not blocks:
            raise SpecError(
                spec.source,
                [
                    "sensitivity: the model file has no [figures.ID] block of kind robustness "
                    "to take distributions from"
                ],
            )
        block_id = next(iter(blocks))
    elif block_id not in blocks:
        from .errors import did_you_mean

        raise SpecError(
            spec.source,
            [
                f"--from {block_id}: no robustness block of that id. {did_you_mean(block_id, list(blocks))}"
            ],
        )
    distributions, scaled, notes = sensitivity_inputs(
        blocks[block_id], f"figures.{block_id}", spec.source
    )
    if not distributions:
        raise SpecError(spec.source, [f"figures.{block_id}: no distributions to analyse"])
    return distributions, scaled, notes


def _sensitivity(args) -> int:
    if args.method == "sobol" and args.n & (args.n - 1):  # before anything is loaded
        raise SpecError(
            "sensitivity",
            [f"--n {args.n}: with --method sobol, n must be a power of 2 (e.g. 16, 32 or 64)"],
        )
    from .analysis.sensitivity import sensitivity
    from .spec import load_model

    spec = load_model(args.model)
    designs = (
        [_design_of(spec, name) for name in dict.fromkeys(args.design)]
        if args.design
        else list(spec.designs)
    )
    if not designs:
        raise SpecError(spec.source, ["sensitivity: the model file has no [designs.*]"])
    _check_targets([args.csv] if args.csv else [], args.model)
    distributions, scaled, notes = _sensitivity_inputs(spec, args.block)
    block = spec.figures[args.block] if args.block else None
    seed = args.seed
    if seed is None:
        first = block or next(b for b in spec.figures.values() if b.get("kind") == "robustness")
        seed = int(first.get("seed", 0))
    metrics = args.metric or ["credible_coverage_worst", "welfare_worst"]
    run = dict(
        method=args.method,
        metrics=metrics,
        rank_by=args.rank_by,
        scale=scaled,
        rng=seed,
    )
    model = _policy_model(spec, args)
    if args.workers > 1:
        import concurrent.futures as cf

        with cf.ProcessPoolExecutor(args.workers) as pool:
            res = sensitivity(model, designs, distributions, args.n, executor=pool, **run)
    else:
        res = sensitivity(model, designs, distributions, args.n, **run)
    frame = res.to_frame()
    if args.csv:
        write_all(
            {args.csv: frame.to_csv(index=False).encode("utf-8")},
            inputs=[args.model] if args.model else [],
        )
    if args.json:
        out = {
            "model": {"name": spec.name, "source": spec.source, "sha256": spec.sha256},
            "seed": seed,
            "scale": scaled,
            "notes": notes,
            **res.to_dict(),
        }
        print(json.dumps(to_plain(out), indent=2))
        return 0
    import pandas as pd

    pd.set_option("display.width", 160)
    print(
        f"coordgap {__version__} — model {spec.name!r} ({spec.source}); {res.method}, n = {res.n}: "
        f"{len(res.samples)} samples × {len(designs)} designs = {res.n_evaluations} evaluations"
    )
    print(
        "uncertain: "
        + ", ".join(res.parameters)
        + (f" (factors: {', '.join(scaled)})" if scaled else "")
    )
    for note in notes:
        print(f"note: {note}")
    columns = [c for c in frame.columns if c not in ("design", "metric", "parameter")]
    for metric in dict.fromkeys(frame["metric"]):
        part = frame[frame["metric"] == metric].set_index(["design", "parameter"])[columns]
        print(f"\n{metric}:")
        print(part.to_string(float_format=lambda v: f"{v:.3g}"))
    if len(res.rank_summary):
        print(f"\nranking on {res.rank_by} (1 = best):")
        print(res.rank_summary.to_string(float_format=lambda v: f"{v:.3g}"))
    if res.method == "sobol":
        print(
            "\nS1: share of the variance explained by the parameter alone; ST: with its interactions."
            "\nNaN: the output does not vary over the sample."
        )
    else:
        print(
            "\nmu_star: mean absolute effect per unit of the parameter's quantile, in the "
            "metric's unit; sigma: its spread (non-linearity, interactions)."
        )
    return 0


def _critical(args) -> int:
    from .analysis.critical import critical_level
    from .instruments import Design
    from .spec import load_model

    spec = load_model(args.model)
    design = _design_of(spec, args.design)
    hits = [i for i in design.instruments if type(i).__name__ == args.instrument]
    if not hits:
        names = [type(i).__name__ for i in design.instruments]
        raise SpecError(
            spec.source,
            [
                f"--instrument {args.instrument}: not in design "
                f"{design.name!r} (it has: {', '.join(names) or 'none'})"
            ],
        )
    others = Design("others", [i for i in design.instruments if i is not hits[0]])
    target = _parse_target(args.target, "critical")
    res = critical_level(
        _policy_model(spec, args),
        hits[0],
        args.parameter,
        target,
        design=others,
        max_level=args.max_level,
    )
    if args.json:
        print(json.dumps(res.to_dict(), indent=2))
        return 0 if res.reachable else 1
    if res.reachable:
        print(
            f"{res.instrument}.{res.parameter} at or above {format_number(res.level, 6)} reaches: "
            f"{res.target}."
        )
        print(
            f"certificate: holds at the level (metric {res.metric_at_level:.6g}); "
            f"{'fails' if res.fails_below else 'also holds'} at level - {res.tol:g} "
            f"(metric {res.metric_below:.6g}); {res.evaluations} evaluations"
        )
    else:
        print(f"not reachable: {res.message}")
    return 0 if res.reachable else 1


def _figures(args) -> int:
    from pathlib import Path

    from .plots.recipes import run_figures
    from .spec import load_model

    paths = list(args.models)
    if not paths and Path("models").is_dir():
        paths = sorted(str(p) for p in Path("models").glob("*.toml"))
    out = check_output_dir(args.out)
    specs = [load_model(p) for p in paths] if paths else [load_model()]
    unique = {spec.sha256: spec for spec in specs}
    written = run_figures(
        list(unique.values()),
        out,
        only=args.only,
        fast=args.fast,
        inputs=paths,
        workers=args.workers or _available_cpus(),
        formats=args.format,
        dpi=args.dpi,
        style=args.style,
    )
    for path in written:
        print(path)
    return 0


def _figure_formats(text: str) -> tuple:
    """``--format png,pdf,svg``: a non-empty list of known image formats, without repeats."""
    formats = tuple(dict.fromkeys(f.strip().lower() for f in text.split(",") if f.strip()))
    if not formats or any(f not in ("png", "pdf", "svg") for f in formats):
        raise argparse.ArgumentTypeError(
            f"must be a comma-separated list of png, pdf, svg, got {text!r}"
        )
    return formats


def _figure_dpi(text: str) -> int:
    """``--dpi N``: an integer from 10 to 2400."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 10 <= value <= 2400:
        raise argparse.ArgumentTypeError(f"must be an integer from 10 to 2400, got {text!r}")
    return value


def _available_cpus() -> int:
    """The processors this process may run on (at least 1)."""
    import os

    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _check(args) -> int:
    """Validate each file exactly as ``compare`` does (load, then build every model)."""
    from .spec import validate

    failed = 0
    for path in args.models:
        try:
            spec = validate(path)
        except CoordgapError as exc:
            failed += 1
            print(str(exc), file=sys.stderr)
        else:
            notes = [f"{spec.n_actors} actors"]
            if not spec.has_registry:
                notes.append(
                    "preparedness only: `solve` uses it; `compare`, `sweep` and "
                    "`critical` need [commitment] and [actors.*.registry]"
                )
            elif not spec.designs:
                notes.append("no [designs.*] for `compare`")
            else:
                notes.append(f"{len(spec.designs)} designs")
            print(f"{path}: ok ({'; '.join(notes)})")
    return 2 if failed else 0


class _CleanStream:
    """A text stream that strips control characters (escape sequences, bells, bidi
    overrides) from everything written to it: model files are not trusted with a terminal.
    Text the stream cannot encode (a file name that is not UTF-8, under a strict locale) is
    written with backslash escapes instead of failing."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, text: str) -> int:
        text = clean_text(text)
        try:
            return self._stream.write(text)
        except UnicodeEncodeError:
            encoding = getattr(self._stream, "encoding", None) or "utf-8"
            return self._stream.write(
                text.encode(encoding, "backslashreplace").decode(encoding, "replace")
            )

    def __getattr__(self, name):
        return getattr(self._stream, name)


def _explore(args) -> int:
    from .explore import Explorer, serve
    from .spec import validate

    spec = validate(args.model)  # the same validation as `coordgap check`
    explorer = Explorer(spec)
    if not explorer.controls:
        raise SpecError(spec.source, ["designs: the model's designs use no instruments to explore"])
    try:
        serve(explorer, port=args.port, open_browser=not args.no_browser)
    except OSError as exc:
        return _fail(
            "explore",
            f"cannot listen on 127.0.0.1:{args.port}: {exc.strerror or exc}; "
            "choose another --port (0 picks a free one)",
            2,
        )
    return 0


_COMMANDS = {
    "explore": _explore,
    "compare": _compare,
    "solve": _solve,
    "check": _check,
    "figures": _figures,
    "sweep": _sweep,
    "critical": _critical,
    "optimize": _optimize,
    "sensitivity": _sensitivity,
    "registry": registry_cli.run,
}


def _fail(command: str, text: str, status: int) -> int:
    print(f"coordgap {command}: {text}", file=sys.stderr)
    return status


def _run(args) -> int:
    """Run a parsed command; every failure becomes a message and an exit status."""
    name = (
        args.command
        if args.command != "registry"
        else f"registry {getattr(args, 'registry_command', '') or ''}".strip()
    )
    limit = getattr(args, "max_input_size", None) or MAX_INPUT_BYTES
    try:
        with input_limit(limit), allow_large(getattr(args, "allow_large", False)):
            return _COMMANDS[args.command](args)
    except CoordgapError as exc:
        return _fail(name, str(exc), 2)
    except BrokenPipeError:  # output piped into a command that stopped reading (e.g. head)
        sys.stderr.close()
        return 0
    except OSError as exc:  # an unreadable input or an unwritable output
        target = exc.filename2 or exc.filename  # a rename names its target second
        where = f" {str(target)!r}" if target else ""
        return _fail(name, f"cannot write or read{where}: {exc.strerror or exc}", 2)
    except KeyboardInterrupt:
        return _fail(name, "interrupted; no output file was changed", 130)
    except MemoryError:
        return _fail(
            name,
            "ran out of memory. Reduce the number of runs, draws, actors or "
            "grid points (work limits apply unless --allow-large is given)",
            2,
        )
    except RecursionError:
        return _fail(name, "the input is nested too deeply to process", 2)
    except Exception as exc:
        return _fail(
            name,
            f"internal error ({type(exc).__name__}: {exc}). This is a bug in "
            f"coordgap {__version__}; please report it with the command and "
            "files that caused it",
            70,
        )


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``coordgap`` command; returns the exit status.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments after the program name (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        0 on success; 1 when a critical level is not reached or ``coordgap registry check``
        finds gaps or conflicts; 2 for bad input (including model files that fail ``check``),
        unreadable or unwritable files and work over a limit; 130 for an interrupt; 70 for an
        internal error.
    """
    stdout, stderr = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _CleanStream(stdout), _CleanStream(stderr)
    try:
        parser = _parser()
        try:
            args = parser.parse_args(argv)
        except KeyboardInterrupt:
            return 130
        if args.command is None:
            parser.print_help()
            return 0
        return _run(args)
    finally:
        sys.stdout, sys.stderr = stdout, stderr


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
