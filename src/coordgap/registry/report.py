"""A self-contained HTML report of a registry: findings, coverage, actors and exercises.

The report is plain HTML with a small inline style sheet (no scripts, no external files), so it
can be mailed or archived as one file. :func:`write_html` writes it atomically: to a temporary
file in the target directory, then renamed over the target.
"""

from __future__ import annotations

import html
import os
from pathlib import Path

import numpy as np
import pandas as pd

from ..files import atomic_write_text
from .checks import RegistryReport

__all__ = ["registry_html", "write_html"]

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 72em; color: #222; }
h1 { font-size: 1.6em; } h2 { font-size: 1.25em; margin-top: 2em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; font-size: 0.85em; margin: 0.5em 0; }
th, td { border: 1px solid #ddd; padding: 0.25em 0.5em; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
.gap { color: #a00; } .conflict { color: #a50; } .overlap { color: #555; } .library { color: #05a; }
.note { color: #666; font-size: 0.9em; }
"""

_HEADINGS = (
    ("gap", "Gaps"),
    ("conflict", "Conflicts"),
    ("overlap", "Overlaps"),
    ("library", "Library diagnostics"),
)


def _table(frame: pd.DataFrame, float_format: str = "{:.3g}") -> str:
    return frame.to_html(
        index=False, escape=True, border=0, na_rep="", float_format=float_format.format
    )


def registry_html(
    registry, report: RegistryReport | None = None, *, tabletop_runs: int = 0, rng=0
) -> str:
    """The report as one HTML document.

    Parameters
    ----------
    registry : Registry
    report : RegistryReport, optional
        The result of ``registry.check()`` (computed when omitted).
    tabletop_runs : int
        If positive, run a tabletop exercise of every scenario with this many runs and add a
        summary table.
    rng : int, Generator or None
        Seed of the exercises.

    Returns
    -------
    str
        A complete, self-contained HTML document.

    Examples
    --------
    >>> import coordgap as cg
    >>> page = registry_html(cg.load_registry())
    >>> page.startswith("<!DOCTYPE html>") and "Gaps" in page and "lab_alpha" in page
    True
    """
    report = registry.check() if report is None else report
    esc = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{esc(registry.title or registry.name)}: registry report</title>",
        f"<style>{_STYLE}</style></head><body>",
        f"<h1>{esc(registry.title or registry.name)}</h1>",
        f'<p class="note">Source: {esc(registry.source)}. {len(registry.scenarios)} '
        f"scenarios, {len(registry.actors)} actors, {len(registry.filings)} filings.</p>",
    ]
    if registry.description:
        parts.append(f"<p>{esc(registry.description)}</p>")
    parts.append("<h2>Summary</h2>")
    parts.append(
        f"<p>Credible coverage (mean over scenario × function of credible / required "
        f"capacity, capped at 1): <strong>{report.credible_coverage:.1%}</strong>. "
        f"{esc(report.message)}.</p>"
    )
    for category, heading in _HEADINGS:
        found = [f for f in report.findings if f.category == category]
        parts.append(f"<h2>{heading} ({len(found)})</h2>")
        if not found:
            parts.append('<p class="note">None.</p>')
            continue
        parts.append(f'<ul class="{category}">')
        parts += [f"<li>{esc(f.message)}</li>" for f in found]
        parts.append("</ul>")
    parts.append("<h2>Coverage by scenario and function</h2>")
    coverage = report.coverage.copy()
    coverage["providers"] = [", ".join(p) for p in coverage["providers"]]
    parts.append(_table(coverage))
    parts.append("<h2>Actors</h2>")
    parts.append(_table(registry.actors_frame()))
    if tabletop_runs:
        gen = np.random.default_rng(rng)
        rows = []
        for scenario in registry.scenarios:
            ex = registry.tabletop(scenario.id, tabletop_runs, rng=gen)
            rows.append(
                {
                    "scenario": scenario.id,
                    "domain": scenario.domain,
                    "severity": scenario.severity,
                    "p_coordinated": ex.p_coordinated,
                    "time_to_response_median_h": ex.time_to_response_median,
                    "residual_harm_mean": ex.residual_harm_mean,
                    "harm": ex.harm,
                }
            )
        parts.append(f"<h2>Tabletop exercises ({tabletop_runs} runs per scenario)</h2>")
        parts.append(_table(pd.DataFrame(rows)))
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def write_html(path: str | os.PathLike, text: str) -> Path:
    """Write ``text`` to ``path`` atomically (temporary file in the same directory, then
    :func:`os.replace`), so readers never see a half-written report.

    Parameters
    ----------
    path : str or os.PathLike
        Destination file.
    text : str
        The document (written as UTF-8).

    Returns
    -------
    pathlib.Path
        The path written.
    """
    return atomic_write_text(path, text)
