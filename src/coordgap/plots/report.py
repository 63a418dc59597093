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
body { font-family: system-ui, sans-serif; max-width: 980px; margin: 2em auto; color: #222;
       line-height: 1.45; padding: 0 1em; }
table { border-collapse: collapse; font-size: 0.85em; margin: 1em 0; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.5em; text-align: right; }
th { background: #f3f3f3; } td:first-child, th:first-child { text-align: left; }
table.designs th { font-weight: 600; vertical-align: bottom; }
table.designs th small { font-weight: normal; color: #555; }
table.designs tbody th { background: none; white-space: nowrap; }
table.designs td { white-space: nowrap; }
table.designs th, table.designs td { padding: 0.25em 0.4em; }
caption { caption-side: bottom; text-align: left; font-size: 0.9em; color: #555;
          padding-top: 0.4em; }
.note { background: #fff8e1; border-left: 4px solid #f0b400; padding: 0.5em 1em; }
img { max-width: 100%; }
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
    try:
        v = float(value)
    except (TypeError, ValueError):
        return "—"
    if math.isnan(v):
        return "—"
    if math.isinf(v):
        return "∞" if v > 0 else "−∞"
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


def _tables(frame) -> str:
    esc = html.escape
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
                f'<td data-metric="{esc(m)}">{esc(value_range(*_pair(frame, name, m), k))}</td>'
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
        "measured against the baseline design: ∞ means harm is averted at no fiscal cost, "
        "— that nothing is averted and nothing spent.</p>" + "".join(out)
    )


def _readout(frame, name, n_actors) -> str:
    pw, pb = (int(round(float(v))) for v in _pair(frame, name, "participation"))
    unique = (
        _true(frame.at[name, "full_participation_unique"])
        if "full_participation_unique" in frame.columns
        else None
    )
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
        head,
        f"credible coverage {value_range(*_pair(frame, name, 'credible_coverage'), 'share')}"
        " of the required capacity",
        f"fiscal cost USD {value_range(*_pair(frame, name, 'fiscal_cost'))} m per year",
    ]
    if "welfare_worst" in frame.columns:
        parts.append(f"welfare USD {value_range(*_pair(frame, name, 'welfare'))} m per year")
    return "; ".join(parts) + "."


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
        "<table><tr><th>design</th><th>factor on the levels</th><th>fiscal cost reached</th>"
        "<th>note</th></tr>"
        + "".join(
            f"<tr><td>{esc(display_name(b.design.name))}</td><td>{b.factor:.4g}</td>"
            f"<td>{b.fiscal_cost:.4g}</td>"
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
    values = _assumed_values(spec)
    conversions = getattr(spec, "conversions", {}) or {}
    rows = "".join(
        f"<tr><td>{esc(path)}</td><td>{esc(values.get(path, ''))}</td>"
        f"<td>{esc(spec.units.get(path, ''))}</td>"
        f"<td>{esc(conversions.get(path, ''))}</td>"
        f"<td>{esc(spec.sources.get(path, ''))}</td></tr>"
        for path in sorted(set(spec.units) | set(spec.sources))
    )
    figures = "".join(
        f'<figure><img alt="{esc(cap)}" src="{src}"><figcaption>{esc(cap)}</figcaption></figure>'
        for cap, src in _figures(spec, comparison)
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>coordgap report: {esc(spec.name)}</title><style>{_CSS}</style></head>
<body>
<h1>Incentive designs for the Scenario Response Registry</h1>
<p>Model <b>{esc(spec.name)}</b>{": " + esc(spec.title) if spec.title else ""}.
{esc(spec.description)}</p>
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
<table><tr><th>parameter</th><th>value</th><th>unit</th><th>converted from</th><th>source</th>
</tr>{rows}</table>
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
