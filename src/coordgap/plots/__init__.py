"""Plots: a Display for every result kind, figure styles, and the figure files.

Every display is built from a result and draws it (scikit-learn's pattern)::

    import coordgap as cg
    from coordgap.plots import ComparisonDisplay

    display = ComparisonDisplay.from_result(cg.compare(model, designs)).plot()
    display.figure_.savefig("designs.pdf")

:func:`display_for` picks the display of any result. Displays draw in the current
matplotlib style; :func:`figure_style` gives the presets of ``coordgap figures --style``
(one journal column, two columns, slides), with the colour-blind-safe Okabe–Ito palette and
TrueType fonts in PDF.

Examples
--------
>>> import coordgap as cg
>>> from coordgap.plots import display_for
>>> game = cg.PreparednessGame(share=0.1, cost=1.0, n_actors=5, cost_exponent=2.0)
>>> type(display_for(cg.gap(game))).__name__
'GapDisplay'
"""

from __future__ import annotations

from .displays import (
    BondCurveDisplay,
    CaptureDisplay,
    ComparisonDisplay,
    DisclosureDisplay,
    Display,
    ExchangeDisplay,
    GapDisplay,
    ImplementationDisplay,
    LearningDisplay,
    LibraryScopeDisplay,
    RobustnessDisplay,
    SweepDisplay,
    TabletopDisplay,
    axis_label,
    display_name,
)
from .layout import label_line_ends, spread, text_overlaps
from .sensitivity import PrimDisplay, SobolDisplay, prim_figure, sensitivity_figure
from .style import OKABE_ITO, figure_style, style_params

__all__ = [
    "Display",
    "display_for",
    "DISPLAYS",
    "BondCurveDisplay",
    "CaptureDisplay",
    "ComparisonDisplay",
    "DisclosureDisplay",
    "ExchangeDisplay",
    "GapDisplay",
    "ImplementationDisplay",
    "LearningDisplay",
    "LibraryScopeDisplay",
    "PrimDisplay",
    "RobustnessDisplay",
    "SobolDisplay",
    "SweepDisplay",
    "TabletopDisplay",
    "OKABE_ITO",
    "figure_style",
    "style_params",
    "axis_label",
    "display_name",
    "label_line_ends",
    "spread",
    "text_overlaps",
    "prim_figure",
    "sensitivity_figure",
]

#: Result class name → the Display that draws it.
DISPLAYS: dict[str, type[Display]] = {
    "GapReport": GapDisplay,
    "Comparison": ComparisonDisplay,
    "SweepResult": SweepDisplay,
    "MonteCarloResult": RobustnessDisplay,
    "SensitivityResult": SobolDisplay,
    "PrimResult": PrimDisplay,
    "TabletopResult": TabletopDisplay,
    "ExchangeResult": ExchangeDisplay,
    "LearningPaths": LearningDisplay,
    "DisclosureCurve": DisclosureDisplay,
    "CaptureCurve": CaptureDisplay,
    "LibraryScopeCurve": LibraryScopeDisplay,
    "Implementation": ImplementationDisplay,
    "BondCurve": BondCurveDisplay,
}


def display_for(result, **kwargs) -> Display:
    """The display of a result: ``DISPLAYS[type(result).__name__].from_result(result)``.

    Parameters
    ----------
    result : Result
        Any result listed in :data:`DISPLAYS` (or of a subclass of one).
    **kwargs
        Options of the display's ``from_result`` (``title`` and others).

    Returns
    -------
    Display
        The display, ready to ``.plot()``.

    Raises
    ------
    TypeError
        For a result no display draws.

    Examples
    --------
    >>> display_for(3.0)
    Traceback (most recent call last):
    ...
    TypeError: no display draws a float; displays exist for BondCurve, CaptureCurve, Comparison, DisclosureCurve, ExchangeResult, GapReport, Implementation, LearningPaths, LibraryScopeCurve, MonteCarloResult, PrimResult, SensitivityResult, SweepResult, TabletopResult
    """
    for cls in type(result).__mro__:
        if cls.__name__ in DISPLAYS:
            return DISPLAYS[cls.__name__].from_result(result, **kwargs)
    raise TypeError(
        f"no display draws a {type(result).__name__}; displays exist for "
        + ", ".join(sorted(DISPLAYS))
    )
