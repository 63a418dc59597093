"""Figure recipes: a ``[figures.ID]`` block of a model file → an analysis → a Display → files.

Recipes run the analysis (sweeps, comparisons, Monte Carlo) and hand the results to Display
objects, which only draw. Every figure is written in the formats asked for (PNG, PDF, SVG) in
one of the styles of :mod:`coordgap.plots.style`, with the plotted data as CSV and a JSON
provenance file (software versions, git commit, SHA-256 of the model file and of the data,
design, seed, fast flag), atomically and deterministically: two runs write identical bytes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from .._version import __version__
from ..analysis.compare import compare
from ..analysis.metrics import PreparednessMetrics
from ..analysis.montecarlo import DesignMetrics, monte_carlo
from ..analysis.sweep import sweep
from ..errors import SpecError
from ..limits import check_size
from ..spec.figures import FIGURE_KINDS, distribution, robustness_inputs
from .displays import (
    CaptureDisplay,
    ComparisonDisplay,
    DisclosureDisplay,
    ExchangeDisplay,
    ImplementationDisplay,
    LearningDisplay,
    LibraryScopeDisplay,
    RobustnessDisplay,
    SweepDisplay,
    category_ticks,
    display_name,
    title_width,
    wrap_title,
)

__all__ = ["FIGURE_KINDS", "build_figure", "run_figures", "distribution", "robustness_inputs"]

_DEFAULT_VALUES = {
    "gap_vs_diffuseness": (np.linspace(0.05, 1.55, 31), np.linspace(0.1, 1.5, 8)),
    "participation_vs_bond": (np.linspace(0, 6, 25), np.linspace(0, 6, 7)),
    "coverage_vs_bond": (np.linspace(0, 6, 25), np.linspace(0, 6, 7)),
    "subsidy_budget": (np.array([0, 10, 20, 40, 80, 160]), np.array([0, 40, 160])),
}


def _values(block: dict, kind: str, fast: bool) -> np.ndarray:
    default, default_fast = _DEFAULT_VALUES[kind]
    if fast:
        return np.asarray(block.get("fast_values", default_fast), dtype=float)
    return np.asarray(block.get("values", default), dtype=float)


def _design(spec, name: str):
    for d in spec.designs:
        if d.name == name:
            return d
    raise SpecError(spec.source, [f"figures: unknown design {name!r}"])


def build_figure(
    spec, fig_id: str, block: dict, *, fast: bool = False, executor=None, style: str = "default"
):
    """Run one figure recipe in a style; returns (matplotlib Figure, provenance dict).

    Parameters
    ----------
    spec : ModelSpec
        The model file the figure belongs to.
    fig_id : str
        The figure's id (its ``[figures.ID]`` key; names the output files).
    block : dict
        The figure's block: ``kind`` (one of :data:`FIGURE_KINDS`), and optionally ``title``,
        ``seed``, ``design``, ``values``/``fast_values``, ``n``/``fast_n``, ``target``,
        ``distributions`` and ``params``, as the kind uses them.
    fast : bool
        Use the block's ``fast_values``/``fast_n`` (smaller grids and samples) for a quick
        preview (default False).
    executor : concurrent.futures.Executor, optional
        Runs the draws of a robustness study (default: here); the figure is the same.
    style : {"default", "paper", "paper-double", "slides"}
        The preset of :func:`coordgap.plots.style.figure_style` (default ``"default"``).

    Returns
    -------
    tuple of (matplotlib.figure.Figure, dict)
        The figure (the caller closes it, and saves it in the same style) and its
        provenance: id, kind, title, coordgap version, model name and SHA-256, design, seed,
        ``fast`` and the style.
    """
    from .layout import fit_text
    from .style import figure_style

    with figure_style(style):
        fig, provenance = _build_figure(spec, fig_id, block, fast=fast, executor=executor)
        fit_text(fig)  # labels and legends wrapped to the style's width
    provenance["style"] = style
    return fig, provenance


def _build_figure(spec, fig_id: str, block: dict, *, fast: bool = False, executor=None):
    """:func:`build_figure` in the current style: the figure and its provenance (without
    the style)."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    kind = block["kind"]
    title = block.get("title", "")
    seed = int(block.get("seed", 0))
    design_name = block.get("design", "")
    grid_key = "fast_values" if fast else "values"
    if isinstance(block.get(grid_key), list):  # before any work: a figure's grid is bounded
        check_size(f"figures.{fig_id}", grid_key, len(block[grid_key]), "figure_points")
    if kind == "robustness":
        check_size(
            f"figures.{fig_id}",
            "fast_n" if fast else "n",
            int(block.get("fast_n", 12) if fast else block.get("n", 200)),
            "design_evaluations",
            per=(len(spec.designs), "designs"),
        )
    # Constrained layout makes room for titles, labels and legends below the axes: nothing is
    # clipped at the edge of the figure.
    # The width is the style's; the heights keep the proportions of the default style.
    width = float(matplotlib.rcParams["figure.figsize"][0])
    tall = kind in ("design_comparison", "exchange_speed")
    size = (width * 7.0 / 6.4, width * 5.2 / 6.4) if tall else (width, width * 4.2 / 6.4)
    if width < 5.0:  # one journal column: taller, for the legends and category labels
        size = (width, width * (1.25 if tall else 0.85))
    fig, ax = plt.subplots(figsize=size, dpi=100, layout="constrained")
    if kind == "gap_vs_diffuseness":
        game = spec.preparedness_game()
        res = sweep(PreparednessMetrics(game), {"share_scale": _values(block, kind, fast)})
        SweepDisplay.from_sweep(
            res,
            x="share_scale",
            y=["robustness_nash", "robustness_opt"],
            band=("robustness_nash", "robustness_opt"),
            band_label="underinvestment gap",
            labels={"robustness_nash": "equilibrium", "robustness_opt": "social optimum"},
            title=title,
        ).plot(ax)
    elif kind in ("participation_vs_bond", "coverage_vs_bond"):
        design = _design(spec, design_name or "bond")
        metric = "participation" if kind == "participation_vs_bond" else "credible_coverage"
        res = sweep(
            DesignMetrics(spec.policy_model(), design),
            {"PerformanceBond.amount": _values(block, kind, fast)},
            metrics=[f"{metric}_worst", f"{metric}_best"],
            rng=seed,
        )
        marks = {}
        if kind == "coverage_vs_bond":
            k = int(np.argmax(res.frame[f"{metric}_best"]))
            marks = {
                "best bond (best equilibrium)": (
                    float(res.frame["PerformanceBond.amount"].iloc[k]),
                    float(res.frame[f"{metric}_best"].iloc[k]),
                )
            }
        SweepDisplay.from_sweep(
            res,
            x="PerformanceBond.amount",
            y=[f"{metric}_worst", f"{metric}_best"],
            band=(f"{metric}_worst", f"{metric}_best"),
            band_label="coordination failure region"
            if metric == "participation"
            else "equilibrium range",
            labels={
                f"{metric}_worst": "least (worst) equilibrium",
                f"{metric}_best": "greatest (best) equilibrium",
            },
            marks=marks,
            title=title,
        ).plot(ax)
    elif kind == "design_comparison":
        ComparisonDisplay.from_comparison(
            compare(spec.policy_model(), spec.designs), title=title
        ).plot(ax)
    elif kind == "robustness":
        uncertain = robustness_inputs(block, f"figures.{fig_id}", spec.source)
        n = int(block.get("fast_n", 12) if fast else block.get("n", 200))
        target = block.get("target", ("credible_coverage", 0.4))
        target = tuple(target) if isinstance(target, list) else target  # or a kind string
        result = monte_carlo(
            spec.policy_model(),
            list(spec.designs),
            n=n,
            target=target,
            rng=seed,
            executor=executor,
            **uncertain,
        )
        RobustnessDisplay.from_result(result, title=title).plot(ax)
    elif kind == "cheapest_implementation":
        _implementation_figure(ax, spec.policy_model(), title)
    elif kind == "subsidy_budget":
        _subsidy_figure(ax, spec.policy_model(), _values(block, kind, fast), fast, title)
    elif kind == "sensitivity":
        n = int(block.get("fast_n", 4) if fast else block.get("n", 10))
        _sensitivity_figure(ax, spec, block, fig_id, n, seed, title)
    elif kind == "scenario_discovery":
        n = int(block.get("fast_n", 32) if fast else block.get("n", 256))
        _discovery_figure(ax, spec, block, fig_id, design_name, n, seed, title)
    elif kind in ("disclosure", "learning", "library_scope", "capture", "exchange_speed"):
        _claims_figure(ax, kind, block, fast, seed, title)
    elif kind == "quality_incentives":
        from .instruments_quality import quality_incentives_figure

        quality_incentives_figure(fig, spec, block, fast, title)
    elif kind == "venue_selection":
        from .instruments_quality import venue_selection_figure

        venue_selection_figure(ax, spec, block, fast, title)
    elif kind in ("review_cycles", "exchange_region"):
        from . import review as review_plots

        getattr(review_plots, f"{kind}_figure")(fig, ax, block, fast, seed, title)
    else:  # the loader validates kinds; this guards programmatic use
        raise SpecError(spec.source, [f"figures.{fig_id}.kind: unknown kind {kind!r}"])
    provenance = {
        "id": fig_id,
        "kind": kind,
        "title": title,
        "coordgap_version": __version__,
        "model": spec.name,
        "model_sha256": spec.sha256,
        "design": design_name or None,
        "seed": seed,
        "fast": bool(fast),
    }
    return fig, provenance


def run_figures(
    specs,
    out_dir: str | Path = "figures",
    *,
    only=None,
    fast: bool = False,
    formats=("png", "pdf"),
    inputs=(),
    workers: int = 1,
    dpi: int = 150,
    style: str = "default",
) -> list[Path]:
    """Build and write every figure of ``specs`` (or those whose id is in ``only``).

    Every figure is rendered to memory first and all files are then written together (all
    or none; see :func:`coordgap.files.write_all`), each directly under ``out_dir``: figure
    ids are plain names, and two models may not use the same id. ``inputs`` (the model
    files) are never overwritten. With ``workers`` > 1 the figures are built in that many
    processes, and the draws of robustness studies are shared among them; every figure is
    deterministic, so the files are byte for byte those of one process.

    Parameters
    ----------
    specs : iterable of ModelSpec
        Model files whose ``[figures]`` are built.
    out_dir : str or pathlib.Path
        Output directory (default ``"figures"``).
    only : iterable of str, optional
        Ids of the figures to build (default: all); an unknown id raises SpecError.
    fast : bool
        Quick previews with the blocks' ``fast_values``/``fast_n`` (default False).
    formats : sequence of str
        Image formats written per figure, from ``png``, ``pdf`` and ``svg`` (default
        ``("png", "pdf")``); each figure also gets its plotted data (``ID.csv``) and a JSON
        provenance file (``ID.json``).
    inputs : iterable of path-like
        Files that must not be overwritten (the model files).
    workers : int
        Processes that build figures (default 1: this process).
    dpi : int
        Resolution of PNG files (default 150).
    style : {"default", "paper", "paper-double", "slides"}
        The preset of :func:`coordgap.plots.style.figure_style` (default ``"default"``).

    Returns
    -------
    list of pathlib.Path
        The files written.

    Raises
    ------
    FigureIdCollisionError
        When two model files declare the same figure id (a SpecError naming both files).
    """
    from ..files import NAME_RULE, check_output_dir, plain_name, write_all
    from ..spec.figures import check_figure_ids
    from .io import FORMATS
    from .style import style_params

    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        from ..errors import InvalidParameterError

        raise InvalidParameterError("run_figures", "workers", "an integer >= 1", workers)
    formats = tuple(formats)
    if not formats or any(f not in FORMATS for f in formats):
        from ..errors import InvalidParameterError

        raise InvalidParameterError(
            "run_figures", "formats", f"a non-empty list of {', '.join(FORMATS)}", list(formats)
        )
    if isinstance(dpi, bool) or not isinstance(dpi, int) or not 10 <= dpi <= 2400:
        from ..errors import InvalidParameterError

        raise InvalidParameterError("run_figures", "dpi", "an integer from 10 to 2400", dpi)
    style_params(style)  # an unknown style fails before any work
    specs = list(specs)
    check_figure_ids(specs)

    out = check_output_dir(out_dir)
    files: dict[Path, bytes] = {}
    problems = [
        f"figures: a figure id must be {NAME_RULE}, got {fig_id!r}"
        for spec in specs
        for fig_id in spec.figures
        if not plain_name(fig_id)
    ]
    if problems:
        raise SpecError("figures", problems)
    wanted = set(only) if only else None
    known = {fid for spec in specs for fid in spec.figures}
    if wanted and wanted - known:
        from ..errors import did_you_mean

        bad = sorted(wanted - known)[0]
        raise SpecError(
            "figures", [f"--only {bad}: no such figure. {did_you_mean(bad, sorted(known))}"]
        )
    jobs = [
        (spec, fig_id, block, fast, formats, out / fig_id, dpi, style)
        for spec in specs
        for fig_id, block in spec.figures.items()
        if not wanted or fig_id in wanted
    ]
    if workers == 1 or len(jobs) < 2:
        parts = [_figure_job(*job) for job in jobs]
    else:
        import concurrent.futures as cf

        # The other figures go to the pool first; a robustness study (longer than all of them
        # together) then runs here with its blocks of draws queued on the same pool, so the
        # workers share all the work.
        studies = [k for k, job in enumerate(jobs) if job[2].get("kind") == "robustness"]
        # The longest of the others are queued first, so that none of them starts last.
        queued = sorted(
            (k for k in range(len(jobs)) if k not in studies),
            key=lambda k: jobs[k][2].get("kind") not in _LONG_KINDS,
        )
        with cf.ProcessPoolExecutor(workers) as pool:
            futures = {k: pool.submit(_figure_job, *jobs[k]) for k in queued}
            done = {k: _figure_job(*jobs[k], executor=pool) for k in studies}
            parts = [done[k] if k in done else futures[k].result() for k in range(len(jobs))]
    for part in parts:
        files.update(part)
    return write_all(files, inputs=inputs, make_dirs=True)


#: Figure kinds that take several seconds (many exercises or design evaluations each).
_LONG_KINDS = frozenset({"review_cycles", "quality_incentives", "exchange_region"})


def _figure_job(
    spec,
    fig_id: str,
    block: dict,
    fast: bool,
    formats,
    stem,
    dpi: int = 150,
    style: str = "default",
    executor=None,
) -> dict:
    """One figure built and rendered to memory: ``{path: bytes}`` (runs in a worker too)."""
    import matplotlib.pyplot as plt

    from .io import figure_files
    from .style import figure_style

    fig, provenance = build_figure(spec, fig_id, block, fast=fast, executor=executor, style=style)
    try:
        with figure_style(style):
            return figure_files(fig, stem, provenance, formats=formats, dpi=dpi)
    finally:
        plt.close(fig)


def _implementation_figure(ax, model, title: str) -> None:
    """Cumulative cost of securing the actors one by one (divide and conquer) against a uniform
    payment, both making full participation the unique equilibrium."""
    from ..analysis.implementation import cheapest_implementation

    # Uniqueness is certified under both schemes; the per-payment minimality checks (one
    # complete solve each) add nothing to the figure.
    imp = cheapest_implementation(model, check_minimal=False)
    ImplementationDisplay.from_result(imp, title=title).plot(ax)


def _subsidy_figure(ax, model, budgets: np.ndarray, fast: bool, title: str) -> None:
    """Welfare net of the cost of public funds under the second-best M1 subsidy (one matching
    rate for every actor), by budget, against no subsidy and the first best."""
    from ..analysis.subsidies import first_best_subsidy, second_best_subsidy

    first = first_best_subsidy(model)
    welfare, spent = [], []
    for budget in budgets:
        sb = second_best_subsidy(model, float(budget), groups="all", starts=2)
        welfare.append(sb.welfare)
        spent.append(sb.fiscal_cost)
    ax.plot(
        budgets, welfare, marker="o", markersize=4, label="second best: one rate, within the budget"
    )
    ax.axhline(
        first.welfare,
        color="0.3",
        linestyle="--",
        label=f"first best (spends {first.fiscal_cost:.0f})",
    )
    ax.axhline(first.welfare_no_subsidy, color="0.6", linestyle=":", label="no subsidy")
    ax.set_xlabel("Budget for matching subsidies (USD m per year)")
    ax.set_ylabel("Welfare net of λ·fiscal cost (USD m per year)")
    ax.legend(loc="center right", frameon=False)  # clear of the reference lines
    if title:
        ax.set_title(wrap_title(title, title_width(ax)))


def _sensitivity_figure(ax, spec, block, fig_id, n, seed, title) -> None:
    """Morris elementary effects μ* of each uncertain parameter on each design's rank (ranked
    on welfare in the worst equilibrium): which assumption decides the ranking. Morris
    screening is sound with a few trajectories, where Sobol' indices would be noise."""
    from ..analysis.sensitivity import sensitivity
    from ..spec.figures import sensitivity_inputs
    from .sensitivity import _short_label

    distributions, scaled, _ = sensitivity_inputs(block, f"figures.{fig_id}", spec.source)
    result = sensitivity(
        spec.policy_model(),
        list(spec.designs),
        distributions,
        n=n,
        method="morris",
        scale=scaled,
        rng=seed,
    )
    names = [d.name for d in spec.designs]
    mean = result.ranking.pivot_table(index="design", columns="parameter", values="mu_star")
    conf = result.ranking.pivot_table(index="design", columns="parameter", values="mu_star_conf")
    mean, conf = mean.reindex(names).fillna(0.0), conf.reindex(names).fillna(0.0)
    width = 0.8 / max(1, mean.shape[1])
    x = np.arange(mean.shape[0])
    for k, parameter in enumerate(mean.columns):
        ax.bar(
            x + (k - (mean.shape[1] - 1) / 2) * width,
            mean[parameter],
            width,
            yerr=conf[parameter],
            capsize=2,
            label=_short_label(parameter),
        )
    category_ticks(ax, x, [display_name(name) for name in mean.index])
    ax.set_ylabel("Morris μ*: |change of rank| per full range")
    ax.legend(loc="upper left", fontsize="small")
    if title:
        ax.set_title(wrap_title(title, title_width(ax)))


def _discovery_figure(ax, spec, block, fig_id, design_name, n, seed, title) -> None:
    """The PRIM box of parameter values where a design fails its target."""
    from ..analysis.prim import scenario_discovery
    from .sensitivity import PrimDisplay

    uncertain = robustness_inputs(block, f"figures.{fig_id}", spec.source)
    target = block.get("target", ("credible_coverage", 0.4))
    target = tuple(target) if isinstance(target, list) else target
    design = _design(spec, design_name or spec.designs[-1].name)
    study = monte_carlo(
        spec.policy_model(), [design], n=n, target=target, rng=seed, sampler="lhs", **uncertain
    )
    PrimDisplay.from_result(scenario_discovery(study, design.name), title=title).plot_box(ax)
    if title:
        ax.set_title(wrap_title(title, title_width(ax)))


def _claims_figure(ax, kind: str, block: dict, fast: bool, seed: int, title: str) -> None:
    """The three claims of the seeds (note-exchange, learning, governance risks)."""
    from ..registry import load_registry

    params = dict(block.get("params", {}))
    values = block.get("fast_values" if fast else "values")
    display: Any
    if kind == "disclosure":
        from ..games.disclosure import DisclosureGame

        grid = np.asarray(values or np.geomspace(0.25, 16, 9 if fast else 40))
        display = DisclosureDisplay.from_result(DisclosureGame(**params).curve(grid))
    elif kind == "learning":
        from ..games.learning import LearningModel

        paths = LearningModel(**params).simulate(
            float(block.get("horizon", 10.0)),
            int(block.get("fast_n", 200) if fast else block.get("n", 2000)),
            40 if fast else 200,
            rng=seed,
        )
        display = LearningDisplay.from_result(paths)
    elif kind == "library_scope":
        from ..games.library_scope import LibraryScopeModel

        scope = (
            LibraryScopeModel.from_registry(load_registry(), **params)
            if block.get("scenario") == "registry"
            else LibraryScopeModel(**params)
        )
        display = LibraryScopeDisplay.from_result(scope.curve())
    elif kind == "capture":
        from ..games.capture import CaptureModel

        grid = np.asarray(values or np.linspace(0, 1, 6 if fast else 21))
        display = CaptureDisplay.from_result(CaptureModel(**params).curve(grid))
    else:
        from ..registry.exchange import exchange_exercise

        levels = np.asarray(values or np.linspace(0, 1, 3 if fast else 11))
        registry = load_registry()
        scenario = block.get("scenario") or registry.scenarios[0].id
        res = exchange_exercise(
            registry,
            scenario,
            int(block.get("fast_n", 200) if fast else block.get("n", 4000)),
            levels=tuple(levels),
            rng=seed,
            **params,
        )
        display = ExchangeDisplay.from_result(res)  # two panels: time, probability
    display.title = title
    display.plot(ax)
