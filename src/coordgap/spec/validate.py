"""Validate a model file the way the commands use it: load it, then build every model.

``coordgap check`` and ``coordgap compare`` both go through :func:`validate`, so a file that
checks builds: the loader's rules (keys, units, bounds, required parameters) come first, then
every rule the model classes apply when they are built (cross-parameter rules such as
``ces_rho != 0`` with the CES aggregator, rules of the policy model and of each design's
instruments). A rule broken while building is reported like a loader problem, with the
dotted path of the model-file key it comes from.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import SpecError
from .building import build_problems
from .model import ModelSpec, load_model

__all__ = ["validate", "build_problems"]


def validate(spec_or_path: ModelSpec | str | Path | None = None) -> ModelSpec:
    """Load a model file (no argument: the packaged default) and build every model the
    commands build; return the :class:`ModelSpec` if all of them build.

    Builds the preparedness game; if the file has a registry, also the policy model (M1 + M2
    + M3) and, for every design, the policy model with the design's instruments applied.
    A preparedness-only file (no registry) is valid for ``coordgap solve``; ``compare``
    reports the registry paths it lacks.

    Parameters
    ----------
    spec_or_path : ModelSpec, str or pathlib.Path, optional
        A loaded model, or the path of a model file (default: the packaged default model).

    Returns
    -------
    ModelSpec
        The model, when every model it describes builds.

    Raises
    ------
    SpecError
        Listing every problem found, each with its dotted path.

    Examples
    --------
    >>> from coordgap.spec import validate
    >>> validate().name
    'default'
    """
    spec = spec_or_path if isinstance(spec_or_path, ModelSpec) else load_model(spec_or_path)
    problems = build_problems(spec)
    if problems:
        raise SpecError(spec.source, problems)
    return spec
