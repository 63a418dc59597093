"""Metric models of the seeds' three claims, so that :func:`coordgap.sweep` (and any executor)
can move their parameters like those of every other model.

``ClaimMetrics(model)`` wraps a :class:`~coordgap.DisclosureGame`, :class:`~coordgap.LearningModel`,
:class:`~coordgap.LibraryScopeModel` or :class:`~coordgap.CaptureModel`; grid keys are the
model's own parameter names, and the metrics are the scalar answers each model gives.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..api import solve
from ..errors import InvalidParameterError, did_you_mean
from ..params import parameters

__all__ = ["ClaimMetrics"]


def _disclosure(model) -> dict:
    eqs = solve(model)
    worst, best = eqs.least, eqs.greatest
    return {
        "n_equilibria": float(len(eqs)),
        "unique": float(model.unique()),
        "p_coordinated_worst": float(min(e.p_coordinated for e in eqs)),
        "p_coordinated_best": float(max(e.p_coordinated for e in eqs)),
        "state_cutoff_worst": float(worst.state_cutoff),
        "state_cutoff_best": float(best.state_cutoff),
    }


def _learning(model) -> dict:
    return {
        "keeps_up": float(model.keeps_up()),
        "critical_sharing": float(model.critical_sharing()),
        "learning_speed": float(model.learning_speed()),
        "gap_at_10_years": float(model.expected_gap([10.0])[0]),
    }


def _library(model) -> dict:
    curve = model.curve()
    return {
        "optimal_breadth": float(curve.optimal_breadth),
        "optimal_credible_coverage": float(curve.optimal_credible_coverage),
    }


def _capture(model) -> dict:
    out = model.solve().summary()
    return {k: float(v) for k, v in out.items() if isinstance(v, (int, float))}


_EVALUATORS = {
    "DisclosureGame": _disclosure,
    "LearningModel": _learning,
    "LibraryScopeModel": _library,
    "CaptureModel": _capture,
}


@dataclass(frozen=True, slots=True, eq=False)
class ClaimMetrics:
    """A metric model (for :func:`coordgap.sweep`) of one of the claims' models.

    Parameters
    ----------
    model : DisclosureGame, LearningModel, LibraryScopeModel or CaptureModel
        The model at the reference point; grid keys are its parameter names.

    Examples
    --------
    >>> import coordgap as cg
    >>> from coordgap.analysis.claims import ClaimMetrics
    >>> m = cg.LearningModel(n_actors=10, growth=0.7, incident_rate=2.0, learning_rate=0.1,
    ...                      sharing=0.3)
    >>> res = cg.sweep(ClaimMetrics(m), {"sharing": [0.0, 0.3]}, metrics=["keeps_up"])
    >>> res.frame["keeps_up"].tolist()
    [0.0, 1.0]
    """

    model: Any

    def __post_init__(self) -> None:
        name = type(self.model).__name__
        if name not in _EVALUATORS:
            raise InvalidParameterError(
                "ClaimMetrics", "model", "one of " + ", ".join(_EVALUATORS), name
            )

    def evaluate(self, cell: dict, seed=None) -> dict:
        """The model's scalar answers at one grid point.

        Parameters
        ----------
        cell : dict
            Parameter name of the model → value at this point.
        seed : optional
            Ignored (the answers are deterministic); accepted for the metric-model protocol.

        Returns
        -------
        dict of str to float
            E.g. ``keeps_up``, ``critical_sharing`` for a LearningModel; equilibrium counts and
            cutoffs for a DisclosureGame; the optimal breadth for a LibraryScopeModel; the
            numeric summary of the outcome for a CaptureModel.
        """
        known = list(parameters(self.model))
        for key in cell:
            if key not in known:
                raise InvalidParameterError(
                    "ClaimMetrics",
                    "grid",
                    f"keyed by parameters of {type(self.model).__name__}",
                    key,
                    did_you_mean(key, known),
                )
        model = self.model.replace(**cell) if cell else self.model
        return _EVALUATORS[type(self.model).__name__](model)
