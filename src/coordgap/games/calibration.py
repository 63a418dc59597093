"""The packaged default calibration of the registry games, read from the default model file.

``coordgap/data/default_model.toml`` is the one source of the default numbers. The policy model
reads all of it through :func:`coordgap.load_model`; the stand-alone registry games
(:meth:`ParticipationGame.default() <coordgap.ParticipationGame.default>`,
:meth:`CommitmentModel.default() <coordgap.CommitmentModel.default>`,
:meth:`GlobalParticipationGame.default() <coordgap.GlobalParticipationGame.default>`) read only
the tables they need, with :mod:`tomllib`:

* ``[preparedness]`` — the benefit function B(R) = p·H·(1 − e^(−κR)): ``prob``, ``efficacy``,
  ``baseline`` (and ``harm`` unless ``[games]`` sets it);
* ``[participation]`` — the critical-mass curve;
* ``[commitment]`` — discount, carrying cost, trigger probability, required capacity;
* ``[actors.ROLE]`` — each role's ``count`` and ``share``, and its ``registry`` table;
* ``[games]`` — the numbers that are the stand-alone games' own: ``harm``, and per role
  (``[games.actors.ROLE]``) the incentives, liability and median response cost, which replace
  the role's registry values; ``[games.global_game]`` for the global game.

Numbers are read as written (a quantity table ``{value, unit, source}`` gives its value) and are
validated by the games' declared parameters when the games are built. The packaged file states
them in the units the games use; a test checks that the shared numbers agree with the validated,
unit-converted values of :func:`coordgap.load_model`.
"""

from __future__ import annotations

import tomllib
from importlib import resources

__all__ = ["load_default_calibration", "DEFAULT_MODEL"]

#: The packaged default model file (in ``coordgap.data``).
DEFAULT_MODEL = "default_model.toml"

_BENEFIT_KEYS = ("prob", "harm", "efficacy", "baseline")
_GAME_SECTIONS = ("model", "preparedness", "participation", "commitment", "actors", "games")


def _read_default() -> dict:
    text = resources.files("coordgap.data").joinpath(DEFAULT_MODEL).read_text(encoding="utf-8")
    doc = tomllib.loads(text)
    return {name: doc.get(name, {}) for name in _GAME_SECTIONS}


def load_default_calibration() -> dict:
    """The registry games' default calibration, from ``coordgap/data/default_model.toml``.

    Returns
    -------
    dict
        ``benefit`` (``prob``, ``harm``, ``efficacy``, ``baseline``), ``critical_mass``
        (``curve``, ``threshold``, ``steepness``), ``commitment``, ``global_game``, ``model``
        and ``roles``: per role, its ``count``, ``share`` and registry values (``join_cost``,
        ``capacity``, ``weight``, ``incentive``, ``bond``, ``liability``,
        ``response_benefit``, ``response_cost_median``, ``response_cost_sigma``), with the
        ``[games.actors.ROLE]`` values in place of the registry's. Numbers are as written in
        the file: a quantity table ``{value, unit, source}`` or a plain number.

    Examples
    --------
    >>> calib = load_default_calibration()
    >>> sorted(calib["roles"])[:2]
    ['ai_developer', 'civil_society']
    >>> calib["benefit"]["harm"]["value"], calib["critical_mass"]["curve"]
    (10000.0, 'logistic')
    """
    doc = _read_default()
    games = doc["games"]
    own = games.get("actors", {})
    benefit = {key: games.get(key, doc["preparedness"][key]) for key in _BENEFIT_KEYS}
    participation = doc["participation"]
    roles = {}
    for role, table in doc["actors"].items():
        roles[role] = {
            "count": table.get("count", 1),
            "share": table["share"],
            **table.get("registry", {}),
            **own.get(role, {}),
        }
    return {
        "model": dict(doc["model"]),
        "benefit": benefit,
        "critical_mass": {
            "curve": participation["critical_mass"],
            "threshold": participation["threshold"],
            "steepness": participation["steepness"],
        },
        "commitment": dict(doc["commitment"]),
        "global_game": dict(games.get("global_game", {})),
        "roles": roles,
    }
