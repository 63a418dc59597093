"""The explorer's model side: controls read from a model file, evaluation, TOML export.

Everything the explorer page shows is computed here by coordgap's own evaluation
(:func:`coordgap.analysis.compare.evaluate_design`), so a number on the page is the number
``coordgap compare`` prints for the same design. The page only draws it.
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..analysis.compare import METRICS, SELECTION, evaluate_design, readout
from ..errors import InvalidParameterError, did_you_mean
from ..instruments import Design, Instrument, PolicyModel
from ..params import parameters
from ..spec import ModelSpec, load_model

__all__ = ["Control", "Explorer", "EXPLORER_METRICS", "design_toml"]

#: The metrics the explorer draws, in order (keys of :data:`coordgap.analysis.METRICS`).
EXPLORER_METRICS = (
    "participation",
    "credible_coverage",
    "residual_harm",
    "welfare",
    "fiscal_cost",
)
_OWNER = "coordgap explore"


@dataclass(frozen=True, slots=True)
class Control:
    """One instrument parameter the explorer lets a user move.

    Attributes
    ----------
    key : str
        Query-string name: the instrument's key for its size parameter (``"bond"``), else
        ``"<instrument key>.<parameter>"`` (``"procurement.volume"``).
    instrument : str
        The instrument's key (shared by the controls of one instrument).
    kind : str
        The instrument class name, as in model files (``"PerformanceBond"``).
    parameter : str
        The declared parameter the control sets.
    is_level : bool
        Whether the parameter is the instrument's size; an instrument whose size is 0 is off.
    value : float
        Initial value: 0 for a size (every instrument starts off: the baseline), the model
        file's value for any other parameter.
    low, high : float
        The declared bounds (``high`` may be ``inf``).
    slider_max : float
        Upper end of the slider: the finite upper bound, else four times the largest value
        the model file uses (at least 1); the number box beside it admits any allowed value.
    step : float
        Slider step (1 for counts of actors).
    unit, doc : str
        The parameter's declared unit and meaning.

    Examples
    --------
    >>> ex = Explorer.from_model()
    >>> c = ex.controls[0]
    >>> c.key, c.kind, c.parameter, c.value, c.unit
    ('bond', 'PerformanceBond', 'amount', 0.0, 'USD m')
    """

    key: str
    instrument: str
    kind: str
    parameter: str
    is_level: bool
    value: float
    low: float
    high: float
    slider_max: float
    step: float
    unit: str
    doc: str

    def to_dict(self) -> dict:
        """The control as plain JSON values (an infinite bound becomes None).

        Returns
        -------
        dict
            Every attribute by name.

        Examples
        --------
        >>> Explorer.from_model().controls[0].to_dict()["high"] is None
        True
        """
        out = dataclasses.asdict(self)
        for name in ("low", "high"):
            if not math.isfinite(out[name]):
                out[name] = None
        return out


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _instrument_keys(spec: ModelSpec) -> dict[str, tuple[str, Instrument, float]]:
    """Instrument class name → (key, template, largest size used), in model-file order."""
    templates: dict[str, Instrument] = {}
    largest: dict[str, float] = {}
    solo: dict[str, str] = {}
    for design in spec.designs:
        for item in design.instruments:
            kind = type(item).__name__
            templates.setdefault(kind, item)
            largest[kind] = max(largest.get(kind, 0.0), item.size)
        if len(design.instruments) == 1:
            solo.setdefault(type(design.instruments[0]).__name__, design.name)
    out: dict[str, tuple[str, Instrument, float]] = {}
    used: set[str] = set()
    for kind, item in templates.items():
        key = solo.get(kind, _snake(kind))
        if key in used or "." in key:
            key = _snake(kind)
        used.add(key)
        out[kind] = (key, item, largest[kind])
    return out


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(float(value)) if isinstance(value, float) else str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        body = ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items())
        return "{ " + body + " }" if body else "{}"
    raise TypeError(f"cannot write {type(value).__name__} to TOML")


def _instrument_table(item: Instrument) -> str:
    parts = [f"type = {_toml_value(type(item).__name__)}"]
    declared = parameters(item)
    for field in dataclasses.fields(item):
        value = getattr(item, field.name)
        if value is None:
            continue
        if field.name in declared or field.name == "roles":
            parts.append(f"{field.name} = {_toml_value(value)}")
        elif field.name == "role_value":
            default = (
                field.default_factory()
                if field.default_factory is not dataclasses.MISSING
                else field.default
            )
            if value != default:
                parts.append(f"{field.name} = {_toml_value(value)}")
    return "{ " + ", ".join(parts) + " }"


def design_toml(design: Design, description: str | None = None) -> str:
    """A ``[designs.NAME]`` table for a model file: the design as ``coordgap`` reads it back.

    Parameters
    ----------
    design : Design
        The design to write (its name becomes the table name).
    description : str, optional
        The table's description (default: :meth:`Design.describe`).

    Returns
    -------
    str
        TOML text; appended to a model file that has no design of that name, it loads into
        the same design.

    Examples
    --------
    >>> import coordgap as cg
    >>> print(design_toml(cg.Design("mine", [cg.PerformanceBond(amount=2.0)]), "a bond"))
    [designs.mine]
    description = "a bond"
    instruments = [
      { type = "PerformanceBond", amount = 2.0, per = "filer" },
    ]
    """
    text = description if description is not None else design.describe()
    lines = [f"[designs.{design.name}]", f"description = {_toml_value(text)}"]
    if design.instruments:
        lines.append("instruments = [")
        lines += [f"  {_instrument_table(i)}," for i in design.instruments]
        lines.append("]")
    else:
        lines.append("instruments = []")
    return "\n".join(lines)


def _number(key: str, raw: Any) -> float:
    """A query value as a finite float, or InvalidParameterError naming ``key``."""
    if isinstance(raw, (list, tuple)):
        if len(raw) != 1:
            raise InvalidParameterError(_OWNER, key, "given once", list(raw))
        raw = raw[0]
    if isinstance(raw, bool):
        raise InvalidParameterError(_OWNER, key, "a finite number", raw)
    try:
        value = float(raw)
    except (TypeError, ValueError):
        raise InvalidParameterError(_OWNER, key, "a finite number", raw) from None
    if not math.isfinite(value):
        raise InvalidParameterError(_OWNER, key, "a finite number", raw)
    return value


class Explorer:
    """Evaluate designs built from a model's instruments at levels a user chooses.

    The controls are the numeric parameters of every instrument the model file's designs use
    (:class:`Control`); the template of an instrument (its roles and other parameters) is its
    first use in the file. Levels are given as a mapping of control key to value (strings are
    parsed, as from a query string); an instrument whose size is 0 is left out of the design.

    Parameters
    ----------
    spec : ModelSpec
        A loaded model file (:func:`coordgap.spec.load_model`) with a registry.
    name : str, optional
        Name of the explored design (default ``"explored"``, suffixed to be new to the file).

    Examples
    --------
    >>> ex = Explorer.from_model()
    >>> [c.key for c in ex.controls if c.is_level]
    ['bond', 'procurement', 'compute_access', 'regulatory_flexibility', 'assurance']
    >>> out = ex.evaluate({"bond": "1"})
    >>> out["worst"]["participation"] <= out["best"]["participation"]
    True
    """

    def __init__(self, spec: ModelSpec, name: str = "explored"):
        self.spec = spec
        self.model: PolicyModel = spec.policy_model()
        taken = {d.name for d in spec.designs}
        base, k = name, 1
        while name in taken:
            k += 1
            name = f"{base}_{k}"
        self.name = name
        self._templates: dict[str, Instrument] = {}
        controls = []
        for kind, (key, item, largest) in _instrument_keys(spec).items():
            self._templates[key] = item
            for pname, p in parameters(item).items():
                value = getattr(item, pname)
                if p.kind not in ("scalar", "integer") or value is None:
                    continue
                is_level = pname == item.level
                low, high = (float(b) for b in p.bounds)
                counts = p.unit == "actors" or p.kind == "integer"
                if counts:
                    high = min(high, float(self.model.n_actors))
                top = (
                    high
                    if math.isfinite(high)
                    else max(4.0 * (largest if is_level else value), 1.0)
                )
                controls.append(
                    Control(
                        key=key if is_level else f"{key}.{pname}",
                        instrument=key,
                        kind=kind,
                        parameter=pname,
                        is_level=is_level,
                        value=0.0 if is_level else float(value),
                        low=low,
                        high=high,
                        slider_max=float(top),
                        step=1.0 if counts else float(top) / 200.0,
                        unit=p.unit,
                        doc=p.doc,
                    )
                )
        #: Every control, instruments in model-file order, the size parameter first.
        self.controls: tuple[Control, ...] = tuple(
            sorted(
                controls, key=lambda c: (list(self._templates).index(c.instrument), not c.is_level)
            )
        )
        self._by_key = {c.key: c for c in self.controls}

    @classmethod
    def from_model(cls, path=None, name: str = "explored") -> Explorer:
        """An explorer of a model file (no path: the packaged default model).

        Parameters
        ----------
        path : str or Path, optional
            TOML model file.
        name : str, optional
            Name of the explored design.

        Returns
        -------
        Explorer
            Its controls read from the file's designs.

        Examples
        --------
        >>> len(Explorer.from_model().controls) > 5
        True
        """
        return cls(load_model(path), name=name)

    def levels(self, query: Mapping[str, Any]) -> dict[str, float]:
        """Every control's value: the defaults, updated by ``query`` (validated).

        Parameters
        ----------
        query : mapping of str to str, float or a one-item list of them
            Control keys (``"bond"``, ``"procurement.volume"``; ``"bond.amount"`` also names a
            size) to values.

        Returns
        -------
        dict of str to float
            Control key → value, for every control.

        Raises
        ------
        InvalidParameterError
            For an unknown key (with a did-you-mean), a value that is not a finite number, or
            one outside the parameter's bounds.

        Examples
        --------
        >>> Explorer.from_model().levels({"bond.amount": "2"})["bond"]
        2.0
        """
        values = {c.key: c.value for c in self.controls}
        for raw_key, raw in query.items():
            key = raw_key
            if key not in self._by_key:
                head, _, tail = key.partition(".")
                if head in self._templates and tail == self._templates[head].level:
                    key = head
                else:
                    raise InvalidParameterError(
                        _OWNER,
                        "level",
                        "the name of an instrument parameter of the model",
                        raw_key,
                        did_you_mean(raw_key, list(self._by_key)),
                    )
            control = self._by_key[key]
            value = _number(key, raw)
            # The declared rule of the parameter (bounds; counts of actors up to n).
            rule = parameters(self._templates[control.instrument])[control.parameter].rule()
            if not (control.low <= value <= control.high):
                rule = rule.replace("a finite float", "a finite number")
                if control.unit == "actors":
                    rule = f"a number of actors from {control.low:g} to {control.high:g}"
                raise InvalidParameterError(_OWNER, key, rule, value)
            values[key] = value
        return values

    def design(self, query: Mapping[str, Any]) -> Design:
        """The design of ``query``'s levels: each instrument whose size is > 0.

        Parameters
        ----------
        query : mapping
            As in :meth:`levels`.

        Returns
        -------
        Design
            Named :attr:`name`; instruments in model-file order.

        Examples
        --------
        >>> Explorer.from_model().design({"bond": 1.5}).instruments
        (PerformanceBond(amount=1.5, per='filer', carry_rate=None, roles=None),)
        """
        values = self.levels(query)
        items = []
        for key, template in self._templates.items():
            changes = {c.parameter: values[c.key] for c in self.controls if c.instrument == key}
            if changes[template.level] <= 0:
                continue
            try:
                items.append(dataclasses.replace(template, **changes))
            except InvalidParameterError as exc:
                raise InvalidParameterError(
                    _OWNER, f"{key}.{exc.name}", exc.rule, exc.value
                ) from None
        return Design(self.name, items)

    def evaluate(self, query: Mapping[str, Any]) -> dict:
        """Evaluate the design of ``query`` under the worst and the best equilibrium.

        Parameters
        ----------
        query : mapping
            As in :meth:`levels`.

        Returns
        -------
        dict
            Plain JSON values: ``levels``, ``design`` (name, description), ``worst`` and
            ``best`` (every metric of :data:`coordgap.analysis.METRICS`), ``units``,
            ``metrics`` (the ones drawn), ``readout``, ``selection``,
            ``full_participation_unique``, ``n_equilibria``, ``n_actors``, ``success``,
            ``message``, ``toml`` (the design as a model-file table) and ``elapsed_ms``.

        Examples
        --------
        >>> out = Explorer.from_model().evaluate({})
        >>> out["design"]["description"], out["worst"]["fiscal_cost"]
        ('no instruments', 0.0)
        """
        start = time.perf_counter()
        levels = self.levels(query)
        design = self.design(query)
        outcome = evaluate_design(self.model, design)

        def plain(metrics: dict) -> dict:
            return {
                k: (v if isinstance(v, int) else (float(v) if math.isfinite(v) else None))
                for k, v in metrics.items()
            }

        return {
            "model": {"name": self.spec.name, "source": self.spec.source},
            "levels": levels,
            "design": {"name": design.name, "description": outcome.description},
            "worst": plain(outcome.worst),
            "best": plain(outcome.best),
            "units": dict(METRICS),
            "metrics": list(EXPLORER_METRICS),
            "readout": readout(outcome, design),
            "selection": SELECTION,
            "full_participation_unique": outcome.full_participation_unique,
            "n_equilibria": outcome.n_equilibria,
            "n_actors": outcome.n_actors,
            "success": outcome.success,
            "message": outcome.message,
            "toml": design_toml(design),
            "elapsed_ms": 1000.0 * (time.perf_counter() - start),
        }

    def describe(self) -> dict:
        """The model and its controls as plain JSON values (what the page builds its form from).

        Returns
        -------
        dict
            ``model`` (name, title, source, n_actors, public_funds_cost), ``controls``,
            ``metrics`` (the drawn ones, with units) and ``design`` (the explored name).

        Examples
        --------
        >>> Explorer.from_model().describe()["model"]["n_actors"]
        58
        """
        return {
            "model": {
                "name": self.spec.name,
                "title": self.spec.title,
                "source": self.spec.source,
                "n_actors": self.model.n_actors,
                "public_funds_cost": self.model.public_funds_cost,
            },
            "controls": [c.to_dict() for c in self.controls],
            "metrics": [{"key": k, "unit": METRICS[k]} for k in EXPLORER_METRICS],
            "design": self.name,
            "selection": SELECTION,
        }
