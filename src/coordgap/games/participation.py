"""M2: the registry participation game — binary join, coordination (docs/guide/m2-participation.md).

Actor i joins the Scenario Response Registry (files a plan committing capacity q_i) or stays
out. The coordination value of the set P of joiners is

    V(P) = B(R0) + φ(|P|) · [B(R0 + Σ_{j∈P} w_j q_j) − B(R0)],    B(R) = p·H·(1 − exp(−κR)),

with B the expected avoided harm of the preparedness game (M1; same parameter names ``prob``,
``harm``, ``efficacy``, ``baseline``), R0 the robustness that exists without the registry (in a
:class:`~coordgap.PolicyModel`, the voluntary preparedness of the M1 equilibrium) and φ a
critical-mass curve that scales the registry's *increment* only — coordination primitives that
fail below critical mass do not destroy capacity that exists without them: ``"none"`` (φ = 1),
``"step"`` (φ(m) = 1 when m ≥ m*, else 0) or ``"logistic"`` (φ(m) = 1/(1 + exp(−σ(m − m*)))).
Actor i's gain from joining rather than staying out, given the others' choices P \\ {i}, is

    g_i(P) = s_i·[V(P ∪ {i}) − V(P \\ {i})] − k_i + I_i,

s_i being its share of the coordination value, k_i its joining cost (drafting, disclosure,
compliance, carrying cost of a bond) and I_i the registry incentives it earns by joining.

The game is **anonymous** when V depends on the number of joiners only: when every actor
contributes the same w_i·q_i, or when built by :meth:`ParticipationGame.anonymous` from a value
array V[0..N]. Then g_i depends on the count m of other joiners, i joins iff its threshold
t_i = (k_i − I_i)/s_i is below V[m+1] − V[m], and all pure equilibria are found exactly by
sorting thresholds. Games with a few actor types are solved exactly by enumerating joiner
counts per type, others by monotone (Tarski/Topkis) iteration; see
:mod:`coordgap.solvers.lattice`, which also explains when the game is supermodular.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .._deprecation import renamed_method
from ..errors import InvalidParameterError
from ..params import Actors, checking_rules, param, parameters, validate
from .calibration import load_default_calibration

__all__ = ["ParticipationGame", "CRITICAL_MASS", "load_default_calibration", "validate_model"]

CRITICAL_MASS = ("none", "step", "logistic")
_SHARE_TOLERANCE = 1e-12


def validate_model(obj) -> None:
    """:func:`coordgap.params.validate`, after checking scalar values of per-actor parameters.

    A scalar given for a per-actor parameter is checked here first so that a bad scalar
    (NaN, inf, out of bounds) gets the same :class:`InvalidParameterError` as a bad array.

    Parameters
    ----------
    obj : object
        A model dataclass instance declared with :func:`coordgap.params.param`; normalized in
        place.

    Raises
    ------
    InvalidParameterError
        On the first parameter that breaks its rule.
    """
    owner = type(obj).__name__
    for name, spec in parameters(obj).items() if checking_rules() else ():
        value = getattr(obj, name)
        if spec.kind != "actors" or value is None or isinstance(value, (str, bytes, bool)):
            continue
        try:
            arr = np.asarray(value, dtype=float)
        except (TypeError, ValueError):
            continue  # validate() reports it
        if arr.ndim == 0 and not spec.admits(arr.reshape(1))[0]:
            shown = "NaN" if math.isnan(float(arr)) else float(arr)
            raise InvalidParameterError(owner, name, spec.rule(), shown)
    validate(obj)


def _number(entry):
    """The value of a calibration entry ``{value = ..., unit = ..., source = ...}``."""
    return entry["value"] if isinstance(entry, dict) else entry


def role_arrays(calib: dict, keys) -> tuple[dict, tuple, tuple]:
    """Expand per-role calibration entries into per-actor arrays, names and roles."""
    out: dict[str, list] = {k: [] for k in keys}
    names, roles = [], []
    for role, spec in calib["roles"].items():
        count = int(_number(spec["count"]))
        for j in range(count):
            names.append(f"{role} {j + 1}")
            roles.append(role)
            for k in keys:
                out[k].append(float(_number(spec[k])))
    return {k: np.asarray(v) for k, v in out.items()}, tuple(names), tuple(roles)


@dataclass(frozen=True, slots=True, eq=False)
class ParticipationGame:
    """Binary participation in the Scenario Response Registry (docs/guide/m2-participation.md).

    Parameters
    ----------
    share : float or array_like
        s_i ∈ (0, 1], the share of the coordination value actor i internalizes; Σ s_i ≤ 1
        (checked unless the game is built from a value array with :meth:`anonymous`).
    cost : float or array_like
        k_i ≥ 0, joining cost (drafting, disclosure, compliance, carrying cost of a bond).
    capacity : float or array_like
        q_i ≥ 0, response capacity committed by a filing (default 1).
    weight : float or array_like
        w_i > 0, productivity of committed capacity in robustness (default 1).
    incentive : float or array_like
        I_i ≥ 0, registry incentives earned by joining (procurement preference, compute
        access, regulatory flexibility).
    prob, harm, efficacy, baseline : float
        p, H, κ and R0 of the benefit B(R) = p·H·(1 − exp(−κR)), as in
        :class:`~coordgap.PreparednessGame`.
    critical_mass : {"none", "step", "logistic"}
        The participation-threshold curve φ.
    threshold : float
        m* ≥ 0, the number of joiners at which the step switches on or the logistic is 1/2.
    steepness : float
        σ > 0, slope of the logistic curve (per joiner).
    refund_threshold, refund_bonus : float
        An assurance contract (Tabarrok 1998): filings bind only if at least m_A actors file;
        otherwise the registry is void (no coordination value), every filer's cost is refunded
        and it receives the bonus β. m_A = 0 (default) means filings always bind.
    names, roles : sequence of str, optional
        Actor names and roles (default ``"actor 0"``, ... and ``"actor"``).
    n_actors : int, optional
        Number of actors when every per-actor parameter is a scalar.
    value : array_like, optional
        V[0..N], the coordination value as a function of the number of joiners; set by
        :meth:`anonymous` (the structural parameters are then unused).

    Raises
    ------
    InvalidParameterError
        On NaN/inf, a negative cost, capacity or incentive, a share outside (0, 1], Σ s_i > 1,
        an unknown curve, or a value array whose length is not N + 1.

    Examples
    --------
    >>> import coordgap as cg
    >>> g = cg.ParticipationGame(share=0.2, cost=[1.0, 2.0, 3.0], prob=0.5, harm=100.0,
    ...                          critical_mass="step", threshold=2)
    >>> g.n_actors, g.is_anonymous
    (3, True)
    >>> np.round(g.value_curve(), 3)
    array([ 0.   ,  0.   , 43.233, 47.511])
    >>> eq = cg.solve(g)
    >>> [(e.count, e.n_profiles) for e in eq]  # nobody, or any two of the three
    [(0, 1), (2, 3)]
    """

    share: Actors = param(
        kind="actors",
        bounds=(0, 1),
        closed="right",
        unit="1",
        symbol="s",
        doc="benefit share internalized; share of the coordination value the actor captures",
    )
    cost: Actors = param(
        kind="actors",
        bounds=(0, math.inf),
        closed="left",
        unit="USD m",
        symbol="k",
        doc="joining cost; drafting, disclosure, compliance, bond carrying cost",
    )
    capacity: Actors = param(
        1.0,
        kind="actors",
        bounds=(0, math.inf),
        closed="left",
        unit="capacity units",
        symbol="q",
        doc="committed response capacity",
    )
    weight: Actors = param(
        1.0,
        kind="actors",
        bounds=(0, math.inf),
        closed="left",
        unit="1",
        symbol="w",
        doc="productivity of capacity in robustness",
    )
    incentive: Actors = param(
        0.0,
        kind="actors",
        bounds=(0, math.inf),
        closed="left",
        unit="USD m",
        symbol="I",
        doc="registry incentive earned by joining",
    )
    prob: float = param(
        1.0,
        bounds=(0, 1),
        unit="1",
        symbol="p",
        doc="incident probability; probability that prevention fails",
    )
    harm: float = param(
        1.0,
        bounds=(0, math.inf),
        closed="left",
        unit="USD m",
        symbol="H",
        doc="harm if unmitigated",
    )
    efficacy: float = param(
        1.0,
        bounds=(0, math.inf),
        closed="neither",
        unit="per capacity unit",
        symbol="κ",
        doc="mitigation efficiency of robustness",
    )
    baseline: float = param(
        0.0,
        bounds=(0, math.inf),
        closed="left",
        unit="capacity units",
        symbol="R0",
        doc="baseline robustness",
    )
    critical_mass: str = param(
        "none", kind="choice", choices=CRITICAL_MASS, doc="critical-mass curve φ"
    )
    threshold: float = param(
        0.0,
        bounds=(0, math.inf),
        closed="left",
        unit="actors",
        symbol="m*",
        doc="critical mass; joiners needed by the curve",
    )
    steepness: float = param(
        1.0,
        bounds=(0, math.inf),
        closed="neither",
        unit="per actor",
        symbol="σ",
        doc="slope of the logistic critical-mass curve",
    )
    refund_threshold: float = param(
        0.0,
        bounds=(0, math.inf),
        closed="left",
        unit="actors",
        symbol="m_A",
        doc="assurance threshold; filings bind only if at least this many actors file (0: always)",
    )
    refund_bonus: float = param(
        0.0,
        bounds=(0, math.inf),
        closed="left",
        unit="USD m",
        symbol="β",
        doc="assurance bonus paid to each filer (besides its refunded cost) when too few file",
    )
    names: tuple | None = param(None, kind="labels", doc="actor names")
    roles: tuple | None = param(None, kind="labels", doc="actor roles")
    n_actors: int | None = param(None, kind="integer", bounds=(1, math.inf), doc="number of actors")
    value: np.ndarray | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        validate_model(self)
        owner = type(self).__name__
        n = self.n_actors
        assert n is not None  # set by validate_model()
        if self.value is not None:
            try:
                v = np.array(self.value, dtype=float)
            except (TypeError, ValueError):
                raise InvalidParameterError(
                    owner, "value", "a 1-D array of N + 1 finite floats", self.value
                ) from None
            if v.ndim != 1 or v.shape[0] != n + 1:
                raise InvalidParameterError(
                    owner,
                    "value",
                    f"a 1-D array of length N + 1 = "
                    f"{n + 1} (V[0..N], one entry per number of "
                    "joiners)",
                    f"an array of shape {v.shape}",
                )
            if not np.all(np.isfinite(v)):
                bad = int(np.flatnonzero(~np.isfinite(v))[0])
                raise InvalidParameterError(
                    owner, "value", "finite at every entry", f"{v[bad]!r} at entry {bad}"
                )
            v.flags.writeable = False
            object.__setattr__(self, "value", v)
        else:
            total = float(np.sum(self.share))
            if total > 1.0 + _SHARE_TOLERANCE:
                raise InvalidParameterError(
                    owner,
                    "share",
                    "a set of benefit shares with sum <= 1 (the benefit is diffuse: Σ s_i <= 1)",
                    f"sum {total!r}",
                )
        if self.names is None:
            object.__setattr__(self, "names", tuple(f"actor {i}" for i in range(n)))
        if self.roles is None:
            object.__setattr__(self, "roles", ("actor",) * n)

    # -- construction ----------------------------------------------------------------------
    @classmethod
    def anonymous(
        cls, value, share, net_cost, *, capacity=1.0, names=None, roles=None
    ) -> ParticipationGame:
        """The general anonymous game: gain of joining = s_i·(V[m+1] − V[m]) − net_cost_i.

        Parameters
        ----------
        value : array_like
            V[0..N], coordination value when m = 0..N actors join (length N + 1).
        share : float or array_like
            s_i ∈ (0, 1] (the sum is not restricted here).
        net_cost : float or array_like
            k_i − I_i, any finite float (negative when incentives exceed the cost); stored
            as ``cost = max(net, 0)`` and ``incentive = max(−net, 0)``.
        capacity : float or array_like
            q_i ≥ 0, used for capacity-weighted coverage only.
        names, roles : sequence of str, optional
            Actor names and roles (default ``"actor 0"``, ... and ``"actor"``).

        Returns
        -------
        ParticipationGame
            The game with ``value`` set; the number of actors is ``len(value) − 1``.

        Raises
        ------
        InvalidParameterError
            If ``net_cost`` is not finite or ``value`` is not an array of N + 1 floats.

        Examples
        --------
        >>> g = ParticipationGame.anonymous([0.0, 1.0, 4.0], share=[0.5, 1.0],
        ...                                 net_cost=[1.0, -0.5])
        >>> g.thresholds
        array([ 2. , -0.5])
        """
        owner = "ParticipationGame.anonymous"
        try:
            net = np.asarray(net_cost, dtype=float)
        except (TypeError, ValueError):
            raise InvalidParameterError(
                owner, "net_cost", "a finite float for every actor", net_cost
            ) from None
        if net.ndim > 1 or not np.all(np.isfinite(net)):
            raise InvalidParameterError(
                owner, "net_cost", "a finite float for every actor (scalar or 1-D)", net_cost
            )
        try:
            v = np.asarray(value, dtype=float)
        except (TypeError, ValueError):
            raise InvalidParameterError(
                owner, "value", "a 1-D array of N + 1 finite floats", value
            ) from None
        n_actors = None
        if (
            v.ndim == 1
            and v.shape[0] >= 2
            and net.ndim == 0
            and np.ndim(share) == 0
            and np.ndim(capacity) == 0
        ):
            n_actors = v.shape[0] - 1
        return cls(
            share=share,
            cost=np.maximum(net, 0.0),
            incentive=np.maximum(-net, 0.0),
            capacity=capacity,
            names=names,
            roles=roles,
            n_actors=n_actors,
            value=v,
        )

    @classmethod
    def default(cls, *, incentives: bool = True) -> ParticipationGame:
        """The packaged default calibration (``coordgap/data/default_model.toml``).

        The benefit function, critical mass, roles, shares and registry tables of the default
        model, with the stand-alone game's own harm and incentives (its ``[games]`` section;
        see :mod:`coordgap.games.calibration`).

        A stylized, documented calibration, not a forecast: every number carries a unit and a
        source or the word "illustrative".

        Parameters
        ----------
        incentives : bool
            With False, every registry incentive I_i is set to zero.

        Returns
        -------
        ParticipationGame
            The calibrated game, one actor per calibrated role member.

        Examples
        --------
        >>> g = ParticipationGame.default()
        >>> g.n_actors, sorted(set(g.roles))[0]
        (58, 'ai_developer')
        """
        calib = load_default_calibration()
        arrays, names, roles = role_arrays(
            calib, ("share", "join_cost", "capacity", "weight", "incentive")
        )
        benefit = calib["benefit"]
        curve = calib["critical_mass"]
        return cls(
            share=arrays["share"],
            cost=arrays["join_cost"],
            capacity=arrays["capacity"],
            weight=arrays["weight"],
            incentive=arrays["incentive"] if incentives else 0.0,
            prob=_number(benefit["prob"]),
            harm=_number(benefit["harm"]),
            efficacy=_number(benefit["efficacy"]),
            baseline=_number(benefit["baseline"]),
            critical_mass=curve["curve"],
            threshold=_number(curve["threshold"]),
            steepness=_number(curve["steepness"]),
            names=names,
            roles=roles,
        )

    def replace(self, **changes) -> ParticipationGame:
        """A copy with some parameters changed (validated again).

        Built by :func:`dataclasses.replace`, so a subclass keeps its type and its extra
        fields (fields with ``init=False`` are recomputed by ``__post_init__``). A per-actor
        array among the changes sets the number of actors anew.

        Parameters
        ----------
        **changes
            New values of constructor parameters, by name.

        Returns
        -------
        ParticipationGame
            The new instance (of the same class as ``self``).
        """
        import dataclasses

        if "n_actors" not in changes and any(
            np.ndim(v) == 1 for k, v in changes.items() if k not in ("names", "roles", "value")
        ):
            changes = {"n_actors": None, **changes}
        return dataclasses.replace(self, **changes)

    # -- structure ---------------------------------------------------------------------------
    @property
    def net_cost(self) -> np.ndarray:
        """k_i − I_i, the net cost of joining."""
        return self.cost - self.incentive

    @property
    def thresholds(self) -> np.ndarray:
        """t_i = (k_i − I_i)/s_i: i joins when the marginal coordination value exceeds t_i."""
        return self.net_cost / self.share

    @property
    def contribution(self) -> np.ndarray:
        """a_i = w_i·q_i, actor i's contribution to robustness when it joins."""
        return self.weight * self.capacity

    @property
    def is_anonymous(self) -> bool:
        """Whether V depends on the number of joiners only."""
        a = self.contribution
        return self.value is not None or bool(np.all(a == a[0]))

    @property
    def scale(self) -> float:
        """p·H, the expected harm with no robustness at all."""
        return self.prob * self.harm

    def benefit(self, robustness):
        """Expected avoided harm B(R) = p·H·(1 − exp(−κR)).

        Parameters
        ----------
        robustness : float or array_like
            Robustness R.

        Returns
        -------
        float or ndarray
            B(R) in the units of ``harm``, same shape as ``robustness``.
        """
        return -self.scale * np.expm1(-self.efficacy * np.asarray(robustness, dtype=float))

    # Old spellings, kept for one release (they warn).
    curve = renamed_method("critical_mass_curve", "curve")

    def critical_mass_curve(self, count):
        """The critical-mass curve φ(m) at joiner counts ``m``.

        Parameters
        ----------
        count : int or array_like
            Number(s) of joiners m.

        Returns
        -------
        ndarray
            φ(m) ∈ [0, 1], same shape as ``count`` (1 for the curve ``"none"``).
        """
        m = np.asarray(count, dtype=float)
        if self.critical_mass == "none":
            return np.ones_like(m)
        if self.critical_mass == "step":
            return (m >= self.threshold).astype(float)
        z = -self.steepness * (m - self.threshold)
        return 0.5 * (1.0 - np.tanh(0.5 * z))  # 1/(1 + e^z) without overflow

    @property
    def has_refund(self) -> bool:
        """Whether an assurance contract voids the registry below ``refund_threshold`` filers."""
        return self.refund_threshold > 0

    def binding(self, count) -> np.ndarray:
        """1 where ``count`` filers make the filings bind (always 1 without a refund).

        Parameters
        ----------
        count : int or array_like
            Number(s) of joiners m.

        Returns
        -------
        ndarray
            1.0 where m ≥ m_A, 0.0 elsewhere; same shape as ``count``.
        """
        m = np.asarray(count, dtype=float)
        return (m >= self.refund_threshold).astype(float)

    def net_cost_at(self, count) -> np.ndarray:
        """A filer's net cost when ``count`` actors file (shape (..., N)): k_i − I_i when the
        filings bind, −β (cost refunded, bonus paid) when the registry is void.

        Parameters
        ----------
        count : int or array_like
            Number(s) of joiners m.

        Returns
        -------
        ndarray
            Shape (..., N): the shape of ``count`` plus the actor axis.
        """
        m = np.expand_dims(np.asarray(count, dtype=float), -1)
        return np.where(m >= self.refund_threshold, self.net_cost, -self.refund_bonus)

    def registry_value(self, robustness, factor):
        """B(R0) + factor·[B(robustness) − B(R0)]: the coordination value when the registry's
        increment is scaled by ``factor`` (φ(m) times the binding indicator).

        Parameters
        ----------
        robustness : float or array_like
            Robustness R with the registry.
        factor : float or array_like
            Scale of the registry's increment, in [0, 1]; broadcasts against ``robustness``.

        Returns
        -------
        ndarray
            The coordination value, in the units of ``harm``.
        """
        b0 = self.benefit(self.baseline)
        return b0 + np.asarray(factor, dtype=float) * (self.benefit(robustness) - b0)

    def value_curve(self) -> np.ndarray:
        """V[0..N] for an anonymous game (raises if the game is not anonymous).

        Returns
        -------
        ndarray
            V[m] for m = 0..N joiners, shape (N + 1,), in the units of ``harm``.

        Raises
        ------
        InvalidParameterError
            If the contributions w_i·q_i differ between actors and no value array is set.
        """
        assert self.n_actors is not None  # set by validate_model()
        if self.value is not None:
            return self.value * self.binding(np.arange(self.n_actors + 1))
        if not self.is_anonymous:
            raise InvalidParameterError(
                type(self).__name__,
                "capacity",
                "equal w_i·q_i for every actor (an anonymous game) to have a value curve",
                "unequal contributions",
            )
        m = np.arange(self.n_actors + 1, dtype=float)
        a = float(self.contribution[0])
        return self.registry_value(
            self.baseline + a * m, self.critical_mass_curve(m) * self.binding(m)
        )

    def coordination_value(self, joined) -> np.ndarray:
        """V(P) for profiles ``joined`` (bool, shape (..., N)).

        Parameters
        ----------
        joined : array_like of bool
            Who joins: one profile, shape (N,), or several, shape (..., N).

        Returns
        -------
        ndarray
            V(P) for each profile, shape (...).
        """
        x = np.asarray(joined, dtype=bool)
        m = x.sum(axis=-1)
        if self.value is not None:
            return self.value[m] * self.binding(m)
        r = self.baseline + (x * self.contribution).sum(axis=-1)
        return self.registry_value(r, self.critical_mass_curve(m) * self.binding(m))

    def payoffs(self, joined) -> np.ndarray:
        """u_i = s_i·V(P) − (k_i − I_i)·[i ∈ P] for a profile (or profiles, shape (..., N)).

        Parameters
        ----------
        joined : array_like of bool
            Who joins: one profile, shape (N,), or several, shape (..., N).

        Returns
        -------
        ndarray
            u_i, same shape as ``joined``.
        """
        x = np.asarray(joined, dtype=bool)
        v = self.coordination_value(x)
        return self.share * np.expand_dims(v, -1) - x * self.net_cost_at(x.sum(axis=-1))

    def gains(self, joined) -> np.ndarray:
        """Each actor's gain from being in rather than out, the others' choices held fixed.

        g_i = s_i·[V(P_{−i} ∪ {i}) − V(P_{−i})] − k_i + I_i, computed from the definition of V
        (used by the equilibrium certificate; shares no code with the solvers).

        Parameters
        ----------
        joined : array_like of bool
            One profile, shape (N,).

        Returns
        -------
        ndarray
            g_i, shape (N,).
        """
        x = np.asarray(joined, dtype=bool)
        others = int(x.sum()) - x  # joiners other than i
        if self.value is not None:
            v_in = self.value[others + 1] * self.binding(others + 1)
            v_out = self.value[others] * self.binding(others)
        else:
            a = self.contribution
            r_others = self.baseline + float(np.sum(a[x])) - a * x
            # registry_value(r, φ·bind) = B(R0) + φ·bind·[B(r) − B(R0)], with B(R0) once.
            b0 = self.benefit(self.baseline)
            phi_in = self.critical_mass_curve(others + 1) * self.binding(others + 1)
            phi_out = self.critical_mass_curve(others) * self.binding(others)
            v_in = b0 + phi_in * (self.benefit(r_others + a) - b0)
            v_out = b0 + phi_out * (self.benefit(r_others) - b0)
        net_in = np.where(others + 1 >= self.refund_threshold, self.net_cost, -self.refund_bonus)
        return self.share * (v_in - v_out) - net_in

    def regrets(self, joined) -> np.ndarray:
        """Each actor's gain from switching alone (0 when its choice is a best response).

        Parameters
        ----------
        joined : array_like of bool
            One profile, shape (N,).

        Returns
        -------
        ndarray
            Regret of each actor, shape (N,), each ≥ 0.
        """
        x = np.asarray(joined, dtype=bool)
        g = self.gains(x)
        return np.maximum(np.where(x, -g, g), 0.0)

    def coverage(self, joined) -> np.ndarray:
        """Capacity-weighted participation Σ_{i∈P} q_i / Σ q_i (count share if Σ q = 0).

        Parameters
        ----------
        joined : array_like of bool
            Who joins: one profile, shape (N,), or several, shape (..., N).

        Returns
        -------
        ndarray
            Coverage ∈ [0, 1] of each profile, shape (...).
        """
        x = np.asarray(joined, dtype=bool)
        total = float(self.capacity.sum())
        if total <= 0:
            return x.mean(axis=-1)
        return (x * self.capacity).sum(axis=-1) / total
