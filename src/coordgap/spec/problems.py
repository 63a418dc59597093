"""Shared by the file loaders: collect every problem with its dotted path, read quantities."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..errors import did_you_mean
from ..params import MAX_MAGNITUDE, MIN_MAGNITUDE
from . import units as _units

__all__ = [
    "Problems",
    "QUANTITY_KEYS",
    "MAGNITUDE_RULE",
    "MAX_SHOWN",
    "read_number",
    "shown",
    "cut",
    "magnitude_ok",
]

QUANTITY_KEYS = ("value", "unit", "source")
#: The magnitude rule every number of a file obeys (the models reject other values, whose
#: products and quotients overflow double precision).
MAGNITUDE_RULE = f"0 or a float of magnitude between {MIN_MAGNITUDE:g} and {MAX_MAGNITUDE:g}"


class Problems:
    """Every problem found in a file, each as ``"dotted.path: what is wrong"``.

    Attributes
    ----------
    items : list of str
        The problems, in the order found.
    """

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, path: str, text: str) -> None:
        """Record one problem.

        Parameters
        ----------
        path : str
            Dotted path of the offending entry in the file (e.g. ``"actors.lab.role"``).
        text : str
            What is wrong, as a sentence fragment.
        """
        self.items.append(f"{path}: {text}")

    def unknown(self, path: str, keys, known) -> None:
        """Report every key not in ``known``, with a did-you-mean.

        Parameters
        ----------
        path : str
            Dotted path of the table holding ``keys`` (``""``: the top level).
        keys : iterable of str
            Keys found in the table.
        known : collection of str
            Keys allowed there.
        """
        for key in keys:
            if key not in known:
                where = f"{path}.{cut(key)}" if path else cut(key)
                self.add(where, f"unknown key. {did_you_mean(cut(key), sorted(known))}")


#: Longest text of a file quoted whole in a message; longer text is cut (see :func:`shown`).
MAX_SHOWN = 80


def shown(value: Any) -> str:
    """``repr(value)``, except for integers of more than 40 digits (``an integer of about 401
    digits``) and text of more than :data:`MAX_SHOWN` characters (cut, with its length), so
    that a message stays one paragraph whatever the file holds.

    Parameters
    ----------
    value : object
        Any value read from a file.

    Returns
    -------
    str
        Its (possibly shortened) representation.

    Examples
    --------
    >>> shown("x" * 200)
    "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'... (200 characters)"
    """
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 133:
        digits = int(value.bit_length() * math.log10(2)) + 1
        return f"an integer of about {digits} digits"
    if isinstance(value, str) and len(value) > MAX_SHOWN:
        return f"{value[: MAX_SHOWN - 12]!r}... ({len(value)} characters)"
    return repr(value)


def cut(text: str) -> str:
    """``text`` cut to :data:`MAX_SHOWN` characters (with its length) when longer.

    Parameters
    ----------
    text : str
        Any text (other values are converted with ``str``).

    Returns
    -------
    str
        ``text`` itself, or its start followed by ``"... (N characters)"``.
    """
    text = str(text)
    if len(text) <= MAX_SHOWN:
        return text
    return f"{text[: MAX_SHOWN - 12]}... ({len(text)} characters)"


def magnitude_ok(x: float) -> bool:
    """Finite, and 0 or of magnitude between MIN_MAGNITUDE and MAX_MAGNITUDE.

    Parameters
    ----------
    x : float
        The number to check.

    Returns
    -------
    bool
        Whether ``x`` obeys :data:`MAGNITUDE_RULE`.
    """
    return math.isfinite(x) and (x == 0 or MIN_MAGNITUDE <= abs(x) <= MAX_MAGNITUDE)


def _as_float(value: Any) -> tuple[float | None, str]:
    """(float, "") for a real number; (None, why) for anything else (bools are not numbers)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None, ""
    try:
        return float(value), ""
    except OverflowError:
        return None, "too large for a float"


def read_number(
    spec,
    value: Any,
    path: str,
    problems: Problems,
    units: dict | None = None,
    sources: dict | None = None,
    *,
    unit: str | None = None,
    conversions: dict | None = None,
    also: tuple[str, ...] = (),
) -> float | None:
    """A number written plainly or as ``{ value, unit, source }``, checked against the declared
    parameter ``spec``; None (and a problem) when invalid.

    A stated unit must convert to ``unit`` (default: the parameter's declared unit) and the
    value is converted to it: ``{ value = 10, unit = "USD bn" }`` for a parameter in USD m
    gives 10000.0. Units in ``also`` are accepted only when they mean ``unit`` exactly (no
    conversion; used for a discount factor, which is per period but dimensionless). The
    converted value must satisfy the parameter's bounds and the magnitude rule. Records the
    unit the value is in (``units``), its source (``sources``) and any conversion
    (``conversions``: path → ``"10 USD bn = 10000 USD m"``).

    Parameters
    ----------
    spec : Param
        The declaration of the parameter (bounds, unit, rule).
    value : object
        The number, or a ``{ value, unit, source }`` table, as read from the file.
    path : str
        Dotted path of the entry, used in problems and as the key of the records.
    problems : Problems
        Collects what is wrong.
    units : dict, optional
        Filled with path → the unit the returned value is in, when a unit is stated.
    sources : dict, optional
        Filled with path → the stated source.
    unit : str, optional
        Unit to convert to (default: the declared unit ``spec.unit``).
    conversions : dict, optional
        Filled with path → a description of the conversion done, if any.
    also : tuple of str
        Further units accepted only when they mean ``unit`` exactly.

    Returns
    -------
    float or None
        The value in ``unit``; None after adding a problem.
    """
    stated = None
    if isinstance(value, dict):
        problems.unknown(path, value.keys(), QUANTITY_KEYS)
        if "value" not in value:
            problems.add(path, "a quantity table needs a 'value' key")
            return None
        if sources is not None and "source" in value:
            sources[path] = str(value["source"])
        stated = value.get("unit")
        value = value["value"]
    target = unit if unit is not None else spec.unit
    rule = spec.rule().replace(" for every actor", "")
    number, why = _as_float(value)
    factor: float | None  # None: the stated unit does not convert
    factor = 1.0
    if stated is not None:
        factor = _unit_factor(stated, target, also, path, problems)
        if factor is None:
            if number is None:
                problems.add(path, f"must be {rule}, got {shown(value)}")
            return None
        if units is not None:
            units[path] = str(stated) if factor == 1.0 else target
    if number is None:
        problems.add(path, f"must be {rule}, got {shown(value)}{', ' + why if why else ''}")
        return None
    converted = number * factor
    note = ""
    if factor != 1.0:
        assert stated is not None  # only a stated unit converts
        note = f" ({_units.describe_conversion(number, stated, converted, target)})"
        if conversions is not None:
            conversions[path] = note[2:-1]
    if not (math.isfinite(converted) and spec.admits(np.array([converted]))[0]):
        got = shown(value) if factor == 1.0 else f"{converted:.6g}"
        problems.add(path, f"must be {rule}, got {got}{note}")
        return None
    if not magnitude_ok(converted):
        got = shown(value) if factor == 1.0 else f"{converted:.6g}"
        problems.add(
            path,
            f"must be {MAGNITUDE_RULE} (values outside overflow in products "
            f"and quotients), got {got}{note}",
        )
        return None
    return converted


def _unit_factor(
    stated: Any, target: str, also: tuple[str, ...], path: str, problems: Problems
) -> float | None:
    """The factor from ``stated`` to ``target``, or None after adding the problem."""
    where = f"{path}.unit"
    if not isinstance(stated, str):
        problems.add(where, f"must be a string such as 'USD m', got {shown(stated)}")
        return None
    if any(_units.same(stated, u) for u in (target, *also)):
        return 1.0  # a spelling of the wanted unit: no need to load pint
    try:
        _units.readable(stated)
    except _units.UnitError as exc:
        problems.add(where, f"cannot read the unit {stated!r}: {exc}")
        return None
    for other in also:
        try:
            if _units.factor(stated, other) == 1.0:
                return 1.0
        except _units.UnitError:
            continue
    try:
        return _units.factor(stated, target)
    except _units.UnitError:
        pass
    try:
        _units.readable(target)
    except _units.UnitError as exc:  # a declared unit pint cannot read: said plainly
        problems.add(
            where,
            f"the parameter's unit {target!r} cannot be read ({exc}), so "
            f"{stated!r} cannot be checked",
        )
        return None
    extra = f" (or {', '.join(repr(a) for a in also)} exactly)" if also else ""
    problems.add(where, f"{stated!r} cannot be converted to the parameter's unit {target!r}{extra}")
    return None
