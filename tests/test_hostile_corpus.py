"""A corpus of hostile inputs run through the real ``coordgap`` command.

Each case of ``tests/hostile/cases.toml`` (see the comment at its top for the keys) runs the
installed console script in a fresh working directory, with a timeout and a memory ceiling, and
checks the promise of the command line: bad input gets a clear message and a documented exit
status (2 for bad input, files or limits; 130 for an interrupt), never a traceback, exit status
70 (an internal error) or a hang, and a failed command leaves every file as it was.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import time
import tomllib
from importlib import resources
from pathlib import Path

import pytest

# Every case runs the real command in a subprocess: minutes in all.
pytestmark = pytest.mark.slow

CORPUS = Path(__file__).parent / "hostile"
MANIFEST = CORPUS / "cases.toml"
SCRIPT = Path(sys.executable).parent / "coordgap"
MEMORY_CEILING = 3 * 2**30  # bytes of address space per command
DEFAULT_TIMEOUT = 120.0
MAX_MESSAGE = 10_000  # characters: a message is one paragraph, whatever the input holds
FORBIDDEN = {"\x1b": "ESC", "\x07": "BEL", "\u202e": "RLO"}
KEYS = {
    "id",
    "what",
    "args",
    "exit",
    "stderr",
    "stdout",
    "stderr_lacks",
    "setup",
    "copy",
    "generate",
    "stdin",
    "env",
    "signal_after",
    "signal_when",
    "timeout",
    "untouched",
    "absent",
    "lacks",
    "xfail",
}
SETUPS = {"fifo", "readonly_dir", "unreadable_file", "immutable_dir", "non_utf8_name"}
PACKAGED = {
    "model": Path(str(resources.files("coordgap.data").joinpath("default_model.toml"))),
    "registry": Path(str(resources.files("coordgap.data").joinpath("sample_registry.toml"))),
}
NON_UTF8 = b"\xff.toml"  # a file name that is not UTF-8


def _load_cases() -> list[dict]:
    with MANIFEST.open("rb") as handle:
        return tomllib.load(handle)["case"]


CASES = _load_cases()


def _params():
    out = []
    for case in CASES:
        marks = [pytest.mark.xfail(reason=case["xfail"], strict=True)] if "xfail" in case else []
        out.append(pytest.param(case, id=case["id"], marks=marks))
    return out


# -- the manifest itself ------------------------------------------------------------------------


def test_manifest_is_well_formed():
    ids = [case["id"] for case in CASES]
    assert len(ids) == len(set(ids)), "case ids must be unique"
    assert len(ids) >= 70
    for case in CASES:
        assert set(case) <= KEYS, (case["id"], set(case) - KEYS)
        assert {"id", "what", "args", "exit", "stderr"} <= set(case), case["id"]
        assert isinstance(case["args"], list) and all(isinstance(a, str) for a in case["args"])
        assert case["exit"] in (0, 1, 2, 130), case["id"]
        assert isinstance(case["stderr"], (list, str)), case["id"]
        assert set(case.get("setup", [])) <= SETUPS, case["id"]


def test_every_corpus_file_is_used():
    used = " ".join(" ".join(case["args"]) + " " + str(case.get("generate", "")) for case in CASES)
    files = {p.name for p in CORPUS.iterdir() if p.name != MANIFEST.name}
    assert files, "the corpus is empty"
    unused = sorted(name for name in files if f"{{corpus}}/{name}" not in used)
    assert not unused, f"corpus files no case uses: {unused}"


# -- running a case -----------------------------------------------------------------------------


def _fill(text: str, dirs: dict[str, str]) -> str:
    for key, value in dirs.items():
        text = text.replace(f"{{{key}}}", value)
    return text


def _generate(recipe: dict, dirs: dict[str, str], work: Path) -> None:
    """Write a file from a small recipe: a base file and repeated parts (see cases.toml)."""
    base = _fill(recipe.get("base", ""), dirs)
    data = Path(base).read_bytes() if base else b""
    insert = b"".join(text.encode("utf-8") * count for text, count in recipe["parts"])
    if "replace" in recipe:
        old = recipe["replace"].encode("utf-8")
        assert old in data, f"generate: {recipe['replace']!r} is not in {base}"
        data = data.replace(old, insert, 1)
    elif "at" in recipe:
        anchor = recipe["at"].encode("utf-8")
        assert anchor in data, f"generate: {recipe['at']!r} is not in {base}"
        k = data.index(anchor) + len(anchor)
        data = data[:k] + insert + data[k:]
    else:
        data += insert
    (work / recipe["path"]).write_bytes(data)


def _setup(names: list[str], work: Path, cleanup: list) -> dict[str, str]:
    """Prepare the working directory; returns extra placeholders."""
    extra: dict[str, str] = {}
    root = hasattr(os, "geteuid") and os.geteuid() == 0
    for name in names:
        if name == "fifo":
            if not hasattr(os, "mkfifo"):
                pytest.skip("no FIFOs on this system")
            os.mkfifo(work / "fifo")
        elif name == "readonly_dir":
            if root:
                pytest.skip("permissions do not apply to root")
            (work / "readonly").mkdir()
            (work / "readonly").chmod(0o555)
            cleanup.append(lambda: (work / "readonly").chmod(0o755))
        elif name == "unreadable_file":
            if root:
                pytest.skip("permissions do not apply to root")
            shutil.copyfile(PACKAGED["model"], work / "unreadable.toml")
            (work / "unreadable.toml").chmod(0)
            cleanup.append(lambda: (work / "unreadable.toml").chmod(0o644))
        elif name == "immutable_dir":
            chattr = shutil.which("chattr")
            if chattr is None:
                pytest.skip("chattr is not available")
            (work / "immutable").mkdir()
            flag = [chattr, "+i", str(work / "immutable")]
            if subprocess.run(flag, capture_output=True, check=False).returncode != 0:
                pytest.skip("chattr +i is not allowed here")
            unflag = [chattr, "-i", str(work / "immutable")]
            cleanup.append(lambda cmd=unflag: subprocess.run(cmd, capture_output=True, check=False))
        elif name == "non_utf8_name":
            path = os.fsencode(work) + b"/" + NON_UTF8
            try:
                shutil.copyfile(PACKAGED["model"], path)
            except (OSError, UnicodeError):
                pytest.skip("this file system refuses file names that are not UTF-8")
            extra["non_utf8"] = os.fsdecode(path)
        else:  # pragma: no cover - test_manifest_is_well_formed reports it
            raise AssertionError(f"unknown setup {name!r}")
    return extra


def _signature(path: Path):
    """What must not change about a file: its type and, for a regular file, its bytes."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    if stat.S_ISREG(info.st_mode):
        return ("file", hashlib.sha256(path.read_bytes()).hexdigest())
    return (stat.S_IFMT(info.st_mode), info.st_ino)  # never opened: it may be a FIFO


def _tree(work: Path) -> set[str]:
    names = set()
    for folder, dirs, files in os.walk(work):
        for name in dirs + files:
            names.add(os.path.relpath(os.path.join(folder, name), work))
    return names


def _limits():  # pragma: no cover - runs in the child between fork and exec
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CEILING, MEMORY_CEILING))
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # a test runner may ignore it; Ctrl-C must work


def _loaded(pid: int, text: str) -> bool:
    try:
        return text in Path(f"/proc/{pid}/maps").read_text(errors="replace")
    except OSError:
        return True  # no /proc: rely on the delay alone


def _run(
    case: dict, args: list[str], cwd: Path, env: dict, stdin: bytes | None, timeout: float
) -> tuple[int, str, str]:
    # preexec_fn: the memory ceiling and SIGINT apply to the command only (no threads here).
    proc = subprocess.Popen(
        [str(SCRIPT), *args],
        cwd=cwd,
        env=env,
        preexec_fn=_limits,
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        if "signal_after" in case:
            deadline = time.monotonic() + timeout
            if "signal_when" in case:
                while (
                    proc.poll() is None
                    and time.monotonic() < deadline
                    and not _loaded(proc.pid, case["signal_when"])
                ):
                    time.sleep(0.05)
            time.sleep(case["signal_after"])
            if proc.poll() is None:
                proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(stdin, timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        pytest.fail(f"{case['id']}: no answer within {timeout:g} s (a hang)")
    return (
        proc.returncode,
        out.decode("utf-8", "backslashreplace"),
        err.decode("utf-8", "backslashreplace"),
    )


@pytest.mark.parametrize("case", _params())
def test_hostile_case(case, tmp_path):
    if not SCRIPT.exists():
        pytest.skip("the coordgap console script is not installed next to this Python")
    work = tmp_path / "work"
    work.mkdir()
    (tmp_path / "mpl").mkdir()
    dirs = {
        "dir": str(work),
        "corpus": str(CORPUS),
        **{key: str(path) for key, path in PACKAGED.items()},
    }
    cleanup: list = []
    try:
        dirs.update(_setup(case.get("setup", []), work, cleanup))
        for name, source in case.get("copy", {}).items():
            shutil.copyfile(_fill(source, dirs), work / name)
        if "generate" in case:
            _generate(case["generate"], dirs, work)
        untouched = {
            p: _signature(Path(p)) for p in (_fill(x, dirs) for x in case.get("untouched", []))
        }
        assert all(sig is not None for sig in untouched.values()), "untouched file missing"
        before = _tree(work)
        # One BLAS thread: each command starts faster, and the corpus runs one at a time.
        env = dict(
            os.environ,
            MPLCONFIGDIR=str(tmp_path / "mpl"),
            MPLBACKEND="Agg",
            OPENBLAS_NUM_THREADS="1",
            OMP_NUM_THREADS="1",
            MKL_NUM_THREADS="1",
        )
        env.update(case.get("env", {}))
        stdin = case["stdin"].encode("utf-8") if "stdin" in case else None
        status, out, err = _run(
            case,
            [_fill(a, dirs) for a in case["args"]],
            work,
            env,
            stdin,
            float(case.get("timeout", DEFAULT_TIMEOUT)),
        )
        after = _tree(work)
    finally:
        for undo in cleanup:
            undo()

    shown = f"exit {status}\n--- stderr:\n{err[:3000]}\n--- stdout:\n{out[:1000]}"
    assert "Traceback" not in err and "Traceback" not in out, shown
    assert status != 70, f"internal error (a bug):\n{shown}"
    assert status == case["exit"], shown
    for char, name in FORBIDDEN.items():
        assert char not in out, f"{name} on standard output:\n{shown}"
        assert char not in err, f"{name} in the message:\n{shown}"
    if status >= 2:
        assert err.strip(), f"exit {status} without a message"
        assert len(err) <= MAX_MESSAGE, f"a message of {len(err)} characters:\n{shown}"
    expected = case["stderr"]
    if isinstance(expected, str):
        assert re.search(expected, err), f"no match for {expected!r}:\n{shown}"
    else:
        for fragment in expected:
            assert _fill(fragment, dirs) in err, f"{fragment!r} not in the message:\n{shown}"
    for fragment in case.get("stderr_lacks", []):
        assert fragment not in err, f"{fragment!r} in the message:\n{shown}"
    for fragment in case.get("stdout", []):
        assert _fill(fragment, dirs) in out, f"{fragment!r} not on standard output:\n{shown}"
    for path, signature in untouched.items():
        assert _signature(Path(path)) == signature, f"{path} was changed"
    for path in (_fill(p, dirs) for p in case.get("absent", [])):
        assert not os.path.lexists(path), f"{path} exists afterwards:\n{shown}"
    for path, fragments in case.get("lacks", {}).items():
        text = Path(_fill(path, dirs)).read_text(encoding="utf-8", errors="replace")
        for fragment in fragments:
            assert fragment not in text, f"{fragment!r} in {path}"
    if status != 0:
        assert after == before, (
            f"a failed command changed its directory: created "
            f"{sorted(after - before)}, removed {sorted(before - after)}"
        )
