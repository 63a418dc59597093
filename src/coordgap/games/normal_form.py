"""General normal-form games with one payoff convention: player on the last axis.

``payoffs[a_0, ..., a_{N-1}, i]`` is player i's payoff when player j plays action a_j. The same
convention is used by every solver, certificate and converter in coordgap (as in QuantEcon).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from ..errors import InvalidParameterError

__all__ = ["NormalFormGame"]


def _is_exact(values: np.ndarray) -> bool:
    """True when every payoff is an integer or a Fraction (exact arithmetic is possible)."""
    if values.dtype.kind in "iub":
        return True
    if values.dtype == object:
        return all(isinstance(v, (int, Fraction)) and not isinstance(v, bool) for v in values.flat)
    return False


@dataclass(frozen=True, slots=True, eq=False, init=False)
class NormalFormGame:
    """A finite game in normal form.

    Parameters
    ----------
    payoffs : array_like
        Shape (n_0, ..., n_{N-1}, N): ``payoffs[a, i]`` is player i's payoff at action profile
        ``a``. Integer or :class:`fractions.Fraction` entries keep exact arithmetic available.
    players : sequence of str, optional
        Player labels (default ``"player 0"``, ...).
    actions : sequence of sequence of str, optional
        Action labels per player (default ``"a0"``, ``"a1"``, ...).
    title : str, optional

    Attributes
    ----------
    payoffs : ndarray
        Float payoffs (read-only), shape (n_0, ..., n_{N-1}, N).
    exact_payoffs : ndarray of object or None
        The same payoffs as Python ints/Fractions when the input was exact, else None.

    Examples
    --------
    >>> import numpy as np, coordgap as cg
    >>> A = np.array([[3, 0], [5, 1]]); B = A.T           # prisoner's dilemma
    >>> g = cg.NormalFormGame.from_bimatrix(A, B)
    >>> g.n_players, g.shape
    (2, (2, 2))
    >>> float(g.payoffs[1, 0, 0]), float(g.payoffs[1, 0, 1])
    (5.0, 0.0)
    """

    payoffs: np.ndarray
    exact_payoffs: np.ndarray | None
    players: tuple[str, ...]
    actions: tuple[tuple[str, ...], ...]
    title: str

    def __init__(
        self,
        payoffs,
        players: Sequence[str] | None = None,
        actions: Sequence[Sequence[str]] | None = None,
        title: str = "",
    ):
        owner = "NormalFormGame"
        raw = np.asarray(payoffs) if not isinstance(payoffs, np.ndarray) else payoffs
        if raw.dtype == object:
            exact = _is_exact(raw)
            try:
                values = raw.astype(float)
            except (TypeError, ValueError):
                raise InvalidParameterError(
                    owner, "payoffs", "an array of real numbers", "non-numeric entries"
                ) from None
        else:
            if raw.dtype.kind not in "iufb":
                raise InvalidParameterError(
                    owner, "payoffs", "an array of real numbers", f"dtype {raw.dtype}"
                )
            exact = raw.dtype.kind in "iub"
            values = raw.astype(float)
        if values.ndim < 2 or values.shape[-1] != values.ndim - 1:
            raise InvalidParameterError(
                owner,
                "payoffs",
                "an array of shape (n_0, ..., n_{N-1}, N) with the player on the last axis",
                f"shape {values.shape}",
            )
        if any(n < 1 for n in values.shape[:-1]):
            raise InvalidParameterError(
                owner,
                "payoffs",
                "an array with at least one action per player",
                f"shape {values.shape}",
            )
        if not np.all(np.isfinite(values)):
            bad = tuple(int(i) for i in np.argwhere(~np.isfinite(values))[0])
            raise InvalidParameterError(
                owner, "payoffs", "finite (no NaN or inf)", f"{values[bad]!r} at index {bad}"
            )
        n_players = values.ndim - 1
        shape = values.shape[:-1]
        if players is None:
            players = tuple(f"player {i}" for i in range(n_players))
        if isinstance(players, str) or len(players) != n_players:
            raise InvalidParameterError(
                owner, "players", f"a sequence of {n_players} labels", players
            )
        if actions is None:
            actions = tuple(tuple(f"a{k}" for k in range(n)) for n in shape)
        if len(actions) != n_players or any(
            isinstance(a, str) or len(a) != n for a, n in zip(actions, shape)
        ):
            raise InvalidParameterError(
                owner, "actions", f"one sequence of labels per player with lengths {shape}", actions
            )
        values.flags.writeable = False
        exact_values = None
        if exact:
            exact_values = np.empty(values.shape, dtype=object)
            exact_values.flat[:] = [  # Python ints (not numpy scalars) from tolist
                v if isinstance(v, Fraction) else Fraction(int(v)) for v in raw.reshape(-1).tolist()
            ]
            exact_values.flags.writeable = False
        object.__setattr__(self, "payoffs", values)
        object.__setattr__(self, "exact_payoffs", exact_values)
        object.__setattr__(self, "players", tuple(str(p) for p in players))
        object.__setattr__(self, "actions", tuple(tuple(str(a) for a in acts) for acts in actions))
        object.__setattr__(self, "title", str(title))

    @classmethod
    def _from_checked(
        cls, payoffs: np.ndarray, exact_payoffs: np.ndarray | None, like: NormalFormGame
    ) -> NormalFormGame:
        """The game with these payoffs and ``like``'s labels, skipping validation.

        For payoffs derived from a valid game: ``payoffs`` a float array of the same shape,
        finite, and ``exact_payoffs`` None or an object array of Fractions whose floats they
        are (both made read-only here), as the constructor would build them.
        """
        game = object.__new__(cls)
        payoffs.flags.writeable = False
        if exact_payoffs is not None:
            exact_payoffs.flags.writeable = False
        object.__setattr__(game, "payoffs", payoffs)
        object.__setattr__(game, "exact_payoffs", exact_payoffs)
        object.__setattr__(game, "players", like.players)
        object.__setattr__(game, "actions", like.actions)
        object.__setattr__(game, "title", like.title)
        return game

    # -- construction --------------------------------------------------------------------
    @classmethod
    def from_bimatrix(cls, A, B=None, **labels) -> NormalFormGame:
        """Two-player game from the row player's matrix A and the column player's matrix B.

        ``B`` defaults to ``-A`` (zero-sum).

        Parameters
        ----------
        A : array_like
            Row player's payoffs, shape (n_0, n_1).
        B : array_like, optional
            Column player's payoffs, of the same shape; default ``-A``.
        **labels
            ``players``, ``actions`` and ``title``, as for the constructor.

        Returns
        -------
        NormalFormGame
            The two-player game (exact when both matrices are integer or Fraction).

        Raises
        ------
        InvalidParameterError
            If ``A`` is not 2-D or ``B`` has another shape.
        """
        a = np.asarray(A)
        b = -a if B is None else np.asarray(B)
        if a.ndim != 2 or a.shape != b.shape:
            raise InvalidParameterError(
                "NormalFormGame",
                "B",
                "a matrix of the same 2-D shape as A",
                f"shapes {a.shape} and {b.shape}",
            )
        dtype = object if (a.dtype == object or b.dtype == object) else None
        return cls(
            np.stack([a, b], axis=-1).astype(dtype) if dtype else np.stack([a, b], axis=-1),
            **labels,
        )

    # -- shape ---------------------------------------------------------------------------
    @property
    def n_players(self) -> int:
        """Number of players N."""
        return self.payoffs.ndim - 1

    @property
    def shape(self) -> tuple[int, ...]:
        """Number of actions of each player."""
        return tuple(self.payoffs.shape[:-1])

    @property
    def is_exact(self) -> bool:
        """Whether payoffs are integers or rationals (exact arithmetic available)."""
        return self.exact_payoffs is not None

    def bimatrix(self) -> tuple[np.ndarray, np.ndarray]:
        """(A, B) for a two-player game.

        Returns
        -------
        A, B : ndarray
            Float payoff matrices of the row and the column player (read-only views).

        Raises
        ------
        InvalidParameterError
            If the game does not have two players.
        """
        if self.n_players != 2:
            raise InvalidParameterError(
                "NormalFormGame.bimatrix", "game", "a two-player game", f"{self.n_players} players"
            )
        return self.payoffs[..., 0], self.payoffs[..., 1]

    # -- payoffs of mixed profiles -------------------------------------------------------
    def check_profile(self, strategies, *, owner: str = "NormalFormGame") -> list[np.ndarray]:
        """Validate a mixed profile (one probability vector per player) and return arrays.

        Parameters
        ----------
        strategies : sequence of array_like
            One probability vector per player, of length the player's number of actions.
        owner : str
            Name used in error messages.

        Returns
        -------
        list of ndarray
            The probability vectors as float arrays.

        Raises
        ------
        InvalidParameterError
            For a wrong number of vectors, a wrong length, or entries that are not
            probabilities summing to 1 (within 1e-9).
        """
        if len(strategies) != self.n_players:
            raise InvalidParameterError(
                owner,
                "strategies",
                f"one probability vector for each of the {self.n_players} players",
                f"{len(strategies)} vectors",
            )
        out = []
        for i, (p, n) in enumerate(zip(strategies, self.shape)):
            arr = np.asarray(p, dtype=float)
            if arr.shape != (n,):
                raise InvalidParameterError(
                    owner,
                    "strategies",
                    f"a vector of length {n} for player {i}",
                    f"shape {arr.shape}",
                )
            if not np.all(np.isfinite(arr)) or np.any(arr < -1e-12) or abs(arr.sum() - 1) > 1e-9:
                raise InvalidParameterError(
                    owner,
                    "strategies",
                    f"probabilities in [0, 1] summing to 1 for player {i}",
                    arr.tolist(),
                )
            out.append(arr)
        return out

    def action_values(self, strategies) -> list[np.ndarray]:
        """Expected payoff of each pure action of each player against the others' mix.

        Parameters
        ----------
        strategies : sequence of array_like
            One probability vector per player, of length the player's number of actions.

        Returns
        -------
        list of ndarray
            Per player, the value of each of its actions.
        """
        probs = self.check_profile(strategies)
        values = []
        for i in range(self.n_players):
            u = self.payoffs[..., i]
            for j in reversed(range(self.n_players)):
                if j != i:
                    u = np.tensordot(u, probs[j], axes=([j], [0]))
            values.append(np.asarray(u, dtype=float))
        return values

    def expected_payoffs(self, strategies) -> np.ndarray:
        """Each player's expected payoff at a mixed profile.

        Parameters
        ----------
        strategies : sequence of array_like
            One probability vector per player, of length the player's number of actions.

        Returns
        -------
        ndarray
            Shape (n_players,).
        """
        probs = self.check_profile(strategies)
        return np.array([float(v @ p) for v, p in zip(self.action_values(probs), probs)])

    def regrets(self, strategies) -> np.ndarray:
        """Each player's regret: best pure-action value minus its expected payoff.

        Parameters
        ----------
        strategies : sequence of array_like
            One probability vector per player, of length the player's number of actions.

        Returns
        -------
        ndarray
            Shape (n_players,), each ≥ 0.
        """
        probs = self.check_profile(strategies)
        values = self.action_values(probs)
        return np.array([max(0.0, float(v.max() - v @ p)) for v, p in zip(values, probs)])

    def max_regret(self, strategies) -> float:
        """Largest regret over players (0 at a Nash equilibrium).

        Parameters
        ----------
        strategies : sequence of array_like
            One probability vector per player, of length the player's number of actions.

        Returns
        -------
        float
            max_i regret_i.
        """
        return float(self.regrets(strategies).max())

    # -- structure -----------------------------------------------------------------------
    @property
    def is_symmetric(self) -> bool:
        """Whether the game is symmetric: relabelling players permutes payoffs accordingly.

        All players must have the same number of actions, and swapping players i and i+1
        (their action axes and their payoff entries) must leave the payoff array unchanged;
        adjacent transpositions generate every permutation. Compared exactly when the payoffs
        are exact, else with ``np.array_equal`` on floats.

        Examples
        --------
        >>> import coordgap as cg
        >>> cg.NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]]).is_symmetric
        True
        """
        if len(set(self.shape)) > 1:
            return False
        exact = self.exact_payoffs
        values = exact if exact is not None else self.payoffs
        for i in range(self.n_players - 1):
            swapped = np.swapaxes(values, i, i + 1)
            order = list(range(self.n_players))
            order[i], order[i + 1] = order[i + 1], order[i]
            if not np.array_equal(swapped[..., order], values):
                return False
        return True

    def pure_payoffs(self, profile) -> np.ndarray:
        """Float payoff of every player at a pure profile (one action index per player).

        Parameters
        ----------
        profile : sequence of int
            One action index per player.

        Returns
        -------
        ndarray
            Shape (n_players,).

        Raises
        ------
        InvalidParameterError
            If the profile has the wrong length or an index out of range.
        """
        return np.array(self.payoffs[self._pure_index(profile)], dtype=float)

    def _pure_index(self, profile) -> tuple[int, ...]:
        profile = tuple(int(a) for a in profile)
        if len(profile) != self.n_players or any(
            not 0 <= a < n for a, n in zip(profile, self.shape)
        ):
            raise InvalidParameterError(
                "NormalFormGame",
                "profile",
                f"one action index per player within the shape {self.shape}",
                profile,
            )
        return profile

    def pure_strategies(self, profile) -> tuple[np.ndarray, ...]:
        """The mixed profile (one-hot probability vectors) of a pure profile.

        Parameters
        ----------
        profile : sequence of int
            One action index per player.

        Returns
        -------
        tuple of ndarray
            One one-hot vector per player.
        """
        profile = self._pure_index(profile)
        out = []
        for a, n in zip(profile, self.shape):
            p = np.zeros(n)
            p[a] = 1.0
            out.append(p)
        return tuple(out)

    # -- conversion ----------------------------------------------------------------------
    def to_nashpy(self):
        """The same two-player game as a :class:`nashpy.Game` (float payoff matrices).

        Returns
        -------
        nashpy.Game
            The game with matrices A and B.

        Raises
        ------
        InvalidParameterError
            If the game does not have two players.

        Examples
        --------
        >>> import coordgap as cg
        >>> g = cg.NormalFormGame.from_bimatrix([[1, -1], [-1, 1]])
        >>> print(g.to_nashpy().payoff_matrices[1])
        [[-1.  1.]
         [ 1. -1.]]
        """
        import nashpy

        a, b = self.bimatrix()
        return nashpy.Game(np.array(a), np.array(b))

    @classmethod
    def from_nashpy(cls, game, **labels) -> NormalFormGame:
        """A two-player game from a :class:`nashpy.Game` (integer matrices stay exact).

        Parameters
        ----------
        game : nashpy.Game
            The game to convert.
        **labels
            ``players``, ``actions`` and ``title``, as for the constructor.

        Returns
        -------
        NormalFormGame
            The same game.

        Examples
        --------
        >>> import nashpy, coordgap as cg
        >>> g = cg.NormalFormGame.from_nashpy(nashpy.Game([[3, 0], [5, 1]], [[3, 5], [0, 1]]))
        >>> g.shape, g.is_exact
        ((2, 2), True)
        """
        a, b = game.payoff_matrices
        return cls.from_bimatrix(np.asarray(a), np.asarray(b), **labels)

    def replace(self, **changes) -> NormalFormGame:
        """A copy with some of ``payoffs``, ``players``, ``actions``, ``title`` changed.

        Validated again; exact payoffs stay exact, and a subclass keeps its type.

        Parameters
        ----------
        **changes
            New values of constructor parameters, by name.

        Returns
        -------
        NormalFormGame
            The new instance (of the same class as ``self``).
        """
        kwargs = dict(
            payoffs=self.exact_payoffs if self.is_exact else self.payoffs,
            players=self.players,
            actions=self.actions,
            title=self.title,
        )
        return type(self)(**{**kwargs, **changes})

    def __repr__(self) -> str:
        title = f" {self.title!r}" if self.title else ""
        return (
            f"NormalFormGame{title}(players={self.players}, shape={self.shape}, "
            f"exact={self.is_exact})"
        )
