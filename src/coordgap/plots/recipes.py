"""Figure recipes: a ``[figures.ID]`` block of a model file → an analysis → a Display → files.

Recipes run the analysis (sweeps, comparisons, Monte Carlo) and hand the results to Display
objects, which only draw. Every figure is written as PNG and PDF with a JSON provenance file
(coordgap version, SHA-256 of the model file, design, seed, fast flag), atomically and
deterministically: two runs write identical bytes.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .. import __version__
from ..analysis.compare import compare
from ..analysis.metrics import PreparednessMetrics
from ..analysis.montecarlo import DesignMetrics, robustness
from ..analysis.sweep import sweep
from ..errors import SpecError
from ..limits import check_size
from .displays import ComparisonDisplay, RobustnessDisplay, SweepDisplay, _finish

__all__ = ["FIGURE_KINDS", "build_figure", "run_figures", "distribution", "robustness_inputs"]

FIGURE_KINDS = (
    "gap_vs_diffuseness",
    "participation_vs_bond",
    "coverage_vs_bond",
    "design_comparison",
    "robustness",
    "disclosure",
    "learning",
    "library_scope",
    "capture",
    "exchange_speed",
)
_DEFAULT_VALUES = {
    "gap_vs_diffuseness": (np.linspace(0.05, 1.55, 31), np.linspace(0.1, 1.5, 8)),
    "participation_vs_bond": (np.linspace(0, 6, 25), np.linspace(0, 6, 7)),
    "coverage_vs_bond": (np.linspace(0, 6, 25), np.linspace(0, 6, 7)),
}


# The distributions a model file may name: continuous scipy.stats families whose parameters
# are plain numbers. An explicit list, so a file cannot reach any other attribute of scipy.
DISTRIBUTIONS = (
    "beta",
    "expon",
    "gamma",
    "loguniform",
    "lognorm",
    "norm",
    "triang",
    "truncnorm",
    "uniform",
    "weibull_min",
)


def distribution(spec: dict, where: str = "distribution", source: str = "figures"):
    """A frozen scipy.stats distribution from ``{dist = "uniform", loc = ..., scale = ...}``.

    ``dist`` must be one of :data:`DISTRIBUTIONS`. Keys that say how a robustness study uses
    the draws are not passed to scipy: ``per_actor`` (true: every actor gets its own factor),
    ``correlation`` (of those factors across actors) and a boolean ``scale`` (true: the common
    draw multiplies the current value); a numeric ``scale`` is scipy's scale parameter.

    Raises
    ------
    SpecError
        For a name outside the list, or parameters scipy does not accept for it.

    Examples
    --------
    >>> float(distribution({"dist": "uniform", "loc": 1.0, "scale": 2.0}).mean())
    2.0
    >>> distribution({"dist": "rv_continuous"}, "figures.r.distributions.x", "m.toml")
    Traceback (most recent call last):
    ...
    coordgap.errors.SpecError: 1 problem found:
    m.toml: figures.r.distributions.x.dist: must be one of beta, expon, gamma, loguniform, lognorm, norm, triang, truncnorm, uniform, weibull_min, got 'rv_continuous'.
    """
    from scipy import stats

    from ..errors import did_you_mean

    name = spec.get("dist")
    if name not in DISTRIBUTIONS:
        hint = did_you_mean(str(name), DISTRIBUTIONS)
        hint = f" {hint}" if hint.startswith("Did") else ""
        raise SpecError(
            source,
            [f"{where}.dist: must be one of {', '.join(DISTRIBUTIONS)}, got {name!r}.{hint}"],
        )
    kwargs = {
        k: v
        for k, v in spec.items()
        if k not in ("dist", "per_actor", "correlation")
        and not (k == "scale" and isinstance(v, bool))
    }
    bad = [k for k, v in kwargs.items() if isinstance(v, bool) or not isinstance(v, (int, float))]
    if bad:
        raise SpecError(source, [f"{where}.{k}: must be a number, got {kwargs[k]!r}" for k in bad])
    try:
        frozen = getattr(stats, name)(**kwargs)
        support = frozen.support()
    except (TypeError, ValueError) as exc:
        raise SpecError(
            source, [f"{where}: scipy.stats.{name} does not accept {sorted(kwargs)}: {exc}"]
        ) from None
    if np.isnan(support).any():  # scipy's sign of parameters outside their domain
        raise SpecError(source, [f"{where}: invalid parameters for scipy.stats.{name}: {kwargs}"])
    return frozen


def robustness_inputs(block: dict, where: str = "figures", source: str = "figures") -> dict:
    """Keyword arguments of :func:`coordgap.robustness` from a ``[figures.ID]`` block.

    Each entry of ``distributions`` is a common draw (a game-level path is set to it; with
    ``scale = true`` it multiplies the current value), or with ``per_actor = true`` an
    idiosyncratic shock: every actor of the path gets its own factor, with the Gaussian-copula
    ``correlation`` of the entry or, failing that, of the block (default 0).

    Examples
    --------
    >>> kw = robustness_inputs({"distributions": {
    ...     "preparedness.prob": {"dist": "uniform", "loc": 0.05, "scale": 0.1},
    ...     "actors.*.registry.join_cost": {"dist": "lognorm", "s": 0.5, "per_actor": True},
    ...     "actors.*.registry.response_cost_median": {"dist": "lognorm", "s": 0.3,
    ...                                                "scale": True}}, "correlation": 0.3})
    >>> list(kw["distributions"])
    ['preparedness.prob', 'actors.*.registry.response_cost_median']
    >>> list(kw["idiosyncratic"])
    ['actors.*.registry.join_cost']
    >>> kw["scale"], kw["correlation"]
    (['actors.*.registry.response_cost_median'], {'actors.*.registry.join_cost': 0.3})
    """
    problems = []

    def number(value) -> bool:
        return (
            isinstance(value, (int, float)) and not isinstance(value, bool) and 0.0 <= value <= 1.0
        )

    default = block.get("correlation", 0.0)
    if not number(default):
        problems.append(
            f"{where}.correlation: must be a number in [0, 1] (0: independent "
            f"per-actor shocks, 1: one common shock), got {default!r}"
        )
    out = {"distributions": {}, "idiosyncratic": {}, "correlation": {}, "scale": []}

    def frozen(spec: dict, here: str):
        try:
            return distribution(spec, here, source)
        except SpecError as exc:
            problems.extend(exc.problems)
            return None

    for path, spec in block.get("distributions", {}).items():
        here = f"{where}.distributions.{path}"
        if not isinstance(spec, dict):
            problems.append(f"{here}: must be a table {{ dist = ..., ... }}")
            continue
        per_actor = spec.get("per_actor", False)
        flag = spec.get("scale", False)
        if not isinstance(per_actor, bool):
            problems.append(f"{here}.per_actor: must be true or false, got {per_actor!r}")
            continue
        if per_actor and flag is False and "scale" in spec:
            problems.append(f"{here}.scale: per-actor shocks are factors; drop 'scale = false'")
        if "correlation" in spec and not per_actor:
            problems.append(
                f"{here}.correlation: applies to per-actor shocks only (add 'per_actor = true')"
            )
        if per_actor:
            rho = spec.get("correlation", default)
            if not number(rho):
                problems.append(f"{here}.correlation: must be a number in [0, 1], got {rho!r}")
            out["idiosyncratic"][path] = frozen(spec, here)
            out["correlation"][path] = float(rho) if number(rho) else rho
            continue
        out["distributions"][path] = frozen(spec, here)
        if flag is True:
            out["scale"].append(path)
    if "correlation" in block and not out["idiosyncratic"]:
        problems.append(
            f"{where}.correlation: applies to per-actor shocks, but no distribution "
            "has 'per_actor = true'"
        )
    if problems:
        raise SpecError(source, problems)
    return out


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


def build_figure(spec, fig_id: str, block: dict, *, fast: bool = False):
    """Run one figure recipe; returns (matplotlib Figure, provenance dict)."""
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
    size = (7.0, 5.2) if kind == "design_comparison" else (6.4, 4.2)
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
        res = robustness(
            spec.policy_model(), list(spec.designs), n=n, target=target, rng=seed, **uncertain
        )
        RobustnessDisplay.from_result(res, title=title).plot(ax)
    elif kind in ("disclosure", "learning", "library_scope", "capture", "exchange_speed"):
        _claims_figure(ax, kind, block, fast, seed, title)
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
) -> list[Path]:
    """Build and write every figure of ``specs`` (or those whose id is in ``only``).

    Every figure is rendered to memory first and all files are then written together (all
    or none; see :func:`coordgap.files.write_all`), each directly under ``out_dir``: figure
    ids are plain names, and two models may not use the same id. ``inputs`` (the model
    files) are never overwritten.
    """
    import matplotlib.pyplot as plt

    from ..files import NAME_RULE, check_output_dir, plain_name, write_all
    from .io import figure_files

    out = check_output_dir(out_dir)
    files: dict[Path, bytes] = {}
    owner: dict[str, str] = {}
    problems = []
    for spec in specs:
        for fig_id in spec.figures:
            if not plain_name(fig_id):
                problems.append(f"figures: a figure id must be {NAME_RULE}, got {fig_id!r}")
            elif fig_id in owner:
                problems.append(
                    f"figures.{fig_id}: defined in both {owner[fig_id]} and "
                    f"{spec.source}; figure ids name files, so they must differ"
                )
            owner.setdefault(fig_id, spec.source)
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
    for spec in specs:
        for fig_id, block in spec.figures.items():
            if wanted and fig_id not in wanted:
                continue
            fig, provenance = build_figure(spec, fig_id, block, fast=fast)
            try:
                files.update(figure_files(fig, out / fig_id, provenance, formats=formats))
            finally:
                plt.close(fig)
    return write_all(files, inputs=inputs, make_dirs=True)


def _claims_figure(ax, kind: str, block: dict, fast: bool, seed: int, title: str) -> None:
    """The three claims of the seeds (note-exchange, learning, governance risks)."""
    from ..registry import load_registry

    params = dict(block.get("params", {}))
    values = block.get("fast_values" if fast else "values")
    if kind == "disclosure":
        from ..games.disclosure import DisclosureGame

        grid = np.asarray(values or np.geomspace(0.25, 16, 9 if fast else 40))
        curve = DisclosureGame(**params).curve(grid)
        frame = curve.to_frame()
        ax.plot(
            frame["public_precision"],
            frame["p_coordinated_worst"],
            marker="o",
            markersize=3,
            label="worst equilibrium",
        )
        ax.plot(
            frame["public_precision"],
            frame["p_coordinated_best"],
            marker="^",
            markersize=3,
            label="best equilibrium",
        )
        ax.axvline(
            curve.critical_precision, color="0.5", linestyle=":", label="uniqueness bound √(2π·β)"
        )
        ax.set_xscale("log")
        ax.set_xlabel("public precision α of exchanged if-then logic (inverse variance)")
        ax.set_ylabel("probability of a coordinated response")
    elif kind == "learning":
        from ..games.learning import LearningModel

        model = LearningModel(**params)
        horizon = float(block.get("horizon", 10.0))
        paths = model.simulate(
            horizon,
            int(block.get("fast_n", 200) if fast else block.get("n", 2000)),
            40 if fast else 200,
            rng=seed,
        )
        frame = paths.to_frame()
        for regime, part in frame.groupby("regime", sort=False):
            line = ax.plot(part["time"], part["mean_gap"], label=f"{regime} (mean of paths)")
            ax.fill_between(
                part["time"],
                part["p10"],
                part["p90"],
                alpha=0.15,
                color=line[0].get_color(),
                linewidth=0,
            )
            ax.plot(
                part["time"],
                part["expected_gap"],
                linestyle="--",
                color=line[0].get_color(),
                label=f"{regime} (closed form)",
            )
        ax.set_xlabel("time (years)")
        ax.set_ylabel("preparedness gap to the threat (capability units)")
    elif kind == "library_scope":
        from ..games.library_scope import LibraryScopeModel

        model = (
            LibraryScopeModel.from_registry(load_registry(), **params)
            if block.get("scenario") == "registry"
            else LibraryScopeModel(**params)
        )
        frame = model.curve().to_frame()
        for col, name in (
            ("coverage", "coverage of realized incidents F(L)"),
            ("participation", "participation P(L)"),
            ("credible_coverage", "credible coverage of incidents"),
        ):
            ax.plot(frame["breadth"], frame[col], label=name)
        k = int(np.argmax(frame["credible_coverage"]))
        ax.plot(
            [frame["breadth"].iloc[k]],
            [frame["credible_coverage"].iloc[k]],
            marker="*",
            markersize=14,
            color="black",
            linestyle="none",
            label="optimal breadth",
        )
        ax.set_xlabel("library breadth L (scenarios)")
        ax.set_ylabel("share (0 to 1)")
    elif kind == "capture":
        from ..games.capture import CaptureModel

        grid = np.asarray(values or np.linspace(0, 1, 6 if fast else 21))
        frame = CaptureModel(**params).sweep(grid).to_frame()
        for col in ("participation", "credible_coverage", "declared_coverage", "audit_prob"):
            ax.plot(
                frame["capture"], frame[col], marker="o", markersize=3, label=col.replace("_", " ")
            )
        ax.set_xlabel("capture weight θ on incumbents' profits (0 to 1)")
        ax.set_ylabel("share or probability (0 to 1)")
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
        summary = res.summary
        ax.plot(
            summary["exchange"],
            summary["time_to_response_median"],
            marker="o",
            label="median time to coordinated response",
        )
        ax.set_xlabel("share of plans with exchanged decision logic e (0 to 1)")
        ax.set_ylabel("time to coordinated response (h)")
        ax2 = ax.twinx()
        ax2.plot(
            summary["exchange"],
            summary["p_coordinated"],
            color="tab:green",
            marker="^",
            label="P(coordinated response)",
        )
        ax2.set_ylabel("Probability of a coordinated response")
        ax2.legend(frameon=False, fontsize="small", loc="lower right")
    _finish(ax, title)
