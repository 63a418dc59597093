"""Generate the reference pages of the documentation from the code itself.

Three references are written into ``docs/_generated/`` (git-ignored) before Sphinx reads any
source, so they can never drift from the package:

* the **model-file reference**, from the parameter declarations (:func:`coordgap.params.param`)
  of the models each model-file section feeds, and the key lists of the model-file loader;
* the **command-line reference**, from the ``argparse`` parser of ``coordgap.cli``;
* the **API reference**, one page per public module (no dotted component starting with ``_``),
  listing every name of the module's ``__all__``.

The notebooks of ``notebooks/`` are copied into ``docs/_generated/gallery/`` for myst-nb to
execute. Each generator is a plain function returning text, so a unit test can run it without
building the site. A file is rewritten only when its text changes, which keeps incremental
builds incremental.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import inspect
import os
import pkgutil
import re
import shutil
import warnings
from pathlib import Path
from typing import Any

DOCS = Path(__file__).resolve().parent.parent
ROOT = DOCS.parent
GENERATED = DOCS / "_generated"
NOTEBOOKS = ROOT / "notebooks"

__all__ = [
    "public_modules",
    "public_names",
    "api_pages",
    "model_file_reference",
    "cli_reference",
    "cli_commands",
    "model_file_keys",
    "plain_text_math",
    "write_all",
    "setup",
]


# -- API reference --------------------------------------------------------------------------------


def public_modules() -> list[str]:
    """coordgap and every submodule whose dotted name has no component starting with ``_``.

    An alias left at an old location (a module that replaces itself by the module it moved to)
    is not listed: its module is, under its new name.

    Returns
    -------
    list of str
        Module names, sorted, ``"coordgap"`` first.
    """
    import coordgap

    names = []
    for info in pkgutil.walk_packages(coordgap.__path__, "coordgap."):
        if any(part.startswith("_") for part in info.name.split(".")):
            continue
        with warnings.catch_warnings():
            # an old location kept for one release warns when imported, and stands for the
            # module it moved to, which is documented under its new name
            warnings.simplefilter("ignore", DeprecationWarning)
            module = importlib.import_module(info.name)
        if module.__name__ == info.name:
            names.append(info.name)
    return ["coordgap", *sorted(names)]


def public_names(modname: str) -> list[str]:
    """The public names of a module: its ``__all__``, else the public names it defines.

    Parameters
    ----------
    modname : str
        A module name.

    Returns
    -------
    list of str
        Names in the order of ``__all__`` (or sorted, for a module without one).
    """
    module = importlib.import_module(modname)
    declared = getattr(module, "__all__", None)
    if declared is not None:
        return [str(n) for n in declared]
    return sorted(
        n
        for n, obj in vars(module).items()
        if not n.startswith("_")
        and not inspect.ismodule(obj)
        and getattr(obj, "__module__", None) == modname
    )


def _home(name: str, obj: Any, listing: dict[str, list[str]]) -> str:
    """The module whose page documents ``obj`` in full: the module that defines it, when that
    module lists it, else the deepest public module that lists it under the same name."""
    import sys

    candidates = [m for m, names in listing.items() if name in names]
    candidates = [m for m in candidates if getattr(sys.modules[m], name, None) is obj]
    defining = getattr(obj, "__module__", None)
    if (inspect.isclass(obj) or inspect.isroutine(obj)) and defining in candidates:
        return str(defining)
    return sorted(candidates, key=lambda m: (-m.count("."), m))[0]


def _directive(modname: str, name: str, obj: Any) -> str:
    target = f"{modname}.{name}"
    if inspect.isclass(obj):
        kind = "autoexception" if issubclass(obj, BaseException) else "autoclass"
        return f".. {kind}:: {target}\n   :members:\n   :show-inheritance:\n"
    if inspect.isroutine(obj):
        return f".. autofunction:: {target}\n"
    return f".. autodata:: {target}\n   :no-value:\n"


def _title(text: str, char: str = "=") -> str:
    return f"{text}\n{char * len(text)}\n"


def api_pages() -> dict[str, str]:
    """The reST source of every API page, by file name under ``_generated/api/``.

    Returns
    -------
    dict of str to str
        ``"index.rst"`` and one ``"MODULE.rst"`` per public module. Every name of a module's
        ``__all__`` appears on its page: documented in full on the page of the module that
        defines it, and listed with a link on the pages of the modules that re-export it.
    """
    modules = public_modules()
    listing = {m: public_names(m) for m in modules}
    pages: dict[str, str] = {}
    for modname in modules:
        module = importlib.import_module(modname)
        own, elsewhere = [], []
        for name in listing[modname]:
            obj = getattr(module, name)
            if inspect.ismodule(obj):
                elsewhere.append((name, f":py:mod:`{obj.__name__}`"))
                continue
            home = _home(name, obj, listing)
            if home == modname:
                own.append(_directive(modname, name, obj))
            else:
                elsewhere.append((name, f":py:obj:`{home}.{name}`"))
        text = [
            _title(f"``{modname}``"),
            f".. automodule:: {modname}\n   :no-members:\n",
        ]
        if elsewhere:
            text.append(_title("Names defined elsewhere", "-"))
            text.append(
                "Available here as well; each is documented on the page of its module.\n\n"
                ".. list-table::\n   :header-rows: 1\n   :widths: 30 70\n\n"
                "   * - name\n     - documented at\n"
            )
            text += [f"   * - ``{n}``\n     - {ref}\n" for n, ref in elsewhere]
        if own:
            if elsewhere:
                text.append(_title("Defined here", "-"))
            text += own
        pages[f"{modname}.rst"] = "\n".join(text)
    toc = "\n".join(f"   {m}" for m in modules)
    pages["index.rst"] = (
        _title("API reference")
        + "\nOne page per public module. ``import coordgap as cg`` gives every name of the\n"
        "first page; the other pages document each class and function where it is defined.\n"
        "Names that start with an underscore are private and may change without notice.\n\n"
        f".. toctree::\n   :maxdepth: 1\n\n{toc}\n"
    )
    return pages


# -- model-file reference -------------------------------------------------------------------------


def _default(field: dataclasses.Field | None) -> str:
    if field is None:
        return "—"
    if field.default is not dataclasses.MISSING:
        value = field.default
    elif field.default_factory is not dataclasses.MISSING:
        value = field.default_factory()
    else:
        return "required"
    if value is None:
        return "none"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return f"`{value:g}`"
    return f"`{value!r}`"


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|") or "—"


def _unit(unit: str) -> str:
    return "dimensionless" if unit in ("", "1") else unit


def _rows(cls: type, keys, *, units: dict[str, str], section: str, required=()) -> list[str]:
    from coordgap.params import parameters

    declared = parameters(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    rows = []
    for key, name in keys:
        spec = declared[name]
        unit = units.get(f"{section}.{key}", spec.unit)
        if spec.kind in ("choice", "flag", "labels"):
            unit = "—"  # not a quantity
        default = "required" if key in required else _default(fields.get(name))
        symbol = f"{spec.symbol}" if spec.symbol else ""
        rows.append(
            f"| `{key}` | {_cell(symbol)} | {_cell(_unit(unit))} | {_cell(spec.rule())} "
            f"| {default} | {_cell(spec.doc)} |"
        )
    return rows


_HEADER = [
    "| key | symbol | unit | admitted values | default | meaning |",
    "|---|---|---|---|---|---|",
]
_MODEL_MEANINGS = {
    "name": "short name of the model, used in file names and tables",
    "title": "one-line title shown on reports and figures",
    "description": "a paragraph describing the model and its calibration",
}
_FIGURE_MEANINGS = {
    "kind": "what the figure shows (see the list of kinds below)",
    "title": "the figure's title",
    "design": "the design the figure varies (a key of `[designs]`)",
    "values": "the grid of instrument levels or parameter values",
    "fast_values": "a smaller grid used with `--fast`",
    "n": "number of Monte Carlo draws or grid points",
    "fast_n": "the number used with `--fast`",
    "seed": "seed of the random draws (figures are deterministic)",
    "target": "the target a design must meet, e.g. `coverage >= 0.5`",
    "distributions": "uncertain parameters: model path → a scipy.stats family and its numbers",
    "correlation": "rank correlation between uncertain parameters",
    "params": "the figure kind's own numbers",
    "scenario": "the registry scenario of an exercise figure",
    "horizon": "number of periods of a dynamic figure",
}


def model_file_keys() -> dict[str, list[str]]:
    """Every key the model-file loader accepts, by section.

    Returns
    -------
    dict of str to list of str
        Section (``"preparedness"``, ``"actors.ROLE.registry"``, ``"designs.NAME.instruments"``,
        ...) → its keys, read from the loader and the parameter declarations.
    """
    from coordgap.params import parameters
    from coordgap.spec import model as loader

    kinds = _instrument_kinds()
    out = {
        "model": sorted(loader._MODEL_KEYS),
        "preparedness": list(loader._GAME_KEYS),
        "participation": list(loader._PARTICIPATION_KEYS),
        "commitment": list(loader._COMMITMENT_KEYS),
        "welfare": list(loader._WELFARE_KEYS),
        "actors.ROLE": list(loader._ACTOR_KEYS),
        "actors.ROLE.registry": list(loader._REGISTRY_KEYS),
        "designs.NAME": ["description", "instruments"],
        "figures.ID": sorted(loader._FIGURE_KEYS),
    }
    for kind, cls in kinds.items():
        extra = ["role_value"] if kind == "ComputeAccess" else []
        out[f"designs.NAME.instruments ({kind})"] = [
            "type",
            "roles",
            *parameters(cls),
            *extra,
        ]
    return out


def _instrument_kinds() -> dict[str, type]:
    from coordgap import instruments

    return {
        n: getattr(instruments, n)
        for n in instruments.__all__
        if n not in ("Instrument", "PolicyModel", "Design")
    }


def _markdown_summary(doc: str) -> str:
    """The first paragraph of a docstring as Markdown: reST roles and literals become code, and
    pointers to the guide pages (this site's own pages) are dropped."""
    text = " ".join(doc.split("\n\n")[0].split())
    text = re.sub(r" \((?:docs/[\w./-]+(?:, )?)+\)", "", text)
    text = re.sub(r":[\w:]+:`~?([^`]+)`", r"`\1`", text)
    return text.replace("``", "`")


def model_file_reference() -> str:
    """The MyST source of the model-file reference.

    Returns
    -------
    str
        One table per model-file section, one row per key: symbol, unit, admitted values,
        default and meaning, taken from the parameter declarations.
    """
    from coordgap.games.commitment import CommitmentModel
    from coordgap.games.participation import ParticipationGame
    from coordgap.games.preparedness import PreparednessGame
    from coordgap.instruments import PolicyModel
    from coordgap.params import parameters
    from coordgap.spec import figures as figure_spec
    from coordgap.spec import model as loader

    units = dict(loader._FILE_UNITS)
    required = loader._REQUIRED
    parts = {"participation": ParticipationGame, "commitment": CommitmentModel}
    lines = [
        "# Model-file reference",
        "",
        "A model file is a TOML file of numbers, units and sources — never formulas.",
        "`coordgap check FILE` validates one and lists every problem at once, each with its",
        "dotted path. This page is generated from the parameter declarations of the models",
        "each section feeds, so it lists exactly the keys the loader accepts.",
        "",
        "A number is written plainly (`prob = 0.1`) or as a quantity with its unit and source",
        '(`prob = { value = 0.1, unit = "1 per year", source = "illustrative" }`). A quantity',
        "in another unit of the same dimension (for example `USD bn` for `USD m`) is converted",
        "on loading, and the conversion is recorded. The unit column gives the unit a plain",
        "number is read in. *Required* keys must be present; the others take the default shown.",
        "",
        "## `[model]`",
        "",
        "| key | meaning |",
        "|---|---|",
        *(
            f"| `{k}` | {_MODEL_MEANINGS.get(k, 'a string')} (a string, optional) |"
            for k in sorted(loader._MODEL_KEYS)
        ),
        "",
        "## `[preparedness]` — the preparedness game (M1)",
        "",
        '`ces_rho` is required when `aggregator = "ces"`.',
        "",
        *_HEADER,
        *_rows(
            PreparednessGame,
            [(k, k) for k in loader._GAME_KEYS],
            units=units,
            section="preparedness",
            required=required["preparedness"],
        ),
        "",
        "## `[participation]` — the critical mass of the registry (M2)",
        "",
        *(
            f'`critical_mass = "{curve}"` requires {" and ".join(f"`{k}`" for k in keys)}.'
            for curve, keys in loader._REQUIRED_BY_CURVE.items()
            if curve
        ),
        "",
        *_HEADER,
        *_rows(
            ParticipationGame,
            [(k, k) for k in loader._PARTICIPATION_KEYS],
            units=units,
            section="participation",
        ),
        "",
        "## `[commitment]` — commitment credibility (M3)",
        "",
        "Required in a model with a registry (any `[actors.ROLE.registry]` table).",
        "",
        *_HEADER,
        *_rows(
            CommitmentModel,
            [(k, k) for k in loader._COMMITMENT_KEYS],
            units=units,
            section="commitment",
        ),
        "",
        "## `[welfare]`",
        "",
        *_HEADER,
        *_rows(
            PolicyModel,
            [(k, k) for k in loader._WELFARE_KEYS],
            units=units,
            section="welfare",
        ),
        "",
        "## `[actors.ROLE]` — one table per role",
        "",
        "`ROLE` is a name of your choice (`ai_developer`, `cloud_provider`, ...). The role's",
        "`count` actors are identical; `share` and `cost` are required.",
        "",
        *_HEADER,
        f"| `count` | — | actors | an integer >= 1 and <= {loader.MAX_COUNT} | `1` "
        "| number of identical actors of the role |",
        *_rows(
            PreparednessGame,
            [(k, k) for k in ("share", "cost", "weight")],
            units={"actors.cost": "USD m per unit^γ"},
            section="actors",
            required=("share", "cost"),
        ),
        "| `names` | — | — | a list of strings, one per actor | generated from the role "
        "| actor names |",
        "| `registry` | — | — | a table (below) | none: a preparedness-only model "
        "| the role's registry numbers |",
        "",
        "## `[actors.ROLE.registry]` — registry participation and commitment (M2, M3)",
        "",
        f"Required keys: {', '.join(f'`{k}`' for k in required['registry'])}.",
        "",
        *_HEADER,
        *[
            row
            for key, (part, name) in loader._REGISTRY_KEYS.items()
            for row in _rows(
                parts[part],
                [(key, name)],
                units=units,
                section="registry",
                required=required["registry"],
            )
        ],
        "",
        "## `[designs.NAME]` — incentive designs (M4)",
        "",
        "A design has an optional `description` (a string) and a list `instruments` of",
        'instrument tables, each with a `type` (the instrument class, e.g. `"PerformanceBond"`)',
        "and an optional `roles` list (the roles it applies to; default every role). A",
        "`baseline` design without instruments is added when the file has none.",
        "",
    ]
    for kind, cls in _instrument_kinds().items():
        summary = _markdown_summary(inspect.getdoc(cls) or "")
        lines += [f'### `type = "{kind}"`', "", summary, "", *_HEADER]
        lines += _rows(cls, [(k, k) for k in parameters(cls)], units={}, section=kind)
        if kind == "ComputeAccess":
            lines.append(
                "| `role_value` | — | — | a table role → value | none "
                "| value of one unit of compute to each role |"
            )
        lines.append("")
    lines += [
        "## `[figures.ID]` — figures of `coordgap figures`",
        "",
        "| key | meaning |",
        "|---|---|",
        *(f"| `{k}` | {_FIGURE_MEANINGS.get(k, '—')} |" for k in sorted(loader._FIGURE_KEYS)),
        "",
        "Figure kinds: " + ", ".join(f"`{k}`" for k in figure_spec.FIGURE_KINDS) + ".",
        "Distributions a figure may name: "
        + ", ".join(f"`{d}`" for d in figure_spec.DISTRIBUTIONS)
        + ".",
        "",
        "## `[games]`",
        "",
        "Numbers of the stand-alone registry games (`ParticipationGame.default()` and its",
        "siblings) only; a model does not read them, and model files need no `[games]` section.",
        "",
    ]
    return "\n".join(lines)


# -- command-line reference -----------------------------------------------------------------------


def _subcommands(parser: argparse.ArgumentParser):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: a.help for a in action._choices_actions}
            seen: set[int] = set()
            for name, sub in action.choices.items():
                if id(sub) in seen:
                    continue  # an alias
                seen.add(id(sub))
                yield name, sub, helps.get(name) or ""


def cli_commands() -> list[str]:
    """Every command of the ``coordgap`` program, subcommands of subcommands included.

    Returns
    -------
    list of str
        E.g. ``["compare", ..., "registry check", ...]``.
    """

    def walk(parser, prefix):
        for name, sub, _ in _subcommands(parser):
            yield f"{prefix}{name}"
            yield from walk(sub, f"{prefix}{name} ")

    return list(walk(_cli_parser(), ""))


def _cli_parser() -> argparse.ArgumentParser:
    from coordgap import cli

    return cli._parser()


def _option_rows(parser: argparse.ArgumentParser) -> list[str]:
    rows = ["| argument | meaning | default |", "|---|---|---|"]
    formatter = parser._get_formatter()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction) or action.help == argparse.SUPPRESS:
            continue
        if action.option_strings:
            metavar = ""
            if action.nargs != 0:
                metavar = " " + formatter._format_args(action, action.dest.upper())
            name = ", ".join(f"`{o}{metavar}`" for o in action.option_strings)
        else:
            name = f"`{formatter._format_args(action, action.dest)}`"
        help_text = formatter._expand_help(action) if action.help else ""
        default = action.default
        if default in (None, False, argparse.SUPPRESS) or action.nargs == 0:
            shown = "—"
        else:
            shown = f"`{default}`"
        rows.append(f"| {name} | {_cell(help_text)} | {_cell(shown)} |")
    return rows


def _fence(text: str) -> list[str]:
    return ["```text", text.rstrip("\n"), "```"]


def cli_reference() -> str:
    """The MyST source of the command-line reference.

    Returns
    -------
    str
        The program's usage, then one section per command (and subcommand): its description,
        usage, arguments with their defaults, and examples.
    """
    os.environ.setdefault("COLUMNS", "88")
    parser = _cli_parser()
    lines = [
        "# Command-line reference",
        "",
        "The `coordgap` command (also `python -m coordgap`). This page is generated from the",
        "program's argument parser; `coordgap COMMAND --help` prints the same text.",
        "",
        *_fence(parser.format_usage()),
        "",
        parser.description or "",
        "",
        *_option_rows(parser),
        "",
    ]

    def section(parser, path, help_text, depth):
        label = "cli-" + path.replace(" ", "-")
        out = [f"({label})=", "", f"{'#' * depth} `coordgap {path}`", ""]
        out += [_cell(parser.description or help_text), "", *_fence(parser.format_usage()), ""]
        out += [*_option_rows(parser), ""]
        if parser.epilog:
            out += [*_fence(parser.epilog), ""]
        for name, sub, sub_help in _subcommands(parser):
            out += section(sub, f"{path} {name}", sub_help, min(depth + 1, 4))
        return out

    for name, sub, help_text in _subcommands(parser):
        lines += section(sub, name, help_text, 2)
    return "\n".join(lines)


# -- plain-text mathematics in docstrings ---------------------------------------------------------

# Docstrings write formulas in plain text for ``help()`` readers: |x| for an absolute value,
# p_-i for "everyone but i". In reStructuredText the first is a substitution reference and the
# second a hyperlink reference. Outside literals, such bars and trailing underscores are
# escaped before Sphinx parses the docstring, so the page shows exactly what ``help()`` shows.
_LITERALS = re.compile(r"(``.+?``|:[\w:.+-]+:`[^`]*`|`[^`]*`_{0,2})")
_TRAILING_UNDERSCORE = re.compile(r"(?<=\w)_(?=[^\w]|$)")
_DOCS_PAGE = re.compile(r"(?<![\w/])docs/([\w\\/-]+)\.md\b")


def _escape_plain(text: str) -> str:
    parts = _LITERALS.split(text)
    for k in range(0, len(parts), 2):  # even entries lie outside literals
        part = re.sub(r"(?<!\\)\|", r"\\|", parts[k])
        part = _TRAILING_UNDERSCORE.sub(r"\\_", part)
        # a page of this site named by its path becomes a link to it
        parts[k] = _DOCS_PAGE.sub(lambda m: f":doc:`/{m.group(1).replace(chr(92), '')}`", part)
    return "".join(parts)


def plain_text_math(lines: list[str]) -> list[str]:
    """Escape ``|`` and trailing ``_`` of plain-text formulas in reST docstring lines.

    Literal blocks (after a line ending in ``::``), doctest blocks, directives, comments,
    targets, line blocks and grid tables are left as they are.

    Parameters
    ----------
    lines : list of str
        The lines of a docstring, as reST.

    Returns
    -------
    list of str
        The lines, with the plain-text formulas escaped.
    """
    out: list[str] = []
    literal_indent: int | None = None  # indentation of the line that opened a literal block
    in_doctest = False
    for line in lines:
        stripped = line.lstrip()
        indent = len(line) - len(stripped)
        if not stripped:
            in_doctest = False
            out.append(line)
            continue
        if literal_indent is not None:
            if indent > literal_indent:
                out.append(line)
                continue
            literal_indent = None
        if stripped.startswith(">>>"):
            in_doctest = True
        # a line block or grid table row starts with "| " or "+-"; a formula with "|x"
        if in_doctest or stripped == "|" or stripped.startswith((".. ", "| ", "+-", "+=")):
            out.append(line)
        else:
            out.append(line[:indent] + _escape_plain(stripped))
        if stripped.endswith("::"):
            literal_indent = indent
    return out


def _on_docstring(app, what, name, obj, options, lines: list[str]) -> None:
    lines[:] = plain_text_math(lines)


# -- writing ---------------------------------------------------------------------------------------


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def _sync_notebooks(target: Path) -> list[Path]:
    target.mkdir(parents=True, exist_ok=True)
    sources = sorted(NOTEBOOKS.glob("*.ipynb"))
    wanted = {p.name for p in sources}
    for stale in target.glob("*.ipynb"):
        if stale.name not in wanted:
            stale.unlink()
    for source in sources:
        copy = target / source.name
        if not copy.exists() or copy.read_bytes() != source.read_bytes():
            shutil.copyfile(source, copy)
    return [target / p.name for p in sources]


def write_all(outdir: Path = GENERATED) -> list[Path]:
    """Write every generated page (and the gallery's notebooks) under ``outdir``.

    Parameters
    ----------
    outdir : Path
        Where to write (default ``docs/_generated``).

    Returns
    -------
    list of Path
        The files written or kept.
    """
    written = []
    pages = {
        "model_file.md": model_file_reference(),
        "cli.md": cli_reference(),
        **{f"api/{name}": text for name, text in api_pages().items()},
    }
    api_dir = outdir / "api"
    if api_dir.exists():
        for stale in api_dir.glob("*.rst"):
            if f"api/{stale.name}" not in pages:
                stale.unlink()
    for name, text in pages.items():
        _write(outdir / name, text)
        written.append(outdir / name)
    written += _sync_notebooks(outdir / "gallery")
    return written


def _on_builder_inited(app) -> None:
    write_all(Path(app.srcdir) / "_generated")


def setup(app) -> dict[str, Any]:
    """Register the generators with Sphinx (run before any source is read).

    Parameters
    ----------
    app : sphinx.application.Sphinx
        The application.

    Returns
    -------
    dict
        Extension metadata.
    """
    app.connect("builder-inited", _on_builder_inited)
    # After numpydoc (a later priority), so the escapes apply to the reST it produces.
    app.connect("autodoc-process-docstring", _on_docstring, priority=900)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
