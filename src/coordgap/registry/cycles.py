"""Review cycles: a registry that learns, against the same registry never reviewed.

The world holds a set of **active scenarios**, at first the registry's library. Each round:

1. **Drift.** With probability ``drift`` one active scenario fades and a novel one takes its
   place (a copy of a random library scenario with a new id, its indicator rate scaled by a
   factor drawn log-uniformly in [1/2, 2], and two to three required functions drawn among
   those some filing delivers, with windows uniform in [2, 48] h).
2. **Events.** ``reviews_per_round`` times, an active scenario is drawn (uniformly). If the reviewed registry's library holds
   it, a tabletop exercise of it is run and reviewed; otherwise an incident record with the
   scenario's after-action definition (nobody had a plan) is reviewed. Scenarios that faded
   ``retire_after`` rounds ago are reported stale to the review (retired unless found
   uncovered then).
3. **Apply** the review.

Measured every round on the active scenarios, for the reviewed and the never-reviewed
registry: **coverage** (share of (active scenario, required function) pairs whose committed
capacity reaches the requirement; a scenario missing from the library counts as uncovered),
**credible coverage** (mean of min(1, credible/required), credibility from the commitment
model), and the median **time to a coordinated response** of the round's scenario in a
tabletop exercise on common draws (inf when the library lacks the scenario or it is never
met), with the probability of a coordinated response.

Learning at the pace of relevance. The uncovered share u(t) = 1 − coverage is the registry's
preparedness gap. The drift rate g is the least-squares slope of u over rounds for the
never-reviewed registry (how fast the world outruns a static library); the registry's learning
speed is g minus the slope of u for the reviewed one, and with λ reviews per round
(``reviews_per_round``) its learning rate η = speed/λ. These feed a
:class:`~coordgap.LearningModel` with N = 1 (the registry learns from its own reviews),
growth g, incident rate λ, learning rate η and
initial gap u(0): the registry keeps pace iff η·λ ≥ g (``LearningModel.keeps_up``). The fit is
linear, i.e. the model's exponential learning curve in log units read as a linear gap in
coverage units; it says whether reviews close the gap faster than drift opens it, not more.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InvalidParameterError
from ..games.learning import LearningModel
from ..limits import check_size
from ..results import Result
from .checks import response_table
from .reviews import Incident, coverage_table, review
from .schema import Registry, RequiredFunction

__all__ = ["ReviewCycles", "review_cycles", "world_coverage"]


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class ReviewCycles(Result):
    """Result of :func:`review_cycles`.

    Attributes
    ----------
    rounds : int
    drift : float
        Probability per round that an active scenario is replaced by a novel one.
    frame : DataFrame
        One row per round (0: before any review) and regime (``"reviewed"``,
        ``"never_reviewed"``): ``coverage``, ``credible_coverage``, ``time_to_response``
        (median, h) and ``p_coordinated`` of the round's scenario in a tabletop exercise after
        the review, ``scenario`` (the round's event), ``n_revisions``.
    drift_rate : float
        g, slope per round of the never-reviewed registry's uncovered share.
    learning_rate : float
        η, coverage gained per review beyond the drift: (g − slope of the reviewed
        registry's uncovered share) / λ.
    reviews_per_round : int
        λ, reviews per round.
    keeps_pace : bool
        ``LearningModel.keeps_up()``: η·λ ≥ g.
    final_coverage, final_coverage_never : float
        Coverage in the last round, reviewed and never reviewed.
    model : LearningModel
        The learning model fitted to the cycles.
    reviews : tuple of Review
    registry : Registry
        The registry after the last review.
    """

    _hidden = ("frame", "model", "reviews", "registry")

    rounds: int
    drift: float
    drift_rate: float
    learning_rate: float
    reviews_per_round: int
    keeps_pace: bool
    final_coverage: float
    final_coverage_never: float
    frame: pd.DataFrame = field(repr=False)
    model: Any = field(repr=False)
    reviews: tuple = field(repr=False)
    registry: Any = field(repr=False)

    def to_frame(self) -> pd.DataFrame:
        """:attr:`frame` (what a figure of coverage over review cycles draws).

        Returns
        -------
        pandas.DataFrame
        """
        return self.frame


def world_coverage(registry: Registry, world) -> tuple[float, float]:
    """Coverage and credible coverage of the active scenarios ``world`` by ``registry``.

    Parameters
    ----------
    registry : Registry
    world : sequence of Scenario
        The active scenarios; those missing from the library count as uncovered.

    Returns
    -------
    tuple of float
        (share of (scenario, function) pairs with committed ≥ required, mean min(1,
        credible/required)).

    Examples
    --------
    >>> import coordgap as cg
    >>> reg = cg.load_registry()
    >>> cov, cred = world_coverage(reg, reg.scenarios)
    >>> cred == reg.check().credible_coverage
    True
    """
    table = coverage_table(registry)
    committed = dict(zip(zip(table["scenario"], table["function"]), table["committed"]))
    credible = dict(zip(zip(table["scenario"], table["function"]), table["credible"]))
    ids = {s.id for s in registry.scenarios}
    met, ratio = [], []
    for s in world:
        for f in s.functions:
            key = (s.id, f.function)
            if s.id in ids:
                met.append(committed.get(key, 0.0) >= f.capacity * (1 - 1e-12))
                ratio.append(min(1.0, credible.get(key, 0.0) / f.capacity))
            else:
                met.append(False)
                ratio.append(0.0)
    if not met:
        return 1.0, 1.0
    return float(np.mean(met)), float(np.mean(ratio))


def _novel(template, k: int, functions: list[str], rng) -> Any:
    factor = float(np.exp(rng.uniform(np.log(0.5), np.log(2.0))))
    indicators = tuple(
        dataclasses.replace(i, rate=i.rate * factor) if j == 0 else i
        for j, i in enumerate(template.indicators)
    )
    picks = rng.choice(
        len(functions), size=min(len(functions), int(rng.integers(2, 4))), replace=False
    )
    needs = tuple(
        RequiredFunction(
            functions[p], capacity=float(rng.integers(1, 3)), window=float(rng.uniform(2, 48))
        )
        for p in sorted(picks)
    )
    return dataclasses.replace(
        template, id=f"novel_{k}", indicators=indicators, functions=needs, title="", description=""
    )


def _exercise(registry: Registry, sid: str, n_runs: int, seed: int) -> tuple[float, float]:
    """Median time to a coordinated response and P(coordinated) of one scenario."""
    if sid not in {s.id for s in registry.scenarios} or response_table(registry, sid).empty:
        return math.inf, 0.0
    ex = registry.tabletop(sid, n_runs, rng=seed)
    return float(ex.time_to_response_median), float(ex.p_coordinated)


def review_cycles(
    registry: Registry,
    rounds: int = 20,
    *,
    drift: float = 0.0,
    n_runs: int = 200,
    retire_after: int = 3,
    reviews_per_round: int = 1,
    tolerance: float = 0.05,
    rng=None,
) -> ReviewCycles:
    """Simulate rounds of exercise/incident → review → apply, against no review.

    Parameters
    ----------
    registry : Registry
        The registry at round 0 (its library is the world at first).
    rounds : int
        Number of rounds (≥ 1).
    drift : float
        In [0, 1]: probability per round that an active scenario is replaced by a novel one
        (default 0: a fixed world).
    n_runs : int
        Tabletop runs per exercise (≥ 1).
    retire_after : int
        Rounds after a scenario fades before the review hears it is stale (≥ 1).
    reviews_per_round : int
        λ ≥ 1, events drawn and reviewed per round (default 1); the round's time to
        response is that of its last event.
    tolerance : float
        As in :func:`~coordgap.registry.reviews.review`.
    rng : int, Generator or None
        Seed; the same seed gives the same cycles.

    Returns
    -------
    ReviewCycles

    Examples
    --------
    >>> import coordgap as cg
    >>> cyc = cg.review_cycles(cg.load_registry(), 8, drift=0.5, n_runs=100, rng=3)
    >>> frame = cyc.to_frame()
    >>> last = frame[frame["round"] == 8].set_index("regime")["coverage"]
    >>> bool(last["reviewed"] >= last["never_reviewed"])
    True
    >>> cyc.keeps_pace == (cyc.learning_rate * cyc.reviews_per_round >= cyc.drift_rate)
    True
    """
    if not isinstance(registry, Registry):
        raise InvalidParameterError("review_cycles", "registry", "a Registry", registry)
    for name, value, low in (
        ("rounds", rounds, 1),
        ("n_runs", n_runs, 1),
        ("retire_after", retire_after, 1),
        ("reviews_per_round", reviews_per_round, 1),
    ):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
            raise InvalidParameterError("review_cycles", name, f"an integer >= {low}", value)
    if isinstance(drift, bool) or not isinstance(drift, (int, float)) or not 0 <= drift <= 1:
        raise InvalidParameterError("review_cycles", "drift", "a float in [0, 1]", drift)
    # Each round runs (2 + reviews) exercises of n_runs tabletop runs: the limit is stated
    # on the rounds themselves.
    check_size(
        "review_cycles",
        "rounds",
        int(rounds),
        "tabletop_runs",
        per=(int(n_runs) * (2 + int(reviews_per_round)), "tabletop runs per round"),
    )
    rng = np.random.default_rng(rng)
    world = list(registry.scenarios)
    offered = sorted({r.function for f in registry.filings for r in f.responses})
    reviewed = registry
    faded: dict[str, int] = {}
    ever_uncovered: set[str] = set()
    rows: list[dict] = []
    reviews = []

    def record(t, regime, reg, sid, n_rev, exercised):
        cov, cred = world_coverage(reg, world)
        ttr, p_coordinated = exercised
        rows.append(
            {
                "round": t,
                "regime": regime,
                "coverage": cov,
                "credible_coverage": cred,
                "time_to_response": ttr,
                "p_coordinated": p_coordinated,
                "scenario": sid,
                "n_revisions": n_rev,
            }
        )

    record(0, "reviewed", reviewed, "", 0, (math.nan, math.nan))
    record(0, "never_reviewed", registry, "", 0, (math.nan, math.nan))
    n_novel = 0
    for t in range(1, int(rounds) + 1):
        if rng.random() < drift and world:
            k = int(rng.integers(len(world)))
            faded[world[k].id] = t
            template = registry.scenarios[int(rng.integers(len(registry.scenarios)))]
            n_novel += 1
            world[k] = _novel(template, n_novel, offered, rng)
        n_revisions = 0
        for _ in range(int(reviews_per_round)):
            event = world[int(rng.integers(len(world)))]
            seed = int(rng.integers(2**31))
            stale = tuple(
                s
                for s, since in faded.items()
                if t - since >= retire_after and s not in ever_uncovered
            )
            if event.id in {s.id for s in reviewed.scenarios}:
                result: Any = reviewed.tabletop(event.id, int(n_runs), rng=seed)
            else:
                result = Incident(event.id, definition=event)
            rev = review(reviewed, result, stale=stale, tolerance=tolerance)
            ever_uncovered.update(rev.uncovered)
            for s in stale:
                faded.pop(s, None)
            reviewed = rev.apply()
            reviews.append(rev)
            n_revisions += rev.n_revisions
        n = int(n_runs)
        record(
            t,
            "reviewed",
            reviewed,
            event.id,
            n_revisions,
            _exercise(reviewed, event.id, n, seed),
        )
        record(t, "never_reviewed", registry, event.id, 0, _exercise(registry, event.id, n, seed))
    frame = pd.DataFrame(rows)
    gap = {
        regime: 1.0 - frame.loc[frame["regime"] == regime, "coverage"].to_numpy()
        for regime in ("reviewed", "never_reviewed")
    }
    times = np.arange(int(rounds) + 1, dtype=float)
    slope = {k: float(np.polyfit(times, v, 1)[0]) for k, v in gap.items()}
    slope = {k: v if abs(v) > 1e-12 else 0.0 for k, v in slope.items()}  # a flat path: 0
    growth = max(0.0, slope["never_reviewed"])
    learning = max(0.0, growth - slope["reviewed"]) / int(reviews_per_round)
    model = LearningModel(
        n_actors=1,
        growth=growth,
        incident_rate=float(reviews_per_round),
        learning_rate=learning,
        initial_gap=float(gap["reviewed"][0]),
    )
    return ReviewCycles(
        rounds=int(rounds),
        drift=float(drift),
        drift_rate=growth,
        learning_rate=learning,
        reviews_per_round=int(reviews_per_round),
        keeps_pace=bool(model.keeps_up()),
        final_coverage=float(1.0 - gap["reviewed"][-1]),
        final_coverage_never=float(1.0 - gap["never_reviewed"][-1]),
        frame=frame,
        model=model,
        reviews=tuple(reviews),
        registry=reviewed,
    )
