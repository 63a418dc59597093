"""What a ``[figures.ID]`` block of a model file may say: figure kinds and distributions.

The model-file loader (:mod:`coordgap.spec.model`) checks figure blocks against these, and
the figure recipes (:mod:`coordgap.plots.recipes`) read them, so the rules live once, below
both.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..errors import SpecError, did_you_mean

__all__ = [
    "FIGURE_KINDS",
    "DISTRIBUTIONS",
    "distribution",
    "check_distribution",
    "robustness_inputs",
    "sensitivity_inputs",
    "FigureIdCollisionError",
    "check_figure_ids",
]

#: The kinds of figure a model file may ask for.
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
    "cheapest_implementation",
    "subsidy_budget",
    "sensitivity",
    "scenario_discovery",
    "quality_incentives",
    "venue_selection",
    "review_cycles",
    "exchange_region",
)
#: The kinds whose block holds ``distributions`` of uncertain parameters.
UNCERTAIN_KINDS = ("robustness", "sensitivity", "scenario_discovery")

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


# Each family's shape parameters and the domain scipy gives them (its ``_argcheck``; ``scale``
# must be positive for all). A model file is checked against this table without importing
# scipy.stats, which takes a second; building a figure creates the scipy distribution itself.
# tests/test_spec.py checks the table against scipy on random and boundary parameters.
_FAMILIES: dict[str, tuple[tuple[str, ...], Any]] = {
    "beta": (("a", "b"), lambda a, b: a > 0 and b > 0),
    "expon": ((), lambda: True),
    "gamma": (("a",), lambda a: a > 0),
    "loguniform": (("a", "b"), lambda a, b: 0 < a < b),
    "lognorm": (("s",), lambda s: s > 0),
    "norm": ((), lambda: True),
    "triang": (("c",), lambda c: 0 <= c <= 1),
    "truncnorm": (("a", "b"), lambda a, b: a < b),
    "uniform": ((), lambda: True),
    "weibull_min": (("c",), lambda c: c > 0),
}


def _parameters(spec: dict, where: str, source: str) -> tuple[str, dict]:
    """The family and scipy keyword arguments of a distribution table, checked statically."""
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
    bad = [
        k
        for k, v in kwargs.items()
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v)
    ]
    if bad:
        raise SpecError(
            source, [f"{where}.{k}: must be a finite number, got {kwargs[k]!r}" for k in bad]
        )
    shapes, admits = _FAMILIES[name]
    accepted = (*shapes, "loc", "scale")
    if set(kwargs) - set(accepted) or set(shapes) - set(kwargs):
        raise SpecError(
            source,
            [
                f"{where}: scipy.stats.{name} does not accept {sorted(kwargs)}: it takes "
                + ", ".join(shapes + ("loc", "scale"))
                + (f" ({', '.join(shapes)} required)" if shapes else "")
            ],
        )
    if not admits(*(kwargs[k] for k in shapes)) or kwargs.get("scale", 1.0) <= 0:
        raise SpecError(source, [f"{where}: invalid parameters for scipy.stats.{name}: {kwargs}"])
    return name, kwargs


def check_distribution(spec: dict, where: str = "distribution", source: str = "figures") -> None:
    """Check a distribution table as :func:`distribution` does, without building it.

    Parameters
    ----------
    spec : dict
        The distribution's table: ``dist`` and scipy's parameters of that family (numbers).
    where : str
        Dotted path of the table, used in problems (default ``"distribution"``).
    source : str
        Name of the file, used in problems (default ``"figures"``).

    Raises
    ------
    SpecError
        For a name outside the list, a parameter the family does not take, a missing shape
        parameter, or values outside the family's domain.

    Examples
    --------
    >>> check_distribution({"dist": "lognorm", "s": 0.5})
    >>> check_distribution({"dist": "lognorm", "s": -0.5}, "x", "m.toml")
    Traceback (most recent call last):
    ...
    coordgap.errors.SpecError: 1 problem found:
    m.toml: x: invalid parameters for scipy.stats.lognorm: {'s': -0.5}
    """
    _parameters(spec, where, source)


def distribution(spec: dict, where: str = "distribution", source: str = "figures"):
    """A frozen scipy.stats distribution from ``{dist = "uniform", loc = ..., scale = ...}``.

    ``dist`` must be one of :data:`DISTRIBUTIONS`. Keys that say how a robustness study uses
    the draws are not passed to scipy: ``per_actor`` (true: every actor gets its own factor),
    ``correlation`` (of those factors across actors) and a boolean ``scale`` (true: the common
    draw multiplies the current value); a numeric ``scale`` is scipy's scale parameter.

    Parameters
    ----------
    spec : dict
        The distribution's table: ``dist`` and scipy's parameters of that family (numbers).
    where : str
        Dotted path of the table, used in problems (default ``"distribution"``).
    source : str
        Name of the file, used in problems (default ``"figures"``).

    Returns
    -------
    scipy.stats frozen distribution
        The distribution with the given parameters.

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
    from scipy import stats  # loaded on first use: scipy.stats takes a second to import

    name, kwargs = _parameters(spec, where, source)
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


def robustness_inputs(
    block: dict, where: str = "figures", source: str = "figures", *, build: bool = True
) -> dict:
    """Keyword arguments of :func:`coordgap.robustness` from a ``[figures.ID]`` block.

    Each entry of ``distributions`` is a common draw (a game-level path is set to it; with
    ``scale = true`` it multiplies the current value), or with ``per_actor = true`` an
    idiosyncratic shock: every actor of the path gets its own factor, with the Gaussian-copula
    ``correlation`` of the entry or, failing that, of the block (default 0).

    Parameters
    ----------
    block : dict
        The figure's block; its ``distributions`` table maps parameter paths to distribution
        tables (see :func:`distribution`), and its optional ``correlation`` is the default of
        the per-actor entries.
    where : str
        Dotted path of the block, used in problems (default ``"figures"``).
    source : str
        Name of the file, used in problems (default ``"figures"``).
    build : bool
        Build the scipy distributions (default True); False checks every table without
        importing scipy.stats and returns the tables themselves in their place (the model-file
        loader's check).

    Returns
    -------
    dict
        ``distributions``, ``idiosyncratic``, ``correlation`` and ``scale``, ready to pass to
        :func:`coordgap.robustness`.

    Raises
    ------
    SpecError
        Listing every problem of the block at once.

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
    out: dict[str, Any] = {"distributions": {}, "idiosyncratic": {}, "correlation": {}, "scale": []}

    def frozen(spec: dict, here: str):
        try:
            if not build:
                check_distribution(spec, here, source)
                return spec
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


def sensitivity_inputs(block: dict, where: str = "figures", source: str = "figures"):
    """Distributions, scaled paths and notes for :func:`coordgap.sensitivity` from a block
    with ``distributions`` (as for :func:`robustness_inputs`).

    A sensitivity index needs one value per parameter and draw, so a per-actor entry is
    analysed as one common factor on every actor of its path; a note says so.

    Parameters
    ----------
    block : dict
        The block, with its ``distributions`` table.
    where : str
        Dotted path of the block, used in problems.
    source : str
        Name of the file, used in problems.

    Returns
    -------
    tuple of (dict, list, list)
        Path → frozen distribution, the paths whose draws are factors, and the notes.

    Examples
    --------
    >>> d, scaled, notes = sensitivity_inputs({"distributions": {
    ...     "preparedness.prob": {"dist": "uniform", "loc": 0.05, "scale": 0.1},
    ...     "actors.*.registry.join_cost": {"dist": "lognorm", "s": 0.5, "per_actor": True}}})
    >>> sorted(d), scaled
    (['actors.*.registry.join_cost', 'preparedness.prob'], ['actors.*.registry.join_cost'])
    """
    inputs = robustness_inputs(block, where, source)
    distributions = dict(inputs["distributions"])
    scaled = list(inputs["scale"])
    notes = []
    for path, dist in inputs["idiosyncratic"].items():
        distributions[path] = dist
        scaled.append(path)
        notes.append(
            f"{path}: per-actor shocks analysed as one common factor on every actor of the path"
        )
    return distributions, scaled, notes


class FigureIdCollisionError(SpecError):
    """Two model files declare a figure with the same id (ids name the output files).

    A :class:`~coordgap.errors.SpecError`, hence a ValueError.

    Parameters
    ----------
    fig_id : str
        The figure id declared twice.
    first, second : str
        The two model files that declare it.

    Examples
    --------
    >>> err = FigureIdCollisionError("capture", "a.toml", "b.toml")
    >>> isinstance(err, ValueError), err.first, err.second
    (True, 'a.toml', 'b.toml')
    >>> print(err)
    1 problem found:
    figures: figures.capture: declared in both a.toml and b.toml; figure ids name the output files, so they must differ
    """

    def __init__(self, fig_id: str, first: str, second: str):
        self.fig_id, self.first, self.second = fig_id, first, second
        super().__init__(
            "figures",
            [
                f"figures.{fig_id}: declared in both {first} and {second}; figure ids name "
                "the output files, so they must differ"
            ],
        )


def check_figure_ids(specs) -> dict[str, str]:
    """Check that no two model files declare the same figure id.

    Parameters
    ----------
    specs : iterable of ModelSpec
        The model files (anything with ``figures`` and ``source``).

    Returns
    -------
    dict of str to str
        Figure id → the file that declares it.

    Raises
    ------
    FigureIdCollisionError
        Naming the first id declared twice and both of its files.

    Examples
    --------
    >>> from types import SimpleNamespace as M
    >>> check_figure_ids([M(source="a.toml", figures={"x": {}}), M(source="b.toml",
    ...                   figures={"y": {}})])
    {'x': 'a.toml', 'y': 'b.toml'}
    >>> check_figure_ids([M(source="a.toml", figures={"x": {}}), M(source="b.toml",
    ...                   figures={"x": {}})])
    Traceback (most recent call last):
    ...
    coordgap.spec.figures.FigureIdCollisionError: 1 problem found:
    figures: figures.x: declared in both a.toml and b.toml; figure ids name the output files, so they must differ
    """
    owner: dict[str, str] = {}
    for spec in specs:
        for fig_id in spec.figures:
            if fig_id in owner:
                raise FigureIdCollisionError(fig_id, owner[fig_id], str(spec.source))
            owner[fig_id] = str(spec.source)
    return owner
