"""The documentation site, the licence and the citation record.

Building the whole site (every notebook executed, warnings as errors) is CI's job (``.ci/run``);
these tests run the generators of ``docs/_ext/coordgap_docs.py`` and check that what they write
covers the package: every model-file key, every command and option, every public name. The
expected sets are collected here independently of the generators — from the argument parser
walked afresh, from the keys of real model files, and from each public module's ``__all__``.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import pkgutil
import re
import sys
import tomllib
import warnings
from pathlib import Path

import pytest

import coordgap

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
MISSING_FILE = "DESIGN" + ".md"  # spelled in two parts so this file does not cite it


@pytest.fixture(scope="module")
def gen():
    """The docs generators, loaded from their file (docs/ is not a package)."""
    spec = importlib.util.spec_from_file_location("coordgap_docs", DOCS / "_ext/coordgap_docs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("coordgap_docs", module)
    spec.loader.exec_module(module)
    return module


def _sections(text: str, level: str = "## ") -> dict[str, str]:
    """Markdown text split at headings of one level: heading line -> body."""
    out: dict[str, str] = {}
    parts = re.split(rf"^{level}", text, flags=re.M)
    for part in parts[1:]:
        head, _, body = part.partition("\n")
        out[head] = body
    return out


def _section(sections: dict[str, str], table: str) -> str:
    found = [body for head, body in sections.items() if f"`[{table}]`" in head]
    assert len(found) == 1, f"no single section for [{table}]"
    return found[0]


# -- model-file reference ------------------------------------------------------------------------


def _model_files() -> list[Path]:
    files = [
        ROOT / "src/coordgap/data/default_model.toml",
        *sorted((ROOT / "models").glob("*.toml")),
    ]
    files += sorted((ROOT / "tests/valid_models").glob("*.toml"))
    return [f for f in files if f.is_file()]


def test_model_file_reference_lists_the_keys_of_real_model_files(gen):
    """Every key used in the packaged, example and valid test model files is documented in the
    section of the reference that its table belongs to."""
    text = gen.model_file_reference()
    sections = _sections(text)
    checked = 0
    for path in _model_files():
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
        for name in ("model", "preparedness", "participation", "commitment", "welfare"):
            for key in doc.get(name, {}):
                assert f"`{key}`" in _section(sections, name), (path.name, name, key)
                checked += 1
        for role in doc.get("actors", {}).values():
            for key in role:
                assert f"`{key}`" in _section(sections, "actors.ROLE"), (path.name, key)
                checked += 1
            for key in role.get("registry", {}):
                assert f"`{key}`" in _section(sections, "actors.ROLE.registry"), (path.name, key)
                checked += 1
        designs = _section(sections, "designs.NAME")
        kinds = _sections(designs, "### ")
        for design in doc.get("designs", {}).values():
            for key in design:
                assert f"`{key}`" in designs, (path.name, key)
            for item in design.get("instruments", []):
                heading = f'`type = "{item["type"]}"`'
                body = next(b for h, b in kinds.items() if heading in h)
                for key in set(item) - {"type", "roles"}:
                    assert f"| `{key}` |" in body, (path.name, item["type"], key)
                    checked += 1
        for figure in doc.get("figures", {}).values():
            for key in figure:
                assert f"`{key}`" in _section(sections, "figures.ID"), (path.name, key)
                checked += 1
    assert checked > 50


def test_model_file_reference_gives_unit_rule_and_default_of_declared_parameters(gen):
    """Each row of a declared parameter carries its declared unit and rule: the reference is
    generated from the declarations, not written by hand."""
    from coordgap.games.preparedness import PreparednessGame
    from coordgap.params import parameters

    text = gen.model_file_reference()
    body = _section(_sections(text), "preparedness")
    declared = parameters(PreparednessGame)
    for key in ("harm", "efficacy", "cost_exponent", "aggregator"):
        row = next(line for line in body.splitlines() if line.startswith(f"| `{key}` |"))
        assert declared[key].rule() in row
        assert declared[key].doc.split(";")[0] in row
    row = next(line for line in body.splitlines() if line.startswith("| `harm` |"))
    assert "USD m" in row and "required" in row
    # an optional parameter shows the default of its dataclass field (γ = 1: linear cost)
    row = next(line for line in body.splitlines() if line.startswith("| `cost_exponent` |"))
    assert "`1`" in row


def test_model_file_reference_lists_every_key_the_loader_accepts(gen):
    text = gen.model_file_reference()
    keys = gen.model_file_keys()
    assert {"preparedness", "actors.ROLE.registry", "figures.ID"} <= set(keys)
    for section, names in keys.items():
        for key in names:
            assert f"`{key}`" in text, (section, key)


# -- command-line reference ----------------------------------------------------------------------


def _walk(parser: argparse.ArgumentParser, prefix: str = ""):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield f"{prefix}{name}", sub
                yield from _walk(sub, f"{prefix}{name} ")


def test_cli_reference_lists_every_command_and_option(gen):
    from coordgap import cli

    text = gen.cli_reference()
    commands = list(_walk(cli._parser()))
    assert {"compare", "solve", "figures", "check", "registry check"} <= {c for c, _ in commands}
    sections = {
        head.strip("# `").removeprefix("coordgap "): body
        for head, body in re.findall(
            r"^(#{2,4} `coordgap [^`]+`)\n(.*?)(?=^\(cli-|\Z)", text, re.M | re.S
        )
    }
    for command, parser in commands:
        assert command in sections, f"no section for `coordgap {command}`"
        for action in parser._actions:
            for option in action.option_strings:
                assert f"`{option}" in sections[command], (command, option)
    assert sorted(gen.cli_commands()) == sorted(c for c, _ in commands)


# -- API reference -------------------------------------------------------------------------------


def _public_modules():
    """coordgap and its public submodules, less the aliases left at old locations (a module
    that replaces itself, with a DeprecationWarning, by the module it moved to)."""
    yield "coordgap"
    for info in pkgutil.walk_packages(coordgap.__path__, "coordgap."):
        if not any(part.startswith("_") for part in info.name.split(".")):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                module = importlib.import_module(info.name)
            if module.__name__ == info.name:
                yield info.name


def test_api_reference_lists_every_public_name(gen):
    pages = gen.api_pages()
    documented: dict[str, list[str]] = {}
    for modname in _public_modules():
        page = pages.get(f"{modname}.rst")
        assert page is not None, f"no API page for {modname}"
        assert f".. automodule:: {modname}" in page
        assert f"   {modname}\n" in pages["index.rst"]
        module = importlib.import_module(modname)
        for name in getattr(module, "__all__", []):
            assert re.search(
                rf"(::\s+{re.escape(modname)}\.{re.escape(name)}$|``{re.escape(name)}``)",
                page,
                re.M,
            ), (
                modname,
                name,
            )
        for target in re.findall(
            r"^\.\. auto(?:class|function|exception|data):: (\S+)$", page, re.M
        ):
            documented.setdefault(target.rsplit(".", 1)[1], []).append(target)
    # each class and function is documented in full once, on one page (no duplicate targets)
    for name, targets in documented.items():
        objects = [getattr(importlib.import_module(t.rsplit(".", 1)[0]), name) for t in targets]
        ids = [id(o) for o in objects if isinstance(o, type) or callable(o)]
        assert len(ids) == len(set(ids)), f"{name} documented twice: {targets}"


def test_plain_text_formulas_are_escaped_outside_literals(gen):
    lines = gen.plain_text_math(
        [
            "the residual |p − σ(λ·Δ(p))| and u_i(1, p_-i)",
            "|x − y| / y at the start of a line",
            "| a line block",
            "``a|b`` and :math:`|x|` stay",
            "",
            ">>> abs(-1) | 0",
            "",
            "Formula::",
            "",
            "    |kept|",
        ]
    )
    assert lines[0] == r"the residual \|p − σ(λ·Δ(p))\| and u_i(1, p\_-i)"
    assert lines[1] == r"\|x − y\| / y at the start of a line"
    assert lines[2] == "| a line block"
    assert lines[3] == "``a|b`` and :math:`|x|` stay"
    assert lines[5] == ">>> abs(-1) | 0"
    assert lines[9] == "    |kept|"
    (linked,) = gen.plain_text_math(["A bond (docs/guide/m3-commitment.md, see ``docs/x.md``)."])
    assert linked == "A bond (:doc:`/guide/m3-commitment`, see ``docs/x.md``)."


# -- site layout ---------------------------------------------------------------------------------


def test_every_page_is_in_a_toctree():
    """Every guide page is named in the index; the pages of docs/ itself, including pages
    added later, are picked up by the glob of the "Background" toctree."""
    index = (DOCS / "index.md").read_text(encoding="utf-8")
    toctrees = re.findall(r"```\{toctree\}\n(.*?)```", index, re.S)
    entries = {line for tree in toctrees for line in tree.splitlines() if line and line[0] != ":"}
    assert any(":glob:" in tree and "\n*\n" in f"\n{tree}" for tree in toctrees)
    for page in sorted((DOCS / "guide").glob("*.md")):
        assert f"guide/{page.stem}" in entries, f"docs/guide/{page.name} is not in the toctree"
    assert (DOCS / "reference/index.md").is_file() and "reference/index" in entries


def test_gallery_executes_every_notebook(gen, tmp_path):
    gallery = (DOCS / "gallery/index.md").read_text(encoding="utf-8")
    assert ":glob:" in gallery and "/_generated/gallery/*" in gallery
    conf = (DOCS / "conf.py").read_text(encoding="utf-8")
    assert re.search(r"^nb_execution_mode = \"(force|cache|auto)\"$", conf, re.M)
    assert re.search(r"^nb_execution_timeout = \d+", conf, re.M)
    assert re.search(r"^nb_execution_raise_on_error = True", conf, re.M)
    assert "backend_inline" in conf  # kernels draw inline: figures render in the gallery
    copies = gen._sync_notebooks(tmp_path)
    assert sorted(p.name for p in copies) == sorted(
        p.name for p in (ROOT / "notebooks").glob("*.ipynb")
    )
    assert copies


def test_generated_pages_are_ignored_by_git():
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "docs/_generated/" in ignored and "docs/_build/" in ignored


# -- no citations of a missing file --------------------------------------------------------------


def test_no_file_cites_the_unshipped_design_notes():
    roots = [ROOT / "src", ROOT / "tests", ROOT / "notebooks"]
    files = [
        p
        for r in roots
        for p in r.rglob("*")
        if p.suffix in {".py", ".ipynb", ".md", ".toml", ".txt"}
    ]
    files += [
        p for p in DOCS.rglob("*.md") if "_generated" not in p.parts and "_build" not in p.parts
    ]
    files += [ROOT / "README.md"]
    citing = [str(p.relative_to(ROOT)) for p in files if MISSING_FILE.encode() in p.read_bytes()]
    assert citing == []


# -- licence, citation, project metadata ---------------------------------------------------------


@pytest.fixture(scope="module")
def project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def test_license_is_bsd_3_clause(project):
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("BSD 3-Clause License")
    assert "coordgap developers" in text
    # the three clauses of the SPDX BSD-3-Clause text
    assert "Redistributions of source code must retain" in text
    assert "Redistributions in binary form must reproduce" in text
    assert "Neither the name of the copyright holder" in text
    assert project["license"] == "BSD-3-Clause"
    assert "LICENSE" in project["license-files"]


def test_license_metadata_needs_a_hatchling_that_reads_it():
    build = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["build-system"]
    spec = next(r for r in build["requires"] if r.startswith("hatchling"))
    version = tuple(int(x) for x in re.search(r">=\s*([\d.]+)", spec).group(1).split("."))
    assert version >= (1, 27)  # PEP 639 license expressions and license-files


def test_citation_file_is_valid_cff(project):
    yaml = pytest.importorskip("yaml")
    record = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    # required keys of CFF 1.2.0
    for key in ("cff-version", "message", "title", "authors"):
        assert record.get(key), key
    assert record["cff-version"] == "1.2.0"
    assert record["authors"] and all("name" in a or "family-names" in a for a in record["authors"])
    assert str(record["version"]) == coordgap.__version__
    assert record["license"] == project["license"]
    assert record["type"] == "software"


def test_project_urls(project):
    urls = project["urls"]
    for key in ("Homepage", "Documentation", "Source", "Issues"):
        assert urls[key].startswith("https://"), key
