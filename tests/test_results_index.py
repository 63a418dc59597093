"""docs/results.md lists every result class of the package, each in the module it names."""

import importlib
import inspect
import pkgutil
import re
import warnings
from pathlib import Path

import coordgap
from coordgap.results import Result

INDEX = Path(__file__).resolve().parents[1] / "docs" / "results.md"
SKIP = {"coordgap.__main__", "coordgap.games.classics"}  # runs the CLI; a deprecated alias


def _result_classes() -> dict[str, str]:
    found = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        for info in pkgutil.walk_packages(coordgap.__path__, "coordgap."):
            if info.name in SKIP:
                continue
            module = importlib.import_module(info.name)
            for obj in vars(module).values():
                if (
                    inspect.isclass(obj)
                    and issubclass(obj, Result)
                    and obj.__module__ == module.__name__
                ):
                    found[obj.__name__] = module.__name__
    return found


def test_every_result_class_is_in_the_index_with_its_module():
    text = INDEX.read_text(encoding="utf-8")
    rows = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) == 3 and cells[2].startswith("`coordgap"):
            for name in re.findall(r"`(\w+)`", cells[0]):
                rows[name] = cells[2].strip("`")
    found = _result_classes()
    assert len(found) >= 30
    missing = sorted(set(found) - set(rows))
    assert not missing, f"result classes missing from docs/results.md: {missing}"
    wrong = {n: (rows[n], m) for n, m in found.items() if rows[n] != m}
    assert not wrong, f"listed under the wrong module (listed, actual): {wrong}"
    stale = sorted(set(rows) - set(found))
    assert not stale, f"docs/results.md lists classes that do not exist: {stale}"
