"""The policymaker report: one self-contained HTML file (tables, embedded figures, readouts,
assumptions) written atomically by ``coordgap compare --html FILE``."""

from __future__ import annotations

import base64
import html
from pathlib import Path

from .. import __version__
from ..analysis.metrics import PreparednessMetrics
from ..analysis.sweep import sweep
from .displays import ComparisonDisplay, SweepDisplay
from .io import atomic_write_text, figure_bytes

__all__ = ["comparison_html", "write_comparison_report"]

_CSS = """
body { font-family: system-ui, sans-serif; max-width: 980px; margin: 2em auto; color: #222;
       line-height: 1.45; padding: 0 1em; }
table { border-collapse: collapse; font-size: 0.85em; margin: 1em 0; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.5em; text-align: right; }
th { background: #f3f3f3; } td:first-child, th:first-child { text-align: left; }
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
    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    ComparisonDisplay.from_comparison(comparison).plot(ax)
    fig.tight_layout()
    out.append(("Fiscal cost against credible coverage; the dashed line is the Pareto frontier "
                "of the worst case.", _png(fig)))
    game = spec.preparedness_game()
    res = sweep(PreparednessMetrics(game), {"share_scale": [0.1 * k for k in range(1, 16)]})
    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    SweepDisplay.from_sweep(res, x="share_scale", y=["robustness_nash", "robustness_opt"],
                            band=("robustness_nash", "robustness_opt"),
                            band_label="underinvestment gap",
                            labels={"robustness_nash": "equilibrium",
                                    "robustness_opt": "social optimum"}).plot(ax)
    fig.tight_layout()
    out.append(("Preparedness in equilibrium and at the social optimum as the benefit becomes "
                "more diffuse (smaller shares to the left).", _png(fig)))
    return out


def comparison_html(spec, comparison) -> str:
    """The report as an HTML string."""
    esc = html.escape
    frame = comparison.to_frame()
    table_cols = ["participation_worst", "participation_best", "credible_coverage_worst",
                  "credible_coverage_best", "residual_harm_worst", "welfare_worst",
                  "fiscal_cost_worst", "harm_averted_per_fiscal_worst",
                  "full_participation_unique", "pareto"]
    table = frame[table_cols].to_html(float_format=lambda v: f"{v:.4g}", border=0)
    readouts = "".join(f"<li><b>{esc(n)}</b>: {esc(r)}</li>"
                       for n, r in zip(frame.index, comparison.readouts))
    designs = "".join(f"<li><b>{esc(d.name)}</b>: {esc(d.describe())}</li>"
                      for d in spec.designs)
    rows = "".join(f"<tr><td>{esc(path)}</td><td>{esc(spec.units.get(path, ''))}</td>"
                   f"<td>{esc(spec.sources.get(path, ''))}</td></tr>"
                   for path in sorted(set(spec.units) | set(spec.sources)))
    figures = "".join(f'<figure><img alt="{esc(cap)}" src="{src}"><figcaption>{esc(cap)}'
                      "</figcaption></figure>" for cap, src in _figures(spec, comparison))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>coordgap report: {esc(spec.name)}</title><style>{_CSS}</style></head>
<body>
<h1>Incentive designs for the Scenario Response Registry</h1>
<p>Model <b>{esc(spec.name)}</b>{': ' + esc(spec.title) if spec.title else ''}.
{esc(spec.description)}</p>
<p class="note">The calibration is stylized and illustrative, not a forecast. Each design is
evaluated under the worst (least) and the best (greatest) equilibrium of the registry
participation game; credible coverage is the committed capacity expected to be delivered, as a
share of the required capacity. Metrics are per period; money is in USD m.</p>
<h2>Readouts</h2><ul>{readouts}</ul>
<h2>Designs compared</h2><ul>{designs}</ul>
<h2>Table</h2>{table}
<h2>Figures</h2>{figures}
<h2>Assumptions: every number, its unit and its source</h2>
<table><tr><th>parameter</th><th>unit</th><th>source</th></tr>{rows}</table>
<p><small>coordgap {esc(__version__)}; model file SHA-256 {esc(spec.sha256)}.</small></p>
</body></html>
"""


def write_comparison_report(path: str | Path, spec, comparison) -> Path:
    """Write the report atomically."""
    return atomic_write_text(path, comparison_html(spec, comparison))
