"""Declared parameters: bounds, unit, symbol and meaning, and the one validation path.

Every model class declares its parameters with :func:`param` and calls :func:`validate` in
``__post_init__``. The declarations are the single source of truth for validation, error
messages, axis labels (``label(cls, name)``) and documentation tables (``describe(cls)``).
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import functools
import math
import numbers
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Self, cast

import numpy as np

from .errors import InvalidParameterError, Shown, did_you_mean

__all__ = [
    "Param",
    "param",
    "declared_as",
    "validate",
    "derived",
    "checking_rules",
    "check_parameter",
    "describe",
    "label",
    "parameters",
    "Actors",
    "Replaceable",
]

Actors = Any  # float or array-like of floats, one entry per actor; stored as a read-only ndarray

_CLOSED = {"both", "left", "right", "neither"}
#: Largest magnitude a model parameter may have: beyond it products and sums of a few
#: parameters overflow double precision, so such values are rejected up front.
MAX_MAGNITUDE = 1e150
#: Smallest nonzero magnitude a model parameter may have: quotients by smaller values (a share,
#: a scale, a spread) overflow double precision. Zero itself stays allowed where the bounds are.
MIN_MAGNITUDE = 1e-150
_KINDS = {"actors", "scalar", "integer", "choice", "labels", "flag"}


@dataclass(frozen=True, slots=True)
class Param:
    """Declaration of one model parameter.

    Attributes
    ----------
    kind : str
        ``"actors"`` (one float per actor, scalars broadcast), ``"scalar"`` (one float),
        ``"integer"``, ``"choice"`` (one of ``choices``), ``"labels"`` (one string per actor)
        or ``"flag"`` (bool).
    bounds : tuple of float
        Lower and upper bound; ``closed`` says which ends are included.
    closed : {"both", "left", "right", "neither"}
        Which ends of ``bounds`` are admitted.
    unit, symbol, doc : str
        Physical unit (``"1"`` for dimensionless), math symbol and a one-line meaning.
    choices : tuple of str
        The admitted values of a ``"choice"`` parameter.
    optional : bool
        Whether ``None`` is an accepted value.
    """

    kind: str = "scalar"
    bounds: tuple[float, float] = (-math.inf, math.inf)
    closed: str = "both"
    unit: str = "1"
    symbol: str = ""
    doc: str = ""
    choices: tuple[str, ...] = ()
    optional: bool = False

    def rule(self) -> str:
        """The rule as it appears after "must be" in error messages.

        Returns
        -------
        str
            E.g. ``"a finite float > 0 for every actor"`` or ``"one of 'sum', 'ces'"``.
        """
        if self.kind == "choice":
            return "one of " + ", ".join(repr(c) for c in self.choices)
        if self.kind == "labels":
            return "a sequence of strings, one per actor"
        if self.kind == "flag":
            return "True or False"
        noun = "an integer" if self.kind == "integer" else "a finite float"
        lo, hi = self.bounds
        left = ">=" if self.closed in ("both", "left") else ">"
        right = "<=" if self.closed in ("both", "right") else "<"
        parts = []
        if math.isfinite(lo):
            parts.append(f"{left} {_fmt(lo)}")
        if math.isfinite(hi):
            parts.append(f"{right} {_fmt(hi)}")
        text = noun + (" " + " and ".join(parts) if parts else "")
        if self.kind == "actors":
            text += " for every actor"
        return text

    def admits(self, values: np.ndarray) -> np.ndarray:
        """Boolean mask of entries of ``values`` that satisfy finiteness and the bounds.

        Parameters
        ----------
        values : ndarray
            Float values to test.

        Returns
        -------
        ndarray of bool
            Same shape as ``values``; True where the entry is finite and within ``bounds``
            (ends included as ``closed`` says).
        """
        lo, hi = self.bounds
        ok = np.isfinite(values)
        with np.errstate(invalid="ignore"):
            ok &= (values >= lo) if self.closed in ("both", "left") else (values > lo)
            ok &= (values <= hi) if self.closed in ("both", "right") else (values < hi)
        return ok


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def param(
    default: Any = dataclasses.MISSING,
    *,
    kind: str = "scalar",
    bounds: tuple[float, float] = (-math.inf, math.inf),
    closed: str = "both",
    unit: str = "1",
    symbol: str = "",
    doc: str = "",
    choices: tuple[str, ...] = (),
    optional: bool = False,
) -> Any:
    """Declare a dataclass field as a model parameter (see :class:`Param`).

    Parameters
    ----------
    default : object, optional
        The field's default; omitted, the parameter is required. A default of None makes the
        parameter optional.
    kind : {"scalar", "actors", "integer", "choice", "labels", "flag"}
        The kind of value (see :class:`Param`).
    bounds : tuple of float
        Lower and upper bound (default unbounded).
    closed : {"both", "left", "right", "neither"}
        Which ends of ``bounds`` are admitted (default both).
    unit : str
        Physical unit, ``"1"`` (default) for dimensionless.
    symbol : str
        Math symbol used in labels, e.g. ``"κ"``.
    doc : str
        One-line meaning; the text before the first ``;`` is the axis label.
    choices : tuple of str
        Admitted values of a ``"choice"`` parameter.
    optional : bool
        Whether None is accepted (also True when ``default`` is None).

    Returns
    -------
    dataclasses.Field
        A field whose metadata ``"param"`` holds the :class:`Param` declaration.

    Raises
    ------
    ValueError
        For an unknown ``kind`` or ``closed``.
    """
    if closed not in _CLOSED or kind not in _KINDS:
        raise ValueError(f"bad parameter declaration: kind={kind!r}, closed={closed!r}")
    spec = Param(
        kind,
        cast("tuple[float, float]", tuple(float(b) for b in bounds)),
        closed,
        unit,
        symbol,
        doc,
        tuple(choices),
        optional or default is None,
    )
    return field(default=default, metadata={"param": spec})


def declared_as(cls: Any, name: str, default: Any = dataclasses.MISSING, **changes) -> Any:
    """A field declared like parameter ``name`` of ``cls`` (same bounds, unit, symbol and
    meaning), so that a parameter shared by several models is declared once.

    ``changes`` override attributes of the declaration (e.g. ``optional=True``).

    Parameters
    ----------
    cls : type or object
        The model class (or an instance) that declares the parameter.
    name : str
        The parameter's name in ``cls``.
    default : object, optional
        The new field's default; omitted, the field is required. None makes it optional.
    **changes
        Attributes of :class:`Param` to override.

    Returns
    -------
    dataclasses.Field
        A field carrying the (changed) declaration.
    """
    spec = parameters(cls)[name]
    if default is None:
        changes.setdefault("optional", True)
    if changes:
        spec = dataclasses.replace(spec, **changes)
    return field(default=default, metadata={"param": spec})


def parameters(cls_or_obj: Any) -> dict[str, Param]:
    """Mapping of parameter name to its :class:`Param` declaration, in declaration order.

    Parameters
    ----------
    cls_or_obj : type or object
        A dataclass model class or an instance of one.

    Returns
    -------
    dict of str to Param
        Only the fields declared with :func:`param` (or :func:`declared_as`).
    """
    cls = cls_or_obj if isinstance(cls_or_obj, type) else type(cls_or_obj)
    return dict(_declared(cls))


@functools.cache
def _declared(cls: type) -> tuple[tuple[str, Param], ...]:
    return tuple(
        (f.name, f.metadata["param"]) for f in dataclasses.fields(cls) if "param" in f.metadata
    )


@functools.cache
def _layout(cls: type):
    """What :func:`validate` walks, per class: every declaration, the per-actor ones (numbers
    and labels), the names of the labels and whether ``n_actors`` is declared."""
    declared = _declared(cls)
    per_actor = tuple((n, p) for n, p in declared if p.kind in ("actors", "labels"))
    labels = tuple(n for n, p in declared if p.kind == "labels")
    return declared, per_actor, labels, any(n == "n_actors" for n, _ in declared)


def label(cls_or_obj: Any, name: str) -> str:
    """Axis label for a parameter, from its metadata: ``"unit cost c (USD m)"``.

    Parameters
    ----------
    cls_or_obj : type or object
        A model class or instance.
    name : str
        The parameter's name.

    Returns
    -------
    str
        The meaning (up to its first ``;``), then the symbol, then the unit in parentheses
        unless dimensionless.

    Examples
    --------
    >>> from coordgap import PreparednessGame
    >>> label(PreparednessGame, "harm")
    'harm if unmitigated H (USD m)'
    """
    spec = parameters(cls_or_obj)[name]
    text = spec.doc.split(";")[0]
    if spec.symbol:
        text += f" {spec.symbol}"
    if spec.unit and spec.unit != "1":
        text += f" ({spec.unit})"
    return text


def describe(cls_or_obj: Any) -> list[dict[str, str]]:
    """One record per parameter (name, symbol, unit, rule, meaning), for tables and docs.

    Parameters
    ----------
    cls_or_obj : type or object
        A model class or instance.

    Returns
    -------
    list of dict
        One dict per declared parameter, with string values under the keys ``"name"``,
        ``"symbol"``, ``"unit"``, ``"rule"`` and ``"meaning"``.
    """
    return [
        {"name": n, "symbol": p.symbol, "unit": p.unit, "rule": p.rule(), "meaning": p.doc}
        for n, p in parameters(cls_or_obj).items()
    ]


def _as_float_array(owner: str, name: str, spec: Param, value: Any) -> np.ndarray:
    if isinstance(value, (str, bytes, bool)):
        raise InvalidParameterError(owner, name, spec.rule(), value)
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise InvalidParameterError(owner, name, spec.rule(), value) from None
    if arr.ndim > 1:
        raise InvalidParameterError(
            owner,
            name,
            "a scalar or a 1-D array (one entry per actor)",
            Shown(f"an array of shape {arr.shape}"),
        )
    return arr


def _where(arr: np.ndarray, bad: np.ndarray, names: tuple[str, ...] | None) -> Shown:
    flat, flat_bad = arr.reshape(-1), np.asarray(bad).reshape(-1)
    idx = int(np.flatnonzero(flat_bad)[0])
    shown = float(flat[idx])
    text = "NaN" if math.isnan(shown) else repr(shown)
    if arr.ndim == 0:
        return Shown(text)
    who = f' ("{names[idx]}")' if names is not None and idx < len(names) else ""
    more = int(flat_bad.sum()) - 1
    tail = f" (and {more} more)" if more else ""
    return Shown(f"{text} at actor {idx}{who}{tail}")


def _check_magnitude(
    owner: str, name: str, values: np.ndarray, names: tuple[str, ...] | None = None
) -> None:
    arr = np.asarray(values, dtype=float)
    size = np.abs(arr)
    bad = np.isfinite(arr) & ((size > MAX_MAGNITUDE) | ((size > 0) & (size < MIN_MAGNITUDE)))
    if np.any(bad):
        raise InvalidParameterError(
            owner,
            name,
            f"0 or a float of magnitude between "
            f"{MIN_MAGNITUDE:g} and {MAX_MAGNITUDE:g} (values outside "
            "overflow in products and quotients)",
            _where(arr, bad, names),
        )


_FLOAT = np.dtype(float)
_CHECK_RULES = contextvars.ContextVar("coordgap_check_rules", default=True)


@contextlib.contextmanager
def derived() -> Iterator[None]:
    """Build models whose parameters are computed from validated ones: inside this block
    :func:`validate` normalizes (float arrays, one entry per actor, read-only) but does not
    check the rules again.

    A model is validated once, where its numbers come in (a constructor, a model file,
    ``replace``); the games a policy model derives from it, and the models an instrument
    derives, are built inside this block. Structural checks (lengths, types, choices) still
    run. :func:`checking_rules` says whether the rules are checked.

    Examples
    --------
    >>> with derived():
    ...     checking_rules()
    False
    >>> checking_rules()
    True
    """
    token = _CHECK_RULES.set(False)
    try:
        yield
    finally:
        _CHECK_RULES.reset(token)


def checking_rules() -> bool:
    """Whether :func:`validate` checks the rules here (False inside :func:`derived`).

    Returns
    -------
    bool
        True outside a :func:`derived` block.
    """
    return _CHECK_RULES.get()


def check_parameter(cls: type, name: str, value: Any, names: tuple | None = None) -> bool:
    """Check one new value of a declared scalar or per-actor parameter against its rule,
    raising as :func:`validate` would; the rest of a model need not be checked again.

    Parameters
    ----------
    cls : type
        The model class that declares ``name``.
    name : str
        The parameter.
    value : object
        Its new value (a number, or one number per actor).
    names : tuple of str, optional
        Actor names, to say which actor breaks the rule.

    Returns
    -------
    bool
        True when the parameter is of a kind checked here (scalar or per-actor); False for
        the other kinds (choices, flags, labels, integers), which :func:`validate` must check.

    Raises
    ------
    InvalidParameterError
        When the value breaks the parameter's rule.

    Examples
    --------
    >>> import coordgap as cg
    >>> check_parameter(cg.ActorTable, "join_cost", [1.0, 2.0])
    True
    >>> try:
    ...     check_parameter(cg.ActorTable, "join_cost", [1.0, -2.0])
    ... except cg.InvalidParameterError as err:
    ...     print(err.name, err.value)
    join_cost -2.0 at actor 1
    """
    spec = dict(_declared(cls)).get(name)
    if spec is None or spec.kind not in ("scalar", "actors") or value is None:
        return False
    owner = cls.__name__
    if spec.kind == "scalar":
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise InvalidParameterError(owner, name, spec.rule(), value)
        arr = np.array(float(value))
    else:
        arr = _as_float_array(owner, name, spec, value)
    ok = spec.admits(arr.reshape(-1))
    if not np.all(ok):
        raise InvalidParameterError(
            owner, name, spec.rule(), _where(arr, ~ok.reshape(arr.shape), names)
        )
    _check_magnitude(owner, name, arr, names)
    return True


def validate(obj: Any) -> None:
    """Validate and normalize every declared parameter of a frozen dataclass instance in place.

    Per-actor parameters become read-only float arrays of a common length; the number of
    actors comes from the array arguments, or from an ``n_actors`` field when all are scalars.
    Raises :class:`InvalidParameterError` on the first violation, naming parameter, rule and value.

    Parameters
    ----------
    obj : object
        A dataclass instance whose fields are declared with :func:`param`; it is changed in
        place (with ``object.__setattr__``, so frozen dataclasses work).

    Raises
    ------
    InvalidParameterError
        On the first parameter that breaks its rule, or per-actor lengths that disagree.
    """
    owner = type(obj).__name__
    declared, per_actor, labels, counted = _layout(obj.__class__)
    check = _CHECK_RULES.get()
    put = object.__setattr__

    # Scalars, choices and flags first; they do not depend on the number of actors.
    for name, spec in declared:
        value = getattr(obj, name)
        if value is None:
            if not spec.optional:
                raise InvalidParameterError(owner, name, spec.rule(), None)
            continue
        kind = spec.kind
        if kind == "actors" or kind == "labels":
            continue  # normalized below, once the number of actors is known
        if not check and kind == "scalar" and type(value) is float:
            continue  # a derived model's scalar: already a checked float
        if kind == "choice":
            if not isinstance(value, str) or value not in spec.choices:
                raise InvalidParameterError(
                    owner, name, spec.rule(), value, did_you_mean(str(value), spec.choices)
                )
        elif kind == "flag":
            if not isinstance(value, (bool, np.bool_)):
                raise InvalidParameterError(owner, name, spec.rule(), value)
            put(obj, name, bool(value))
        elif kind == "integer":
            if (isinstance(value, bool) or not isinstance(value, numbers.Integral)) and not (
                isinstance(value, numbers.Real) and float(value).is_integer()
            ):
                raise InvalidParameterError(owner, name, spec.rule(), value)
            if not math.isfinite(float(value)):
                raise InvalidParameterError(owner, name, spec.rule(), value)
            ivalue = int(value)  # type: ignore[call-overload]
            if check and not spec.admits(np.array([float(ivalue)]))[0]:
                raise InvalidParameterError(owner, name, spec.rule(), ivalue)
            if check:
                _check_magnitude(owner, name, np.array(float(ivalue)))
            put(obj, name, ivalue)
        elif kind == "scalar":
            if isinstance(value, bool) or not isinstance(value, numbers.Real):
                raise InvalidParameterError(owner, name, spec.rule(), value)
            fvalue = float(value)
            if check and not spec.admits(np.array([fvalue]))[0]:
                raise InvalidParameterError(owner, name, spec.rule(), fvalue)
            if check:
                _check_magnitude(owner, name, np.array(fvalue))
            put(obj, name, fvalue)

    # Number of actors: the length of array arguments, which must agree.
    lengths: dict[str, int] = {}
    arrays: dict[str, np.ndarray] = {}
    for name, spec in per_actor:
        value = getattr(obj, name)
        if value is None:
            continue
        if spec.kind == "actors":
            if (
                not check
                and type(value) is np.ndarray
                and value.dtype == _FLOAT
                and value.ndim == 1
                and not value.flags.writeable
            ):
                # A derived model's column taken over from its source: kept as it is (the
                # loop below would put the same array back), only its length counts.
                lengths[name] = value.shape[0]
                continue
            arr = arrays[name] = _as_float_array(owner, name, spec, value)
            if arr.ndim == 1:
                lengths[name] = arr.shape[0]
        else:
            derived_labels = not check and isinstance(value, tuple)  # checked at the source
            if not derived_labels and (
                isinstance(value, str) or not all(isinstance(v, str) for v in value)
            ):
                raise InvalidParameterError(owner, name, spec.rule(), value)
            lengths[name] = len(value)
    n_declared = getattr(obj, "n_actors", None) if counted else None
    distinct = set(lengths.values()) | ({n_declared} if n_declared is not None else set())
    if len(distinct) > 1:
        shown = ", ".join(f"{k}={v}" for k, v in lengths.items())
        if n_declared is not None:
            shown += f", n_actors={n_declared}"
        first = next(iter(lengths))
        raise InvalidParameterError(
            owner,
            first,
            "of the same length as the other per-actor parameters",
            Shown(f"lengths {shown}"),
        )
    n_actors = distinct.pop() if distinct else 1
    if n_actors < 1:
        raise InvalidParameterError(
            owner,
            next(iter(lengths), "n_actors"),
            "non-empty (at least one actor)",
            Shown("length 0"),
        )
    if counted:
        put(obj, "n_actors", n_actors)

    names = getattr(obj, "names", None) if check else None  # to say which actor breaks a rule
    names = tuple(names) if names is not None else None
    for name, arr in arrays.items():
        if check:
            spec = dict(per_actor)[name]
            ok = spec.admits(arr)
            if not np.all(ok):
                raise InvalidParameterError(owner, name, spec.rule(), _where(arr, ~ok, names))
            _check_magnitude(owner, name, arr, names)
        if not check and arr.shape == (n_actors,) and not arr.flags.writeable:
            full = arr  # a derived model reuses its source's read-only column
        elif arr.shape == (n_actors,):
            full = arr.copy()
        else:
            full = np.broadcast_to(arr, (n_actors,)).copy()
        full.flags.writeable = False
        put(obj, name, full)
    for name in labels:
        if getattr(obj, name) is not None:
            put(obj, name, tuple(getattr(obj, name)))


class Replaceable:
    """Mixin for frozen dataclass models: :meth:`replace` with :func:`dataclasses.replace`
    semantics, so a subclass keeps its type and its extra fields.

    Examples
    --------
    >>> from dataclasses import dataclass
    >>> @dataclass(frozen=True)
    ... class Model(Replaceable):
    ...     a: float = 1.0
    >>> @dataclass(frozen=True)
    ... class Mine(Model):
    ...     note: str = "kept"
    >>> Mine().replace(a=2.0)
    Mine(a=2.0, note='kept')
    """

    __slots__ = ()

    def replace(self, **changes: Any) -> Self:
        """A copy with some parameters changed (validated again).

        Built by :func:`dataclasses.replace`, so a subclass keeps its type and its extra
        fields (fields with ``init=False`` are recomputed by ``__post_init__``).

        Parameters
        ----------
        **changes
            New values of constructor parameters, by name.

        Returns
        -------
        Self
            The new instance (of the same class as ``self``).
        """
        return dataclasses.replace(self, **changes)  # type: ignore[type-var]
