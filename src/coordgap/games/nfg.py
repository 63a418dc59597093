"""Read and write Gambit strategic-game (``.nfg``) files, so games can be cross-checked in Gambit.

Both versions of the format are supported:

* **payoff version** — after the prologue, the payoffs of every profile, player by player,
  profiles ordered with the first player's strategy changing fastest;
* **outcome version** — a list of outcomes ``{ "label" u_1, u_2, ... }`` followed by one
  outcome number per profile (same order; 0 is the null outcome, all payoffs 0).

The prologue is ``NFG 1 R "title" { "player" ... }`` followed by either the strategy counts
``{ 2 3 }`` or the strategy labels ``{ { "a" "b" } { "x" "y" "z" } }``, and an optional comment
string. Numbers may be integers, decimals (``1.5``, ``.5``, ``1e-3``) or rationals (``3/2``);
integers and rationals stay exact. Malformed files raise :class:`~coordgap.errors.SpecError`
listing every problem found.
"""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

import numpy as np

from ..errors import InvalidParameterError, SpecError
from ..files import atomic_write_text
from .normal_form import NormalFormGame

__all__ = ["read_nfg", "write_nfg", "parse_nfg", "format_nfg"]

_TOKEN = re.compile(r'\s*(?:(")((?:[^"\\]|\\.)*)"|([{}])|(,)|([^\s{},"]+))', re.S)
_NUMBER = re.compile(
    r"^[+-]?(?:\d+(?:/\d+)?|\d*\.\d+(?:[eE][+-]?\d+)?|\d+\.?\d*[eE][+-]?\d+"
    r"|\d+\.)$"
)


def _tokens(text: str, problems: list[str]) -> list[tuple[str, str]]:
    """(kind, value) tokens: 'str', '{', '}', 'word'; commas are dropped."""
    out: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        match = _TOKEN.match(text, pos)
        if not match:
            line = text.count("\n", 0, pos) + 1
            problems.append(f"line {line}: unterminated string or unreadable text")
            break
        if match.group(1):
            out.append(("str", re.sub(r"\\(.)", r"\1", match.group(2))))
        elif match.group(3):
            out.append((match.group(3), match.group(3)))
        elif match.group(5):
            out.append(("word", match.group(5)))
        pos = match.end()
    return out


def _number(token: str) -> Fraction | float | None:
    if not _NUMBER.match(token):
        return None
    if "." in token or "e" in token.lower():
        return float(token)
    return Fraction(token)


class _Reader:
    def __init__(self, tokens, problems):
        self.tokens, self.pos, self.problems = tokens, 0, problems

    def peek(self):
        return self.tokens[self.pos] if self.pos < len(self.tokens) else ("eof", "")

    def take(self, kind: str, what: str):
        tok = self.peek()
        if tok[0] != kind:
            self.problems.append(f"expected {what}, found {tok[1] or 'end of file'!r}")
            raise _Stop
        self.pos += 1
        return tok[1]

    def strings(self, what: str) -> list[str]:
        self.take("{", f"'{{' opening the {what}")
        out = []
        while self.peek()[0] == "str":
            out.append(self.take("str", what))
        self.take("}", f"'}}' closing the {what}")
        return out


class _Stop(Exception):
    pass


def parse_nfg(text: str, source: str = "<string>") -> NormalFormGame:
    """Parse the text of a Gambit ``.nfg`` file (either version).

    Parameters
    ----------
    text : str
        The file's content.
    source : str
        Name of the file, used in error messages.

    Returns
    -------
    NormalFormGame
        With the file's title, player and strategy labels; payoffs are exact (fractions)
        when every number in the file is an integer or a fraction, floats otherwise.

    Raises
    ------
    SpecError
        Listing every problem found in the text.

    Examples
    --------
    >>> g = parse_nfg('NFG 1 R "PD" { "Row" "Col" } { 2 2 }  3 3 5 0 0 5 1 1')
    >>> g.players, g.shape, g.payoffs[1, 0].tolist()
    (('Row', 'Col'), (2, 2), [5.0, 0.0])
    """
    problems: list[str] = []
    reader = _Reader(_tokens(text, problems), problems)
    try:
        head = [
            reader.take("word", "'NFG'"),
            reader.take("word", "the version 1"),
            reader.take("word", "'R' or 'D'"),
        ]
        if head[0] != "NFG":
            problems.append(f"the file must start with 'NFG', found {head[0]!r}")
        if head[1] != "1":
            problems.append(f"only version 1 is defined, found {head[1]!r}")
        if head[2] not in ("R", "D"):
            problems.append(f"expected 'R' or 'D' after the version, found {head[2]!r}")
        title = reader.take("str", "the title string")
        players = reader.strings("player list")
        if not players:
            problems.append("the player list is empty")
        reader.take("{", "'{' opening the strategy list")
        actions: list[list[str]] = []
        if reader.peek()[0] == "{":
            while reader.peek()[0] == "{":
                actions.append(reader.strings("strategy labels"))
            reader.take("}", "'}' closing the strategy list")
        else:
            while reader.peek()[0] == "word":
                word = reader.take("word", "a strategy count")
                if not word.isdigit() or int(word) < 1:
                    problems.append(f"strategy counts must be positive integers, found {word!r}")
                    actions.append(["a0"])
                else:
                    actions.append([f"a{k}" for k in range(int(word))])
            reader.take("}", "'}' closing the strategy counts")
        if len(actions) != len(players):
            problems.append(f"{len(players)} players but strategies given for {len(actions)}")
            raise _Stop
        if any(len(a) == 0 for a in actions):
            problems.append("every player needs at least one strategy")
            raise _Stop
        if reader.peek()[0] == "str":  # optional comment
            reader.take("str", "comment")
        shape = tuple(len(a) for a in actions)
        n_profiles = int(np.prod(shape))
        n_players = len(players)
        if reader.peek()[0] == "{":
            table = _outcome_body(reader, n_players, n_profiles)
        else:
            table = _payoff_body(reader, n_players, n_profiles)
        if reader.peek()[0] != "eof":
            problems.append(f"unexpected text after the payoffs: {reader.peek()[1]!r}")
    except _Stop:
        table = None
    if problems or table is None:
        raise SpecError(source, problems or ["incomplete file"])
    values = np.empty((n_profiles, n_players), dtype=object)
    for k, row in enumerate(table):
        values[k] = row
    # Profiles are listed with the first player's strategy changing fastest (Fortran order).
    payoffs = values.reshape(shape[::-1] + (n_players,)).transpose(
        tuple(range(n_players))[::-1] + (n_players,)
    )
    if not any(isinstance(v, float) for v in values.flat):
        payoffs = payoffs.astype(object)
    else:
        payoffs = payoffs.astype(float)
    return NormalFormGame(payoffs, players=players, actions=actions, title=title)


def _read_number(reader: _Reader, what: str):
    word = reader.take("word", what)
    value = _number(word)
    if value is None:
        reader.problems.append(f"{what}: {word!r} is not a number")
        return Fraction(0)
    if isinstance(value, float) and not np.isfinite(value):
        reader.problems.append(f"{what}: {word!r} is not finite")
    return value


def _payoff_body(reader: _Reader, n_players: int, n_profiles: int) -> list[list]:
    table = []
    for k in range(n_profiles):
        row = []
        for i in range(n_players):
            if reader.peek()[0] != "word":
                reader.problems.append(
                    f"expected {n_profiles * n_players} payoffs, found {k * n_players + i}"
                )
                raise _Stop
            row.append(_read_number(reader, f"payoff of player {i + 1} at profile {k + 1}"))
        table.append(row)
    return table


def _outcome_body(reader: _Reader, n_players: int, n_profiles: int) -> list[list]:
    reader.take("{", "'{' opening the outcome list")
    outcomes: list[list] = []
    while reader.peek()[0] == "{":
        reader.take("{", "'{' opening an outcome")
        reader.take("str", "the outcome label")
        row = []
        while reader.peek()[0] == "word":
            row.append(_read_number(reader, f"payoff in outcome {len(outcomes) + 1}"))
        reader.take("}", "'}' closing an outcome")
        if len(row) != n_players:
            reader.problems.append(
                f"outcome {len(outcomes) + 1} has {len(row)} payoffs, expected {n_players}"
            )
            row = (row + [Fraction(0)] * n_players)[:n_players]
        outcomes.append(row)
    reader.take("}", "'}' closing the outcome list")
    table = []
    for k in range(n_profiles):
        if reader.peek()[0] != "word":
            reader.problems.append(f"expected {n_profiles} outcome numbers, found {k}")
            raise _Stop
        word = reader.take("word", "an outcome number")
        if not word.isdigit() or int(word) > len(outcomes):
            reader.problems.append(f"profile {k + 1}: outcome {word!r} is not 0..{len(outcomes)}")
            table.append([Fraction(0)] * n_players)
            continue
        index = int(word)
        table.append([Fraction(0)] * n_players if index == 0 else list(outcomes[index - 1]))
    return table


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _format_value(value) -> str:
    if isinstance(value, Fraction):
        return str(value.numerator) if value.denominator == 1 else str(value)
    value = float(value)
    return str(int(value)) if value.is_integer() and abs(value) < 2**53 else repr(value)


def format_nfg(game: NormalFormGame, *, version: str = "payoff") -> str:
    """The text of a Gambit ``.nfg`` file for ``game``.

    ``version="payoff"`` lists payoffs; ``"outcome"`` lists one outcome per profile. Both keep
    the player and strategy labels; exact payoffs are written exactly (``3/2``), floats with
    ``repr`` (round-trip exact).

    Parameters
    ----------
    game : NormalFormGame
        The game to write.
    version : {"payoff", "outcome"}
        Which version of the format to write.

    Returns
    -------
    str
        The file's text, ending with a newline.

    Raises
    ------
    InvalidParameterError
        For an unknown ``version``.

    Examples
    --------
    >>> import coordgap as cg
    >>> g = cg.NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> print(format_nfg(g))
    NFG 1 R "" { "player 0" "player 1" }
    { { "a0" "a1" } { "a0" "a1" } }
    ""
    <BLANKLINE>
    3 3 5 0 0 5 1 1
    """
    if version not in ("payoff", "outcome"):
        raise InvalidParameterError("format_nfg", "version", "one of 'payoff', 'outcome'", version)
    exact = game.exact_payoffs
    values = exact if exact is not None else game.payoffs
    n = game.n_players
    order = tuple(range(n))[::-1] + (n,)
    rows = values.transpose(order).reshape(-1, n)  # first player's strategy fastest
    players = " ".join(_quote(p) for p in game.players)
    strategies = " ".join("{ " + " ".join(_quote(a) for a in acts) + " }" for acts in game.actions)
    lines = [f"NFG 1 R {_quote(game.title)} {{ {players} }}", f"{{ {strategies} }}", '""', ""]
    if version == "payoff":
        lines.append(" ".join(_format_value(v) for row in rows for v in row))
    else:
        lines.append("{")
        for _k, row in enumerate(rows):
            lines.append(f'{{ "" {", ".join(_format_value(v) for v in row)} }}')
        lines.append("}")
        lines.append(" ".join(str(k + 1) for k in range(len(rows))))
    return "\n".join(lines) + "\n"


def read_nfg(path) -> NormalFormGame:
    """Read a Gambit ``.nfg`` file (payoff or outcome version).

    Parameters
    ----------
    path : str or os.PathLike
        The file, UTF-8 encoded.

    Returns
    -------
    NormalFormGame
        The game (see :func:`parse_nfg`).

    Raises
    ------
    SpecError
        Listing every problem found in the file.
    """
    path = Path(path)
    return parse_nfg(path.read_text(encoding="utf-8"), source=str(path.name))


def write_nfg(game: NormalFormGame, path, *, version: str = "payoff") -> Path:
    """Write ``game`` as a Gambit ``.nfg`` file, atomically (temporary file, then rename).

    The file is written by :func:`coordgap.files.atomic_write_text`.

    Parameters
    ----------
    game : NormalFormGame
        The game to write.
    path : str or os.PathLike
        The target file.
    version : {"payoff", "outcome"}
        Which version of the format to write (see :func:`format_nfg`).

    Returns
    -------
    Path
        The path written.
    """
    path = Path(path)
    atomic_write_text(path, format_nfg(game, version=version))
    return path
