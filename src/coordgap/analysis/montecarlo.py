"""Robustness of designs to parameter uncertainty, and design metrics for sweeps.

Parameters are addressed by their model-file paths (one path per parameter, see
:meth:`PolicyModel.paths`): ``preparedness.prob``, ``commitment.discount``,
``welfare.public_funds_cost``, ``actors.ai_developer.registry.join_cost`` (``actors.*.…`` for
every actor), or ``<Instrument>.<param>`` for a parameter of an instrument in the design
(``PerformanceBond.amount``). A value *sets* the parameter; paths listed in ``scale`` are
multiplied by it instead (a common scale factor). :func:`robustness` also draws idiosyncratic
(per-actor) shocks: every actor of an actor path gets its own factor, optionally correlated
across actors.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import warnings
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.special import ndtr

from .._deprecation import moved_names
from ..errors import InvalidParameterError, Shown, did_you_mean
from ..instruments.base import PolicyModel
from ..instruments.design import Design
from ..limits import check_size
from ..results import Result
from ..solvers.compiled import compiled_search
from .compare import METRICS, evaluate_applied, evaluate_design
from .critical import Target, as_target
from .parallel import root_seed_sequence, run_chunks

__all__ = ["perturb", "DesignMetrics", "monte_carlo", "MonteCarloResult", "SAMPLERS"]

_MODEL_HEADS = ("preparedness", "participation", "commitment", "welfare", "actors")
_METRICS = tuple(METRICS)
# Quantiles of each worst-equilibrium metric in the summary table.
_QUANTILES = (0.05, 0.5, 0.95)
#: Samplers of the common draws of :func:`monte_carlo`: independent pseudo-random draws,
#: scrambled Latin hypercube and scrambled Sobol' points (``scipy.stats.qmc``).
SAMPLERS = ("mc", "lhs", "sobol")
# Spawn key of the quasi-random engine's seed under the root: one entry longer than the keys of
# the draws (root + (i,)) and one shorter than their per-path streams, so it is none of them.
_QMC_KEY = zlib.crc32(b"quasi-random common draws")
# Unit-cube points are kept this far inside (0, 1) before the inverse CDF, so that no draw is
# an infinite end of a distribution's support.
_UNIT_EDGE = 2.0**-52
#: Fewest draw × design evaluations for which a study searches the participation games'
#: threshold cells with compiled code (where numba is installed): its start-up, about a
#: second per process, is then a small part of the run. The results are the same either way.
COMPILED_MIN_EVALUATIONS = 4000


def perturb(
    model: PolicyModel, design: Design, values: Mapping[str, float], *, scale=()
) -> tuple[PolicyModel, Design]:
    """Model and design with the parameters at the paths in ``values`` set (or, for the
    paths in ``scale``, multiplied by the value).

    Parameters
    ----------
    model : PolicyModel
        The policy model (not changed).
    design : Design
        The design (not changed); ``<Instrument>.<param>`` paths address its instruments.
    values : mapping of str to float
        Path → value: a model-file path (see :meth:`PolicyModel.paths`) or
        ``<Instrument>.<param>`` of every instrument of that class in the design.
    scale : iterable of str, optional
        Paths of ``values`` whose value multiplies the current value instead of setting it.

    Returns
    -------
    tuple of (PolicyModel, Design)
        The changed copies (the design keeps its name).

    Examples
    --------
    >>> import coordgap as cg
    >>> m, d = perturb(cg.PolicyModel.default(), cg.Design("bond", [cg.PerformanceBond()]),
    ...                {"preparedness.harm": 5000.0, "PerformanceBond.amount": 2.0,
    ...                 "actors.*.registry.join_cost": 2.0},
    ...                scale=["actors.*.registry.join_cost"])
    >>> m.harm, d.instruments[0].amount, m.get("actors.ai_developer.registry.join_cost")
    (5000.0, 2.0, 2.4)
    """
    scaled = set(scale)
    instruments = list(design.instruments)
    for path, value in values.items():
        head = path.partition(".")[0]
        if head in _MODEL_HEADS:
            model = model.scale(path, value) if path in scaled else model.set(path, value)
            continue
        hits = [k for k, inst in enumerate(instruments) if type(inst).__name__ == head]
        if not hits:
            names = list(_MODEL_HEADS) + [type(i).__name__ for i in instruments]
            raise InvalidParameterError(
                "perturb",
                "path",
                "a model-file path (e.g. "
                "'preparedness.harm') or '<Instrument>.<parameter>' "
                "of the design",
                path,
                did_you_mean(head, names),
            )
        for k in hits:
            current = instruments[k]
            key = path.partition(".")[2]
            level = getattr(current, key, None) if path in scaled else None
            new = value * level if isinstance(level, (int, float)) else value
            instruments[k] = current.with_level(new, key)
    return model, Design(design.name, instruments)


def _flatten(outcome) -> dict:
    row = {
        f"{k}_{side}": float(v)
        for side in ("worst", "best")
        for k, v in getattr(outcome, side).items()
    }
    row["full_participation_unique"] = float(bool(outcome.full_participation_unique))
    return row


@dataclass(frozen=True, slots=True, eq=False)
class DesignMetrics:
    """A metric model (for :func:`coordgap.sweep`) of one design on one policy model.

    Grid keys are dotted paths (see :func:`perturb`); metrics are every comparison metric with
    ``_worst`` and ``_best`` suffixes, plus ``full_participation_unique``.

    Parameters
    ----------
    model : PolicyModel
        The policy model at the reference point.
    design : Design
        The design evaluated at every grid point.
    scale : tuple of str, optional
        Grid keys whose values multiply the current value instead of setting it.

    Examples
    --------
    >>> import coordgap as cg
    >>> from coordgap.analysis.montecarlo import DesignMetrics
    >>> m = DesignMetrics(cg.PolicyModel.default(), cg.Design("bond", [cg.PerformanceBond()]))
    >>> res = cg.sweep(m, {"PerformanceBond.amount": [0.0, 2.0]},
    ...                metrics=["credible_coverage_best"])
    >>> bool(res.frame["credible_coverage_best"].iloc[1] > res.frame["credible_coverage_best"].iloc[0])
    True
    """

    model: PolicyModel
    design: Design
    scale: tuple = ()

    def evaluate(self, cell: dict, seed=None) -> dict:
        """Evaluate the design at one grid point.

        Parameters
        ----------
        cell : dict
            Path → value at this point (see :func:`perturb`).
        seed : optional
            Ignored (the evaluation is deterministic); accepted for the metric-model protocol.

        Returns
        -------
        dict of str to float
            Every metric of :data:`~coordgap.analysis.compare.METRICS` with ``_worst`` and
            ``_best`` suffixes, plus ``full_participation_unique`` (0 or 1).
        """
        model, design = perturb(self.model, self.design, cell, scale=self.scale)
        return _flatten(evaluate_design(model, design))


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class MonteCarloResult(Result):
    """Designs under parameter uncertainty.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per design: ``p_target``, the share of draws in which the target is met;
        ``p_undecided``, the share in which the solver could not decide whether it is (only
        possible for the ``"unique_full"`` target; such draws count as not meeting it, so
        ``p_target`` is then a lower bound and ``p_target + p_undecided`` an upper bound); and
        the 5%, 50% and 95% quantiles of each worst-equilibrium metric.
    draws : pandas.DataFrame
        One row per (draw, design): the common draws (as drawn: a value, or a factor for the
        paths in ``scale``), for each idiosyncratic path the smallest and largest per-actor
        factor of the draw (columns ``"<path>[min]"`` and ``"<path>[max]"``), every metric,
        ``full_participation_unique`` (NaN: undecided), ``meets_target`` and
        ``target_undecided``.
    target : str
        Plain-language statement of the target (:meth:`Target.describe`).
    n_draws : int
        Number of draws.
    sampler : str
        How the common draws were made: ``"mc"``, ``"lhs"`` or ``"sobol"`` (see
        :func:`monte_carlo`).
    seed_entropy : object
        Entropy of the root seed sequence (drawn with ``rng`` None or an int: passing it as
        ``rng`` reproduces the draws).
    factors : dict
        For each idiosyncratic path, a DataFrame of the per-actor factors (one row per draw,
        one column per actor of the path, named after the actor).
    success, status, message
        ``success`` is False and ``status`` 1 when some evaluation's certificate missed its
        tolerance; ``message`` says why.
    """

    table: pd.DataFrame
    draws: pd.DataFrame
    target: str
    n_draws: int
    sampler: str = "mc"
    seed_entropy: object = None
    factors: dict = field(default_factory=dict)
    success: bool = True
    status: int = 0
    message: str = ""

    def to_frame(self) -> pd.DataFrame:
        """The per-design summary table.

        Returns
        -------
        pandas.DataFrame
            A copy of :attr:`table`.
        """
        return self.table.copy()

    def __repr__(self) -> str:
        undecided = "p_undecided" in self.table and bool(self.table["p_undecided"].any())
        cols = ["p_target"] + (["p_undecided"] if undecided else [])
        return (
            f"MonteCarloResult(n_draws={self.n_draws}, target={self.target!r})\n"
            + self.table[cols].to_string()
        )


def _stream(seed: np.random.SeedSequence, kind: int, path: str) -> np.random.Generator:
    """The generator of one path in one draw: a child of the draw's seed keyed by the path's
    name, so a path's draws do not depend on which other paths are uncertain."""
    key = tuple(seed.spawn_key) + (kind, zlib.crc32(path.encode()))
    return np.random.default_rng(np.random.SeedSequence(seed.entropy, spawn_key=key))


def _factors(dist, rho: float, size: int, gen: np.random.Generator) -> np.ndarray:
    """``size`` per-actor factors with marginal ``dist`` and Gaussian-copula correlation ρ:
    z_i = √ρ·Z + √(1−ρ)·ε_i, factor_i = F⁻¹(Φ(z_i))."""
    common = gen.standard_normal()
    own = gen.standard_normal(size)
    z = math.sqrt(rho) * common + math.sqrt(1.0 - rho) * own
    # The upper tail through the survival function keeps precision where Φ(z) rounds to 1.
    upper = z > 0
    out = np.empty(size)
    out[~upper] = dist.ppf(ndtr(z[~upper]))
    out[upper] = dist.isf(ndtr(-z[upper])) if hasattr(dist, "isf") else dist.ppf(ndtr(z[upper]))
    return out


def unit_sample(sampler: str, n: int, d: int, seed: np.random.SeedSequence) -> np.ndarray:
    """``n`` scrambled quasi-random points of the unit cube [0, 1)^d from ``scipy.stats.qmc``.

    Parameters
    ----------
    sampler : {"lhs", "sobol"}
        ``"lhs"``: a Latin hypercube (``qmc.LatinHypercube``: every one of the ``n``
        equal-probability strata of each coordinate holds exactly one point); ``"sobol"``:
        the first ``n`` points of a scrambled Sobol' sequence (``qmc.Sobol``; ``n`` must be a
        power of 2, where its balance properties hold).
    n : int
        Number of points.
    d : int
        Dimension (at least 1).
    seed : numpy.random.SeedSequence
        Seed of the scrambling (and of the Latin hypercube's permutations).

    Returns
    -------
    ndarray of shape (n, d)
        The points, the same for the same seed.

    Examples
    --------
    >>> import numpy as np
    >>> u = unit_sample("lhs", 8, 2, np.random.SeedSequence(1))
    >>> sorted(np.floor(u[:, 0] * 8).astype(int).tolist())  # one point per stratum
    [0, 1, 2, 3, 4, 5, 6, 7]
    >>> bool(np.array_equal(u, unit_sample("lhs", 8, 2, np.random.SeedSequence(1))))
    True
    """
    if sampler not in ("lhs", "sobol"):
        raise InvalidParameterError("unit_sample", "sampler", "'lhs' or 'sobol'", sampler)
    from scipy.stats import qmc

    gen = np.random.default_rng(seed)
    engine_type = qmc.LatinHypercube if sampler == "lhs" else qmc.Sobol
    try:
        engine = engine_type(d, scramble=True, rng=gen)
    except TypeError:  # scipy < 1.15 names the generator ``seed``
        engine = engine_type(d, scramble=True, seed=gen)
    return np.asarray(engine.random(n), dtype=float)


def _quasi_random_draws(common: dict, n: int, sampler: str, root) -> np.ndarray:
    """The common draws of all ``n`` draws from a quasi-random sampler: one column per path
    of ``common`` (in its order). The unit-cube dimensions go to the paths in sorted order, so
    the draws do not depend on the order of the mapping."""
    paths = sorted(common)
    seed = np.random.SeedSequence(root.entropy, spawn_key=tuple(root.spawn_key) + (_QMC_KEY, 0))
    unit = np.clip(unit_sample(sampler, n, len(paths), seed), _UNIT_EDGE, 1.0 - _UNIT_EDGE)
    out = np.empty((n, len(paths)))
    for k, path in enumerate(common):
        out[:, k] = np.asarray(common[path].ppf(unit[:, paths.index(path)]), dtype=float)
    return out


def _full_unique(outcome, applied: PolicyModel):
    """Whether full participation is the unique equilibrium, settled where the solver left it
    open (None): an assurance contract that binds only when every actor files (threshold
    above N − 1) with a bonus β > 0 has no other equilibrium when every actor's gain of
    filing at full participation is positive — below N − 1 filers, an actor who files gets β
    (the registry stays void), and with N − 1 filers the one outside has its gain at full
    participation. Otherwise the answer stays None (undecided)."""
    unique = outcome.full_participation_unique
    if unique is not None:
        return bool(unique)
    game = applied.game
    n = game.n_actors
    assert n is not None  # set when the game was validated
    if (
        game.refund_threshold > n - 1
        and game.refund_bonus > 0
        and float(np.min(game.gains(np.ones(n, dtype=bool)))) > 0
    ):
        return True
    return None


def _run_block(model, designs, common, scaled, idio, goal, compiled, preset, seeds):
    """Draws of one block (each draw with its own child seed in ``seeds``): the rows and the
    per-actor factors of every idiosyncratic path. ``preset`` is None (the common draws come
    from each path's own stream) or an array of the block's common draws, one row per draw
    and one column per path of ``common`` (quasi-random samplers). ``compiled`` turns on the
    compiled cell search (:func:`~coordgap.solvers.compiled.compiled_search`)."""
    with compiled_search(compiled):
        return _draw_rows(model, designs, common, scaled, idio, goal, preset, seeds)


def _draw_rows(model, designs, common, scaled, idio, goal, preset, seeds):
    rows = []
    factors: dict[str, list] = {path: [] for path in idio}
    model_paths = [p for p in common if p.partition(".")[0] in _MODEL_HEADS]
    # Each design's text, made once: a draw that sets none of its levels leaves it unchanged.
    descriptions = [design.describe() for design in designs]
    for j, seed in enumerate(seeds):
        if preset is None:
            values = {
                path: float(np.asarray(dist.rvs(random_state=_stream(seed, 0, path))))
                for path, dist in common.items()
            }
        else:
            values = {path: float(preset[j, k]) for k, path in enumerate(common)}
        drawn = {
            path: _factors(dist, rho, int(mask.sum()), _stream(seed, 1, path))
            for path, (dist, rho, mask, _) in idio.items()
        }
        try:
            base, _ = perturb(model, designs[0], {p: values[p] for p in model_paths}, scale=scaled)
            for path, f in drawn.items():
                base = base.scale(path, f)  # per-actor shocks multiply, after the common draws
        except InvalidParameterError as err:
            raise _invalid_draw(seed, err) from err
        summary = {}
        for path, f in drawn.items():
            factors[path].append(f)
            summary[f"{path}[min]"] = float(f.min())
            summary[f"{path}[max]"] = float(f.max())
        for design, description in zip(designs, descriptions):
            names = {type(i).__name__ for i in design.instruments}
            mine = {
                p: v
                for p, v in values.items()  # instrument paths of this design
                if p not in model_paths and p.partition(".")[0] in names
            }
            try:
                m, d = perturb(base, design, mine, scale=scaled)
            except InvalidParameterError as err:
                raise _invalid_draw(seed, err) from err
            applied = d.apply(m)
            outcome = evaluate_applied(applied, d, description=None if mine else description)
            unique = _full_unique(outcome, applied)
            settled = (
                outcome  # the solver decided it: nothing to settle
                if unique is outcome.full_participation_unique
                else dataclasses.replace(outcome, full_participation_unique=unique)
            )
            row = {"design": design.name, **values, **summary, **_flatten(settled)}
            row["full_participation_unique"] = math.nan if unique is None else float(unique)
            undecided = unique is None and goal.kind == "unique_full"
            row["meets_target"] = bool(goal.holds(settled, m)) and not undecided
            row["target_undecided"] = undecided
            rows.append(row)
    return rows, {path: np.asarray(f).reshape(len(seeds), -1) for path, f in factors.items()}


def _invalid_draw(seed: np.random.SeedSequence, err: Exception) -> InvalidParameterError:
    return InvalidParameterError(
        "robustness",
        "distributions",
        "distributions whose draws give a valid model",
        Shown(f"draw {seed.spawn_key[-1]}"),
        f"({err})",
    )


def _check_distribution(name: str, dist, methods, owner: str = "robustness") -> None:
    if not all(callable(getattr(dist, m, None)) for m in methods):
        raise InvalidParameterError(
            owner,
            name,
            "a frozen scipy.stats distribution (with " + " and ".join(methods) + ")",
            Shown(type(dist).__name__),
        )


def _check_model_path(model: PolicyModel, name: str, path, owner: str = "robustness") -> None:
    if not isinstance(path, str):
        raise InvalidParameterError(
            owner, name, "a dotted parameter path such as 'preparedness.prob'", path
        )
    try:
        model.get(path)  # an unknown path fails here, with a did-you-mean
    except InvalidParameterError as err:
        known = model.paths()
        raise InvalidParameterError(
            owner,
            name,
            err.rule,
            err.value,
            "" if path in known else did_you_mean(path, known),
        ) from err


def _check_instrument_path(designs, name: str, path: str, owner: str = "robustness") -> None:
    head, _, key = path.partition(".")
    owners = {type(i).__name__: type(i) for d in designs for i in d.instruments}
    if head not in owners:
        choices = list(_MODEL_HEADS) + sorted(owners)
        raise InvalidParameterError(
            owner,
            name,
            "a model-file path (e.g. "
            "'preparedness.prob') or '<Instrument>.<parameter>' of an "
            "instrument in one of the designs",
            path,
            did_you_mean(head, choices),
        )
    known = owners[head].parameter_names()
    if key not in known:
        raise InvalidParameterError(
            owner, name, f"a parameter of {head}", path, did_you_mean(key, known)
        )


def _correlations(correlation, idiosyncratic) -> dict:
    def check(name, rho):
        if (
            isinstance(rho, bool)
            or not isinstance(rho, (int, float, np.integer, np.floating))
            or not 0.0 <= float(rho) <= 1.0
        ):
            raise InvalidParameterError(
                "robustness",
                name,
                "a correlation in [0, 1] (0: independent per-actor shocks, 1: one common shock)",
                rho,
            )
        return float(rho)

    if isinstance(correlation, Mapping):
        for path in correlation:
            if path not in idiosyncratic:
                raise InvalidParameterError(
                    "robustness",
                    "correlation",
                    "a mapping whose keys are paths of idiosyncratic",
                    path,
                    did_you_mean(str(path), list(idiosyncratic)),
                )
        return {
            path: check(f"correlation[{path!r}]", correlation.get(path, 0.0))
            for path in idiosyncratic
        }
    rho = check("correlation", correlation)
    return dict.fromkeys(idiosyncratic, rho)


def monte_carlo(
    model: PolicyModel,
    designs: Sequence[Design],
    distributions: Mapping | None = None,
    n: int = 200,
    *,
    idiosyncratic: Mapping | None = None,
    correlation=0.0,
    scale=(),
    target="unique_full",
    rng=None,
    executor=None,
    block: int = 25,
    progress=None,
    sampler: str = "mc",
) -> MonteCarloResult:
    """Monte Carlo over uncertain parameters: how likely each design is to meet a target.

    Two kinds of uncertainty can be combined:

    * **common** draws (``distributions``): one value per draw for the path. A game-level
      path (``preparedness.prob``) or an instrument parameter (``PerformanceBond.amount``) is
      *set* to the draw; so is every actor of an actor path (``actors.*.registry.join_cost``)
      unless the path is listed in ``scale``, which makes the draw a common factor that
      multiplies the current value(s).
    * **idiosyncratic** (per-actor) shocks (``idiosyncratic``): for an actor path, each actor of
      the path's role (``*``: every actor) gets its own draw. Per-actor shocks are *factors* by
      nature (they multiply each actor's own value, keeping the calibrated differences between
      actors), so their distributions must have support in [0, ∞), e.g.
      ``scipy.stats.lognorm(s=0.5)`` (median 1). Across the actors of one path the draws are
      linked by a Gaussian copula with correlation ρ (``correlation``): z_i = √ρ·Z + √(1−ρ)·ε_i
      with Z, ε_i independent standard normals, factor_i = F⁻¹(Φ(z_i)); ρ = 0 gives
      independent shocks, ρ = 1 one common factor. Different paths are independent. They are
      applied after the common draws.

    One extreme actor can matter: an assurance contract that binds only if every actor files
    is voided when a single actor's cost rises above its share of the registry's value, which
    a common factor on all costs does not show.

    The common draws can be quasi-random (``sampler``), which fills the space of the uncertain
    parameters more evenly than independent draws and so estimates ``p_target`` and the
    quantiles with less sampling error for the same ``n``:

    * ``"mc"`` (default): each draw's value of a path comes from its own pseudo-random stream
      (a child of the draw's seed keyed by the path's name);
    * ``"lhs"``: a scrambled Latin hypercube (``scipy.stats.qmc.LatinHypercube``);
    * ``"sobol"``: the first ``n`` points of a scrambled Sobol' sequence
      (``scipy.stats.qmc.Sobol``). ``n`` must be a power of 2 (otherwise the points lose their
      balance properties): any other ``n`` is refused, not warned about.

    With ``"lhs"`` and ``"sobol"`` one point of the unit cube [0, 1)^d (d: the number of
    common paths, given dimensions in the sorted order of the paths) is drawn per draw, with
    the scrambling seeded from the same root seed as everything else, and mapped through each
    distribution's inverse CDF (``ppf``). The idiosyncratic shocks are drawn as with ``"mc"``.
    Every sampler is deterministic for a given seed and gives the same result with and without
    an executor.

    Parameters
    ----------
    model : PolicyModel
        The policy model at the reference point (not changed).
    designs : sequence of Design
        Designs with distinct names. An instrument path applies to the designs that have that
        instrument.
    distributions : mapping of path to a frozen scipy.stats distribution, optional
        Common draws (each needs ``rvs``; with a quasi-random ``sampler``, ``ppf``).
    n : int
        Number of draws (shared by all designs: common random numbers).
    idiosyncratic : mapping of actor path to a frozen scipy.stats distribution, optional
        Per-actor multiplicative shocks (each needs ``ppf``).
    correlation : float in [0, 1] or mapping of idiosyncratic path to float
        Gaussian-copula correlation of the per-actor shocks of a path (default 0; a path
        missing from a mapping gets 0).
    scale : iterable of paths
        Paths of ``distributions`` whose draws multiply the current value instead of setting it.
    target : Target, str or tuple
        What a design must achieve in a draw (see :class:`~coordgap.Target`; default
        ``"unique_full"``).
    rng : None, int, SeedSequence or Generator
        Seed of the draws (None: fresh entropy, recorded in ``seed_entropy``).
    executor : concurrent.futures.Executor, optional
        Blocks of draws run there.
    block : int
        Draws per block of work. Every draw has its own child seed (and every path its own
        stream within the draw), so results depend neither on ``executor`` nor on ``block``.
    progress : {"auto", True, False} or None
        Show a progress bar over the blocks: ``"auto"`` (None means the same) shows it in a Jupyter
        notebook or on a terminal and stays silent when output is piped or logged.
    sampler : {"mc", "lhs", "sobol"}
        How the common draws are made (default ``"mc"``, independent draws; see above).

    Returns
    -------
    MonteCarloResult
        ``draws`` records per draw the smallest and largest per-actor factor of every
        idiosyncratic path; ``factors`` holds them all.

    Examples
    --------
    >>> import coordgap as cg
    >>> from scipy import stats
    >>> res = cg.monte_carlo(cg.PolicyModel.default(), [cg.Design("baseline")],
    ...                     {"preparedness.prob": stats.uniform(0.05, 0.1)}, n=4, rng=1,
    ...                     idiosyncratic={"actors.*.registry.join_cost": stats.lognorm(s=0.5)},
    ...                     correlation=0.3)
    >>> list(res.table.index), res.n_draws, res.factors["actors.*.registry.join_cost"].shape
    (['baseline'], 4, (4, 58))
    >>> bool((res.draws["actors.*.registry.join_cost[min]"] > 0).all())
    True

    A Latin hypercube puts one of the 4 draws in each quarter of the incident probability's
    range:

    >>> res = cg.monte_carlo(cg.PolicyModel.default(), [cg.Design("baseline")],
    ...                     {"preparedness.prob": stats.uniform(0.05, 0.1)}, n=4, rng=1,
    ...                     sampler="lhs")
    >>> sorted(((res.draws["preparedness.prob"] - 0.05) // 0.025).astype(int).tolist())
    [0, 1, 2, 3]
    """
    goal: Target = as_target(target)
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 1:
        raise InvalidParameterError("robustness", "n", "an integer >= 1", n)
    if not isinstance(block, (int, np.integer)) or isinstance(block, bool) or block < 1:
        raise InvalidParameterError("robustness", "block", "an integer >= 1", block)
    if not isinstance(sampler, str) or sampler not in SAMPLERS:
        raise InvalidParameterError(
            "robustness", "sampler", "one of " + ", ".join(map(repr, SAMPLERS)), sampler
        )
    if sampler == "sobol" and n & (n - 1):
        raise InvalidParameterError(
            "robustness",
            "n",
            "a power of 2 with sampler='sobol' (a Sobol' sequence is balanced only there), "
            "e.g. 128 or 256",
            n,
        )
    designs = list(designs)
    if not designs or not all(isinstance(d, Design) for d in designs):
        raise InvalidParameterError(
            "robustness", "designs", "a non-empty sequence of designs", designs
        )
    names = [d.name for d in designs]
    if len(set(names)) < len(names):
        raise InvalidParameterError("robustness", "designs", "designs with distinct names", names)
    check_size("robustness", "n", int(n), "design_evaluations", per=(len(designs), "designs"))
    common = dict(distributions or {})
    idio_in = dict(idiosyncratic or {})
    for label, given in (("distributions", distributions), ("idiosyncratic", idiosyncratic)):
        if given is not None and not isinstance(given, Mapping):
            raise InvalidParameterError(
                "robustness",
                label,
                "a mapping of parameter path to a frozen scipy.stats distribution",
                Shown(type(given).__name__),
            )
    for path, dist in common.items():
        name = f"distributions[{path!r}]"
        _check_distribution(name, dist, ("rvs",) if sampler == "mc" else ("rvs", "ppf"))
        if isinstance(path, str) and path.partition(".")[0] not in _MODEL_HEADS:
            _check_instrument_path(designs, name, path)
        else:
            _check_model_path(model, name, path)
    try:
        scaled = [scale] if isinstance(scale, str) else list(scale)
    except TypeError:
        raise InvalidParameterError(
            "robustness", "scale", "an iterable of paths of distributions", scale
        ) from None
    for path in scaled:
        if path not in common:
            raise InvalidParameterError(
                "robustness",
                "scale",
                "paths of distributions (whose draws are then factors)",
                path,
                did_you_mean(str(path), list(common)),
            )
    idio = {}
    rhos = _correlations(correlation, idio_in)
    for path, dist in idio_in.items():
        name = f"idiosyncratic[{path!r}]"
        _check_model_path(model, name, path)
        if path.split(".")[0] != "actors":
            raise InvalidParameterError(
                "robustness",
                name,
                "an actor path "
                "('actors.<role>.<key>' or 'actors.<role>.registry."
                "<key>', '*' for every actor); a game-level parameter "
                "has one value, so give it in distributions",
                path,
            )
        _check_distribution(name, dist, ("ppf",))
        support = getattr(dist, "support", None)
        low = support()[0] if callable(support) else 0.0
        if not low >= 0:
            raise InvalidParameterError(
                "robustness",
                name,
                "a distribution of factors with support in [0, inf) (per-actor shocks multiply)",
                Shown(f"support from {low}"),
            )
        mask = model.actors.mask(path.split(".")[1])
        idio[path] = (dist, rhos[path], mask, np.asarray(model.names)[mask])
    root = root_seed_sequence(rng)
    preset = (
        _quasi_random_draws(common, int(n), sampler, root) if sampler != "mc" and common else None
    )
    seeds = root.spawn(int(n))
    starts = range(0, n, block)
    chunks = [seeds[a : a + block] for a in starts]
    compiled = int(n) * len(designs) >= COMPILED_MIN_EVALUATIONS
    func = functools.partial(_run_block, model, designs, common, scaled, idio, goal, compiled)
    blocks = run_chunks(
        func,
        [None if preset is None else preset[a : a + block] for a in starts],
        chunks,
        executor=executor,
        chunksize=1,
        progress=progress,
        desc="robustness",
    )
    rows = [row for part, _ in blocks for row in part]
    draws = pd.DataFrame(rows)
    draws.insert(0, "draw", np.repeat(np.arange(n), len(designs)))
    factors = {
        path: pd.DataFrame(
            np.concatenate([f[path] for _, f in blocks]), columns=list(idio[path][3])
        )
        for path in idio
    }
    for frame in factors.values():
        frame.index.name = "draw"
    summary = {}
    worst = [f"{metric}_worst" for metric in _METRICS]
    for design in designs:
        part = draws[draws["design"] == design.name]
        entry = {
            "p_target": float(part["meets_target"].mean()),
            "p_undecided": float(part["target_undecided"].mean()),
        }
        # The quantiles of every metric at once; NaN are skipped, as Series.quantile does.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # a metric that is all NaN
            levels = np.nanquantile(part[worst].to_numpy(dtype=float), _QUANTILES, axis=0)
        for j, metric in enumerate(_METRICS):
            for i, q in enumerate(_QUANTILES):
                entry[f"{metric}_q{int(q * 100):02d}"] = float(levels[i, j])
        summary[design.name] = entry
    return MonteCarloResult(
        table=pd.DataFrame.from_dict(summary, orient="index"),
        draws=draws,
        target=goal.describe(),
        n_draws=int(n),
        sampler=sampler,
        seed_entropy=root.entropy,
        factors=factors,
    )


# Old names, kept for one release (they warn): ``robustness`` is the aggregate R everywhere else.
__getattr__ = moved_names(
    __name__,
    {
        "robustness": ("monte_carlo", lambda: monte_carlo),
        "RobustnessResult": ("MonteCarloResult", lambda: MonteCarloResult),
    },
)
