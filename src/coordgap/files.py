"""Safe files: bounded reading of untrusted input, plain names, atomic all-or-none output.

coordgap reads model and registry files written by others and writes tables, reports and
figures next to them. This module holds every rule that keeps that safe:

* **Input** must be a regular file (not a directory, device, FIFO or socket) no larger than
  :data:`MAX_INPUT_BYTES` (16 MiB; raise it with :func:`input_limit` or the command line's
  ``--max-input-size``). The size is checked before reading, and the read itself is bounded,
  so ``/dev/zero`` or a file that grows while it is read cannot exhaust memory; a FIFO is
  refused before it is opened, so nothing blocks.
* **Documents** (TOML or JSON) are parsed with bounded nesting (:data:`MAX_DEPTH` levels) and
  integers limited to 64 bits (the TOML specification's rule), each problem reported with its
  dotted path instead of a ``RecursionError``, ``OverflowError`` or ``ValueError`` traceback.
* **Names** that become parts of file names (figure ids, design names, role names) must be
  plain names (:func:`plain_name`), so no model file can write outside the output directory.
* **Output** is written atomically (temporary file in the target directory, then
  :func:`os.replace`), and a command that writes several files writes all of them or none
  (:func:`write_all`); an output path that is the command's own input is refused.
* **Text** from files is stripped of control characters before it reaches a terminal
  (:func:`clean_text`).
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import os
import re
import stat
import tempfile
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar

from .errors import InvalidParameterError, SpecError

__all__ = [
    "MAX_INPUT_BYTES",
    "MAX_DEPTH",
    "read_input",
    "input_limit",
    "parse_document",
    "plain_name",
    "NAME_RULE",
    "clean_text",
    "atomic_write_bytes",
    "atomic_write_text",
    "write_all",
    "check_targets",
    "check_output_dir",
]

MAX_INPUT_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 32
_limit: contextvars.ContextVar[int] = contextvars.ContextVar("input_limit", default=MAX_INPUT_BYTES)
_PathT = TypeVar("_PathT", bound="str | os.PathLike")


@contextlib.contextmanager
def input_limit(max_bytes: int) -> Iterator[None]:
    """Raise (or lower) the size limit of input files within a ``with`` block.

    Parameters
    ----------
    max_bytes : int
        The largest input file, in bytes, that :func:`read_input` accepts inside the block
        (an integer >= 1; the default outside any block is :data:`MAX_INPUT_BYTES`).

    Raises
    ------
    InvalidParameterError
        If ``max_bytes`` is not an integer >= 1.

    Examples
    --------
    >>> from coordgap.files import input_limit, read_input
    >>> with input_limit(64 * 1024 * 1024):
    ...     pass  # load_model(...) here may read files of up to 64 MiB
    """
    if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes < 1:
        raise InvalidParameterError("input_limit", "max_bytes", "an integer >= 1", max_bytes)
    token = _limit.set(max_bytes)
    try:
        yield
    finally:
        _limit.reset(token)


def _size(n: int) -> str:
    return f"{n / 2**20:.3g} MiB" if n >= 2**20 else f"{n} bytes"


def read_input(path: str | os.PathLike, max_bytes: int | None = None) -> tuple[str, bytes]:
    """``(source, bytes)`` of a regular input file of at most ``max_bytes`` bytes.

    Parameters
    ----------
    path : str or os.PathLike
        The input file.
    max_bytes : int, optional
        Size limit in bytes; default the current limit (:data:`MAX_INPUT_BYTES` unless
        raised with :func:`input_limit`).

    Returns
    -------
    source : str
        ``str(path)``, for error messages.
    data : bytes
        The whole content of the file.

    Raises
    ------
    SpecError
        When the path does not exist, cannot be read, is not a regular file, or is larger
        than the limit (the message says how to raise it).
    """
    source = str(path)
    limit = _limit.get() if max_bytes is None else max_bytes
    try:
        info = os.stat(path)
    except OSError as exc:
        raise SpecError(source, [f"cannot read the file: {exc.strerror or exc}"]) from None
    except ValueError as exc:  # e.g. an embedded NUL byte in the path
        raise SpecError(source, [f"cannot read the file: {exc}"]) from None
    if stat.S_ISDIR(info.st_mode):
        raise SpecError(source, ["is a directory; give a model or registry file"])
    if not stat.S_ISREG(info.st_mode):
        raise SpecError(
            source,
            ["is not a regular file (a device, FIFO or socket); give a model or registry file"],
        )
    if info.st_size > limit:
        raise SpecError(
            source,
            [
                f"is {_size(info.st_size)}, over the input limit of "
                f"{_size(limit)}; raise it with --max-input-size MIB on the "
                "command line or coordgap.files.input_limit(...)"
            ],
        )
    try:
        # O_NONBLOCK: if the path was swapped for a FIFO after the check, do not block.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise SpecError(source, [f"cannot read the file: {exc.strerror or exc}"]) from None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise SpecError(source, ["is not a regular file"])
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise SpecError(
            source, [f"is over the input limit of {_size(limit)} (it grew while being read)"]
        )
    return source, data


class _DuplicateKey(ValueError):
    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


def _json_object(pairs: list) -> dict:
    """A JSON object as a dict, refusing a key given twice (``json`` keeps the last one)."""
    out = dict(pairs)
    if len(out) < len(pairs):
        seen: set = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return out


_SURROGATE = re.compile("[\ud800-\udfff]")


def _shown_key(value: Any, limit: int = 60) -> str:
    """``repr(value)``, cut to about ``limit`` characters (with the full length) when longer."""
    text = repr(value)
    if len(text) <= limit + 2:
        return text
    return f"{text[:limit]}... ({len(str(value))} characters)"


def _where(path: str) -> str:
    return (path if len(path) <= 40 else path[:40] + "...") or "the document"


def _walk(node: Any, path: str, depth: int, problems: list[str]) -> None:
    """Nesting problems and lone surrogates below ``node``, each with its dotted path."""
    if depth > MAX_DEPTH:
        problems.append(f"{_where(path)}: nested more than {MAX_DEPTH} levels deep")
        return
    if isinstance(node, dict):
        for key, child in node.items():
            here = f"{path}.{key}" if path else str(key)
            if isinstance(key, str) and _SURROGATE.search(key):
                problems.append(
                    f"{_where(here.encode('utf-8', 'backslashreplace').decode())}"
                    ": the key holds a lone surrogate escape (such as \\ud800), "
                    "which is not a character"
                )
                continue
            _walk(child, here, depth + 1, problems)
    elif isinstance(node, list):
        for k, child in enumerate(node):
            _walk(child, f"{path}[{k}]", depth + 1, problems)
    elif isinstance(node, str) and _SURROGATE.search(node):
        problems.append(
            f"{_where(path)}: the text holds a lone surrogate escape (such as "
            "\\ud800), which is not a character"
        )


def parse_document(source: str, data: bytes, fmt: str = "toml") -> dict:
    """Parse TOML or JSON bytes into a dict, bounded in nesting depth.

    Numbers are checked by the loaders, which report every out-of-range value (huge
    integers included) with its dotted path.

    A UTF-8 byte-order mark at the start is ignored (editors on some systems write one).

    Raises
    ------
    SpecError
        For text that is not UTF-8, a syntax error, nesting deeper than :data:`MAX_DEPTH`,
        a JSON integer of more than 4300 digits, a JSON top level that is not an object, a
        key given twice in one JSON object (TOML refuses it as a syntax error), or a JSON
        string holding a lone surrogate escape such as ``\\ud800`` (not a character).

    Parameters
    ----------
    source : str
        Name of the document (usually its path), used in error messages.
    data : bytes
        The raw document, UTF-8 encoded.
    fmt : {"toml", "json"}
        The document's format; anything other than ``"json"`` is read as TOML.

    Returns
    -------
    dict
        The parsed document.

    Examples
    --------
    >>> parse_document("x.toml", b"a = 1")
    {'a': 1}
    >>> parse_document("x.json", b'{"a": ' + b"[" * 40 + b"]" * 40 + b"}", "json")
    Traceback (most recent call last):
    ...
    coordgap.errors.SpecError: 1 problem found:
    x.json: a[0][0][0][0][0][0][0][0][0][0][0][0][0]...: nested more than 32 levels deep
    """
    try:
        text = data.decode("utf-8-sig")  # a leading byte-order mark is dropped
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SpecError(
            source, [f"the file is not valid UTF-8 text (byte {exc.start + 1}, line {line})"]
        ) from None
    try:
        if fmt == "json":
            doc = json.loads(text, object_pairs_hook=_json_object)
        else:
            doc = tomllib.loads(text)
    except RecursionError:
        raise SpecError(
            source, [f"nested too deeply (more than {MAX_DEPTH} levels are refused)"]
        ) from None
    except json.JSONDecodeError as exc:
        raise SpecError(
            source, [f"JSON syntax error: {exc.msg} (at line {exc.lineno}, column {exc.colno})"]
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise SpecError(source, [f"TOML syntax error: {clean_text(str(exc))}"]) from None
    except _DuplicateKey as exc:
        raise SpecError(
            source,
            [
                f"JSON: the key {_shown_key(exc.key)} appears twice in one "
                "object; give each key once"
            ],
        ) from None
    except ValueError as exc:  # JSON integers beyond Python's digit limit
        raise SpecError(source, [f"a number is too large: {exc}".split(";")[0]]) from None
    if fmt == "json" and not isinstance(doc, dict):
        raise SpecError(source, ["the top level must be an object"])
    problems: list[str] = []
    _walk(doc, "", 0, problems)
    if problems:
        raise SpecError(source, problems)
    return doc


NAME_RULE = "a plain name: 1 to 64 letters, digits, '_' or '-', starting with a letter or digit"
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_\-]{0,63}")


def plain_name(value: Any) -> bool:
    """Whether ``value`` is a plain name, safe as part of a file name on every system.

    Parameters
    ----------
    value : object
        The candidate name.

    Returns
    -------
    bool
        True for a string of 1 to 64 letters, digits, ``_`` or ``-`` that starts with a letter
        or digit (:data:`NAME_RULE`).

    Examples
    --------
    >>> plain_name("design_comparison"), plain_name("../x"), plain_name("/etc/x")
    (True, False, False)
    >>> plain_name("robustness-v2"), plain_name("a.b")
    (True, False)
    """
    return isinstance(value, str) and _NAME.fullmatch(value) is not None


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def clean_text(text: str, *, newlines: bool = True) -> str:
    """``text`` without control characters (escape sequences, bells, bidi overrides).

    Newlines and tabs are kept unless ``newlines`` is False (then they become spaces).

    Parameters
    ----------
    text : str
        The text (any other object is converted with ``str``).
    newlines : bool
        Keep newlines and tabs (default); if False, replace each by a space.

    Returns
    -------
    str
        The text with control characters removed.

    Examples
    --------
    >>> clean_text("\\x1b[31mred\\x1b[0m\\x07 title")
    '[31mred[0m title'
    """
    out = _CONTROL.sub("", str(text))
    if not newlines:
        out = out.replace("\n", " ").replace("\t", " ")
    return out


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (temporary file + rename in the same directory).

    The file gets the usual mode (0666 less the umask), or keeps the mode of the file it
    replaces. Missing parent directories are created.

    Parameters
    ----------
    path : str or os.PathLike
        The target file.
    data : bytes
        The content to write.

    Returns
    -------
    Path
        The path written.
    """
    return write_all({path: data}, make_dirs=True)[0]


def atomic_write_text(path: str | os.PathLike, text: str) -> Path:
    """Write UTF-8 text atomically (see :func:`atomic_write_bytes`).

    Parameters
    ----------
    path : str or os.PathLike
        The target file.
    text : str
        The content, encoded as UTF-8.

    Returns
    -------
    Path
        The path written.
    """
    return atomic_write_bytes(path, text.encode("utf-8"))


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def check_targets(
    outputs: Iterable[str | os.PathLike],
    inputs: Iterable[str | os.PathLike] = (),
    *,
    dirs_exist: bool = True,
) -> None:
    """Refuse output paths that are directories, devices, FIFOs or sockets, named twice, an
    input of the command, or (with ``dirs_exist``) in a directory that does not exist.

    An output replaces its target atomically (a new file renamed over it), so a target that
    is not a regular file is refused: ``/dev/null`` or a FIFO would be replaced by a file.

    Called before any work is done, so a bad output name costs nothing.

    Parameters
    ----------
    outputs : iterable of str or os.PathLike
        The paths the command will write.
    inputs : iterable of str or os.PathLike
        The paths the command reads; no output may be one of them.
    dirs_exist : bool
        Require the directory of every output to exist (default True).

    Raises
    ------
    SpecError
        Listing every bad output path.
    """
    targets = [Path(p) for p in outputs]
    sources = [Path(p) for p in inputs]
    problems = []
    seen: set[Path] = set()
    for path in targets:
        if path.is_dir():
            problems.append(f"{path}: is a directory; give a file name for this output")
        elif path.exists() and not path.is_file():
            problems.append(
                f"{path}: is not a regular file (a device, FIFO or socket), which "
                "an output would replace; give a file name for this output"
            )
        elif any(_same_file(path, s) or path.resolve() == s.resolve() for s in sources):
            problems.append(
                f"{path}: is an input of this command; refusing to overwrite it "
                "(choose another output name)"
            )
        elif path.resolve() in seen:
            problems.append(f"{path}: is named for two outputs; give each its own file")
        elif dirs_exist and not (path.parent if str(path.parent) else Path(".")).is_dir():
            problems.append(f"{path}: its directory {str(path.parent)!r} does not exist")
        seen.add(path.resolve())
    if problems:
        raise SpecError("output", problems)


def check_output_dir(path: str | os.PathLike) -> Path:
    """``path`` as an output directory: it may not exist yet, but must not be a file.

    Parameters
    ----------
    path : str or os.PathLike
        The output directory.

    Returns
    -------
    Path
        ``path`` as a :class:`~pathlib.Path` (the directory is not created).

    Raises
    ------
    SpecError
        If ``path`` exists and is not a directory.
    """
    out = Path(path)
    if out.exists() and not out.is_dir():
        raise SpecError(
            str(out), ["is a file, not a directory; give a directory for the output files"]
        )
    return out


def write_all(
    files: Mapping[_PathT, bytes],
    inputs: Iterable[str | os.PathLike] = (),
    *,
    make_dirs: bool = False,
) -> list[Path]:
    """Write several files atomically and all-or-none; refuse to overwrite an input.

    Every file is first written to a temporary file in its own directory (created when
    ``make_dirs`` is true; otherwise it must exist); only when all are written are they
    moved into place. Any failure removes the temporary files and leaves the targets
    untouched.

    Parameters
    ----------
    files : mapping of str or os.PathLike to bytes
        Target path -> content.
    inputs : iterable of str or os.PathLike
        Paths the command reads; none may be a target.
    make_dirs : bool
        Create missing target directories (default False: they must exist).

    Returns
    -------
    list of Path
        The targets, in the order of ``files``.

    Raises
    ------
    SpecError
        When a target is a directory or one of ``inputs``.
    OSError
        When a directory cannot be created or a file cannot be written; its ``filename`` is
        the target (not the temporary file).
    """
    targets = [Path(p) for p in files]
    check_targets(targets, inputs, dirs_exist=not make_dirs)
    umask = os.umask(0)
    os.umask(umask)
    staged: list[tuple[str, Path]] = []
    target = None
    try:
        for target, data in zip(targets, files.values()):
            directory = target.parent if str(target.parent) else Path(".")
            if make_dirs:
                directory.mkdir(parents=True, exist_ok=True)
            mode = (target.stat().st_mode & 0o777) if target.exists() else 0o666 & ~umask
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
            staged.append((tmp, target))
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp, mode)
        for tmp, target in staged:
            os.replace(tmp, target)
    except BaseException as exc:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError) and target is not None and exc.errno is not None:
            # Name the output the user asked for, not the temporary file next to it.
            raise OSError(exc.errno, exc.strerror, str(target)) from None
        raise
    return targets
