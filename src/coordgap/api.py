"""The façade: ``solve`` and ``optimum`` dispatch on the game's type to a solver.

The built-in solvers are listed in one explicit table (:data:`SOLVERS`), each with the
methods it offers and the options each method accepts (the ``METHOD_OPTIONS`` next to each
solver); a solver module is imported only when a game of its family is first solved, and
importing a module never registers anything. Users add solvers for their own game types with
:func:`register_solver` (or ``@cg.solve.register``); their options are read from the
solver's signature, following ``**options`` to the functions it forwards them to
(:func:`solve_options`).

``solve`` checks ``method`` and every option before running anything: an unknown one raises
an :class:`~coordgap.errors.InvalidParameterError` with a did-you-mean suggestion. This module
imports only the kernel (errors, results): solvers never import it.
"""

from __future__ import annotations

import ast
import functools
import importlib
import inspect
import re
import sys
import textwrap
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .errors import InvalidParameterError, Shown, did_you_mean
from .results import EquilibriumSet, SocialOptimum

__all__ = [
    "solve",
    "optimum",
    "register_solver",
    "solver_for",
    "solve_options",
    "SolverEntry",
    "SOLVERS",
    "OPTIMA",
]


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
    names: dict[str, tuple[str, str | None, str | None]] = {}
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
    return importlib.import_module(f".{name}", module.__name__)  # type: ignore[union-attr]


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
        except (ImportError, AttributeError):  # e.g. a relative import outside a package
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

    Parameters
    ----------
    func : callable
        A solver; its first parameter (the game) is not an option.

    Returns
    -------
    frozenset of str or None
        Names of the keyword options ``func`` accepts, or None when the set is open.

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


# -- the dispatch table ------------------------------------------------------------------------
@dataclass(frozen=True)
class SolverEntry:
    """One row of the dispatch table: which function solves a game family, by which methods.

    Parameters
    ----------
    game : str
        The game class, as ``"module:QualifiedName"``.
    solver : str
        The solver function, as ``"module:name"``; called as ``solver(game, method=...,
        **options)``.
    methods : mapping of str to tuple of str
        Each method the solver offers and the options it accepts (``"auto"`` first).
    """

    game: str
    solver: str
    methods: Mapping[str, tuple[str, ...]]

    def options(self, method: str) -> frozenset:
        """The options ``method`` accepts (besides ``method`` itself).

        Parameters
        ----------
        method : str
            One of :attr:`methods`.

        Returns
        -------
        frozenset of str
        """
        return frozenset(self.methods[method])

    def load(self) -> Callable[..., Any]:
        """Import and return the solver function.

        Returns
        -------
        callable
        """
        module, name = self.solver.split(":")
        return getattr(importlib.import_module(module), name)


def _entry(game: str, module: str, function: str) -> SolverEntry:
    # The table of options lives next to each solver (``METHOD_OPTIONS``), read when the entry
    # is first used; a test checks it against the solvers' signatures.
    methods = importlib.import_module(module).METHOD_OPTIONS
    return SolverEntry(game=game, solver=f"{module}:{function}", methods=dict(methods))


#: Every built-in game family and its solver. Nothing registers itself on import: this table is
#: the whole list, and its modules are imported only when a game of that family is solved.
SOLVERS: dict[str, tuple[str, str]] = {
    "coordgap.games.preparedness:PreparednessGame": (
        "coordgap.solvers.aggregative",
        "solve_game",
    ),
    "coordgap.games.normal_form:NormalFormGame": (
        "coordgap.solvers.normal_form_methods",
        "solve_normal_form",
    ),
    "coordgap.games.symmetric_binary:SymmetricBinaryGame": (
        "coordgap.solvers.binary_symmetric",
        "solve_game",
    ),
    "coordgap.games.participation:ParticipationGame": (
        "coordgap.solvers.lattice",
        "solve_participation",
    ),
    "coordgap.games.global_game:GlobalParticipationGame": (
        "coordgap.solvers.global_game",
        "solve_global_game",
    ),
    "coordgap.games.disclosure:DisclosureGame": (
        "coordgap.solvers.disclosure",
        "solve_disclosure",
    ),
    "coordgap.games.bayesian_participation:BayesianParticipationGame": (
        "coordgap.solvers.bayesian_participation",
        "solve_bayesian_participation",
    ),
}

#: Solvers registered by users for their own game types (:func:`register_solver`).
_USER_SOLVERS: dict[type, Callable[..., Any]] = {}


def _key(cls: type) -> str:
    return f"{cls.__module__}:{cls.__qualname__}"


@functools.cache
def _builtin(key: str) -> SolverEntry:
    return _entry(key, *SOLVERS[key])


def solver_for(game_type: type) -> SolverEntry | Callable[..., Any] | None:
    """The solver ``cg.solve`` uses for ``game_type``, found along its method resolution order.

    A subclass of a built-in game is solved by its base's solver; a solver registered with
    :func:`register_solver` for a class (or one of its bases) takes precedence over a
    built-in one further up the order.

    Parameters
    ----------
    game_type : type
        A game class.

    Returns
    -------
    SolverEntry, callable or None
        The built-in table's entry, a user's solver function, or None when there is none.

    Examples
    --------
    >>> import coordgap as cg
    >>> solver_for(cg.ParticipationGame).solver
    'coordgap.solvers.lattice:solve_participation'
    >>> solver_for(int) is None
    True
    """
    for cls in getattr(game_type, "__mro__", (game_type,)):
        if cls in _USER_SOLVERS:
            return _USER_SOLVERS[cls]
        if _key(cls) in SOLVERS:
            return _builtin(_key(cls))
    return None


def register_solver(game_type: type, solver: Callable[..., Any] | None = None):
    """Register ``solver`` as the solver of ``game_type`` (and its subclasses) for ``cg.solve``.

    Usable as a decorator, also in the form ``@cg.solve.register`` with the game type read
    from the annotation of the function's first parameter (as with
    :func:`functools.singledispatch`). The solver's options are checked against its
    signature (see :func:`solve_options`).

    Parameters
    ----------
    game_type : type
        The game class, or (decorator form without arguments) the solver function itself,
        annotated.
    solver : callable, optional
        ``solver(game, **options) -> EquilibriumSet``.

    Returns
    -------
    callable
        The solver (so the decorator leaves the function unchanged).

    Examples
    --------
    >>> from dataclasses import dataclass
    >>> import coordgap as cg
    >>> @dataclass(frozen=True)
    ... class Coin:
    ...     p: float = 0.5
    >>> @cg.solve.register
    ... def _(game: Coin, *, limit: int = 1):
    ...     return cg.results.EquilibriumSet([], method="coin", complete=True)
    >>> cg.solve(Coin()).method
    'coin'
    >>> cg.solve(Coin(), limt=2)
    Traceback (most recent call last):
    ...
    coordgap.errors.InvalidParameterError: The 'limt' parameter of solve must be one of the options accepted for a Coin ('limit'). Got limt=2 instead. Did you mean 'limit'?
    """
    if solver is None and not isinstance(game_type, type) and callable(game_type):
        func = game_type
        first = next(iter(inspect.signature(func).parameters.values()))
        hints = typing.get_type_hints(func)
        if first.name not in hints or not isinstance(hints[first.name], type):
            raise InvalidParameterError(
                "register_solver",
                "solver",
                "a function whose first parameter is annotated with the game class",
                Shown(getattr(func, "__name__", repr(func))),
            )
        return register_solver(hints[first.name], func)
    if solver is None:
        return functools.partial(register_solver, game_type)
    if not isinstance(game_type, type):
        raise InvalidParameterError("register_solver", "game_type", "a class", game_type)
    _USER_SOLVERS[game_type] = solver
    return solver


def _check_method(method, entry: SolverEntry, game) -> None:
    choices = tuple(entry.methods)
    if not isinstance(method, str) or method not in choices:
        raise InvalidParameterError(
            "solve",
            "method",
            f"one of the methods for a {type(game).__name__} ("
            + ", ".join(map(repr, choices))
            + ")",
            method,
            did_you_mean(str(method), choices),
        )


def solve(game, **options) -> EquilibriumSet:
    """Every Nash equilibrium of ``game`` the structure allows, each with its max regret.

    Dispatches on the game's type through the table :data:`SOLVERS` (subclasses use their
    base's solver) and solvers users add with :func:`register_solver` (also spelled
    ``@cg.solve.register``). The ``method`` and every option are checked against what that
    method accepts before anything runs.

    Parameters
    ----------
    game
        A coordgap game.
    **options
        ``method`` and the method's options, e.g. ``limit``.

    Returns
    -------
    EquilibriumSet
        With ``complete=True`` when the method proves that the list is all equilibria, and
        ``success=True`` only when every listed equilibrium passed its max-regret certificate.

    Raises
    ------
    InvalidParameterError
        For a game no solver handles, an unknown method, or an option the method does not
        accept (with a did-you-mean suggestion).

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
    found = solver_for(type(game))
    if found is None:
        raise InvalidParameterError(
            "solve", "game", "a coordgap game (e.g. PreparednessGame)", type(game).__name__
        )
    accepted: frozenset | None
    if isinstance(found, SolverEntry):
        method = options.pop("method", "auto")
        _check_method(method, found, game)
        accepted = found.options(method)
        for name, value in options.items():
            if name not in accepted:
                raise _unknown_option(name, value, accepted, game)
        impl = found.load()
        options["method"] = method
    else:
        impl = found
        accepted = _check_options(impl, game, options)
    try:
        return impl(game, **options)
    except TypeError as err:
        # Under ``method="auto"`` an option of another method than the one chosen for this
        # game is reported like any unknown option.
        hit = _UNEXPECTED.search(str(err))
        if hit is None or hit.group(1) not in options:
            raise
        name = hit.group(1)
        known = None if accepted is None else accepted - {name}
        raise _unknown_option(name, options[name], known, game) from None


#: ``@cg.solve.register``: the decorator form of :func:`register_solver`.
solve.register = register_solver  # type: ignore[attr-defined]


#: The social optimum of each built-in game family, in the same form as :data:`SOLVERS`.
OPTIMA: dict[str, tuple[str, str]] = {
    "coordgap.games.preparedness:PreparednessGame": (
        "coordgap.solvers.aggregative",
        "optimum_preparedness",
    ),
}


def optimum(game) -> SocialOptimum:
    """The social optimum of ``game`` (the planner internalizes the whole benefit).

    Parameters
    ----------
    game
        A game with a social optimum (today: :class:`~coordgap.PreparednessGame` and its
        subclasses).

    Returns
    -------
    SocialOptimum

    Examples
    --------
    >>> import coordgap as cg
    >>> g = cg.PreparednessGame(share=0.1, cost=1.0, prob=1.0, harm=100.0, efficacy=1.0,
    ...                         n_actors=3)
    >>> round(cg.optimum(g).robustness, 6)  # ln(pHκ·w/c)/κ = ln(100)
    4.60517
    """
    for cls in type(game).__mro__:
        if _key(cls) in OPTIMA:
            module, name = OPTIMA[_key(cls)]
            return getattr(importlib.import_module(module), name)(game)
    raise InvalidParameterError(
        "optimum", "game", "a coordgap game with a social optimum", type(game).__name__
    )
