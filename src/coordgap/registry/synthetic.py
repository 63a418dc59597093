"""Synthetic registries for scale tests and benchmarks.

The numbers are random and carry no meaning beyond exercising every code path: scenarios in all
four domains with one or two indicators and two to four required functions, actors in all five
roles, and filings that address one or two scenarios, sometimes escalate to another actor and
sometimes suspend or require a shared service.
"""

from __future__ import annotations

import numpy as np

from ..errors import InvalidParameterError
from .schema import (
    DOMAINS,
    FUNCTIONS,
    ROLES,
    SEVERITY,
    Actor,
    DecisionProcess,
    Filing,
    Indicator,
    Registry,
    RequiredFunction,
    Response,
    Scenario,
    Trigger,
)

__all__ = ["synthetic"]


def _count(name: str, value, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
        raise InvalidParameterError("synthetic", name, f"an integer >= {low}", value)
    return int(value)


def synthetic(
    n_scenarios: int, n_filings: int, *, n_actors: int | None = None, rng=None
) -> Registry:
    """A random registry with ``n_scenarios`` scenarios and ``n_filings`` filings.

    Parameters
    ----------
    n_scenarios, n_filings : int
        Sizes (≥ 1 and ≥ 0).
    n_actors : int, optional
        Number of actors (default max(5, n_filings // 5)), spread over the five roles.
    rng : int, Generator or None
        Seed; the same seed gives the same registry.

    Returns
    -------
    Registry
        A valid registry (for scaling tests and benchmarks; not a calibration).

    Examples
    --------
    >>> from coordgap.registry import synthetic
    >>> reg = synthetic(20, 100, rng=0)
    >>> len(reg.scenarios), len(reg.filings), len(reg.actors)
    (20, 100, 20)
    >>> synthetic(20, 100, rng=0).filings[7].id == reg.filings[7].id
    True
    """
    n_scenarios = _count("n_scenarios", n_scenarios, 1)
    n_filings = _count("n_filings", n_filings, 0)
    n_actors = max(5, n_filings // 5) if n_actors is None else _count("n_actors", n_actors, 1)
    rng = np.random.default_rng(rng)
    n_indicators = max(4, n_scenarios // 2)
    n_services = 20

    scenarios = []
    for k in range(n_scenarios):
        names = rng.choice(n_indicators, size=int(rng.integers(1, 3)), replace=False)
        indicators = [
            Indicator(
                f"indicator_{j}",
                start=0.0,
                threshold=float(rng.uniform(10, 100)),
                rate=float(rng.uniform(1, 10)),
                volatility=float(rng.uniform(0, 5)),
            )
            for j in names
        ]
        fns = rng.choice(len(FUNCTIONS), size=int(rng.integers(2, 5)), replace=False)
        functions = [
            RequiredFunction(
                FUNCTIONS[f], capacity=float(rng.integers(1, 4)), window=float(rng.uniform(2, 48))
            )
            for f in fns
        ]
        scenarios.append(
            Scenario(
                f"scenario_{k}",
                DOMAINS[k % len(DOMAINS)],
                SEVERITY[int(rng.integers(len(SEVERITY)))],
                indicators=tuple(indicators),
                functions=tuple(functions),
                harm=float(rng.uniform(100, 10_000)),
            )
        )

    actors = [
        Actor(
            f"actor_{i}",
            ROLES[i % len(ROLES)],
            share=float(rng.uniform(0.005, 0.05)),
            liability=float(rng.uniform(0, 20)),
            incentive=float(rng.uniform(0, 3)),
            decision_latency=float(rng.uniform(0.5, 6)),
        )
        for i in range(n_actors)
    ]

    filings = []
    who = rng.integers(n_actors, size=n_filings)
    for m in range(n_filings):
        chosen = rng.choice(
            n_scenarios, size=min(n_scenarios, int(rng.integers(1, 3))), replace=False
        )
        triggers, offered = [], []
        for k in chosen:
            ind = scenarios[k].indicators[0]
            triggers.append(Trigger(ind.name, ">=", float(ind.threshold * rng.uniform(0.5, 1.1))))
            offered += [f.function for f in scenarios[k].functions]
        offered = list(dict.fromkeys(offered))
        picks = rng.choice(
            len(offered), size=min(len(offered), int(rng.integers(1, 4))), replace=False
        )
        responses = []
        for p in picks:
            suspends = (f"service_{int(rng.integers(n_services))}",) if rng.random() < 0.02 else ()
            requires = (f"service_{int(rng.integers(n_services))}",) if rng.random() < 0.05 else ()
            responses.append(
                Response(
                    offered[p],
                    capacity=float(rng.integers(1, 3)),
                    time_to_act=float(rng.uniform(0.5, 12)),
                    suspends=suspends,
                    requires=requires,
                )
            )
        owner = f"actor_{who[m]}"
        escalation = (f"actor_{int(rng.integers(n_actors))}",) if rng.random() < 0.2 else ()
        filings.append(
            Filing(
                f"filing_{m}",
                owner,
                triggers=tuple(triggers),
                responses=tuple(responses),
                decision=DecisionProcess(owner, escalation, max_latency=float(rng.uniform(0.5, 8))),
                scenarios=tuple(scenarios[k].id for k in chosen),
                bond=float(rng.uniform(0, 10)),
                response_cost=float(rng.uniform(0.5, 10)),
                cost_sigma=float(rng.uniform(0.3, 1.0)),
            )
        )
    return Registry(
        actors=tuple(actors),
        scenarios=tuple(scenarios),
        filings=tuple(filings),
        name="synthetic",
        source="<synthetic>",
    )
