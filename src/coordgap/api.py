"""The façade: ``solve``, ``optimum`` and ``gap`` dispatch on the game's type to a solver.

``solve`` checks its keyword options before running anything: each registered solver accepts
the keyword parameters of its signature and, when it takes ``**options``, those of every
function it passes ``**options`` on to (found by reading its source) or of an explicit
``solve_options`` tuple attribute. An unknown option raises an
:class:`~coordgap.errors.InvalidParameterError` with a did-you-mean suggestion.
"""

from __future__ import annotations

import ast
import functools
import importlib
import inspect
import re
import sys
import textwrap
from functools import singledispatch

from .errors import InvalidParameterError, Shown, did_you_mean
from .games.preparedness import PreparednessGame
from .results import EquilibriumSet, SocialOptimum

__all__ = ["solve", "optimum", "solve_options"]


# -- option checking -------------------------------------------------------------------------
def _varkw_name(func) -> str | None:
    for p in inspect.signature(func).parameters.values():
        if p.kind is p.VAR_KEYWORD:
            return p.name
    return None


def _function_node(func):
    """The ``def`` of ``func`` as an AST node, or None when its source is unavailable."""
    try:
        source = textwrap.dedent(inspect.getsource(func))
    except (OSError, TypeError):
        return None
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    node = tree.body[0] if tree.body else None
    return node if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) else None


def _local_imports(node, func) -> dict:
    """Names bound by ``import`` statements inside the function body."""
    package = getattr(sys.modules.get(func.__module__), "__package__", None)
    names = {}
    for stmt in ast.walk(node):
        if isinstance(stmt, ast.ImportFrom):
            base = "." * stmt.level + (stmt.module or "")
            for alias in stmt.names:
                names[alias.asname or alias.name] = (base, alias.name, package)
        elif isinstance(stmt, ast.Import):
            for alias in stmt.names:
                names[alias.asname or alias.name.split(".")[0]] = (alias.name, None, None)
    return names


def _resolve_import(base: str, name: str | None, package: str | None):
    module = importlib.import_module(base, package) if base.strip(".") or not base else None
    if module is None:  # "from . import x"
        module = importlib.import_module(package) if package else None
    if name is None:
        return module
    if hasattr(module, name):
        return getattr(module, name)
    return importlib.import_module(f".{name}", module.__name__)


def _resolve(expr, func, imports):
    """The object a callee expression (``name`` or ``a.b.c``) names in ``func``, or None."""
    if isinstance(expr, ast.Attribute):
        owner = _resolve(expr.value, func, imports)
        return getattr(owner, expr.attr, None) if owner is not None else None
    if not isinstance(expr, ast.Name):
        return None
    if expr.id in imports:
        try:
            return _resolve_import(*imports[expr.id])
        except ImportError:
            return None
    free = dict(zip(func.__code__.co_freevars, (c.cell_contents for c in func.__closure__ or ())))
    if expr.id in free:  # a function defined in an enclosing one
        return free[expr.id]
    scope = getattr(func, "__globals__", {})
    if expr.id in scope:
        return scope[expr.id]
    return (
        getattr(__builtins__, expr.id, None)
        if not isinstance(__builtins__, dict)
        else __builtins__.get(expr.id)
    )


def _forward_targets(func, varkw: str) -> list | None:
    """Callables ``func`` passes ``**varkw`` to; None when some cannot be identified."""
    node = _function_node(func)
    if node is None:
        return None
    imports = _local_imports(node, func)
    targets = []
    for call in ast.walk(node):
        if not isinstance(call, ast.Call):
            continue
        if any(
            k.arg is None and isinstance(k.value, ast.Name) and k.value.id == varkw
            for k in call.keywords
        ):
            target = _resolve(call.func, inspect.unwrap(func), imports)
            if target is None or not callable(target):
                return None
            targets.append(target)
    return targets


def solve_options(func, _seen: frozenset = frozenset()) -> frozenset | None:
    """Keyword options a solver accepts, following ``**options`` to where they go.

    Returns None when the set is open: the function takes ``**options`` and keeps them, or
    passes them somewhere this cannot identify. An explicit ``solve_options`` attribute (a
    tuple of names) on the function takes precedence.

    Examples
    --------
    >>> def inner(game, *, limit=10, tol=1e-9):
    ...     return limit
    >>> def outer(game, *, method="auto", **options):
    ...     return inner(game, **options)
    >>> sorted(solve_options(outer))
    ['limit', 'method', 'tol']
    """
    explicit = getattr(func, "solve_options", None)
    if explicit is not None:
        return frozenset(explicit)
    if func in _seen:
        return frozenset()
    try:
        params = list(inspect.signature(func).parameters.values())
    except (TypeError, ValueError):
        return None
    names = {p.name for p in params[1:] if p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD)}
    varkw = _varkw_name(func)
    if varkw is None:
        return frozenset(names)
    targets = _forward_targets(func, varkw)
    if not targets:  # **options kept, or forwarded somewhere unknown
        return None
    for target in targets:
        more = solve_options(target, _seen | {func})
        if more is None:
            return None
        names |= more
    return frozenset(names)


_cached_options = functools.lru_cache(maxsize=256)(solve_options)


def _unknown_option(name: str, value, accepted, game) -> InvalidParameterError:
    """The error for an option the solver of ``game`` does not take (``accepted`` may be None)."""
    kind = type(game).__name__
    if accepted is None:  # the solver's options are not known in advance
        return InvalidParameterError(
            "solve", name, f"an option accepted for a {kind}", Shown(f"{name}={value!r}")
        )
    choices = sorted(accepted)
    listed = ", ".join(map(repr, choices)) if choices else "none"
    return InvalidParameterError(
        "solve",
        name,
        f"one of the options accepted for a {kind} ({listed})",
        Shown(f"{name}={value!r}"),
        did_you_mean(name, choices) if choices else "",
    )


def _check_options(impl, game, options: dict) -> frozenset | None:
    accepted = _cached_options(impl)
    if accepted is not None:
        for name, value in options.items():
            if name not in accepted:
                raise _unknown_option(name, value, accepted, game)
    return accepted


_UNEXPECTED = re.compile(r"got an unexpected keyword argument '(\w+)'")


def solve(game, **options) -> EquilibriumSet:
    """Every Nash equilibrium of ``game`` the structure allows, each with its max regret.

    Dispatches on the game's type: the preparedness game goes to the aggregative solver
    (:func:`coordgap.solvers.aggregative.solve_preparedness`); other game families register
    their own solver with ``solve.register``.

    Parameters
    ----------
    game
        A coordgap game.
    **options
        Solver options, e.g. ``limit`` or ``method``.

    Returns
    -------
    EquilibriumSet
        With ``complete=True`` when the method proves that the list is all equilibria, and
        ``success=True`` only when every listed equilibrium passed its max-regret certificate.

    Raises
    ------
    InvalidParameterError
        For an option the game's solver does not accept (with a did-you-mean suggestion).

    Examples
    --------
    >>> import coordgap as cg
    >>> g = cg.PreparednessGame(share=[0.3, 0.2], cost=[1.0, 2.0], prob=0.5, harm=40.0,
    ...                         efficacy=0.5, cost_exponent=2.0)
    >>> eq = cg.solve(g)
    >>> eq.complete, len(eq), eq[0].max_regret < 1e-9
    (True, 1, True)
    >>> cg.solve(g, limt=5)
    Traceback (most recent call last):
    ...
    coordgap.errors.InvalidParameterError: The 'limt' parameter of solve must be one of the options accepted for a PreparednessGame (...). Got limt=5 instead. Did you mean 'limit'?
    """
    impl = _solve.dispatch(type(game))
    if impl is _solve.dispatch(object):
        _load_solvers()
        impl = _solve.dispatch(type(game))
    accepted = _check_options(impl, game, options)
    try:
        return impl(game, **options)
    except TypeError as err:
        # A method-specific option given to another method (the static check takes the
        # union over methods), reported like any unknown option.
        found = _UNEXPECTED.search(str(err))
        if found is None or found.group(1) not in options:
            raise
        name = found.group(1)
        known = None if accepted is None else accepted - {name}
        raise _unknown_option(name, options[name], known, game) from None


# The modules that register solvers for the other game families. ``solve`` imports them the
# first time it meets a game it has no solver for, so nothing depends on import order.
SOLVER_MODULES = (
    "coordgap.solvers.normal_form",
    "coordgap.solvers.binary_symmetric",
    "coordgap.solvers.lattice",
    "coordgap.games.global_game",
    "coordgap.games.disclosure",
)


def _load_solvers() -> None:
    for name in SOLVER_MODULES:
        importlib.import_module(name)


@singledispatch
def _solve(game, **options) -> EquilibriumSet:
    raise InvalidParameterError(
        "solve", "game", "a coordgap game (e.g. PreparednessGame)", type(game).__name__
    )


#: Game families register their solver with ``@solve.register`` (as with singledispatch).
solve.register = _solve.register
solve.dispatch = _solve.dispatch
solve.registry = _solve.registry


@solve.register
def _(game: PreparednessGame, *, method: str = "auto", **options) -> EquilibriumSet:
    from .solvers.aggregative import solve_preparedness

    methods = ("auto", "aggregative")
    if method not in methods:
        raise InvalidParameterError(
            "solve",
            "method",
            "one of " + ", ".join(map(repr, methods)),
            method,
            did_you_mean(method, methods),
        )
    return solve_preparedness(game, **options)


@singledispatch
def optimum(game) -> SocialOptimum:
    """The social optimum of ``game`` (the planner internalizes the whole benefit).

    Examples
    --------
    >>> import coordgap as cg
    >>> g = cg.PreparednessGame(share=0.1, cost=1.0, prob=1.0, harm=100.0, efficacy=1.0,
    ...                         n_actors=3)
    >>> round(cg.optimum(g).robustness, 6)  # ln(pHκ·w/c)/κ = ln(100)
    4.60517
    """
    raise InvalidParameterError(
        "optimum", "game", "a coordgap game with a social optimum", type(game).__name__
    )


@optimum.register
def _(game: PreparednessGame) -> SocialOptimum:
    from .solvers.aggregative import optimum_preparedness

    return optimum_preparedness(game)
