"""A standing coordination venue: a convening body that lowers the cost of coordinating and
steers the actors to the good equilibrium where several exist.

Two effects, each a parameter, and a running cost:

* ``cost_reduction``: the share of each filer's joining cost k_i (drafting, disclosure,
  negotiating with the other filers) the venue's secretariat, templates and meetings remove.
  This changes the participation game, so it moves both the least and the greatest
  equilibrium that :func:`coordgap.compare` reports.
* ``selection``: the probability that, where the game has several equilibria, the actors
  convened by the venue coordinate on the greatest (most filers) rather than on the least.
  This does not change the game or its equilibria, only which one is played: the expected
  outcome is ``selection`` × best + (1 − ``selection``) × worst. Without a venue the package's
  cautious convention applies (the least equilibrium is played: selection 0).
* ``annual_cost``: what the venue costs per year, paid by the public whether or not anyone
  files, and a real resource cost (staff, meetings) like an audit panel.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..errors import InvalidParameterError
from ..params import param
from .base import Instrument, PolicyModel

if TYPE_CHECKING:
    from ..analysis.compare import DesignOutcome
    from .design import Design

__all__ = ["StandingVenue", "venue_selection", "expected_metrics"]


@dataclass(frozen=True, slots=True, eq=False)
class StandingVenue(Instrument):
    """A standing convening body for the registry's filers.

    Parameters
    ----------
    cost_reduction : float
        ρ ∈ [0, 1], share of each filer's joining cost the venue removes (default 0).
    selection : float
        s ∈ [0, 1], probability that the convened actors play the greatest equilibrium
        where several exist (default 0: the least, as without a venue).
    annual_cost : float
        Public cost of running the venue (USD m per year), ≥ 0; also a programme cost.

    Raises
    ------
    InvalidParameterError
        For a share or probability outside [0, 1] or a negative or non-finite cost.

    Examples
    --------
    >>> import coordgap as cg
    >>> from coordgap.instruments import StandingVenue
    >>> model = cg.PolicyModel.default()
    >>> venue = StandingVenue(cost_reduction=0.5, selection=0.8, annual_cost=3.0)
    >>> k = model.actors.join_cost
    >>> bool(np.allclose(venue.apply(model).actors.join_cost, 0.5 * k))
    True
    >>> venue.fiscal_cost(model, np.zeros(model.n_actors, dtype=bool))
    3.0
    >>> venue.describe()
    'a standing venue costing 3 USD m per year that cuts joining costs by 50% and selects the good equilibrium with probability 0.8'
    """

    cost_reduction: float = param(
        0.0, bounds=(0, 1), unit="1", symbol="ρ", doc="joining-cost reduction; share removed"
    )
    selection: float = param(
        0.0, bounds=(0, 1), unit="1", symbol="s", doc="probability the best equilibrium is played"
    )
    annual_cost: float = param(
        0.0, bounds=(0, math.inf), unit="USD m per year", doc="cost of running the venue"
    )
    level = "cost_reduction"

    def apply(self, model: PolicyModel) -> PolicyModel:
        """The model with joining costs cut by ``cost_reduction`` (pure).

        Parameters
        ----------
        model : PolicyModel
            The policy model (not changed).

        Returns
        -------
        PolicyModel
            A copy with k_i·(1 − ρ); ``model`` itself when ρ is 0 (selection does not change
            the game: see :func:`venue_outcome`).
        """
        if self.cost_reduction == 0:
            return model
        return model.with_actors(join_cost=model.actors.join_cost * (1.0 - self.cost_reduction))

    def value_to_actors(self, model: PolicyModel) -> np.ndarray:
        """Joining cost each actor saves if it files: ρ·k_i.

        Parameters
        ----------
        model : PolicyModel
            The policy model (not changed).

        Returns
        -------
        ndarray
            One value per actor (USD m per period).
        """
        return self.cost_reduction * np.asarray(model.actors.join_cost, dtype=float)

    def fiscal_cost(self, model: PolicyModel, joined) -> float:
        """The venue's running cost, paid whoever files.

        Parameters
        ----------
        model : PolicyModel
            The policy model, with the design applied.
        joined : array_like of bool
            One flag per actor: True for the members of a binding registry (unused).

        Returns
        -------
        float
            ``annual_cost`` (USD m per year).
        """
        return float(self.annual_cost)

    def programme_cost(self, model: PolicyModel, joined) -> float:
        """Real resources of the venue (staff, meetings): its running cost.

        Parameters
        ----------
        model : PolicyModel
            The policy model, with the design applied.
        joined : array_like of bool
            One flag per actor (unused).

        Returns
        -------
        float
            ``annual_cost`` (USD m per year), the same as :meth:`fiscal_cost`.
        """
        return self.fiscal_cost(model, joined)

    def readout_note(self, outcome: DesignOutcome) -> str:
        """The sentence the design comparison adds to a design's readout: the expected outcome.

        Parameters
        ----------
        outcome : DesignOutcome
            The evaluated design that holds this venue.

        Returns
        -------
        str
            A sentence, e.g. ``" The standing venue selects the greatest equilibrium with
            probability 0.8: expected credible coverage 41% of the required capacity, ..."``.
        """
        expected = expected_metrics(outcome.worst, outcome.best, self.selection)
        return (
            f" The standing venue selects the greatest equilibrium with probability "
            f"{self.selection:g}: expected credible coverage "
            f"{100 * expected['credible_coverage']:.3g}% of the required capacity, "
            f"expected welfare {expected['welfare']:.3g} USD m per year."
        )

    def describe(self) -> str:
        """Short plain-language description with units.

        Returns
        -------
        str
            The running cost and both effects.
        """
        return (
            f"a standing venue costing {self.annual_cost:g} USD m per year that cuts joining "
            f"costs by {100 * self.cost_reduction:g}% and selects the good equilibrium with "
            f"probability {self.selection:g}"
        )


def venue_selection(design: Design) -> float:
    """Probability that a design's venues steer play to the greatest equilibrium.

    Venues act independently: the greatest equilibrium is played unless every venue fails to
    select it, 1 − Π_k (1 − s_k); 0 for a design without a venue.

    Parameters
    ----------
    design : Design
        The design.

    Returns
    -------
    float
        The selection probability, in [0, 1].

    Examples
    --------
    >>> import coordgap as cg
    >>> from coordgap.instruments import StandingVenue
    >>> venue_selection(cg.Design("v", [StandingVenue(selection=0.5),
    ...                                 StandingVenue(selection=0.5)]))
    0.75
    """
    miss = 1.0
    for item in design.instruments:
        if isinstance(item, StandingVenue):
            miss *= 1.0 - item.selection
    return 1.0 - miss


def expected_metrics(worst: dict, best: dict, selection: float) -> dict:
    """s·best + (1 − s)·worst for every metric of two outcome dicts.

    Parameters
    ----------
    worst, best : dict of str to float
        Metrics under the least and the greatest equilibrium (same keys).
    selection : float
        s ∈ [0, 1], probability that the greatest equilibrium is played.

    Returns
    -------
    dict of str to float
        The expected value of each metric.

    Raises
    ------
    InvalidParameterError
        For a probability outside [0, 1] or dicts with different keys.

    Examples
    --------
    >>> expected_metrics({"participation": 0}, {"participation": 10}, 0.3)
    {'participation': 3.0}
    """
    ok = isinstance(selection, (int, float)) and not isinstance(selection, bool)
    if not ok or not 0.0 <= selection <= 1.0:
        raise InvalidParameterError(
            "expected_metrics", "selection", "a finite float in [0, 1]", selection
        )
    if set(worst) != set(best):
        raise InvalidParameterError(
            "expected_metrics", "best", "metrics with the same keys as worst", sorted(best)
        )
    return {k: float(selection * best[k] + (1.0 - selection) * worst[k]) for k in worst}
