"""Build every model of a loaded model file and report each broken rule with its dotted path.

The model classes apply their own rules (cross-parameter rules such as ``ces_rho != 0`` with
the CES aggregator, rules of the policy model and of each design's instruments) when they are
built; this module turns each broken rule into a loader-style problem line, pointing at the
model-file key it comes from.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..errors import InvalidParameterError, Shown, SpecError
from .problems import shown

if TYPE_CHECKING:
    from .model import ModelSpec

__all__ = ["build_problems"]

_GAME = ("prob", "harm", "efficacy", "cost_exponent", "aggregator", "ces_rho", "baseline")
_PARTICIPATION = ("critical_mass", "threshold", "steepness")
_COMMITMENT = ("discount", "carry_rate", "trigger_prob", "required")
# Game-level parameter name → model-file section (the same name in every model class).
_SCALARS = {
    **dict.fromkeys(_GAME, "preparedness"),
    **dict.fromkeys(_PARTICIPATION, "participation"),
    **dict.fromkeys(_COMMITMENT, "commitment"),
    "public_funds_cost": "welfare",
}
_REGISTRY = (
    "capacity",
    "incentive",
    "bond",
    "liability",
    "response_benefit",
    "response_cost_median",
    "response_cost_sigma",
)
# Per-actor parameter of a model class → key under actors.ROLE.
_ACTOR_PARAMS = {
    "PreparednessGame": {"share": "share", "cost": "cost", "weight": "weight"},
    "ParticipationGame": {
        "share": "share",
        "cost": "registry.join_cost",
        "capacity": "registry.capacity",
        "weight": "registry.weight",
        "incentive": "registry.incentive",
    },
    "CommitmentModel": {"share": "share", **{k: f"registry.{k}" for k in _REGISTRY}},
    "ActorTable": {
        "share": "share",
        "cost": "cost",
        "weight": "weight",
        "join_cost": "registry.join_cost",
        "registry_weight": "registry.weight",
        **{k: f"registry.{k}" for k in _REGISTRY},
    },
}
_OWNER_SECTION = {
    "PreparednessGame": "preparedness",
    "ParticipationGame": "participation",
    "CommitmentModel": "commitment",
    "ActorTable": "actors",
}


def build_problems(spec: ModelSpec, *, full: bool = True) -> list[str]:
    """Problems found by building the models of ``spec`` (``full=False``: the preparedness
    game only), each as ``"dotted.path: what is wrong"``.

    Parameters
    ----------
    spec : ModelSpec
        The loaded model file.
    full : bool
        Also build the policy model and every design (default True; only with a registry).

    Returns
    -------
    list of str
        The problems (empty when everything builds).
    """
    out: list[str] = []
    try:
        spec.preparedness_game()
    except InvalidParameterError as exc:
        out.append(_problem(spec, exc))
    if not full or not spec.has_registry:
        return out
    try:
        model = spec.policy_model()
    except SpecError as exc:
        return out + list(exc.problems)
    except InvalidParameterError as exc:
        return out + [_problem(spec, exc)]
    for design in spec.designs:
        applied, where = model, f"designs.{design.name}"
        try:
            for k, instrument in enumerate(design.instruments):
                where = f"designs.{design.name}.instruments[{k}]"
                applied = instrument.apply(applied)
            where = f"designs.{design.name}"
            design.apply(model)
        except InvalidParameterError as exc:
            out.append(_problem(spec, exc, where))
        except SpecError as exc:
            out += list(exc.problems)
    return out


def _problem(spec: ModelSpec, exc: InvalidParameterError, where: str | None = None) -> str:
    """One problem line for a rule broken while building (``where``: the design part that
    was being applied)."""
    value = str(exc.value) if isinstance(exc.value, Shown) else shown(exc.value)
    rule = f"must be {exc.rule}, got {value}"
    if where is not None:
        return f"{where}: applying it breaks a rule of the model: {exc.owner}.{exc.name} {rule}"
    return f"{_path(spec, exc)}: {rule} ({exc.owner}.{exc.name})"


def _path(spec: ModelSpec, exc: InvalidParameterError) -> str:
    """The model-file path of the parameter named by ``exc``: ``preparedness.ces_rho``,
    ``actors.ROLE.registry.join_cost``, or the section when the actor cannot be known."""
    owner, name = exc.owner, exc.name
    key = _ACTOR_PARAMS.get(owner, _ACTOR_PARAMS["ActorTable"]).get(name)
    if key is not None:
        found = (
            re.search(r"at actor (\d+)", str(exc.value)) if isinstance(exc.value, Shown) else None
        )
        roles = spec._labels()[1]
        if found and int(found.group(1)) < len(roles):
            return f"actors.{roles[int(found.group(1))]}.{key}"
        return "actors"
    if name in _SCALARS:
        return f"{_SCALARS[name]}.{name}"
    return _OWNER_SECTION.get(owner, "model")
