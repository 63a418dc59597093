"""Results read well in a notebook: labelled HTML tables, tidy frames, quiet progress bars.

Expectations are structural facts a notebook user relies on, checked against the inputs the
test chose (the actor names it gave, the design names it asked for), not against the code's
own rendering.
"""

import subprocess
import sys
import types
from html.parser import HTMLParser

import numpy as np
import pytest

import coordgap as cg
from coordgap.analysis.parallel import in_notebook, run_chunks, show_progress, spawn_seeds
from coordgap.errors import InvalidParameterError

NAMES = ("lab", "cloud", "agency")


class _Table(HTMLParser):
    """Row labels (``<th>`` opening a body row) and every cell's text."""

    def __init__(self):
        super().__init__()
        self.row_labels, self.cells, self.header = [], [], []
        self._in, self._text, self._body, self._first = None, "", False, False

    def handle_starttag(self, tag, attrs):
        if tag == "tbody":
            self._body = True
        elif tag == "tr":
            self._first = True
        elif tag in ("th", "td"):
            self._in, self._text = tag, ""

    def handle_data(self, data):
        if self._in:
            self._text += data

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self._in:
            text = self._text.strip()
            if self._body and tag == "th" and self._first:
                self.row_labels.append(text)
            elif not self._body:
                self.header.append(text)
            else:
                self.cells.append(text)
            self._first, self._in = False, None


def _parse(html: str) -> _Table:
    parser = _Table()
    parser.feed(html)
    return parser


@pytest.fixture(scope="module")
def game():
    return cg.PreparednessGame(
        share=[0.3, 0.2, 0.1],
        cost=[1.0, 2.0, 4.0],
        prob=0.5,
        harm=40.0,
        efficacy=0.5,
        cost_exponent=2.0,
        names=NAMES,
    )


def test_gap_report_html_keeps_its_metric_labels(game):
    table = _parse(cg.gap(game)._repr_html_())
    # the rows GapReport documents: robustness, residual harm, welfare and their ratios
    for label in ("robustness R", "residual expected harm", "welfare", "welfare loss"):
        assert label in table.row_labels, table.row_labels
    assert {"optimum", "worst", "best"} <= set(table.header)
    # the per-actor table keeps the actors' names as row labels
    assert set(NAMES) <= set(table.row_labels), table.row_labels


def test_comparison_html_keeps_the_design_names():
    model = cg.PolicyModel.default()
    designs = [
        cg.Design("bond", [cg.PerformanceBond(amount=1.0)]),
        cg.Design("compute_access", [cg.ComputeAccess(units=1.0)]),
    ]
    html = cg.compare(model, designs)._repr_html_()
    table = _parse(html)
    assert table.row_labels == ["baseline", "bond", "compute_access"]
    assert not any(cell.lower() in ("nan", "inf") for cell in table.cells)


def test_plain_index_is_not_shown(game):
    # a 0..n-1 index carries no information: the equilibria table shows no row labels
    table = _parse(cg.solve(game)._repr_html_())
    assert table.row_labels == []


def test_equilibria_frame_is_tidy_one_column_per_player(game):
    eqs = cg.solve(game)
    frame = eqs.to_frame()
    assert len(frame) == len(eqs)
    for field in ("investment", "payoffs"):
        columns = [f"{field}[{name}]" for name in NAMES]
        assert set(columns) <= set(frame.columns), list(frame.columns)
        for k, eq in enumerate(eqs):
            values = [float(frame[c].iloc[k]) for c in columns]
            assert values == pytest.approx(list(getattr(eq, field)))
    # no cell holds an array
    assert not any(
        isinstance(v, (np.ndarray, list, tuple)) for v in frame.to_numpy().ravel().tolist()
    )
    # the robustness is R0 + the sum of investments for the default (sum) aggregator
    invest = frame[[f"investment[{n}]" for n in NAMES]].sum(axis=1)
    assert invest.to_numpy() + game.baseline == pytest.approx(frame["robustness"])


def test_equilibria_frame_without_names_numbers_the_players():
    game = cg.PreparednessGame(share=[0.3, 0.2], cost=[1.0, 2.0], prob=0.5, harm=40.0)
    frame = cg.solve(game).to_frame()
    assert {"investment[0]", "investment[1]"} <= set(frame.columns) or {
        f"investment[{n}]" for n in (game.names or ())
    } <= set(frame.columns)


# -- progress bars ------------------------------------------------------------------------------
def _square(item, seed):
    return item * item


def test_progress_auto_is_silent_outside_a_notebook(capsys):
    assert not in_notebook()
    assert show_progress("auto") is False and show_progress(None) is False
    out = run_chunks(_square, [1, 2, 3], spawn_seeds(0, 3), progress="auto", desc="squares")
    assert out == [1, 4, 9]
    assert capsys.readouterr().err == ""


def test_progress_true_draws_a_bar(capsys):
    run_chunks(_square, [1, 2, 3], spawn_seeds(0, 3), progress=True, desc="squares")
    err = capsys.readouterr().err
    assert "squares" in err and "/3" in err  # the bar, labelled, counting to 3 items


def test_progress_auto_shows_in_a_jupyter_kernel(monkeypatch):
    class ZMQInteractiveShell:  # the class name IPython gives a kernel's shell
        kernel = object()

    fake_ipython = types.ModuleType("IPython")
    setattr(fake_ipython, "get_ipython", lambda: ZMQInteractiveShell())  # noqa: B010
    monkeypatch.setitem(sys.modules, "IPython", fake_ipython)
    monkeypatch.setitem(sys.modules, "ipykernel", types.ModuleType("ipykernel"))
    assert in_notebook() and show_progress("auto")


def test_progress_in_plain_ipython_is_not_a_notebook(monkeypatch):
    class TerminalInteractiveShell:
        pass

    fake_ipython = types.ModuleType("IPython")
    setattr(fake_ipython, "get_ipython", lambda: TerminalInteractiveShell())  # noqa: B010
    monkeypatch.setitem(sys.modules, "IPython", fake_ipython)
    monkeypatch.setitem(sys.modules, "ipykernel", types.ModuleType("ipykernel"))
    assert not in_notebook()


@pytest.mark.parametrize("bad", ["yes", 1, 0.5])
def test_progress_rejects_other_values(bad):
    with pytest.raises(InvalidParameterError, match="progress"):
        show_progress(bad)


# -- python -m coordgap ---------------------------------------------------------------------------
def test_python_dash_m_runs_the_command():
    done = subprocess.run(
        [sys.executable, "-m", "coordgap", "--version"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"coordgap {cg.__version__}"


def test_importing_main_module_runs_nothing():
    done = subprocess.run(
        [sys.executable, "-c", "import coordgap.__main__; print('imported')"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0 and done.stdout.strip() == "imported", done.stderr


@pytest.mark.slow
def test_in_a_real_kernel_progress_shows_and_tables_render(tmp_path):
    """Run a two-cell notebook in a real Jupyter kernel: the kernel is detected, and a
    comparison displays as HTML with its design names."""
    nbclient = pytest.importorskip("nbclient")
    nbformat = pytest.importorskip("nbformat")
    pytest.importorskip("ipykernel")
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            "from coordgap.analysis.parallel import in_notebook, show_progress\n"
            "print(in_notebook(), show_progress('auto'))"
        ),
        nbformat.v4.new_code_cell(
            "import coordgap as cg\n"
            "cg.compare(cg.PolicyModel.default(),\n"
            "           [cg.Design('compute_access', [cg.ComputeAccess(units=1.0)])])"
        ),
    ]
    client = nbclient.NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()
    printed = "".join(o.get("text", "") for o in nb.cells[0].outputs)
    assert printed.strip() == "True True"
    html = next(o["data"]["text/html"] for o in nb.cells[1].outputs if "data" in o)
    table = _parse(html)
    assert table.row_labels == ["baseline", "compute_access"]
