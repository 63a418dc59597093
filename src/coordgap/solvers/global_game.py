"""Every cutoff equilibrium of the global participation game (M2 with noisy signals), certified.

The payoffs and the regret of a cutoff live with the game (:mod:`coordgap.games.global_game`);
this module lists the cutoffs' records and hands them to the shared verdict
(:mod:`~coordgap.solvers.verdict`).
"""

from __future__ import annotations

import numpy as np

from ..games.global_game import CutoffEquilibrium, GlobalParticipationGame
from ..results import EquilibriumSet
from .verdict import ROUNDING, certified_set

__all__ = ["solve_global_game", "METHOD_OPTIONS"]

#: The options each method accepts.
METHOD_OPTIONS: dict[str, tuple[str, ...]] = {"auto": ()}


def solve_global_game(game: GlobalParticipationGame, *, method: str = "auto") -> EquilibriumSet:
    """Every cutoff equilibrium; ``success`` holds only if each passed its regret certificate.

    The certificate's tolerance is relative to the size of the payoffs θ·ψ − (k − I) near the
    cutoffs: the larger of k, I and the benefits within six signal or prior spreads of them.

    Parameters
    ----------
    game : GlobalParticipationGame
        The game.
    method : str
        ``"auto"``, the only method.

    Returns
    -------
    EquilibriumSet
        Of :class:`~coordgap.games.global_game.CutoffEquilibrium` records.
    """
    roots = game.cutoffs()
    limit = game.limit_cutoff()
    records = []
    for k, x in enumerate(np.sort(roots)):
        kind = (
            "unique"
            if roots.size == 1
            else ("greatest" if k == 0 else "least" if k == roots.size - 1 else "")
        )
        records.append(
            CutoffEquilibrium(
                signal_cutoff=float(x),
                state_cutoff=game.state_cutoff(float(x)),
                limit_cutoff=limit,
                noise=game.noise,
                max_regret=game.regret(float(x)),
                kind=kind,
            )
        )
    exact = game.noise == 0.0 or game.prior_sd is None
    method = "global-game-closed-form" if exact else "global-game-roots"
    if exact:
        message = "unique cutoff equilibrium (closed form)"
    else:
        message = (
            f"{roots.size} cutoff equilibri{'um' if roots.size == 1 else 'a'} found on "
            "a grid of candidate cutoffs (normal prior)"
        )
    spread = 6.0 * (game.noise + (game.prior_sd or 0.0))
    benefits = [abs(float(x)) + spread for x in roots] + [
        abs(game.prior_mean) + spread if game.prior_sd else 0.0
    ]
    scale = max([game.cost, game.incentive, *benefits])
    return certified_set(
        records,
        method=method,
        complete=exact,
        scale=scale,
        floor=ROUNDING * scale,
        message=message,
        stacklevel=3,
        n_equilibria=len(records),
        details={"limit_cutoff": limit, "psi_integral": game.mean_benefit_fraction()},
        game=game,
    )
