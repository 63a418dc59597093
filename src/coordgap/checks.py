"""Conformance checks for user-written instruments and games.

In the spirit of scikit-learn's ``check_estimator``: :func:`check_instrument` and
:func:`check_game` run a battery of checks on an object written outside coordgap and either
return a :class:`ConformanceReport` listing the checks passed, or raise one
:class:`ConformanceError` that lists **every** failed check with a sentence saying what is wrong.

An instrument must be a frozen dataclass whose ``apply`` is pure, whose size zero changes
nothing, whose fiscal cost is finite and non-negative, whose value to actors is one finite
number per actor, whose description is a string, and whose size parameter rejects negative and
NaN values. A game must be frozen, solvable by :func:`coordgap.solve` into an
:class:`~coordgap.results.EquilibriumSet` of certified equilibria (each ``max_regret`` within a
tolerance, and, for the built-in game families, each regret recomputed here from the game's
payoffs within it too), and its results must convert to plain data and tables.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from . import api
from ._regret import independent_regret
from .analysis.compare import evaluate_design
from .errors import CoordgapError, InvalidParameterError
from .instruments.base import Instrument, PolicyModel
from .instruments.design import Design
from .results import EquilibriumSet, Result

__all__ = ["ConformanceError", "ConformanceReport", "check_instrument", "check_game"]

_RTOL, _ATOL = 1e-9, 1e-12
#: Rounding allowance of a recomputed regret, per unit of payoff magnitude (256 ulps).
_ROUNDING = 256 * float(np.finfo(float).eps)


class ConformanceError(CoordgapError, AssertionError):
    """An instrument or game failed conformance checks; ``failures`` maps check → sentence.

    Parameters
    ----------
    subject : str
        ``repr`` of the object checked (shortened).
    failures : dict of str to str
        Name of each failed check → the sentence saying what went wrong.
    passed : tuple of str
        Names of the checks passed (default none).
    """

    def __init__(self, subject: str, failures: dict[str, str], passed: tuple[str, ...] = ()):
        self.subject = subject
        self.failures = dict(failures)
        self.passed = tuple(passed)
        noun = "check" if len(self.failures) == 1 else "checks"
        lines = [f"  - {name}: {text}" for name, text in self.failures.items()]
        super().__init__(
            f"{subject} failed {len(self.failures)} conformance {noun} "
            f"({len(self.passed)} passed):\n" + "\n".join(lines)
        )


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class ConformanceReport(Result):
    """Checks an instrument or a game passed.

    Attributes
    ----------
    subject : str
        ``repr`` of the object checked (shortened).
    kind : {"instrument", "game"}
        What was checked.
    passed : tuple of str
        Names of the checks passed (all of them: a failure raises instead).
    """

    subject: str
    kind: str
    passed: tuple

    @property
    def n_checks(self) -> int:
        """Number of checks passed."""
        return len(self.passed)

    def to_frame(self) -> pd.DataFrame:
        """One row per check.

        Returns
        -------
        pandas.DataFrame
            Columns ``check`` (name) and ``passed`` (always True).
        """
        return pd.DataFrame({"check": list(self.passed), "passed": [True] * len(self.passed)})


class _Fail(Exception):
    """A check failed; the message is the sentence shown to the user."""


def _short(obj) -> str:
    try:
        text = repr(obj)
    except Exception:
        text = f"<{type(obj).__name__}>"
    return text if len(text) <= 120 else text[:117] + "..."


def _run(
    checks: list[tuple[str, Callable[[], None]]], subject: str, kind: str
) -> ConformanceReport:
    passed, failures = [], {}
    for name, check in checks:
        try:
            check()
        except _Fail as exc:
            failures[name] = str(exc)
        except Exception as exc:
            failures[name] = f"raised {type(exc).__name__}: {exc}"
        else:
            passed.append(name)
    if failures:
        raise ConformanceError(subject, failures, tuple(passed))
    return ConformanceReport(subject=subject, kind=kind, passed=tuple(passed))


def _is_frozen_dataclass(obj) -> bool:
    params = getattr(type(obj), "__dataclass_params__", None)
    return dataclasses.is_dataclass(obj) and bool(params is not None and params.frozen)


def _snapshot(obj, depth: int = 0) -> object:
    """Deep copy of the state of a (nested) dataclass: arrays copied, scalars kept."""
    if isinstance(obj, np.ndarray):
        return np.array(obj, copy=True)
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type) and depth < 4:
        # Private fields are caches of views derived from the public ones.
        return {
            f.name: _snapshot(getattr(obj, f.name, None), depth + 1)
            for f in dataclasses.fields(obj)
            if not f.name.startswith("_")
        }
    if isinstance(obj, (list, tuple)):
        return type(obj)(_snapshot(v, depth + 1) for v in obj) if depth < 4 else obj
    if isinstance(obj, dict):
        return {k: _snapshot(v, depth + 1) for k, v in obj.items()} if depth < 4 else dict(obj)
    return obj


def _changed(before, after, path: str = "") -> list[str]:
    """Dotted paths where two snapshots differ (NaN equals NaN)."""
    if isinstance(before, dict) and isinstance(after, dict):
        out = []
        for key in before.keys() | after.keys():
            sub = f"{path}.{key}" if path else str(key)
            if key not in before or key not in after:
                out.append(sub)
            else:
                out += _changed(before[key], after[key], sub)
        return out
    if isinstance(before, np.ndarray) or isinstance(after, np.ndarray):
        a, b = np.asarray(before), np.asarray(after)
        if a.shape != b.shape:
            return [path]
        try:
            same = np.array_equal(a, b, equal_nan=a.dtype.kind in "fc")
        except TypeError:
            same = np.array_equal(a, b)
        return [] if same else [path]
    if isinstance(before, (list, tuple)) and isinstance(after, (list, tuple)):
        if len(before) != len(after):
            return [path]
        out = []
        for k, (x, y) in enumerate(zip(before, after)):
            out += _changed(x, y, f"{path}[{k}]")
        return out
    if (
        isinstance(before, float)
        and isinstance(after, float)
        and math.isnan(before)
        and math.isnan(after)
    ):
        return []
    try:
        return [] if bool(before == after) else [path]
    except Exception:
        return [] if before is after else [path]


def _metric_differences(zero, none) -> list[str]:
    diffs = []
    for side in ("worst", "best"):
        a, b = getattr(zero, side), getattr(none, side)
        for key in sorted(a.keys() | b.keys()):
            x, y = a.get(key), b.get(key)
            if (
                x is None
                or y is None
                or not np.isclose(x, y, rtol=_RTOL, atol=_ATOL, equal_nan=True)
            ):
                diffs.append(f"{key}_{side} {y!r} -> {x!r}")
    for name in ("full_participation_unique", "n_equilibria"):
        if getattr(zero, name) != getattr(none, name):
            diffs.append(f"{name} {getattr(none, name)!r} -> {getattr(zero, name)!r}")
    return diffs


def check_instrument(instrument, model=None) -> ConformanceReport:
    """Check that a (user-written) instrument follows the instrument protocol.

    Checks, each reported by name:

    ``frozen_dataclass``
        the instrument is a frozen dataclass (a value object; designs can share it);
    ``pure_apply``
        ``apply(model)`` returns a :class:`~coordgap.PolicyModel` and leaves the input model
        unchanged (every array compared before and after);
    ``zero_is_identity``
        the instrument at size zero (``with_level(0.0)``) leaves every metric of
        :func:`coordgap.analysis.compare.evaluate_design` unchanged;
    ``fiscal_cost``
        finite and ≥ 0 when nobody and when everybody files;
    ``value_to_actors``
        a finite array with one value per actor;
    ``describe``
        returns a string;
    ``rejects_bad_level``
        a negative or NaN size raises :class:`~coordgap.errors.InvalidParameterError`.

    Parameters
    ----------
    instrument : Instrument
        The instrument to check (a class is instantiated with its defaults).
    model : PolicyModel, optional
        The model to check against (default: ``cg.PolicyModel.default()``).

    Returns
    -------
    ConformanceReport
        The checks passed.

    Raises
    ------
    ConformanceError
        Listing every failed check with a sentence.

    Examples
    --------
    >>> import coordgap as cg
    >>> report = cg.check_instrument(cg.PerformanceBond(amount=1.0))
    >>> report.n_checks, report.passed[0]
    (7, 'frozen_dataclass')
    """
    if isinstance(instrument, type):
        try:
            instrument = instrument()
        except Exception as exc:
            raise ConformanceError(
                instrument.__name__,
                {
                    "instantiate": f"the class cannot be built with its defaults "
                    f"({type(exc).__name__}: {exc}); pass an instance"
                },
            ) from None
    subject = _short(instrument)
    if not isinstance(instrument, Instrument):
        raise ConformanceError(
            subject,
            {
                "is_instrument": f"{type(instrument).__name__} is not a subclass of "
                "coordgap.Instrument, so designs cannot hold it"
            },
        )
    if model is None:
        model = PolicyModel.default()
    elif not isinstance(model, PolicyModel):
        raise InvalidParameterError(
            "check_instrument", "model", "a PolicyModel or None", type(model).__name__
        )
    n = model.n_actors

    def frozen() -> None:
        if not _is_frozen_dataclass(instrument):
            raise _Fail(
                f"{type(instrument).__name__} must be a frozen dataclass "
                "(@dataclass(frozen=True, slots=True, eq=False)); instruments are "
                "values shared between designs and must not change"
            )

    def pure() -> None:
        before = _snapshot(model)
        applied = instrument.apply(model)
        changed = _changed(before, _snapshot(model))
        if changed:
            raise _Fail(
                "apply() changed the input model ("
                + ", ".join(sorted(changed)[:5])
                + "); it must return a new model and leave its input untouched"
            )
        if not isinstance(applied, PolicyModel):
            raise _Fail(f"apply() must return a PolicyModel, got {type(applied).__name__}")

    def zero() -> None:
        at_zero = instrument.with_level(0.0)
        outcome = evaluate_design(model, Design("size_zero", [at_zero]))
        plain = evaluate_design(model, Design("size_zero", []))
        diffs = _metric_differences(outcome, plain)
        if diffs:
            raise _Fail(
                f"at size zero ({instrument.level}=0) the instrument changed the "
                "outcome of the design ("
                + "; ".join(diffs[:4])
                + "); an instrument of size zero must leave every metric unchanged"
            )

    def fiscal() -> None:
        applied = instrument.apply(model)
        bad = []
        for label, joined in (
            ("nobody", np.zeros(n, dtype=bool)),
            ("everybody", np.ones(n, dtype=bool)),
        ):
            cost = instrument.fiscal_cost(applied, joined)
            try:
                value = float(cost)
            except (TypeError, ValueError):
                bad.append(f"{label} files: {cost!r} is not a number")
                continue
            if not math.isfinite(value) or value < 0:
                bad.append(f"{label} files: {value!r}")
        if bad:
            raise _Fail(
                "fiscal_cost() must be a finite float >= 0 (what the public purse "
                "pays per period); got " + "; ".join(bad)
            )

    def value() -> None:
        out = instrument.value_to_actors(model)
        try:
            arr = np.asarray(out, dtype=float)
        except (TypeError, ValueError):
            raise _Fail(f"value_to_actors() must return numbers, got {_short(out)}") from None
        if arr.shape != (n,):
            raise _Fail(
                f"value_to_actors() must return one value per actor (shape ({n},)), "
                f"got shape {arr.shape}"
            )
        if not np.all(np.isfinite(arr)):
            raise _Fail(
                "value_to_actors() must be finite for every actor, got "
                f"{int(np.sum(~np.isfinite(arr)))} non-finite values"
            )

    def describe() -> None:
        text = instrument.describe()
        if not isinstance(text, str) or not text:
            raise _Fail(f"describe() must return a non-empty string, got {_short(text)}")

    def bad_level() -> None:
        accepted = []
        for bad in (-1.0, math.nan):
            try:
                instrument.with_level(bad)
            except InvalidParameterError:
                continue
            accepted.append(repr(bad))
        if accepted:
            raise _Fail(
                f"with_level({', '.join(accepted)}) did not raise "
                f"InvalidParameterError; declare '{instrument.level}' with "
                "coordgap.params.param(bounds=(0, math.inf)) and keep "
                "Instrument.__post_init__ (it validates)"
            )

    return _run(
        [
            ("frozen_dataclass", frozen),
            ("pure_apply", pure),
            ("zero_is_identity", zero),
            ("fiscal_cost", fiscal),
            ("value_to_actors", value),
            ("describe", describe),
            ("rejects_bad_level", bad_level),
        ],
        subject,
        "instrument",
    )


def check_game(game, *, tol: float = 1e-6, **options) -> ConformanceReport:
    """Check that a (user-written) game works with :func:`coordgap.solve`.

    Checks, each reported by name:

    ``frozen``
        the game is a frozen dataclass (or at least refuses new attributes);
    ``solve_returns_set``
        ``cg.solve(game, **options)`` returns an :class:`~coordgap.results.EquilibriumSet`
        with a boolean ``complete``;
    ``certified``
        every equilibrium has a finite ``max_regret`` ≤ ``tol`` and an ``order_key``, and,
        for the game families :func:`coordgap.solve` has built-in solvers for (and their
        subclasses), the regret ``check_game`` recomputes itself from the game's payoffs is
        ≤ ``tol`` too (plus a rounding allowance of 256 ulps of the payoff scale), whatever
        the solver reported: the best pure deviation from the payoff tensor (normal-form and
        symmetric binary-action games), a bounded search over each actor's investment
        interval (preparedness game), the payoff of switching alone (participation game), or
        each signal type's expected gain from the other action (global and disclosure games);
    ``solve_is_pure``
        solving leaves the game unchanged;
    ``results_convert``
        the set and each equilibrium have ``to_dict()`` (JSON-serializable) and ``to_frame()``
        (a DataFrame).

    Parameters
    ----------
    game
        The game to check; ``cg.solve`` must have a solver registered for its type.
    tol : float
        Largest admissible max regret, reported or recomputed, in the game's payoff units.
    **options
        Passed to ``cg.solve``.

    Returns
    -------
    ConformanceReport

    Raises
    ------
    ConformanceError

    Examples
    --------
    >>> import coordgap as cg
    >>> game = cg.NormalFormGame.from_bimatrix([[4, 0], [3, 3]], [[4, 3], [0, 3]])
    >>> cg.check_game(game).passed
    ('frozen', 'solve_returns_set', 'certified', 'solve_is_pure', 'results_convert')
    """
    if (
        isinstance(tol, bool)
        or not isinstance(tol, (int, float))
        or not math.isfinite(tol)
        or tol < 0
    ):
        raise InvalidParameterError("check_game", "tol", "a finite float >= 0", tol)
    subject = _short(game)
    state: dict[str, Any] = {}

    def solved() -> EquilibriumSet:
        if "eqs" not in state:
            before = _snapshot(game)
            state["eqs"] = api.solve(game, **options)  # looked up at call time
            state["changed"] = _changed(before, _snapshot(game))
        return state["eqs"]

    def frozen() -> None:
        if _is_frozen_dataclass(game):
            return
        try:
            game._coordgap_conformance_probe = 1
        except (AttributeError, TypeError):
            return
        delattr(game, "_coordgap_conformance_probe")
        raise _Fail(
            f"{type(game).__name__} must be a frozen dataclass "
            "(@dataclass(frozen=True, slots=True, eq=False)); a game is a value and "
            "its solutions are only valid while it does not change"
        )

    def returns_set() -> None:
        eqs = solved()
        if not isinstance(eqs, EquilibriumSet):
            raise _Fail(
                f"cg.solve() must return an EquilibriumSet, got {type(eqs).__name__}; "
                "build one with coordgap.results.EquilibriumSet(equilibria=..., "
                "method=..., complete=...)"
            )
        if not isinstance(eqs.complete, (bool, np.bool_)):
            raise _Fail(f"EquilibriumSet.complete must be True or False, got {eqs.complete!r}")

    def certified() -> None:
        eqs = solved()
        bad = []
        for k, eq in enumerate(eqs):
            regret = getattr(eq, "max_regret", None)
            if regret is None:
                bad.append(f"equilibrium {k} has no max_regret")
                continue
            try:
                value = float(regret)
            except (TypeError, ValueError):
                bad.append(f"equilibrium {k} has max_regret {regret!r}")
                continue
            if not math.isfinite(value) or value > tol:
                bad.append(f"equilibrium {k} has max_regret {value:.3g} > tol {tol:g}")
            own = independent_regret(game, eq)
            if own is not None:
                recomputed, scale = own
                if not recomputed <= tol + _ROUNDING * scale:  # NaN fails too
                    bad.append(
                        f"equilibrium {k} has regret {recomputed:.3g} > tol {tol:g} "
                        f"recomputed from the game's payoffs (the solver reported "
                        f"max_regret {value:.3g})"
                    )
            if not hasattr(eq, "order_key"):
                bad.append(f"equilibrium {k} has no order_key")
        if bad:
            raise _Fail(
                "every equilibrium must be certified (max regret within tol, computed "
                "independently of the solver): " + "; ".join(bad[:5])
            )

    def pure() -> None:
        solved()
        if state["changed"]:
            raise _Fail(
                "cg.solve() changed the game (" + ", ".join(sorted(state["changed"])[:5]) + ")"
            )

    def converts() -> None:
        eqs = solved()
        bad = []
        for label, obj in [("the equilibrium set", eqs)] + [
            (f"equilibrium {k}", e) for k, e in enumerate(eqs)
        ]:
            for method in ("to_dict", "to_frame"):
                if not callable(getattr(obj, method, None)):
                    bad.append(f"{label} has no {method}()")
            if bad:
                continue
            plain = obj.to_dict()
            if not isinstance(plain, dict):
                bad.append(f"{label}.to_dict() returned {type(plain).__name__}, not a dict")
            else:
                try:
                    json.dumps(plain)
                except (TypeError, ValueError) as exc:
                    bad.append(f"{label}.to_dict() is not JSON-serializable ({exc})")
            frame = obj.to_frame()
            if not isinstance(frame, pd.DataFrame):
                bad.append(f"{label}.to_frame() returned {type(frame).__name__}, not a DataFrame")
        if bad:
            raise _Fail(
                "results must convert to plain data and tables (subclass "
                "coordgap.results.Result): " + "; ".join(bad[:5])
            )

    return _run(
        [
            ("frozen", frozen),
            ("solve_returns_set", returns_set),
            ("certified", certified),
            ("solve_is_pure", pure),
            ("results_convert", converts),
        ],
        subject,
        "game",
    )
