"""The policymaker report: one self-contained HTML file (tables, embedded figures, readouts,
assumptions) written atomically by ``coordgap compare --html FILE``."""

from __future__ import annotations

import base64
import html
import math
from pathlib import Path

import numpy as np

from .._version import __version__
from ..analysis.compare import METRICS
from ..analysis.metrics import PreparednessMetrics
from ..analysis.sweep import sweep
from ..results import _finite_or_text, format_unit
from .displays import (
    BEST_LABEL,
    WORST_LABEL,
    ComparisonDisplay,
    SweepDisplay,
    axis_label,
    display_name,
    sentence,
)
from .io import atomic_write_text, figure_bytes

__all__ = ["comparison_html", "write_comparison_report", "number", "value_range"]

_CSS = """
*, *::before, *::after { box-sizing: border-box; }
body { font-family: system-ui, sans-serif; max-width: 980px; margin: 2em auto; color: #222;
       line-height: 1.45; padding: 0 1em; overflow-wrap: break-word; }
table { border-collapse: collapse; font-size: 0.85em; margin: 1em 0; width: 100%; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.4em; text-align: right;
         vertical-align: top; }
th { background: #f3f3f3; font-weight: 600; } td:first-child, th:first-child { text-align: left; }
table.designs th { vertical-align: bottom; }
th small, td small { font-weight: normal; color: #555; }
table.designs tbody th { background: none; }
table.assumptions td, table.assumptions th { text-align: left; }
table.assumptions td.value { text-align: right; white-space: nowrap; }
code { font-size: 0.85em; overflow-wrap: anywhere; color: #444; }
caption { caption-side: bottom; text-align: left; font-size: 0.9em; color: #555;
          padding-top: 0.4em; }
.brief { background: #eef5fb; border-left: 4px solid #1f77b4; padding: 0.6em 1.2em; }
.brief h2 { margin-top: 0.2em; }
.note { background: #fff8e1; border-left: 4px solid #f0b400; padding: 0.5em 1em; }
.footnotes { font-size: 0.85em; color: #444; }
img { max-width: 100%; height: auto; }
figure { margin: 1em 0; }
@media (max-width: 900px) {
  body { padding: 0 0.6em; }
  table.designs { font-size: 0.72em; }
  table.designs th, table.designs td { padding: 0.2em 0.25em; }
}
@media (max-width: 720px) {
  table.designs { font-size: 0.64em; }
  table.designs small { font-size: 0.95em; }
}
@page { size: A4; margin: 15mm 14mm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 10pt; }
  table { font-size: 7.5pt; }
  th, td { padding: 0.15em 0.25em; }
  h1 { font-size: 16pt; } h2 { font-size: 13pt; } h3 { font-size: 11pt; }
  h2, h3 { break-after: avoid; }
  tr, figure, .brief { break-inside: avoid; }
  img { max-height: 120mm; width: auto; }
}
"""


def _png(fig) -> str:
    import matplotlib.pyplot as plt

    try:
        data = figure_bytes(fig, "png", dpi=110)
    finally:
        plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


def _figures(spec, comparison) -> list[tuple[str, str]]:
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    out = []
    fig, ax = plt.subplots(figsize=(7.0, 5.2), layout="constrained")
    ComparisonDisplay.from_comparison(comparison).plot(ax)
    out.append(
        (
            "Fiscal cost against credible coverage. For each design the filled dot is the "
            f"{WORST_LABEL}, the open circle the {BEST_LABEL}, and the line between them "
            "the range of both; the dashed red line joins the designs on the Pareto "
            "frontier of the worst equilibrium (bold labels).",
            _png(fig),
        )
    )
    game = spec.preparedness_game()
    res = sweep(PreparednessMetrics(game), {"share_scale": [0.1 * k for k in range(1, 16)]})
    fig, ax = plt.subplots(figsize=(6.4, 4.2), layout="constrained")
    SweepDisplay.from_sweep(
        res,
        x="share_scale",
        y=["robustness_nash", "robustness_opt"],
        band=("robustness_nash", "robustness_opt"),
        band_label="underinvestment gap",
        labels={"robustness_nash": "equilibrium", "robustness_opt": "social optimum"},
    ).plot(ax)
    out.append(
        (
            "Preparedness in equilibrium and at the social optimum as the benefit becomes "
            "more diffuse (smaller shares to the left).",
            _png(fig),
        )
    )
    return out


# == the table: every metric as a worst–best range, with its unit ============================
_MONEY = "USD m per year"
#: Metric → (heading, unit, kind); kind says how numbers are written.
_COLUMNS = {
    "participation": ("Filers", "actors", "count"),
    "coverage": ("Coverage", "% of the actors' capacity", "share"),
    "credible_coverage": ("Credible coverage", "% of required capacity", "share"),
    "declared_coverage": ("Declared coverage", "% of required capacity", "share"),
    "preparedness": ("Voluntary preparedness R1", "capacity units", "number"),
    "robustness": ("Robustness R", "capacity units", "number"),
    "residual_harm": ("Residual expected harm", _MONEY, "number"),
    "welfare": ("Welfare", _MONEY, "number"),
    "fiscal_cost": ("Fiscal cost", _MONEY, "number"),
    "actor_cost": ("Cost to actors", _MONEY, "number"),
    "insurer_cost": ("Insurer cost", _MONEY, "number"),
    "programme_cost": ("Programme cost", _MONEY, "number"),
    "deadweight": ("Deadweight loss", _MONEY, "number"),
    "harm_averted_per_fiscal": (
        "Harm averted per fiscal dollar",
        "USD per USD, against the baseline",
        "number",
    ),
}
_FLAGS = {
    "full_participation_unique": "Full participation the unique equilibrium",
    "pareto": "On the Pareto frontier (worst equilibrium)",
}
_EQUILIBRIUM_NOTE = (
    "The model does not predict which equilibrium of the registry participation game occurs. "
    "Every design is therefore evaluated under two: the worst equilibrium, with the least "
    "participation (each actor files only if it expects enough others to file, and here few "
    "do), and the best equilibrium, with the greatest participation. A range such as 6–10 "
    "(or −922 to −426) reads worst equilibrium–best equilibrium; a single number means both "
    "equilibria agree."
)


def number(value, kind: str = "number") -> str:
    """A metric value as the report writes it (``kind``: count, share, or number).

    Parameters
    ----------
    value : float
        The value (anything that is not a number is shown as a dash).
    kind : {"number", "count", "share"}
        ``count``: a whole number; ``share``: a percentage of a fraction; ``number``
        (default): three significant digits, or a thousands-separated integer from 100 up.

    Returns
    -------
    str
        The text, with a true minus sign; ``—`` for NaN, ``∞`` for infinity.

    Examples
    --------
    >>> number(37, "count"), number(0.2157, "share"), number(25.5), number(999.93)
    ('37', '21.6%', '25.5', '1,000')
    >>> number(-1.25), number(float("inf")), number(float("nan"))
    ('−1.25', '∞', '—')
    """
    v = _finite_or_text(value, ("∞", "−∞"))
    if isinstance(v, str):
        return v
    if kind == "count":
        text = f"{round(v):d}"
    elif kind == "share":
        text = f"{100 * v:.3g}%"
    elif abs(v) >= 100:
        text = f"{v:,.0f}"
    else:
        text = f"{v:.3g}"
    return text.replace("-", "−")


def value_range(worst, best, kind: str = "number") -> str:
    """``worst–best`` (``worst to best`` if a number is negative), or one number when both
    equilibria agree.

    Parameters
    ----------
    worst, best : float
        The value under the worst and the best equilibrium.
    kind : {"number", "count", "share"}
        How each value is written (see :func:`number`).

    Returns
    -------
    str
        The range as text.

    Examples
    --------
    >>> value_range(6.0, 10.0), value_range(0.0, 0.0), value_range(0.156, 0.302, "share")
    ('6–10', '0', '15.6%–30.2%')
    >>> value_range(-922.0, -426.0)
    '−922 to −426'
    """
    a, b = number(worst, kind), number(best, kind)
    if a == b:
        return a
    return f"{a} to {b}" if "−" in a + b else f"{a}–{b}"


def _metric_columns(frame) -> list[tuple[str, str, str, str]]:
    """(metric, heading, unit, kind) for every metric of the frame, in reading order."""
    metrics = [c.removesuffix("_worst") for c in frame.columns if c.endswith("_worst")]
    out = [(m, *_COLUMNS[m]) for m in _COLUMNS if m in metrics]
    units = METRICS  # units declared with the metrics by the comparison module
    for m in metrics:
        if m not in _COLUMNS:
            head, _, unit = sentence(axis_label(m)).partition(" (")
            out.append((m, head, units.get(m) or unit.removesuffix(")"), "number"))
    return out


def _pair(frame, name, metric) -> tuple[float, float]:
    """(worst, best) of one metric; the worst value twice if the frame has no best column."""
    worst = frame.at[name, f"{metric}_worst"]
    best_col = f"{metric}_best"
    return worst, (frame.at[name, best_col] if best_col in frame.columns else worst)


def _participation(frame, name) -> tuple[int, int, bool | None]:
    """Filers in the worst and the best equilibrium of design ``name``, and whether full
    participation is its unique equilibrium (None when the frame does not say)."""
    pw, pb = (int(round(float(v))) for v in _pair(frame, name, "participation"))
    unique = (
        _true(frame.at[name, "full_participation_unique"])
        if "full_participation_unique" in frame.columns
        else None
    )
    return pw, pb, unique


def _true(value) -> bool | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return bool(value)


def _flag(value) -> str:
    flag = _true(value)
    return "—" if flag is None else "yes" if flag else "no"


# Participation and coverage first; harm, welfare and money (and any new metric) second.
_GROUPS = (
    (
        "Participation and coverage",
        (
            "participation",
            "coverage",
            "credible_coverage",
            "declared_coverage",
            "preparedness",
            "robustness",
        ),
        ("full_participation_unique",),
    ),
    ("Harm, welfare and public money", None, ("pareto",)),
)


_UNBOUNDED_NOTE = (
    "Unbounded: harm is averted at no fiscal cost, so harm averted per dollar has no finite value."
)
_UNDEFINED_NOTE = "—: not defined (for a ratio: nothing is averted and nothing is spent)."


def _cell(text: str, notes: set) -> str:
    """A table cell's HTML: infinities as "unbounded" with a footnote mark, NaN as "—"."""
    esc = html.escape
    if "∞" in text:
        notes.add("unbounded")
        shown = text.replace("−∞", "unbounded below").replace("∞", "unbounded")
        return f'{esc(shown)}<sup><a href="#fn-unbounded">†</a></sup>'
    if "—" in text:
        notes.add("undefined")
    return esc(text)


def _footnotes(notes: set) -> str:
    items = []
    if "unbounded" in notes:
        items.append(f'<li id="fn-unbounded">† {html.escape(_UNBOUNDED_NOTE)}</li>')
    if "undefined" in notes:
        items.append(f"<li>{html.escape(_UNDEFINED_NOTE)}</li>")
    return f'<ul class="footnotes">{"".join(items)}</ul>' if items else ""


def _tables(frame) -> str:
    esc = html.escape
    notes: set = set()
    metrics = _metric_columns(frame)
    first = _GROUPS[0][1]
    out = []
    for title, members, flag_cols in _GROUPS:
        chosen = [c for c in metrics if (c[0] in first) == (members is not None)]
        flags = [c for c in flag_cols if c in frame.columns]
        if not chosen and not flags:
            continue
        head = "".join(
            f'<th scope="col">{esc(h)}' + (f"<br><small>{esc(u)}</small>" if u else "") + "</th>"
            for _, h, u, _ in chosen
        )
        head += "".join(f'<th scope="col">{esc(_FLAGS[c])}</th>' for c in flags)
        rows = []
        for name in frame.index:
            cells = "".join(
                f'<td data-metric="{esc(m)}">{_cell(value_range(*_pair(frame, name, m), k), notes)}'
                "</td>"
                for m, _, _, k in chosen
            )
            cells += "".join(
                f'<td data-metric="{esc(c)}">{_flag(frame.at[name, c])}</td>' for c in flags
            )
            rows.append(f'<tr><th scope="row">{esc(display_name(name))}</th>{cells}</tr>')
        out.append(
            f"<h3>{esc(title)}</h3>"
            f'<table class="designs"><thead><tr><th scope="col">Design</th>{head}</tr>'
            f"</thead><tbody>{''.join(rows)}</tbody></table>"
        )
    return (
        "<p>Each cell reads worst equilibrium–best equilibrium (worst to best where a "
        "number is negative); one number means both equilibria agree. Harm averted is "
        "measured against the baseline design.</p>" + "".join(out) + _footnotes(notes)
    )


def _readout(frame, name, n_actors) -> str:
    pw, pb, unique = _participation(frame, name)
    if unique:
        head = f"full participation ({n_actors} of {n_actors} actors) is the unique equilibrium"
    elif pw == pb:
        head = f"{pw} of {n_actors} actors file in every equilibrium"
    else:
        head = (
            f"between {pw} (worst equilibrium) and {pb} (best equilibrium) of {n_actors} "
            "actors file, so coordination failure is possible"
        )
    parts = [
        f"credible coverage {value_range(*_pair(frame, name, 'credible_coverage'), 'share')}"
        " of the required capacity",
        f"fiscal cost USD {value_range(*_pair(frame, name, 'fiscal_cost'))} m per year",
    ]
    if "welfare_worst" in frame.columns:
        parts.append(f"welfare USD {value_range(*_pair(frame, name, 'welfare'))} m per year")
    return f"{sentence(head)}. {sentence('; '.join(parts))}."


def _assumed_values(spec) -> dict[str, str]:
    """The value the model uses at each dotted path of the file (after unit conversion)."""
    out: dict[str, str] = {}
    try:
        model = spec.policy_model()
    except Exception:  # a preparedness-only model: no policy model to read values from
        return out
    for path in set(spec.units) | set(spec.sources):
        try:
            value = model.get(path)
        except Exception:
            continue
        out[path] = (
            value
            if isinstance(value, str)
            else (f"{value:.6g}" if np.ndim(value) == 0 else ", ".join(f"{v:.6g}" for v in value))
        )
    return out


def _money(worst, best=None) -> str:
    """Money per year as a reader writes it: ``USD 46 m per year``, ``USD 6–10 m per year``."""
    text = number(worst) if best is None else value_range(worst, best)
    if text in ("—",) or "∞" in text:
        return text.replace("∞", "unbounded")
    return f"USD {text} m per year"


def _knife_edge(spec, comparison, name: str, n_actors: int) -> bool:
    """Whether the design's assurance contract needs every actor to file."""
    designs = {d.name: d for d in spec.designs}
    designs.update({b.design.name: b.design for b in getattr(comparison, "budgets", ())})
    design = designs.get(name)
    for item in getattr(design, "instruments", ()):
        threshold = getattr(item, "threshold", None)
        if type(item).__name__ == "AssuranceRefund" and threshold and threshold >= n_actors:
            return True
    return False


def _brief(spec, comparison, frame) -> str:
    """ "In brief": which design does best, at what fiscal cost, how robust — one minute's
    reading, in sentences with units."""
    esc = html.escape
    outcomes = list(getattr(comparison, "outcomes", ()))
    if not outcomes or "welfare_worst" not in frame.columns:
        return ""
    baseline = getattr(comparison, "baseline", frame.index[0])
    n = int(getattr(outcomes[0], "n_actors", spec.n_actors))
    # The robust choice: the most welfare in the worst equilibrium; ties go to the cheaper.
    order = sorted(
        frame.index,
        key=lambda d: (
            -float(frame.at[d, "welfare_worst"]),
            float(frame.at[d, "fiscal_cost_worst"]),
        ),
    )
    best = order[0]
    items = []
    if best == baseline:
        items.append(
            f"No design does better than {esc(display_name(baseline))} when actors coordinate "
            "badly (the worst equilibrium)."
        )
    else:
        outcome = next(o for o in outcomes if o.design == best)
        w_best, w_base = (float(frame.at[d, "welfare_worst"]) for d in (best, baseline))
        if w_best <= 0 and w_base <= 0:  # welfare is minus harm and costs: say so
            worth = (
                f"the expected harm left plus all costs come to {_money(-w_best)}, against "
                f"{_money(-w_base)} under {display_name(baseline)}"
            )
        else:
            worth = f"welfare is {_money(w_best)}, against {_money(w_base)} under " + (
                display_name(baseline)
            )
        items.append(
            f"<b>{esc(display_name(best))}</b> does best even when actors coordinate badly: "
            f"{esc(outcome.description)}. In the worst equilibrium {esc(worth)}."
        )
        items.append(
            f"Its fiscal cost is "
            f"{esc(_money(frame.at[best, 'fiscal_cost_worst'], frame.at[best, 'fiscal_cost_best']))}"
            " and it brings credible coverage to "
            f"{esc(value_range(*_pair(frame, best, 'credible_coverage'), 'share'))} of the "
            "capacity a serious incident requires."
        )
    pw, pb, unique = _participation(frame, best)
    if unique:
        robust = (
            f"How robust: all {n} actors file in its only equilibrium, so the result does "
            "not rest on actors expecting others to join."
        )
    elif pw == pb:
        robust = (
            f"How robust: {pw} of {n} actors file in every equilibrium, so the result does "
            "not rest on actors expecting others to join."
        )
    else:
        robust = (
            f"How robust: between {pw} and {pb} of {n} actors file (worst to best "
            "equilibrium), so the result depends on coordination."
        )
    if _knife_edge(spec, comparison, best, n):
        robust += (
            " But its assurance contract binds only if every actor files: one actor staying "
            "out voids the registry, a knife edge."
        )
    items.append(esc(robust))
    fragile = [d for d in frame.index if len({*map(float, _pair(frame, d, "participation"))}) > 1]
    if fragile:
        items.append(
            f"{len(fragile)} of {len(frame.index)} designs leave participation to "
            "coordination (worst and best equilibrium differ): "
            + esc(", ".join(display_name(d) for d in fragile))
            + "."
        )
    top = max(frame.index, key=lambda d: float(frame.at[d, "welfare_best"]))
    if top != best:
        items.append(
            f"If actors coordinate well (the best equilibrium), "
            f"<b>{esc(display_name(top))}</b> does best, with welfare "
            f"{esc(_money(frame.at[top, 'welfare_best']))}."
        )
    items.append(
        "The numbers come from a stylized, illustrative calibration: they rank designs under "
        "stated assumptions (listed at the end), they do not forecast."
    )
    return (
        '<section class="brief" id="in-brief"><h2>In brief</h2><ul>'
        + "".join(f"<li>{item}</li>" for item in items)
        + "</ul></section>"
    )


def _assumption_label(path: str) -> str:
    """``actors.ai_developer.registry.join_cost`` → ``AI developer: registry join cost``."""
    parts = path.split(".")
    if parts[0] == "actors" and len(parts) > 2:
        who, rest = display_name(parts[1]), parts[2:]
    elif len(parts) > 1:
        who, rest = display_name(parts[0]), parts[1:]
    else:
        return sentence(path.replace("_", " "))
    return f"{who}: " + " ".join(p.replace("_", " ") for p in rest)


def _unit_text(unit: str) -> str:
    if not unit:
        return "—"
    shown = format_unit(unit)
    return (shown or "dimensionless").replace("^2", "²").replace("^3", "³")


def _assumptions(spec) -> str:
    esc = html.escape
    values = _assumed_values(spec)
    conversions = getattr(spec, "conversions", {}) or {}
    rows = "".join(
        f'<tr><th scope="row">{esc(_assumption_label(path))}<br><code>{esc(path)}</code></th>'
        f'<td class="value">{esc(values.get(path) or "—")}</td>'
        f"<td>{esc(_unit_text(spec.units.get(path, '')))}</td>"
        f"<td>{esc(conversions.get(path) or '')}</td>"
        f"<td>{esc(spec.sources.get(path) or 'not stated')}</td></tr>"
        for path in sorted(set(spec.units) | set(spec.sources))
    )
    return (
        '<table class="assumptions"><thead><tr><th scope="col">Assumption</th>'
        '<th scope="col">Value</th><th scope="col">Unit</th>'
        '<th scope="col">Converted from</th><th scope="col">Source</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )


def comparison_html(spec, comparison) -> str:
    """The report as an HTML string.

    Parameters
    ----------
    spec : ModelSpec
        The model file compared (title, assumptions, designs).
    comparison : Comparison
        The result of :func:`coordgap.compare` on ``spec.policy_model()`` and its designs.

    Returns
    -------
    str
        A complete, self-contained HTML document with embedded figures.
    """
    esc = html.escape
    frame = comparison.to_frame()
    outcomes = {getattr(o, "design", None): o for o in getattr(comparison, "outcomes", ())}
    readouts = "".join(
        f"<li><b>{esc(display_name(n))}</b>: "
        f"{esc(_readout(frame, n, getattr(outcomes.get(n), 'n_actors', spec.n_actors)))}</li>"
        for n in frame.index
    )
    # The evaluated designs' own descriptions first: at equal budgets their levels are scaled.
    described = {d.name: d.describe() for d in spec.designs}
    described.update(
        {n: o.description for n, o in outcomes.items() if bool(getattr(o, "description", ""))}
    )
    scaled = [b for b in getattr(comparison, "budgets", ()) if b.design.instruments]
    budget = (
        ""
        if not scaled
        else f"<h2>Equal budgets: {scaled[0].budget:g} USD m per year</h2>"
        "<p>Each design's instrument levels are multiplied by one factor until its fiscal cost "
        "in the worst equilibrium is the budget, where possible.</p>"
        "<table><tr><th>Design</th><th>Factor on the levels</th><th>Fiscal cost reached"
        "<br><small>USD m per year</small></th><th>Note</th></tr>"
        + "".join(
            f"<tr><td>{esc(display_name(b.design.name))}</td><td>{esc(number(b.factor))}</td>"
            f"<td>{esc(number(b.fiscal_cost))}</td>"
            f"<td>{esc('budget reached' if b.reached else b.message.partition(': ')[2])}</td></tr>"
            for b in scaled
        )
        + "</table>"
    )
    designs = "".join(
        f"<li><b>{esc(display_name(n))}</b>: {esc(described[n])}</li>"
        for n in frame.index
        if n in described
    )
    figures = "".join(
        f'<figure><img alt="{esc(cap)}" src="{src}"><figcaption>{esc(cap)}</figcaption></figure>'
        for cap, src in _figures(spec, comparison)
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>coordgap report: {esc(spec.name)}</title><style>{_CSS}</style></head>
<body>
<h1>Incentive designs for the Scenario Response Registry</h1>
<p>Model <b>{esc(spec.name)}</b>{": " + esc(spec.title) if spec.title else ""}.
{esc(spec.description)}</p>
{_brief(spec, comparison, frame)}
<p class="note">The calibration is stylized and illustrative, not a forecast.
{esc(_EQUILIBRIUM_NOTE)} Credible coverage is the committed capacity expected to be delivered,
as a share of the required capacity. Money is in millions of US dollars (USD m) per year, one
period of the model.</p>
<h2>Readouts</h2><ul>{readouts}</ul>
<h2>Designs compared</h2><ul>{designs}</ul>
{budget}
<h2>Tables</h2>{_tables(frame)}
<h2>Figures</h2>{figures}
<h2>Assumptions: every number, its unit and its source</h2>
<p>Marginal cost of public funds λ = {comparison.public_funds_cost:g}: each USD of public
spending costs 1 + λ in welfare.</p>
{_assumptions(spec)}
<p><small>coordgap {esc(__version__)}; model file SHA-256 {esc(spec.sha256)}.</small></p>
</body></html>
"""


def write_comparison_report(path: str | Path, spec, comparison) -> Path:
    """Write the report atomically.

    Parameters
    ----------
    path : str or pathlib.Path
        Destination file.
    spec : ModelSpec
        The model file compared.
    comparison : Comparison
        The result of :func:`coordgap.compare` on it.

    Returns
    -------
    pathlib.Path
        The path written.
    """
    return atomic_write_text(path, comparison_html(spec, comparison))
