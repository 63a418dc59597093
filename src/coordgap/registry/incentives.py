"""The incentives link: a registry's filings parameterize the participation and credibility
models, so incentive designs can be compared on a registry.

Each registry actor becomes one actor of a :class:`~coordgap.PolicyModel`: its committed
capacity q_i (summed over its filings), bond, liability and incentive come from the registry;
what a registry does not record — joining cost, response-cost distribution, benefit of the
response, benefit share in the coordination value, preparedness cost — comes from the role-level
calibration of a base model file (default: the packaged default model). The required capacity
is the library's total required capacity.
"""

from __future__ import annotations

import numpy as np

from ..errors import SpecError
from ..games.commitment import CommitmentModel
from ..games.participation import ParticipationGame
from ..games.preparedness import PreparednessGame
from ..instruments.base import PolicyModel
from ..spec import load_model

__all__ = ["registry_policy_model"]


def registry_policy_model(registry, base=None):
    """A :class:`~coordgap.PolicyModel` of the registry's actors.

    Parameters
    ----------
    registry : Registry
        The registry whose actors (and their filings' capacities and bonds) are modelled.
    base : ModelSpec, optional
        Role-level calibration (default: :func:`coordgap.load_model`). Every role in the
        registry must appear in it.

    Returns
    -------
    PolicyModel
        One actor per registry actor, named after it.

    Examples
    --------
    >>> import coordgap as cg
    >>> model = cg.load_registry().policy_model()
    >>> model.n_actors
    20
    >>> res = cg.compare(model, [cg.Design("procurement", [cg.ProcurementPreference(
    ...     margin=0.1, volume=10.0, win_prob=0.5, roles=["cloud_provider"])])])
    >>> list(res.to_frame().index)
    ['baseline', 'procurement']
    """
    spec = base if base is not None else load_model()
    groups = {g.role: g for g in spec.actors}
    frame = registry.actors_frame()
    missing = sorted(set(frame["role"]) - set(groups))
    if missing:
        raise SpecError(
            spec.source,
            [
                f"actors.{r}: the base model has no calibration for role {r!r} used by the registry"
                for r in missing
            ],
        )
    unregistered = [g.role for g in spec.actors if not g.registry]
    if unregistered:
        raise SpecError(spec.source, [f"actors.{r}.registry: is required" for r in unregistered])
    roles = list(frame["role"])
    names = tuple(frame["actor"])

    def per_role(getter) -> np.ndarray:
        return np.array([getter(groups[r]) for r in roles], dtype=float)

    # Benefit shares of the coordination value: the role's share, rescaled if the registry's
    # actors would claim more than the whole benefit.
    share = per_role(lambda g: g.share)
    share = share / max(1.0, float(share.sum()))
    game_keys = ("prob", "harm", "efficacy", "baseline")
    benefit = {k: spec.preparedness[k] for k in game_keys if k in spec.preparedness}
    capacity = frame["committed_capacity"].to_numpy(dtype=float)
    required = float(sum(f.capacity for s in registry.scenarios for f in s.functions))
    participation = ParticipationGame(
        share=share,
        cost=per_role(lambda g: g.registry.get("join_cost", 0.0)),
        capacity=capacity,
        weight=per_role(lambda g: g.registry.get("weight", 1.0)),
        incentive=0.0,
        names=names,
        roles=tuple(roles),
        **benefit,
        **spec.participation,
    )
    commitment = CommitmentModel(
        capacity=capacity,
        bond=frame["bond"].to_numpy(dtype=float),
        liability=frame["liability"].to_numpy(dtype=float),
        incentive=0.0,
        share=share,
        response_benefit=per_role(lambda g: g.registry.get("response_benefit", 0.0)),
        response_cost_median=per_role(lambda g: g.registry.get("response_cost_median", 1.0)),
        response_cost_sigma=per_role(lambda g: g.registry.get("response_cost_sigma", 1.0)),
        names=names,
        roles=tuple(roles),
        **(spec.commitment | ({"required": required} if required > 0 else {})),
    )
    preparedness = PreparednessGame(
        share=share,
        cost=per_role(lambda g: g.cost),
        weight=per_role(lambda g: g.weight),
        names=names,
        roles=tuple(roles),
        **{k: v for k, v in spec.preparedness.items()},
    )
    return PolicyModel.from_games(
        participation,
        commitment,
        preparedness,
        name=f"registry {registry.name}",
        **(getattr(spec, "welfare", None) or {}),
    )
