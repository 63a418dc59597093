"""Every cutoff equilibrium of the disclosure game (public and private signals), certified.

The payoffs and the regret of a cutoff live with the game (:mod:`coordgap.games.disclosure`);
this module lists the cutoffs' records and hands them to the shared verdict
(:mod:`~coordgap.solvers.verdict`).
"""

from __future__ import annotations

from scipy import special

from ..games.disclosure import DisclosureEquilibrium, DisclosureGame
from ..results import EquilibriumSet
from .verdict import ROUNDING, certified_set

__all__ = ["solve_disclosure", "METHOD_OPTIONS"]

#: The options each method accepts.
METHOD_OPTIONS: dict[str, tuple[str, ...]] = {"auto": ()}


def solve_disclosure(game: DisclosureGame, *, method: str = "auto") -> EquilibriumSet:
    """Every cutoff equilibrium; ``success`` holds only if each passed its regret certificate.

    The certificate's tolerance is relative to the payoff range of acting, the benefit B
    (acting pays B·P(coordinated) − (k − I)).

    Parameters
    ----------
    game : DisclosureGame
        The game.
    method : str
        ``"auto"``, the only method.

    Returns
    -------
    EquilibriumSet
        Of :class:`~coordgap.games.disclosure.DisclosureEquilibrium` records.
    """
    probits = game.probit_cutoffs()
    cut = special.ndtr(probits)
    c = game.cost_ratio
    records = []
    for k, (z, theta) in enumerate(zip(probits, cut)):
        if c <= 0 or c >= 1:
            kind = "dominant" if c <= 0 else "dominated"
        elif cut.size == 1:
            kind = "unique"
        else:
            kind = "worst" if k == 0 else ("best" if k == cut.size - 1 else "middle")
        x = game._signal_from_probit(float(z))
        records.append(
            DisclosureEquilibrium(
                state_cutoff=float(theta),
                signal_cutoff=x,
                p_coordinated=float(game.p_coordinated(float(theta))),
                max_regret=game.regret(x),
                kind=kind,
            )
        )
    n = len(records)
    message = (
        f"{n} cutoff equilibri{'um' if n == 1 else 'a'}; α/√β = {game.ratio:.4g} "
        + ("≤" if game.unique() else ">")
        + " √(2π)"
    )
    size = max(game.benefit, abs(game.cost - game.incentive))
    return certified_set(
        records,
        method="disclosure-monotone-pieces",
        complete=True,
        scale=game.benefit,
        floor=ROUNDING * size,
        message=message,
        stacklevel=3,
        n_equilibria=n,
        details={"ratio": game.ratio, "cost_ratio": c},
        game=game,
    )
