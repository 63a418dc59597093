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
from .displays import ComparisonDisplay, RobustnessDisplay, SweepDisplay, _finish
from .io import save_figure

__all__ = ["FIGURE_KINDS", "build_figure", "run_figures", "distribution"]

FIGURE_KINDS = ("gap_vs_diffuseness", "participation_vs_bond", "coverage_vs_bond",
                "design_comparison", "robustness", "disclosure", "learning", "library_scope",
                "capture", "exchange_speed")
_DEFAULT_VALUES = {"gap_vs_diffuseness": (np.linspace(0.05, 1.55, 31), np.linspace(0.1, 1.5, 8)),
                   "participation_vs_bond": (np.linspace(0, 6, 25), np.linspace(0, 6, 7)),
                   "coverage_vs_bond": (np.linspace(0, 6, 25), np.linspace(0, 6, 7))}


def distribution(spec: dict):
    """A frozen scipy.stats distribution from ``{dist = "uniform", loc = ..., scale = ...}``."""
    from scipy import stats

    kwargs = {k: v for k, v in spec.items() if k != "dist"}
    return getattr(stats, spec["dist"])(**kwargs)


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
    fig, ax = plt.subplots(figsize=(6.4, 4.2), dpi=100)
    if kind == "gap_vs_diffuseness":
        game = spec.preparedness_game()
        res = sweep(PreparednessMetrics(game), {"share_scale": _values(block, kind, fast)})
        SweepDisplay.from_sweep(
            res, x="share_scale", y=["robustness_nash", "robustness_opt"],
            band=("robustness_nash", "robustness_opt"), band_label="underinvestment gap",
            labels={"robustness_nash": "equilibrium", "robustness_opt": "social optimum"},
            title=title).plot(ax)
    elif kind in ("participation_vs_bond", "coverage_vs_bond"):
        design = _design(spec, design_name or "bond")
        metric = "participation" if kind == "participation_vs_bond" else "credible_coverage"
        res = sweep(DesignMetrics(spec.policy_model(), design),
                    {"PerformanceBond.amount": _values(block, kind, fast)},
                    metrics=[f"{metric}_worst", f"{metric}_best"], rng=seed)
        marks = {}
        if kind == "coverage_vs_bond":
            k = int(np.argmax(res.frame[f"{metric}_best"]))
            marks = {"best bond (best equilibrium)": (
                float(res.frame["PerformanceBond.amount"].iloc[k]),
                float(res.frame[f"{metric}_best"].iloc[k]))}
        SweepDisplay.from_sweep(
            res, x="PerformanceBond.amount", y=[f"{metric}_worst", f"{metric}_best"],
            band=(f"{metric}_worst", f"{metric}_best"),
            band_label="coordination failure region" if metric == "participation" else
            "equilibrium range",
            labels={f"{metric}_worst": "least (worst) equilibrium",
                    f"{metric}_best": "greatest (best) equilibrium"},
            marks=marks, title=title).plot(ax)
    elif kind == "design_comparison":
        ComparisonDisplay.from_comparison(compare(spec.policy_model(), spec.designs),
                                          title=title).plot(ax)
    elif kind == "robustness":
        dists = {path: distribution(d) for path, d in block.get("distributions", {}).items()}
        n = int(block.get("fast_n", 12) if fast else block.get("n", 200))
        target = tuple(block.get("target", ("credible_coverage", 0.4)))
        res = robustness(spec.policy_model(), list(spec.designs), dists, n=n, target=target,
                         rng=seed)
        RobustnessDisplay.from_result(res, title=title).plot(ax)
    elif kind in ("disclosure", "learning", "library_scope", "capture", "exchange_speed"):
        _claims_figure(ax, kind, block, fast, seed, title)
    else:  # the loader validates kinds; this guards programmatic use
        raise SpecError(spec.source, [f"figures.{fig_id}.kind: unknown kind {kind!r}"])
    fig.tight_layout()
    provenance = {"id": fig_id, "kind": kind, "title": title,
                  "coordgap_version": __version__, "model": spec.name,
                  "model_sha256": spec.sha256, "design": design_name or None, "seed": seed,
                  "fast": bool(fast)}
    return fig, provenance


def run_figures(specs, out_dir: str | Path = "figures", *, only=None, fast: bool = False,
                formats=("png", "pdf")) -> list[Path]:
    """Build and write every figure of ``specs`` (or those whose id is in ``only``)."""
    import matplotlib.pyplot as plt

    out = Path(out_dir)
    written: list[Path] = []
    wanted = set(only) if only else None
    known = {fid for spec in specs for fid in spec.figures}
    if wanted and wanted - known:
        from ..errors import did_you_mean

        bad = sorted(wanted - known)[0]
        raise SpecError("figures", [f"--only {bad}: no such figure. "
                                    f"{did_you_mean(bad, sorted(known))}"])
    for spec in specs:
        for fig_id, block in spec.figures.items():
            if wanted and fig_id not in wanted:
                continue
            fig, provenance = build_figure(spec, fig_id, block, fast=fast)
            try:
                written += save_figure(fig, out / fig_id, provenance, formats=formats)
            finally:
                plt.close(fig)
    return written


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
        ax.plot(frame["public_precision"], frame["p_coordinated_worst"], marker="o",
                markersize=3, label="worst equilibrium")
        ax.plot(frame["public_precision"], frame["p_coordinated_best"], marker="^",
                markersize=3, label="best equilibrium")
        ax.axvline(curve.critical_precision, color="0.5", linestyle=":",
                   label="uniqueness bound √(2π·β)")
        ax.set_xscale("log")
        ax.set_xlabel("public precision α of exchanged if-then logic (1 per unit²)")
        ax.set_ylabel("probability of a coordinated response (1)")
    elif kind == "learning":
        from ..games.learning import LearningModel

        model = LearningModel(**params)
        horizon = float(block.get("horizon", 10.0))
        paths = model.simulate(horizon, int(block.get("fast_n", 200) if fast else
                                            block.get("n", 2000)), 40 if fast else 200, rng=seed)
        frame = paths.to_frame()
        for regime, part in frame.groupby("regime", sort=False):
            line = ax.plot(part["time"], part["mean_gap"], label=f"{regime} (mean of paths)")
            ax.fill_between(part["time"], part["p10"], part["p90"], alpha=0.15,
                            color=line[0].get_color(), linewidth=0)
            ax.plot(part["time"], part["expected_gap"], linestyle="--",
                    color=line[0].get_color(), label=f"{regime} (closed form)")
        ax.set_xlabel("time (years)")
        ax.set_ylabel("preparedness gap to the threat (capability units)")
    elif kind == "library_scope":
        from ..games.library_scope import LibraryScopeModel

        model = (LibraryScopeModel.from_registry(load_registry(), **params)
                 if block.get("scenario") == "registry" else LibraryScopeModel(**params))
        frame = model.curve().to_frame()
        for col, name in (("coverage", "coverage of realized incidents F(L)"),
                          ("participation", "participation P(L)"),
                          ("credible_coverage", "credible coverage of incidents")):
            ax.plot(frame["breadth"], frame[col], label=name)
        k = int(np.argmax(frame["credible_coverage"]))
        ax.plot([frame["breadth"].iloc[k]], [frame["credible_coverage"].iloc[k]], marker="*",
                markersize=14, color="black", linestyle="none", label="optimal breadth")
        ax.set_xlabel("library breadth L (scenarios)")
        ax.set_ylabel("share (1)")
    elif kind == "capture":
        from ..games.capture import CaptureModel

        grid = np.asarray(values or np.linspace(0, 1, 6 if fast else 21))
        frame = CaptureModel(**params).sweep(grid).to_frame()
        for col in ("participation", "credible_coverage", "declared_coverage", "audit_prob"):
            ax.plot(frame["capture"], frame[col], marker="o", markersize=3,
                    label=col.replace("_", " "))
        ax.set_xlabel("capture weight θ on incumbents' profits (1)")
        ax.set_ylabel("share or probability (1)")
    else:
        from ..registry.exchange import exchange_exercise

        levels = np.asarray(values or np.linspace(0, 1, 3 if fast else 11))
        registry = load_registry()
        scenario = block.get("scenario") or registry.scenarios[0].id
        res = exchange_exercise(registry, scenario, int(block.get("fast_n", 200) if fast
                                                         else block.get("n", 4000)),
                                levels=tuple(levels), rng=seed, **params)
        summary = res.summary
        ax.plot(summary["exchange"], summary["time_to_response_median"], marker="o",
                label="median time to coordinated response")
        ax.set_xlabel("share of plans with exchanged decision logic e (1)")
        ax.set_ylabel("time to coordinated response (h)")
        ax2 = ax.twinx()
        ax2.plot(summary["exchange"], summary["p_coordinated"], color="tab:green",
                 marker="^", label="P(coordinated response)")
        ax2.set_ylabel("probability (1)")
        ax2.legend(frameon=False, fontsize="small", loc="lower right")
    _finish(ax, title)
