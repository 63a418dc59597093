"""Docstring gate: every public callable has a numpydoc docstring with the sections it needs.

Public callables are the functions and classes reachable from ``coordgap.__all__`` and from the
``__all__`` of every public submodule, plus the public methods of public classes. Each needs a
summary line; a ``Parameters`` section naming every parameter beyond ``self``/``cls`` (for a
dataclass without its own ``__init__``, ``Parameters`` or ``Attributes`` covering every init
field; parameters named with a leading underscore are internal and exempt); and, when it
returns a value, a ``Returns`` or ``Yields`` section. Properties and the methods of
``Protocol`` classes need only a summary; deprecated aliases (marked ``__deprecated__``) and
dunder methods are not checked.

``tests/docstring_debt.txt`` is a ratchet: it lists the qualified names still allowed to fail.
The test fails when anything off the list fails, and when anything on the list now passes, so
the list only shrinks. Regenerate it from the current tree with
``python tests/test_docstrings.py --write-debt``.
"""

from __future__ import annotations

import ast
import dataclasses
import enum
import functools
import importlib
import inspect
import pkgutil
import sys
import textwrap
import warnings
from pathlib import Path

from numpydoc.docscrape import NumpyDocString

import coordgap

DEBT_FILE = Path(__file__).with_name("docstring_debt.txt")
DEBT_HEADER = """\
# Public callables whose docstrings still miss a numpydoc section (tests/test_docstrings.py).
# The list only shrinks: document a name, then delete its line. One qualified name per line.
"""
_NO_VALUE = {"None", "NoReturn", "Never", "typing.NoReturn", "typing.Never"}
# a @contextmanager that yields nothing to ``as``
_CONTEXT_MANAGER = {"Iterator[None]", "Generator[None,None,None]", "Generator[None]"}


# -- which callables are public ------------------------------------------------------------------


def _ours(obj) -> bool:
    return (getattr(obj, "__module__", None) or "").split(".")[0] == "coordgap"


def _qualname(obj) -> str:
    return f"{obj.__module__}.{obj.__qualname__}"


def _public_modules():
    """coordgap and every public submodule (no component starting with ``_``)."""
    yield coordgap
    for info in pkgutil.walk_packages(coordgap.__path__, "coordgap."):
        if any(part.startswith("_") for part in info.name.split(".")[1:]):
            continue
        yield importlib.import_module(info.name)


def _exported(module):
    for name in getattr(module, "__all__", ()):
        if name.startswith("_"):
            continue
        obj = getattr(module, name, None)
        if (inspect.isfunction(obj) or inspect.isclass(obj)) and _ours(obj):
            yield obj


def _methods(cls):
    """(qualified name, kind, function) for the public methods of cls and its coordgap bases.

    A method is named after the class that defines it. Deprecated aliases (which carry
    ``__deprecated__``, as PEP 702 proposes) document only where they point.
    """
    seen = set()
    for klass in cls.__mro__:
        if not _ours(klass) or (issubclass(klass, enum.Enum) and klass is not cls):
            continue
        for name, attr in vars(klass).items():
            if name.startswith("_") or name in seen:
                continue
            seen.add(name)
            if isinstance(attr, property):
                kind, func = "property", attr.fget
            elif isinstance(attr, functools.cached_property):
                kind, func = "property", attr.func
            elif isinstance(attr, classmethod):
                kind, func = "method", attr.__func__
            elif isinstance(attr, staticmethod):
                kind, func = "static", attr.__func__
            elif inspect.isfunction(attr):
                kind, func = "method", attr
            else:
                continue
            if func is None or hasattr(func, "__deprecated__"):
                continue
            yield f"{_qualname(klass)}.{name}", kind, inspect.unwrap(func)


def public_callables() -> dict[str, tuple[str, object]]:
    """Qualified name -> (kind, object) for every public function, class and method."""
    found: dict[str, tuple[str, object]] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # old names served for a release
        roots = [getattr(coordgap, name) for name in coordgap.__all__]
        roots = [o for o in roots if (inspect.isfunction(o) or inspect.isclass(o)) and _ours(o)]
        for module in _public_modules():
            roots.extend(_exported(module))
    for obj in roots:
        if inspect.isfunction(obj):
            found.setdefault(_qualname(obj), ("function", obj))
            continue
        found.setdefault(_qualname(obj), ("class", obj))
        protocol = getattr(obj, "_is_protocol", False)
        for name, kind, func in _methods(obj):
            if _ours(func):
                found.setdefault(name, ("stub" if protocol else kind, func))
    return found


# -- what each one needs ---------------------------------------------------------------------------


def _docstring(obj) -> str | None:
    doc = inspect.getdoc(obj)
    if inspect.isclass(obj) and dataclasses.is_dataclass(obj):
        own = obj.__dict__.get("__doc__") or ""
        if own.startswith(f"{obj.__name__}("):  # the signature dataclasses writes in
            return None
    return doc


def _parameters(func, drop_first: bool) -> list[str]:
    try:
        params = list(inspect.signature(func).parameters.values())
    except (TypeError, ValueError):
        return []
    if drop_first and params:
        params = params[1:]
    return [p.name for p in params if not p.name.startswith("_")]  # _name: internal only


def _returns_value(func) -> bool:
    annotation = inspect.signature(func).return_annotation
    if annotation is not inspect.Signature.empty:
        if annotation is None or annotation is type(None):
            return False
        text = str(annotation).strip("'\"").replace(" ", "")
        return text not in _NO_VALUE and text not in _CONTEXT_MANAGER
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(func)))
    except (OSError, TypeError, SyntaxError):
        return False
    body = tree.body[0]
    todo = list(ast.iter_child_nodes(body))
    while todo:
        node = todo.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue  # a nested scope returns for itself
        if isinstance(node, (ast.Yield, ast.YieldFrom)):
            return True
        if isinstance(node, ast.Return) and node.value is not None:
            if not (isinstance(node.value, ast.Constant) and node.value.value is None):
                return True
        todo.extend(ast.iter_child_nodes(node))
    return False


def _documented(doc: NumpyDocString, *sections: str) -> set[str]:
    names = set()
    for section in sections:
        for entry in doc[section]:
            for name in entry.name.split(","):
                names.add(name.strip().lstrip("*"))
    return names


def _parse(text: str) -> NumpyDocString:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # unknown section names: the missing section is reported
        return NumpyDocString(text)


def problems(kind: str, obj) -> list[str]:
    """What the docstring of obj lacks, as short phrases (empty if it is complete)."""
    text = _docstring(obj)
    if not text or not text.strip():
        return ["no docstring"]
    try:
        doc = _parse(text)
    except Exception as err:  # numpydoc rejects some malformed docstrings outright
        return [f"unparseable docstring ({err})"]
    if not any(line.strip() for line in doc["Summary"]):
        return ["no summary line"]
    if kind in {"property", "stub"}:
        return []
    found = []
    if kind == "class":
        if issubclass(obj, enum.Enum):
            return []
        init = obj.__dict__.get("__init__")
        generated = dataclasses.is_dataclass(obj) and (
            init is not None and init.__code__.co_filename.startswith("<")
        )
        if init is None or not inspect.isfunction(init) or not (generated or _ours(init)):
            return []  # no __init__ of its own (e.g. a Protocol's, or an inherited one)
        wanted = _parameters(init, drop_first=True)
        sections = ("Parameters", "Attributes") if generated else ("Parameters",)
        have = _documented(doc, *sections)
        if not generated and init.__doc__:
            have |= _documented(_parse(inspect.cleandoc(init.__doc__)), "Parameters")
        what = "Parameters/Attributes" if generated else "Parameters"
    else:
        wanted = _parameters(obj, drop_first=kind == "method")
        have = _documented(doc, "Parameters")
        what = "Parameters"
        if _returns_value(obj) and not (doc["Returns"] or doc["Yields"]):
            found.append("Returns")
    missing = [name for name in wanted if name not in have]
    if missing:
        section = "no " + what if not have else what + " misses"
        found.insert(0, f"{section}: {', '.join(missing)}")
    return found


def offenders() -> tuple[int, dict[str, list[str]]]:
    """Number of public callables checked and qualified name -> problems of those that fail."""
    checked = public_callables()
    failing = {}
    for name, (kind, obj) in checked.items():
        found = problems(kind, obj)
        if found:
            failing[name] = found
    return len(checked), failing


def read_debt() -> set[str]:
    lines = DEBT_FILE.read_text(encoding="utf-8").splitlines() if DEBT_FILE.exists() else []
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def write_debt() -> int:
    _, failing = offenders()
    DEBT_FILE.write_text(DEBT_HEADER + "".join(f"{name}\n" for name in sorted(failing)), "utf-8")
    return len(failing)


# -- the gate ----------------------------------------------------------------------------------------


def test_public_callables_have_numpydoc_sections():
    total, failing = offenders()
    debt = read_debt()
    new = {name: found for name, found in failing.items() if name not in debt}
    paid = sorted(debt - set(failing))
    print(
        f"\ndocstring gate: {total} public callables, {total - len(failing)} complete, "
        f"{len(failing)} failing, {len(debt)} on the debt list"
    )
    message = []
    if new:
        message.append(f"{len(new)} public callables miss numpydoc sections:")
        message.extend(f"  {name}: {'; '.join(found)}" for name, found in sorted(new.items()))
    if paid:
        message.append(
            f"{len(paid)} names on {DEBT_FILE.name} now pass (or no longer exist); "
            "delete their lines:"
        )
        message.extend(f"  {name}" for name in paid)
    assert not message, "\n".join(message)


def _documented_fn(x, *, scale=1.0, **options) -> float:
    """Scaled value.

    Parameters
    ----------
    x, scale : float
        The value and its scale.
    **options
        Ignored.

    Returns
    -------
    float
        The product.
    """
    return x * scale


def _undocumented_fn(x, _cache=None):
    """Scaled value."""
    return 2 * x


def _no_value_fn(x) -> None:
    """Nothing back.

    Parameters
    ----------
    x : object
        Anything.
    """


def test_gate_rules():
    assert problems("function", _documented_fn) == []
    assert problems("function", _undocumented_fn) == ["no Parameters: x", "Returns"]
    assert problems("function", _no_value_fn) == []
    assert problems("property", _undocumented_fn) == []
    assert problems("function", lambda: None) == ["no docstring"]

    @dataclasses.dataclass
    class Record:
        """A record.

        Attributes
        ----------
        a : int
            First.
        """

        a: int
        b: int = 0

    assert problems("class", Record) == ["Parameters/Attributes misses: b"]

    @dataclasses.dataclass
    class Bare:
        a: int

    assert problems("class", Bare) == ["no docstring"]


def test_gate_finds_the_public_api():
    names = public_callables()
    assert "coordgap.games.preparedness.PreparednessGame" in names
    assert "coordgap.api.solve" in names
    assert len(names) > 300


if __name__ == "__main__":
    if sys.argv[1:] == ["--write-debt"]:
        print(f"{write_debt()} names written to {DEBT_FILE}")
    else:
        total, failing = offenders()
        for name, found in sorted(failing.items()):
            print(f"{name}: {'; '.join(found)}")
        print(f"{len(failing)} of {total} public callables fail")
