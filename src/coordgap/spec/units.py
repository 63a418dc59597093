"""Units of model and registry files: parsed and converted with pint.

A number in a file may state its unit (``harm = { value = 10, unit = "USD bn" }``); the unit
must be convertible to the unit the parameter is declared in, and the value is converted to
it (10 USD bn → 10000 USD m). One pint :class:`~pint.UnitRegistry` defines the project's units:

* currency: ``USD`` is a base dimension; ``USD k`` = 10³ USD, ``USD m`` = 10⁶ USD,
  ``USD bn`` = 10⁹ USD (also spelt ``USD thousand``, ``USD million``/``USD mn``,
  ``USD billion``; pint's prefixes give ``kUSD``, ``MUSD`` and ``GUSD``);
* capacity: ``capacity unit`` (also ``unit``, ``units``) is a base dimension — the unit of
  committed response capacity;
* actors: ``actor`` (also ``filer``) is a base dimension (``per actor``, ``actors``);
* time: **the model's period is one year**: ``period`` = ``year``, so a flow "per period" is a
  flow per year. ``decade``, ``month``, ``week``, ``day``, ``h`` and the rest come from pint
  (pint's own ``decade`` is a logarithmic ratio, so the word is read as 10 years here);
* dimensionless: ``1`` (and pint's ``percent``);
* units of single models: ``indicator unit`` (a registry indicator's own unit), ``severity
  unit``, ``scenario``, ``incident``, ``lesson``, ``payoff`` are base dimensions of their own.

Unit strings are written the way people write them (``"USD m per unit^2"``, ``"1 per year"``,
``"per capacity unit"``, ``"capacity units"``, ``"1"``); :func:`pint_expression` turns them
into pint expressions. Probabilities and rates per period convert linearly ("1 per decade"
is 0.1 per year), which is the small-rate reading the models use.

>>> convert(10, "USD bn", "USD m")
10000.0
>>> convert(1, "1 per decade", "1 per year")
0.1
>>> pint_expression("USD m per unit^2")
'(USD_m) / (capacity_unit ^ 2)'
"""

from __future__ import annotations

import functools
import math
import re

__all__ = [
    "UnitError",
    "pint_expression",
    "registry",
    "same",
    "readable",
    "factor",
    "convert",
    "describe_conversion",
]


class UnitError(ValueError):
    """A unit string that cannot be read, or two units that cannot be converted."""


_DEFINITIONS = (
    "USD = [currency]",
    "USD_k = 1e3 * USD = _ = USD_thousand",
    "USD_m = 1e6 * USD = _ = USD_million = USD_mn",
    "USD_bn = 1e9 * USD = _ = USD_billion",
    "capacity_unit = [capacity]",
    "actor = [actors] = _ = filer",
    "period = year",
    "decade_of_years = 10 * year",
    "indicator_unit = [indicator]",
    "severity_unit = [severity]",
    "scenario = [scenario]",
    "incident = [incident]",
    "lesson = [lesson]",
    "payoff = [payoff]",
)

# Words of the project's spellings → pint names (applied word by word, after the multi-word
# spellings below). Plurals are listed so that pint's prefix parser never sees them ("units"
# would otherwise read as micro-nits).
_WORDS = {
    "unit": "capacity_unit",
    "units": "capacity_unit",
    "actor": "actor",
    "actors": "actor",
    "filer": "filer",
    "filers": "filer",
    "period": "year",
    "periods": "year",
    "decade": "decade_of_years",
    "decades": "decade_of_years",
    "scenario": "scenario",
    "scenarios": "scenario",
    "incident": "incident",
    "incidents": "incident",
    "lesson": "lesson",
    "lessons": "lesson",
}
_MULTI = (
    (re.compile(r"\bUSD\s+(k|K|thousand)\b"), "USD_k"),
    (re.compile(r"\bUSD\s+(m|M|mn|mio|million|millions)\b"), "USD_m"),
    (re.compile(r"\bUSD\s+(bn|B|billion|billions)\b"), "USD_bn"),
    (re.compile(r"\b(k|thousand)\s+USD\b"), "USD_k"),
    (re.compile(r"\b(m|mn|million|millions)\s+USD\b"), "USD_m"),
    (re.compile(r"\b(bn|billion|billions)\s+USD\b"), "USD_bn"),
    (re.compile(r"\bcapacity\s+units?\b"), "capacity_unit"),
    (re.compile(r"\bindicator\s+units?\b"), "indicator_unit"),
    (re.compile(r"\bseverity\s+units?\b"), "severity_unit"),
)
_TOKEN = re.compile(r"\s*(\*\*|[A-Za-z_][A-Za-z_0-9]*|\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|[/*^()\-.])")
_MAX_LENGTH = 100
_MAX_EXPONENT = 1000


def pint_expression(unit: str) -> str:
    """The pint expression of a unit string written in the project's spelling.

    ``per`` divides (``"A per B per C"`` is A / B / C), a leading ``per`` means ``1 per``,
    ``²``/``³``/``√`` become powers, and the project's multi-word units become single names.

    Parameters
    ----------
    unit : str
        A unit string in the project's spelling, e.g. ``"USD m per unit^2"``.

    Returns
    -------
    str
        The pint expression (not yet parsed by pint).

    Raises
    ------
    UnitError
        An empty or overlong string, or characters no unit uses.

    Examples
    --------
    >>> pint_expression("1 per year"), pint_expression("per capacity unit")
    ('(1) / (year)', '(1) / (capacity_unit)')
    >>> pint_expression("capacity units"), pint_expression("1")
    ('capacity_unit', '1')
    """
    if not isinstance(unit, str):
        raise UnitError(f"a unit must be a string, got {unit!r}")
    text = unit.strip()
    if not text:
        raise UnitError("the unit is empty (write '1' for a dimensionless number)")
    if len(text) > _MAX_LENGTH:
        raise UnitError(f"the unit is longer than {_MAX_LENGTH} characters")
    text = (
        text.replace("²", "^2")
        .replace("³", "^3")
        .replace("·", " * ")
        .replace("×", " * ")
        .replace("−", "-")
    )
    text = re.sub(r"√\s*([A-Za-z_][A-Za-z_0-9]*)", r"\1^0.5", text)
    for pattern, name in _MULTI:
        text = pattern.sub(name, text)
    text = re.sub(r"[A-Za-z_][A-Za-z_0-9]*", lambda m: _WORDS.get(m.group(0), m.group(0)), text)
    parts = [p.strip() for p in re.split(r"(?:^|\s+)per(?:\s+|$)", text)]
    if parts[0] == "":
        parts[0] = "1"
    if any(not p for p in parts):
        raise UnitError("'per' must stand between two units, as in 'USD m per year'")
    for part in parts:
        _check_tokens(part)
    if len(parts) == 1:
        return parts[0]
    return " / ".join(f"({_spaced(p)})" for p in parts)


def _spaced(part: str) -> str:
    return re.sub(r"\s*(\^|\*\*)\s*", r" \1 ", part).strip()


def _check_tokens(part: str) -> None:
    """Only names, plain numbers and the operators * / ^ ( ); powers small literal numbers."""
    tokens, pos = [], 0
    while pos < len(part):
        match = _TOKEN.match(part, pos)
        if not match:
            raise UnitError(f"unexpected character {part[pos:].strip()[:1]!r}")
        tokens.append(match.group(1))
        pos = match.end()
    for k, token in enumerate(tokens):
        if token in ("^", "**"):
            nxt = tokens[k + 1 : k + 3]
            if nxt[:1] == ["-"]:
                nxt = tokens[k + 2 : k + 4]
            if not nxt or not re.fullmatch(r"[\d.eE+-]+", nxt[0]):
                raise UnitError("a power must be a plain number, as in 'unit^2'")
            try:
                power = float(nxt[0])
            except ValueError:
                raise UnitError(f"a power must be a plain number, got {nxt[0]!r}") from None
            if not abs(power) <= _MAX_EXPONENT:
                raise UnitError(f"a power must be at most {_MAX_EXPONENT} in size")
            if len(nxt) > 1 and nxt[1] in ("^", "**"):
                raise UnitError("powers of powers are not units")


@functools.lru_cache(maxsize=1)
def registry():
    """The project's pint UnitRegistry (built once, on first use).

    Returns
    -------
    pint.UnitRegistry
        pint's registry with the project's units defined (the same object on every call).
    """
    import pint

    ureg: pint.UnitRegistry = pint.UnitRegistry(on_redefinition="raise", cache_folder=None)
    for line in _DEFINITIONS:
        ureg.define(line)
    return ureg


@functools.lru_cache(maxsize=512)
def _parse(unit: str):
    """(scale, pint units) of a unit string; UnitError if pint cannot read it."""
    expr = pint_expression(unit)
    ureg = registry()
    try:
        quantity = ureg.parse_expression(expr)
    except Exception as exc:  # pint raises several kinds (undefined unit, syntax, tokenize)
        name = getattr(exc, "unit_names", None)
        if name:
            names = name if isinstance(name, str) else ", ".join(map(str, name))
            raise UnitError(f"{names!r} is not a known unit") from None
        raise UnitError(f"not a unit expression ({type(exc).__name__})") from None
    if not hasattr(quantity, "units"):  # a plain number such as "1" or "100"
        quantity = ureg.Quantity(quantity, "dimensionless")
    try:
        scale = float(quantity.magnitude)
    except OverflowError:
        scale = math.inf
    if not math.isfinite(scale) or scale <= 0:
        raise UnitError("its scale is not a positive finite number")
    return scale, quantity.units


def same(unit: str, other: str) -> bool:
    """Whether two unit strings are spellings of one unit (``"capacity units"`` and
    ``"units"``; ``"1 per period"`` and ``"1 per year"``), without loading pint.

    Parameters
    ----------
    unit, other : str
        Unit strings in the project's spelling.

    Returns
    -------
    bool
        True when both give the same pint expression (False if either cannot be read).
    """
    try:
        return pint_expression(unit) == pint_expression(other)
    except UnitError:
        return False


def readable(unit: str) -> None:
    """Raise :class:`UnitError` (saying why) unless pint can read ``unit``.

    Parameters
    ----------
    unit : str
        A unit string in the project's spelling.
    """
    _parse(unit)


def factor(unit: str, target: str) -> float:
    """The number that turns a value in ``unit`` into a value in ``target``.

    Parameters
    ----------
    unit : str
        Unit the value is given in.
    target : str
        Unit wanted.

    Returns
    -------
    float
        The positive conversion factor (1.0 for two spellings of one unit).

    Raises
    ------
    UnitError
        If either unit cannot be read, or the two have different dimensions.

    Examples
    --------
    >>> factor("USD k", "USD m"), factor("per decade", "1 per year")
    (0.001, 0.1)
    """
    if same(unit, target):
        return 1.0
    scale, units = _parse(unit)
    target_scale, target_units = _parse(target)
    if units.dimensionality != target_units.dimensionality:
        raise UnitError(f"{unit!r} cannot be converted to {target!r}")
    ureg = registry()
    ratio = float(ureg.Quantity(scale, units).to(target_units).magnitude) / target_scale
    if not math.isfinite(ratio) or ratio <= 0:
        raise UnitError(f"{unit!r} cannot be converted to {target!r} (the factor overflows)")
    return float(f"{ratio:.15g}")  # drop the rounding noise of chained scale factors


def convert(value: float, unit: str, target: str) -> float:
    """``value`` in ``unit`` expressed in ``target``.

    Parameters
    ----------
    value : float
        The number, in ``unit``.
    unit : str
        Unit of ``value``.
    target : str
        Unit wanted (same dimension).

    Returns
    -------
    float
        ``value`` times :func:`factor` (``unit``, ``target``).
    """
    return float(value) * factor(unit, target)


def _with_number(value: float, unit: str) -> str:
    number = f"{value:.6g}"
    text = unit.strip()
    if text == "1":
        return number
    if text.startswith("1 per "):
        text = text[2:]
    return f"{number} {text}"


def describe_conversion(value: float, unit: str, converted: float, target: str) -> str:
    """``"10 USD bn = 10000 USD m"``, for reports.

    Parameters
    ----------
    value : float
        The number as given.
    unit : str
        Its unit.
    converted : float
        The number after conversion.
    target : str
        The unit converted to.

    Returns
    -------
    str
        ``"<value> <unit> = <converted> <target>"`` (6 significant digits; a ``"1"`` unit is
        left out).

    Examples
    --------
    >>> describe_conversion(1, "1 per decade", 0.1, "1 per year")
    '1 per decade = 0.1 per year'
    """
    return f"{_with_number(value, unit)} = {_with_number(converted, target)}"
