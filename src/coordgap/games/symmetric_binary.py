"""Symmetric games with two actions whose payoffs depend on how many others take action 0.

Such a game with N players is given by two vectors of length N: ``payoff_0[k]`` and
``payoff_1[k]``, a player's payoff from action 0 (resp. 1) when k of the other N − 1 players
take action 0. It never builds the 2^N payoff table, so N = 1000 is cheap; convert a small one
with :meth:`SymmetricBinaryGame.to_normal_form`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from ..errors import InvalidParameterError
from .normal_form import NormalFormGame

__all__ = ["SymmetricBinaryGame"]

_MAX_TABLE_PLAYERS = 16


def _vector(owner: str, name: str, value) -> tuple[np.ndarray, tuple | None]:
    raw = np.asarray(value, dtype=object) if not isinstance(value, np.ndarray) else value
    if raw.ndim != 1 or raw.size < 1:
        raise InvalidParameterError(
            owner,
            name,
            "a 1-D sequence with one payoff per number k = 0..N-1 of other players taking action 0",
            f"shape {raw.shape}",
        )
    if any(isinstance(v, (bool, np.bool_, str, bytes)) for v in raw.tolist()):
        raise InvalidParameterError(owner, name, "a sequence of real numbers", raw.tolist())
    try:
        values = raw.astype(float)
    except (TypeError, ValueError):
        raise InvalidParameterError(
            owner, name, "a sequence of real numbers", "non-numeric entries"
        ) from None
    if not np.all(np.isfinite(values)):
        k = int(np.flatnonzero(~np.isfinite(values))[0])
        raise InvalidParameterError(
            owner, name, "finite (no NaN or inf)", f"{values[k]!r} at k={k}"
        )
    items = raw.tolist()
    exact = None
    if all(isinstance(v, (int, np.integer, Fraction)) for v in items):
        exact = tuple(Fraction(int(v)) if not isinstance(v, Fraction) else v for v in items)
    values.flags.writeable = False
    return values, exact


@dataclass(frozen=True, slots=True, eq=False, init=False)
class SymmetricBinaryGame:
    """A symmetric N-player game with actions 0 and 1 (anonymous, binary).

    Parameters
    ----------
    payoff_0, payoff_1 : sequence of float, length N
        Payoff of action 0 (resp. 1) when k = 0, ..., N − 1 of the others take action 0.
        Integer or Fraction entries keep exact arithmetic available.
    actions : pair of str, optional
        Labels of actions 0 and 1.
    title : str, optional

    Examples
    --------
    The 3-player threshold public good: each gains 3 if at least 2 contribute (action 0),
    contributing costs 1.

    >>> import coordgap as cg
    >>> g = cg.SymmetricBinaryGame.threshold_public_good(3, threshold=2, benefit=3, cost=1)
    >>> g.n_players, g.payoff_0.tolist(), g.payoff_1.tolist()
    (3, [-1.0, 2.0, 2.0], [0.0, 0.0, 3.0])
    """

    payoff_0: np.ndarray
    payoff_1: np.ndarray
    exact_payoff_0: tuple | None
    exact_payoff_1: tuple | None
    actions: tuple[str, str]
    title: str

    def __init__(self, payoff_0, payoff_1, actions: Sequence[str] = ("a0", "a1"), title: str = ""):
        owner = "SymmetricBinaryGame"
        values_0, exact_0 = _vector(owner, "payoff_0", payoff_0)
        values_1, exact_1 = _vector(owner, "payoff_1", payoff_1)
        if values_0.size != values_1.size:
            raise InvalidParameterError(
                owner,
                "payoff_1",
                f"of length {values_0.size} like payoff_0 (one entry per k = 0..N-1)",
                f"length {values_1.size}",
            )
        if isinstance(actions, str) or len(actions) != 2:
            raise InvalidParameterError(owner, "actions", "a pair of labels", actions)
        both_exact = exact_0 is not None and exact_1 is not None
        object.__setattr__(self, "payoff_0", values_0)
        object.__setattr__(self, "payoff_1", values_1)
        object.__setattr__(self, "exact_payoff_0", exact_0 if both_exact else None)
        object.__setattr__(self, "exact_payoff_1", exact_1 if both_exact else None)
        object.__setattr__(self, "actions", (str(actions[0]), str(actions[1])))
        object.__setattr__(self, "title", str(title))

    @classmethod
    def threshold_public_good(
        cls, n_players: int, threshold: int, benefit=1, cost=0, **labels
    ) -> SymmetricBinaryGame:
        """Threshold (step-level) public good: action 0 = contribute.

        Every player gains ``benefit`` if at least ``threshold`` players contribute;
        contributing costs ``cost`` whether or not the threshold is met.

        Parameters
        ----------
        n_players : int
            N ≥ 1.
        threshold : int
            T ∈ [0, N], the number of contributors needed.
        benefit, cost : int, float or Fraction
            Finite; integers and Fractions keep the payoffs exact.
        **labels
            ``actions`` (default ``("contribute", "abstain")``) and ``title``.

        Returns
        -------
        SymmetricBinaryGame
            The game, with action 0 = contribute.

        Raises
        ------
        InvalidParameterError
            For a non-integer or too small ``n_players``/``threshold``, ``threshold > n_players``,
            or a ``benefit``/``cost`` that is not a finite number.
        """
        owner = "SymmetricBinaryGame.threshold_public_good"
        for name, value, low in (("n_players", n_players, 1), ("threshold", threshold, 0)):
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
                raise InvalidParameterError(owner, name, f"an integer >= {low}", value)
        if threshold > n_players:
            raise InvalidParameterError(
                owner, "threshold", f"<= n_players = {n_players}", threshold
            )
        for name, value in (("benefit", benefit), ("cost", cost)):
            if (
                isinstance(value, bool)
                or not isinstance(value, (int, float, np.number, Fraction))
                or not np.isfinite(float(value))
            ):
                raise InvalidParameterError(owner, name, "a finite number", value)
        k = np.arange(n_players)
        exact = all(
            isinstance(v, (int, np.integer, Fraction)) and not isinstance(v, bool)
            for v in (benefit, cost)
        )
        if exact:
            pay_0 = [benefit * int(j + 1 >= threshold) - cost for j in k]
            pay_1 = [benefit * int(j >= threshold) for j in k]
        else:
            pay_0 = benefit * (k + 1 >= threshold) - cost
            pay_1 = benefit * (k >= threshold) + 0.0 * cost
        labels.setdefault("actions", ("contribute", "abstain"))
        labels.setdefault("title", f"threshold public good (N={n_players}, T={threshold})")
        return cls(pay_0, pay_1, **labels)

    @classmethod
    def from_normal_form(cls, game: NormalFormGame) -> SymmetricBinaryGame:
        """The anonymous form of a symmetric game in which every player has two actions.

        Parameters
        ----------
        game : NormalFormGame
            A symmetric game with two actions per player.

        Returns
        -------
        SymmetricBinaryGame
            Player 0's payoffs against k = 0..N−1 others taking action 0 (exact when the game
            is).

        Raises
        ------
        InvalidParameterError
            If the game is not symmetric or a player does not have two actions.

        Examples
        --------
        >>> import coordgap as cg
        >>> g = cg.SymmetricBinaryGame([1, 2, 5], [0, 3, 3])
        >>> back = cg.SymmetricBinaryGame.from_normal_form(g.to_normal_form())
        >>> back.payoff_0.tolist(), back.payoff_1.tolist()
        ([1.0, 2.0, 5.0], [0.0, 3.0, 3.0])
        """
        if any(k != 2 for k in game.shape) or not game.is_symmetric:
            raise InvalidParameterError(
                "SymmetricBinaryGame.from_normal_form",
                "game",
                "a symmetric game in which every player has two actions",
                repr(game),
            )
        n = game.n_players
        exact = game.exact_payoffs
        values = exact if exact is not None else game.payoffs
        pay_0, pay_1 = [], []
        for k in range(n):  # player 0's payoff when the first k others take action 0
            others = [0] * k + [1] * (n - 1 - k)
            pay_0.append(values[tuple([0] + others) + (0,)])
            pay_1.append(values[tuple([1] + others) + (0,)])
        return cls(pay_0, pay_1, actions=game.actions[0], title=game.title)

    def replace(self, **changes) -> SymmetricBinaryGame:
        """A copy with some of ``payoff_0``, ``payoff_1``, ``actions``, ``title`` changed.

        Validated again; exact payoffs stay exact, and a subclass keeps its type.

        Parameters
        ----------
        **changes
            New values of constructor parameters, by name.

        Returns
        -------
        SymmetricBinaryGame
            The new instance (of the same class as ``self``).
        """
        kwargs = dict(
            payoff_0=self.exact_payoff_0 if self.is_exact else self.payoff_0,
            payoff_1=self.exact_payoff_1 if self.is_exact else self.payoff_1,
            actions=self.actions,
            title=self.title,
        )
        return type(self)(**{**kwargs, **changes})

    @property
    def n_players(self) -> int:
        """Number of players N."""
        return int(self.payoff_0.size)

    @property
    def is_exact(self) -> bool:
        """Whether payoffs are integers or rationals (exact arithmetic available)."""
        return self.exact_payoff_0 is not None

    @property
    def gain(self) -> np.ndarray:
        """payoff_0 − payoff_1 for k = 0..N−1 (the Bernstein coefficients of the gain)."""
        return self.payoff_0 - self.payoff_1

    def to_normal_form(self) -> NormalFormGame:
        """The full payoff table (only for N <= 16).

        Returns
        -------
        NormalFormGame
            The N-player game with 2^N profiles (exact when this game is).

        Raises
        ------
        InvalidParameterError
            If N > 16.

        Examples
        --------
        >>> import coordgap as cg
        >>> g = cg.SymmetricBinaryGame([0, 2], [1, 1]).to_normal_form()
        >>> g.shape, g.is_symmetric
        ((2, 2), True)
        """
        n = self.n_players
        if n > _MAX_TABLE_PLAYERS:
            raise InvalidParameterError(
                "SymmetricBinaryGame.to_normal_form",
                "n_players",
                f"<= {_MAX_TABLE_PLAYERS} to build a full table",
                n,
            )
        profiles = np.indices((2,) * n).reshape(n, -1).T  # rows: action of each player
        zeros = (profiles == 0).sum(axis=1)
        dtype = object if self.is_exact else float
        pay_0 = np.array(self.exact_payoff_0 if self.is_exact else self.payoff_0, dtype=dtype)
        pay_1 = np.array(self.exact_payoff_1 if self.is_exact else self.payoff_1, dtype=dtype)
        table = np.empty((profiles.shape[0], n), dtype=dtype)
        for i in range(n):
            own_zero = profiles[:, i] == 0
            others = zeros - own_zero
            table[:, i] = np.where(own_zero, pay_0[others], pay_1[others])
        return NormalFormGame(
            table.reshape((2,) * n + (n,)), actions=[self.actions] * n, title=self.title
        )

    def __repr__(self) -> str:
        title = f" {self.title!r}" if self.title else ""
        return (
            f"SymmetricBinaryGame{title}(n_players={self.n_players}, "
            f"actions={self.actions}, exact={self.is_exact})"
        )
