"""Load a TOML model file into a validated :class:`ModelSpec`.

A model file holds numbers, units and sources — never formulas. Validation runs in stages
(TOML syntax with line numbers; unknown keys with a did-you-mean; parameter rules taken from the
declared parameters of the model classes; cross-section rules) and collects **every** problem,
each with its dotted path, into one :class:`~coordgap.errors.SpecError`.

A number is written either plainly (``prob = 0.1``) or as a quantity with its unit and source
(``prob = { value = 0.1, unit = "1 per year", source = "illustrative" }``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from .. import instruments as module
from ..analysis.critical import as_target
from ..errors import InvalidParameterError, ResourceLimitError, SpecError, did_you_mean
from ..files import NAME_RULE, parse_document, plain_name, read_input
from ..games.capture import CaptureModel
from ..games.commitment import CommitmentModel
from ..games.disclosure import DisclosureGame
from ..games.global_game import GlobalParticipationGame
from ..games.learning import LearningModel
from ..games.library_scope import LibraryScopeModel
from ..games.participation import ParticipationGame
from ..games.preparedness import PreparednessGame
from ..instruments import Design
from ..instruments import __all__ as names
from ..instruments.base import REGISTRY_KEYS, ActorTable, PolicyModel
from ..limits import LIMITS, check_size, large_allowed
from ..params import parameters
from .building import build_problems
from .figures import FIGURE_KINDS, UNCERTAIN_KINDS, robustness_inputs
from .problems import MAGNITUDE_RULE, QUANTITY_KEYS, magnitude_ok, read_number, shown
from .problems import Problems as _Problems

__all__ = ["ActorGroup", "ModelSpec", "load_model", "DEFAULT_MODEL"]

DEFAULT_MODEL = "default_model.toml"

_SECTIONS = {
    "model",
    "preparedness",
    "participation",
    "commitment",
    "welfare",
    "actors",
    "designs",
    "figures",
    # Numbers of the stand-alone registry games only (coordgap.games.calibration reads them,
    # the games validate them); a model does not use them.
    "games",
}
_FIGURE_KEYS = {
    "kind",
    "title",
    "design",
    "values",
    "fast_values",
    "n",
    "fast_n",
    "seed",
    "target",
    "distributions",
    "correlation",
    "params",
    "scenario",
    "horizon",
}
_MODEL_KEYS = {"name", "title", "description"}
_GAME_KEYS = ("prob", "harm", "efficacy", "cost_exponent", "aggregator", "ces_rho", "baseline")
_PARTICIPATION_KEYS = ("critical_mass", "threshold", "steepness")
_COMMITMENT_KEYS = ("discount", "carry_rate", "trigger_prob", "required")
_WELFARE_KEYS = ("public_funds_cost",)
_ACTOR_KEYS = ("count", "share", "cost", "weight", "names", "registry")
#: Largest count of one actor group (every actor is an entry of the models' arrays).
MAX_COUNT = 10**6
# Keys every model needs (see load_model for the optional ones and their defaults).
_REQUIRED = {
    "preparedness": ("prob", "harm", "efficacy"),
    "commitment": ("discount", "carry_rate", "trigger_prob"),
    "registry": ("join_cost", "capacity", "response_cost_median", "response_cost_sigma"),
}
# Looked up with the file's curve, None when the file names none.
_REQUIRED_BY_CURVE: dict[str | None, tuple[str, ...]] = {
    "step": ("threshold",),
    "logistic": ("threshold", "steepness"),
}
# The unit a model-file value is stored in, where it differs from the unit declared on the model
# class: the classes describe one period (one year) and leave "per period" implicit in a few
# declarations. An actor's preparedness cost is in USD m per unit^γ (see _cost_unit).
_FILE_UNITS = {
    "preparedness.prob": "1 per year",
    "registry.join_cost": "USD m per period",
    "registry.incentive": "USD m per period",
}
# Dimensionless numbers defined per period: a file may state them "per period" (or per year),
# but in no other time base, since converting a discount factor between periods compounds.
_PER_PERIOD_FACTORS = {"commitment.discount": ("1 per period",)}
# Registry keys of an actor group → (model class, parameter name in that class).
_REGISTRY_KEYS = {
    "join_cost": ("participation", "cost"),
    "capacity": ("participation", "capacity"),
    "weight": ("participation", "weight"),
    "incentive": ("participation", "incentive"),
    "bond": ("commitment", "bond"),
    "liability": ("commitment", "liability"),
    "response_benefit": ("commitment", "response_benefit"),
    "response_cost_median": ("commitment", "response_cost_median"),
    "response_cost_sigma": ("commitment", "response_cost_sigma"),
}


@dataclass(frozen=True, slots=True)
class ActorGroup:
    """Actors of one role: ``count`` identical actors (per-actor values are scalars).

    Parameters
    ----------
    role : str
        The role (the key of ``[actors.ROLE]``).
    count : int
        Number of identical actors of the role (1 to 1000000).
    share : float
        s ∈ (0, 1], share of the social benefit each actor captures.
    cost : float
        c > 0, unit cost of preparedness (USD m per unit).
    weight : float
        w > 0, productivity of preparedness investment in robustness (default 1).
    names : tuple of str
        Actor names (default: generated from the role).
    registry : dict
        The group's ``registry`` table (``join_cost``, ``capacity``, ``response_cost_median``,
        ...; empty for a preparedness-only model).
    """

    role: str
    count: int
    share: float
    cost: float
    weight: float = 1.0
    names: tuple[str, ...] = ()
    registry: dict = field(default_factory=dict)


@dataclass(frozen=True, slots=True, eq=False)
class ModelSpec:
    """A validated model file.

    Attributes
    ----------
    source : str
        Where the model came from (file path, or ``"coordgap:default_model.toml"``).
    sha256 : str
        SHA-256 of the file's bytes (for figure provenance).
    name, title, description : str
        From the ``[model]`` table.
    preparedness : dict
        Game-level parameters of the preparedness game (plain values).
    actors : tuple of ActorGroup
        One group per ``[actors.ROLE]`` table, in file order.
    units, sources : dict
        Dotted path → unit / source of every quantity that declared one (the unit the loaded
        value is in: a converted value shows the parameter's unit).
    participation, commitment, welfare : dict
        Game-level parameters of the registry models and of welfare (``{}`` when absent).
    designs : tuple of Design
        The incentive designs of ``[designs.NAME]`` tables, in file order.
    figures : dict
        Figure id → the checked ``[figures.ID]`` block.
    conversions : dict
        Dotted path → unit conversion made while loading, e.g. ``"10 USD bn = 10000 USD m"``.
    """

    source: str
    sha256: str
    name: str
    title: str
    description: str
    preparedness: dict
    actors: tuple[ActorGroup, ...]
    units: dict = field(default_factory=dict)
    sources: dict = field(default_factory=dict)
    participation: dict = field(default_factory=dict)
    commitment: dict = field(default_factory=dict)
    designs: tuple = ()
    figures: dict = field(default_factory=dict)
    welfare: dict = field(default_factory=dict)
    conversions: dict = field(default_factory=dict)

    @property
    def n_actors(self) -> int:
        """Number of actors over every group."""
        return sum(g.count for g in self.actors)

    @property
    def has_registry(self) -> bool:
        """Whether every actor group declares its registry (participation) parameters."""
        return all(g.registry for g in self.actors)

    def _labels(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        names, roles = [], []
        for group in self.actors:
            roles += [group.role] * group.count
            names += (
                list(group.names)
                if group.names
                else (
                    [group.role]
                    if group.count == 1
                    else [f"{group.role} {k + 1}" for k in range(group.count)]
                )
            )
        return tuple(names), tuple(roles)

    def _per_actor(self, values) -> np.ndarray:
        return np.array(
            [v for group, v in zip(self.actors, values) for _ in range(group.count)], dtype=float
        )

    def policy_model(self):
        """The :class:`~coordgap.PolicyModel` (M1 + M2 + M3) that designs are compared on:
        one actor table and each game-level parameter once.

        Returns
        -------
        PolicyModel
            The model without incentives (a model without a registry raises SpecError,
            listing the missing paths).
        """
        import dataclasses as dc

        self._need_registry()
        names, roles = self._labels()
        defaults = {f.name: f.default for f in dc.fields(ActorTable)}
        columns: dict[str, Any] = {
            key: self._per_actor([getattr(g, key) for g in self.actors])
            for key in ("share", "cost", "weight")
        }
        for key, column in REGISTRY_KEYS.items():
            if any(key in g.registry for g in self.actors):
                # A group that leaves a key out takes the column's declared default.
                columns[column] = self._per_actor(
                    [g.registry.get(key, defaults[column]) for g in self.actors]
                )
        # A key the file leaves out means the documented model-file default (the game's own
        # default), the same for every command, not PolicyModel's constructor default.
        scalars: dict[str, Any] = {
            key: {f.name: f.default for f in dc.fields(PreparednessGame)}[key]
            for key in ("cost_exponent", "aggregator", "baseline")
        }
        scalars.update(self.preparedness)
        scalars.update(self.participation)
        scalars.update(self.commitment)
        scalars.update(getattr(self, "welfare", None) or {})
        return PolicyModel(
            actors=ActorTable(names=names, roles=roles, **columns), name=self.name, **scalars
        )

    def participation_game(self, **overrides):
        """The registry participation game (M2) of the policy model (structural view).

        Parameters
        ----------
        **overrides
            Parameters of the game to replace (e.g. ``harm=2e4``).

        Returns
        -------
        ParticipationGame
            :attr:`PolicyModel.participation` of :meth:`policy_model`, with the overrides.
        """
        game = self.policy_model().participation
        return game.replace(**overrides) if overrides else game

    def commitment_model(self, **overrides):
        """The commitment model (M3) of the registry's filers.

        Parameters
        ----------
        **overrides
            Parameters of the game to replace (e.g. ``harm=2e4``).

        Returns
        -------
        CommitmentModel
            :attr:`PolicyModel.commitment` of :meth:`policy_model`, with the overrides.
        """
        model = self.policy_model().commitment
        return model.replace(**overrides) if overrides else model

    def _need_registry(self) -> None:
        """Raise a SpecError listing every path the registry models need and lack (a
        preparedness-only model lacks all of them)."""
        missing = [
            f"actors.{g.role}.registry: is required for the participation and commitment models"
            for g in self.actors
            if not g.registry
        ]
        missing += [
            f"commitment.{key}: is required for the commitment model"
            for key in _REQUIRED["commitment"]
            if key not in self.commitment
        ]
        if missing:
            raise SpecError(self.source, missing)

    def preparedness_game(self, **overrides) -> PreparednessGame:
        """The preparedness game (M1) of this model; keyword overrides replace parameters.

        Parameters
        ----------
        **overrides
            Parameters of the game to replace (e.g. ``harm=2e4``).

        Returns
        -------
        PreparednessGame
            One actor per actor of every group.
        """
        share, cost, weight = [], [], []
        for group in self.actors:
            share += [group.share] * group.count
            cost += [group.cost] * group.count
            weight += [group.weight] * group.count
        kwargs: dict[str, Any] = dict(self.preparedness)
        names, roles = self._labels()
        kwargs.update(
            share=np.array(share),
            cost=np.array(cost),
            weight=np.array(weight),
            names=tuple(names),
            roles=tuple(roles),
        )
        kwargs.update(overrides)
        return PreparednessGame(**kwargs)


def _quantity(value: Any, path: str, problems: _Problems, units: dict, sources: dict) -> Any:
    """The value of a choice written plainly or as ``{ value, unit, source }`` (a choice has
    no unit: one stated must be ``"1"``)."""
    if isinstance(value, dict):
        problems.unknown(path, value.keys(), QUANTITY_KEYS)
        if "value" not in value:
            problems.add(path, "a quantity table needs a 'value' key")
            return None
        if "unit" in value:
            unit = value["unit"]
            if unit != "1":
                problems.add(
                    f"{path}.unit",
                    f"a choice has no unit (write '1' or leave the unit out), got {shown(unit)}",
                )
            units[path] = str(unit)
        if "source" in value:
            sources[path] = str(value["source"])
        return value["value"]
    return value


class _Reader:
    """Reads the numbers and choices of one file, collecting problems, units, sources and
    unit conversions."""

    def __init__(self) -> None:
        self.problems = _Problems()
        self.units: dict[str, str] = {}
        self.sources: dict[str, str] = {}
        self.conversions: dict[str, str] = {}

    def value(
        self, spec, raw: Any, path: str, *, unit: str | None = None, also: tuple[str, ...] = ()
    ) -> Any:
        """A number (converted to ``unit``, default the declared one) or a choice; None
        (and a problem) when invalid."""
        if spec.kind == "choice":
            value = _quantity(raw, path, self.problems, self.units, self.sources)
            if value is None:
                return None
            if not isinstance(value, str) or value not in spec.choices:
                self.problems.add(
                    path,
                    f"must be {spec.rule()}, got {shown(value)}. "
                    f"{did_you_mean(str(value), spec.choices)}",
                )
                return None
            return value
        return read_number(
            spec,
            raw,
            path,
            self.problems,
            self.units,
            self.sources,
            unit=unit,
            conversions=self.conversions,
            also=also,
        )


def _file_unit(path: str, spec) -> tuple[str, tuple[str, ...]]:
    """(unit the value of ``path`` is stored in, units also accepted without conversion)."""
    generic = "registry." + path.rsplit(".", 1)[-1] if ".registry." in path else path
    return _FILE_UNITS.get(generic, spec.unit), _PER_PERIOD_FACTORS.get(generic, ())


def _section(
    doc: dict, name: str, keys, declared, reader: _Reader, required: tuple[str, ...] = ()
) -> dict:
    """Read the scalar parameters ``keys`` of one top-level table, checked by ``declared``;
    every key of ``required`` that is absent is reported."""
    problems = reader.problems
    section = doc.get(name, {})
    if not isinstance(section, dict):
        problems.add(name, "must be a table")
        return {}
    problems.unknown(name, section.keys(), keys)
    out: dict[str, Any] = {}
    for key in keys:
        path_ = f"{name}.{key}"
        if key not in section:
            if key in required:
                problems.add(path_, "is required")
            continue
        spec = declared[key]
        unit, also = _file_unit(path_, spec)
        value = reader.value(spec, section[key], path_, unit=unit, also=also)
        if value is not None:
            out[key] = value
    return out


def _cost_unit(game: dict) -> str:
    """Unit of an actor's preparedness cost c: USD m per unit^γ, γ the cost exponent (the
    cost of x units is c·x^γ)."""
    import dataclasses as dc

    gamma = game.get(
        "cost_exponent", {f.name: f.default for f in dc.fields(PreparednessGame)}["cost_exponent"]
    )
    if float(gamma).is_integer() and gamma <= 1000:
        power = int(gamma)
        return "USD m per unit" if power == 1 else f"USD m per unit^{power}"
    return f"USD m per unit^{float(gamma)!r}"


def _read(path: str | Path | None) -> tuple[str, bytes]:
    if path is None:
        data = resources.files("coordgap.data").joinpath(DEFAULT_MODEL).read_bytes()
        return f"coordgap:{DEFAULT_MODEL}", data
    return read_input(path)


def load_model(path: str | Path | None = None) -> ModelSpec:
    """Read and validate a TOML model file (no path: the packaged default model).

    Required and optional keys
    --------------------------
    Every number a model needs must be in the file; a missing one is reported (every missing
    dotted path at once), never silently replaced by a class default. Optional keys are the
    ones whose default is a modelling choice that leaves the model intact:

    * ``[preparedness]``: ``prob``, ``harm`` and ``efficacy`` are required. Optional:
      ``cost_exponent`` (default 1, linear cost), ``aggregator`` (default ``"sum"``),
      ``baseline`` (default 0, no standing capacity), and ``ces_rho``, which is required when
      ``aggregator = "ces"`` (it is unused otherwise).
    * ``[actors.ROLE]``: ``share`` and ``cost`` are required; ``count`` defaults to 1 (an
      integer between 1 and 1000000), ``weight`` to 1 and ``names`` to generated names.
    * A model has a registry when any ``[actors.ROLE.registry]`` table or a ``[commitment]``
      section is present. Then every actor group needs its registry table, each with
      ``join_cost``, ``capacity``, ``response_cost_median`` and ``response_cost_sigma``
      (``weight`` defaults to 1; ``incentive``, ``bond``, ``liability`` and
      ``response_benefit`` to 0: no incentive, bond or liability in the baseline), and the
      ``[commitment]`` section needs ``discount``, ``carry_rate`` and ``trigger_prob``
      (``required`` defaults to the total committed capacity of all actors).
    * ``[participation]`` is optional: without it there is no critical-mass effect
      (``critical_mass = "none"``). With ``critical_mass = "step"`` the ``threshold`` is
      required; with ``"logistic"`` both ``threshold`` and ``steepness`` are.
    * ``[welfare]`` is optional: ``public_funds_cost`` (λ ≥ 0, default 0 in the policy model).

    A model without a registry is a preparedness-only model: ``coordgap solve`` uses it,
    while ``compare``, ``sweep`` and ``critical`` report the missing registry paths.

    Units
    -----
    A quantity's stated unit must convert to the unit the parameter is stored in, and the
    value is converted (``{ value = 10, unit = "USD bn" }`` → 10000 USD m; the conversion is
    kept in :attr:`ModelSpec.conversions`); see :mod:`coordgap.spec.units`. Every number must
    be finite and 0 or of magnitude between 1e-150 and 1e150. The preparedness game is built
    once, so that the game's own cross-parameter rules (such as ``ces_rho != 0`` with the
    CES aggregator) are reported here too, with their dotted paths;
    :func:`coordgap.spec.validate` builds every other model as well.

    Parameters
    ----------
    path : str or pathlib.Path, optional
        The TOML model file (default: the packaged ``default_model.toml``).

    Returns
    -------
    ModelSpec
        The validated model file.

    Raises
    ------
    SpecError
        Listing every problem found, each with its dotted path.

    Examples
    --------
    >>> import coordgap as cg
    >>> spec = cg.load_model()
    >>> spec.name, spec.n_actors
    ('default', 58)
    >>> spec.units["preparedness.harm"]
    'USD m'
    """
    source, data = _read(path)
    doc = parse_document(source, data, "toml")
    reader = _Reader()
    problems = reader.problems
    problems.unknown("", doc.keys(), _SECTIONS)

    meta = doc.get("model", {})
    if not isinstance(meta, dict):
        problems.add("model", "must be a table")
        meta = {}
    problems.unknown("model", meta.keys(), _MODEL_KEYS)
    for key in sorted(_MODEL_KEYS):
        if key in meta and not isinstance(meta[key], str):
            problems.add(f"model.{key}", f"must be a string, got {shown(meta[key])}")

    actors = doc.get("actors", {})
    if not isinstance(actors, dict) or not actors:
        problems.add("actors", "must be a table with one sub-table per role")
        actors = {}
    registry_model = "commitment" in doc or any(
        isinstance(t, dict) and "registry" in t for t in actors.values()
    )

    declared = parameters(PreparednessGame)
    raw_game = doc.get("preparedness", {})
    required_game = _REQUIRED["preparedness"]
    if isinstance(raw_game, dict) and _plain(raw_game.get("aggregator")) == "ces":
        required_game += ("ces_rho",)
    game = _section(doc, "preparedness", _GAME_KEYS, declared, reader, required_game)
    raw_participation = doc.get("participation", {})
    curve = (
        _plain(raw_participation.get("critical_mass"))
        if isinstance(raw_participation, dict)
        else None
    )
    participation = _section(
        doc,
        "participation",
        _PARTICIPATION_KEYS,
        parameters(ParticipationGame),
        reader,
        _REQUIRED_BY_CURVE.get(curve, ()),
    )
    commitment = _section(
        doc,
        "commitment",
        _COMMITMENT_KEYS,
        parameters(CommitmentModel),
        reader,
        _REQUIRED["commitment"] if registry_model else (),
    )
    welfare = _section(doc, "welfare", _WELFARE_KEYS, parameters(PolicyModel), reader)
    registry_specs = {
        key: parameters(ParticipationGame if part == "participation" else CommitmentModel)[name]
        for key, (part, name) in _REGISTRY_KEYS.items()
    }
    cost_unit = _cost_unit(game)

    groups: list[ActorGroup] = []
    total_share = 0.0
    for role, table in actors.items():
        base = f"actors.{role}"
        if not plain_name(role):
            problems.add("actors", f"a role name must be {NAME_RULE}, got {shown(role)}")
            continue
        if not isinstance(table, dict):
            problems.add(base, "must be a table")
            continue
        problems.unknown(base, table.keys(), _ACTOR_KEYS)
        values: dict[str, Any] = {}
        count = table.get("count", 1)
        if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_COUNT:
            problems.add(
                f"{base}.count", f"must be an integer >= 1 and <= {MAX_COUNT}, got {shown(count)}"
            )
            count = None
        for key in ("share", "cost", "weight"):
            if key not in table:
                if key != "weight":
                    problems.add(f"{base}.{key}", "is required")
                continue
            values[key] = reader.value(
                declared[key],
                table[key],
                f"{base}.{key}",
                unit=cost_unit if key == "cost" else None,
            )
        registry: dict[str, float] = {}
        if "registry" in table:
            sub = table["registry"]
            if not isinstance(sub, dict):
                problems.add(f"{base}.registry", "must be a table")
            else:
                problems.unknown(f"{base}.registry", sub.keys(), _REGISTRY_KEYS)
                for key in _REQUIRED["registry"]:
                    if key not in sub:
                        problems.add(f"{base}.registry.{key}", "is required")
                for key in _REGISTRY_KEYS:
                    if key in sub:
                        path_ = f"{base}.registry.{key}"
                        unit, also = _file_unit(path_, registry_specs[key])
                        checked = reader.value(
                            registry_specs[key], sub[key], path_, unit=unit, also=also
                        )
                        if checked is not None:
                            registry[key] = checked
        elif registry_model:
            problems.add(
                f"{base}.registry",
                "is required: the model has a registry (a "
                "[commitment] section or [actors.*.registry] "
                "tables), so every actor group needs one",
            )
        names = table.get("names", ())
        if names and (
            not isinstance(names, list)
            or not all(isinstance(n, str) for n in names)
            or (count is not None and len(names) != count)
        ):
            problems.add(f"{base}.names", f"must be a list of {count} strings, got {names!r}")
            names = ()
        if (
            count is None
            or any(values.get(k) is None for k in ("share", "cost"))
            or ("weight" in values and values["weight"] is None)
        ):
            continue
        total_share += count * values["share"]
        groups.append(
            ActorGroup(
                role=role,
                count=count,
                share=values["share"],
                cost=values["cost"],
                weight=values.get("weight", 1.0),
                names=tuple(names),
                registry=registry,
            )
        )
    if total_share > 1.0 + 1e-12:
        problems.add(
            "actors",
            "the benefit shares must sum to at most 1 over all actors "
            f"(count × share), got {total_share:.6g}",
        )
    total = sum(g.count for g in groups)
    if total > LIMITS["actors"].maximum and not large_allowed():
        problems.add(
            "actors",
            f"the model has {total:,} actors in all (the sum of the counts); "
            f"at most {LIMITS['actors'].maximum:,} unless --allow-large is "
            "given (coordgap.limits.allow_large in Python)",
        )
    # Thresholds counted in actors are checked against the number of actors only when every
    # actor group is valid (otherwise the count is not known).
    n_actors = total if len(groups) == len(actors) else None
    threshold = participation.get("threshold")
    if (
        n_actors
        and participation.get("critical_mass") == "step"
        and threshold is not None
        and threshold > n_actors
    ):
        problems.add(
            "participation.threshold",
            f"must be at most the number of actors "
            f"({n_actors}) with critical_mass = 'step', got "
            f"{threshold:g}: the critical mass could never "
            "be reached",
        )
    # Every declared role, valid or not: a role whose own section has a problem is still a
    # role, and designs naming it are not wrong too (that problem is reported once, above).
    roles = [str(role) for role in actors]
    designs = _designs(doc.get("designs", {}), roles, problems, n_actors)
    figures = _figures(doc.get("figures", {}), [d.name for d in designs], problems)
    if "games" in doc:
        _games(doc["games"], roles, problems)
    if problems.items:
        raise SpecError(source, problems.items)
    spec = ModelSpec(
        source=source,
        sha256=hashlib.sha256(data).hexdigest(),
        name=str(meta.get("name", Path(source).stem)),
        title=str(meta.get("title", "")),
        description=str(meta.get("description", "")).strip(),
        preparedness=game,
        actors=tuple(groups),
        units=reader.units,
        sources=reader.sources,
        participation=participation,
        commitment=commitment,
        designs=designs,
        figures=figures,
        welfare=welfare,
        conversions=reader.conversions,
    )

    built = build_problems(spec, full=False)
    if built:
        raise SpecError(source, built)
    return spec


def _plain(value: Any) -> Any:
    """The value of a key written plainly or as a quantity table."""
    return value.get("value") if isinstance(value, dict) else value


def _free_numbers(node: Any, path: str, problems: _Problems) -> None:
    """Apply the magnitude rule to every number below ``node`` (free-form figure settings),
    including integers that no float can hold (TOML integers have no size limit here)."""
    if isinstance(node, dict):
        for key, child in node.items():
            _free_numbers(child, f"{path}.{key}", problems)
    elif isinstance(node, list):
        for k, child in enumerate(node):
            _free_numbers(child, f"{path}[{k}]", problems)
    elif isinstance(node, (int, float)) and not isinstance(node, bool) and not _number_ok(node):
        problems.add(path, f"must be {MAGNITUDE_RULE}, got {shown(node)}")


def _number_ok(value: float) -> bool:
    try:
        return magnitude_ok(float(value))
    except OverflowError:
        return False


def _figures(table: Any, design_names: list[str], problems: _Problems) -> dict:
    """``[figures.ID]`` blocks, checked for kinds, keys, references and value types."""
    if not isinstance(table, dict):
        problems.add("figures", "must be a table of figures")
        return {}
    out = {}
    for fig_id, block in table.items():
        base = f"figures.{fig_id}"
        if not plain_name(fig_id):
            # A figure id becomes a file name: nothing may lead outside the output directory.
            problems.add("figures", f"a figure id must be {NAME_RULE}, got {shown(fig_id)}")
            continue
        if not isinstance(block, dict):
            problems.add(base, "must be a table")
            continue
        problems.unknown(base, block.keys(), _FIGURE_KEYS)
        kind = block.get("kind")
        if kind not in FIGURE_KINDS:
            problems.add(
                f"{base}.kind",
                f"must be one of {', '.join(FIGURE_KINDS)}, got "
                f"{kind!r}. {did_you_mean(str(kind), FIGURE_KINDS)}",
            )
            continue
        if "design" in block and block["design"] not in design_names:
            problems.add(
                f"{base}.design",
                f"unknown design {block['design']!r}. "
                f"{did_you_mean(str(block['design']), design_names)}",
            )
        for key in ("values", "fast_values"):
            values = block.get(key)
            if values is not None and (
                not isinstance(values, list)
                or not values
                or not all(
                    isinstance(v, (int, float))
                    and not isinstance(v, bool)
                    and _number_ok(v)
                    and v >= 0
                    for v in values
                )
            ):
                problems.add(
                    f"{base}.{key}",
                    f"must be a non-empty list of finite floats >= 0, each {MAGNITUDE_RULE}",
                )
        for key in ("n", "fast_n", "seed"):
            value = block.get(key)
            if value is not None and (
                isinstance(value, bool)
                or not isinstance(value, int)
                or value < (0 if key == "seed" else 1)
            ):
                problems.add(
                    f"{base}.{key}",
                    f"must be an integer >= {0 if key == 'seed' else 1}, got {shown(value)}",
                )
            elif value is not None and key != "seed" and kind in UNCERTAIN_KINDS:
                try:  # `check` reports the work limit that `figures` would hit
                    check_size(
                        base,
                        key,
                        value,
                        "design_evaluations",
                        per=(max(1, len(design_names)), "designs"),
                    )
                except ResourceLimitError as exc:
                    problems.add(f"{base}.{key}", str(exc))
        for key in ("params", "distributions", "target", "horizon"):
            if key in block:
                _free_numbers(block[key], f"{base}.{key}", problems)
        if not isinstance(block.get("params", {}), dict):
            problems.add(f"{base}.params", "must be a table of model parameters")
        dists = block.get("distributions", {})
        if kind in UNCERTAIN_KINDS:
            if "target" in block:
                _figure_target(block["target"], f"{base}.target", problems)
            if not isinstance(dists, dict) or not dists:
                problems.add(
                    f"{base}.distributions",
                    "must be a table of parameter path → { dist = ..., ... }",
                )
            else:
                try:
                    robustness_inputs(block, base, build=False)
                except SpecError as exc:
                    for problem in exc.problems:
                        problems.items.append(problem)
        if isinstance(block.get("params", {}), dict):
            _figure_params(kind, block.get("params", {}), f"{base}.params", problems)
        out[str(fig_id)] = dict(block)
    return out


def _figure_target(value: Any, path: str, problems: _Problems) -> None:
    """The ``target`` of a robustness figure: a kind, or ``[kind, value]`` with an optional
    third entry ``"worst"`` or ``"best"``."""

    if any(item.startswith(f"{path}") for item in problems.items):
        return  # a number already reported by the magnitude rule
    if not (isinstance(value, str) or (isinstance(value, list) and 1 <= len(value) <= 3)):
        problems.add(
            path,
            "must be a kind or a list [kind, value] or [kind, value, "
            "'worst' or 'best'], e.g. ['credible_coverage', 0.4], got "
            f"{shown(value)}",
        )
        return
    try:
        as_target(tuple(value) if isinstance(value, list) else value)
    except InvalidParameterError as exc:
        problems.add(path, f"its {exc.name} must be {exc.rule}, got {shown(exc.value)}")


def _figure_params(kind: str, params: dict, base: str, problems: _Problems) -> None:
    """The ``params`` of a claims figure: known keys, each valid for the model it builds."""

    models = {
        "disclosure": DisclosureGame,
        "learning": LearningModel,
        "library_scope": LibraryScopeModel,
        "capture": CaptureModel,
    }
    if kind == "exchange_speed":
        problems.unknown(base, params.keys(), {"observation_delay", "latency_spread"})
        return
    if kind not in models:
        if params:
            problems.add(base, f"a {kind} figure takes no params")
        return
    cls = models[kind]
    before = len(problems.items)
    problems.unknown(base, params.keys(), set(parameters(cls)))
    if len(problems.items) > before:
        return
    try:
        cls(**params)
    except InvalidParameterError as exc:
        problems.add(f"{base}.{exc.name}", f"must be {exc.rule}, got {shown(exc.value)}")
    except (TypeError, ValueError, OverflowError) as exc:
        problems.add(base, str(exc))


def _instrument(item: Any, path_: str, kinds: dict, roles: list[str], problems: _Problems):
    """One instrument table → an instrument, every problem of its parameters reported."""

    if not isinstance(item, dict) or "type" not in item:
        problems.add(
            path_,
            "must be a table with a 'type' key, e.g. { type = \"PerformanceBond\", amount = 1.0 }",
        )
        return None
    if not isinstance(item["type"], str):
        problems.add(
            f"{path_}.type", f"must be the name of an instrument (a string), got {item['type']!r}"
        )
        return None
    kind = item["type"]
    if kind not in kinds:
        problems.add(
            f"{path_}.type", f"unknown instrument {kind!r}. {did_you_mean(kind, sorted(kinds))}"
        )
        return None
    cls = kinds[kind]
    declared = parameters(cls)
    allowed = (
        set(declared)
        | {"type", "roles"}
        | ({"role_value"} if cls.__name__ == "ComputeAccess" else set())
    )
    before = len(problems.items)
    problems.unknown(path_, item.keys(), allowed)
    kwargs = {k: v for k, v in item.items() if k != "type" and k in allowed}
    # Check every declared parameter first, so that all bad values are reported at once.
    for key, spec in declared.items():
        if key not in kwargs or (kwargs[key] is None and spec.optional):
            continue
        if spec.kind == "choice":
            if kwargs[key] not in spec.choices:
                problems.add(
                    f"{path_}.{key}",
                    f"must be {spec.rule()}, got {kwargs[key]!r}. "
                    f"{did_you_mean(str(kwargs[key]), spec.choices)}",
                )
        else:
            value = read_number(spec, kwargs[key], f"{path_}.{key}", problems)
            if value is not None:
                kwargs[key] = value  # converted to the parameter's unit
    listed = kwargs.get("roles", [])
    if "roles" in kwargs and (
        not isinstance(listed, list) or not all(isinstance(r, str) for r in listed)
    ):
        problems.add(f"{path_}.roles", f"must be a list of role names, got {listed!r}")
        listed = []
    for role in listed or []:
        if role not in roles:
            problems.add(f"{path_}.roles", f"unknown role {role!r}. {did_you_mean(role, roles)}")
    for role in (
        (kwargs.get("role_value") or {}) if isinstance(kwargs.get("role_value"), dict) else ()
    ):
        if role not in roles:
            problems.add(
                f"{path_}.role_value", f"unknown role {role!r}. {did_you_mean(str(role), roles)}"
            )
    if len(problems.items) > before:
        return None
    try:
        return cls(**kwargs)
    except InvalidParameterError as exc:
        problems.add(f"{path_}.{exc.name}", f"must be {exc.rule}, got {exc.value!r}")
    except (TypeError, OverflowError) as exc:
        problems.add(path_, str(exc))
    return None


def _designs(
    table: Any, roles: list[str], problems: _Problems, n_actors: int | None = None
) -> tuple:
    """``[designs.NAME]`` tables → Design objects (a baseline is added if missing);
    ``n_actors`` (when known) bounds the thresholds of assurance contracts."""

    kinds = {
        n: getattr(module, n) for n in names if n not in ("Instrument", "PolicyModel", "Design")
    }
    if not isinstance(table, dict):
        problems.add("designs", "must be a table of designs")
        return ()
    out = []
    for name, entry in table.items():
        base = f"designs.{name}"
        if not plain_name(name):
            problems.add("designs", f"a design name must be {NAME_RULE}, got {shown(name)}")
            continue
        if not isinstance(entry, dict):
            problems.add(base, "must be a table")
            continue
        problems.unknown(base, entry.keys(), {"description", "instruments"})
        if not isinstance(entry.get("description", ""), str):
            problems.add(
                f"{base}.description", f"must be a string, got {shown(entry['description'])}"
            )
        items = entry.get("instruments", [])
        if not isinstance(items, list):
            problems.add(f"{base}.instruments", "must be a list of instrument tables")
            continue
        built = []
        for k, item in enumerate(items):
            path_ = f"{base}.instruments[{k}]"
            instrument = _instrument(item, path_, kinds, roles, problems)
            if instrument is None:
                continue
            if (
                n_actors
                and type(instrument).__name__ == "AssuranceRefund"
                and instrument.threshold > n_actors
            ):
                problems.add(
                    f"{path_}.threshold",
                    f"must be at most the number of actors "
                    f"({n_actors}), got "
                    f"{instrument.threshold:g}: filings could "
                    "never bind, and every filer would be "
                    "refunded",
                )
                continue
            built.append(instrument)
        out.append(Design(str(name), built))
    if out and not any(d.name == "baseline" for d in out):
        out.insert(0, Design("baseline"))
    return tuple(out)


# ``[games]``: the stand-alone games' own numbers (coordgap.games.calibration reads them).
_GAMES_ROLE_KEYS = {
    "incentive": ParticipationGame,
    "liability": CommitmentModel,
    "response_cost_median": CommitmentModel,
}


def _games(table: Any, roles: list[str], problems: _Problems) -> None:
    """Check a ``[games]`` table key by key (the policy model does not read it)."""
    if not isinstance(table, dict):
        problems.add("games", "must be a table")
        return
    problems.unknown("games", table.keys(), {"harm", "actors", "global_game"})
    if "harm" in table:
        read_number(parameters(ParticipationGame)["harm"], table["harm"], "games.harm", problems)
    actors = table.get("actors", {})
    if not isinstance(actors, dict):
        problems.add("games.actors", "must be a table of roles")
        actors = {}
    for role, block in actors.items():
        path = f"games.actors.{role}"
        if role not in roles:
            problems.add(path, f"unknown role {role!r}. {did_you_mean(str(role), roles)}")
            continue
        if not isinstance(block, dict):
            problems.add(path, "must be a table")
            continue
        problems.unknown(path, block.keys(), set(_GAMES_ROLE_KEYS))
        for key, owner in _GAMES_ROLE_KEYS.items():
            if key in block:
                unit = _FILE_UNITS.get(f"registry.{key}")
                read_number(
                    parameters(owner)[key], block[key], f"{path}.{key}", problems, unit=unit
                )
    game = table.get("global_game", {})
    if not isinstance(game, dict):
        problems.add("games.global_game", "must be a table")
        return
    declared = parameters(GlobalParticipationGame)
    problems.unknown("games.global_game", game.keys(), set(declared))
    for key, value in game.items():
        declaration = declared.get(key)
        if declaration is None:
            continue
        where = f"games.global_game.{key}"
        if declaration.kind == "choice":
            if value not in declaration.choices:
                hint = did_you_mean(str(value), declaration.choices)
                problems.add(where, f"must be {declaration.rule()}, got {value!r}. {hint}")
        else:
            read_number(declaration, value, where, problems)
