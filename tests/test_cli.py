"""The command line: solve (tables and JSON), check, errors without tracebacks."""

import json

import numpy as np
import pytest

import coordgap as cg
from coordgap.cli import main


def test_solve_prints_equilibrium_and_gap(capsys):
    assert main(["solve"]) == 0
    out = capsys.readouterr().out
    assert "Coordination gap" in out and "price of anarchy" in out
    assert "ai_developer" in out and "civil_society" in out


def test_solve_json_matches_library(capsys):
    assert main(["solve", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    game = cg.load_model().preparedness_game()
    # Independent check of the reported aggregate: the equilibrium FOC at the reported R.
    r = data["gap"]["robustness_worst"]
    x = np.asarray(data["equilibria"]["equilibria"][0]["investment"])
    foc = game.share * game.weight * game.marginal_benefit(r) / game.cost
    np.testing.assert_allclose(x, foc, rtol=1e-9)
    np.testing.assert_allclose(r, np.sum(game.weight * x), rtol=1e-12)
    assert data["equilibria"]["complete"] is True
    assert data["model"]["sha256"] == cg.load_model().sha256


def test_check_reports_every_problem_and_exits_2(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[preparedness]\nprob = 1.5\naggregator = "summ"\n'
        "[actors.dev]\ncount = 2\nshare = 0.1\ncost = -1\n"
    )
    assert main(["check", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "preparedness.prob" in err and "actors.dev.cost" in err and "Did you mean 'sum'" in err
    assert "Traceback" not in err


def test_solve_bad_file_exits_2_without_traceback(tmp_path, capsys):
    bad = tmp_path / "broken.toml"
    bad.write_text("[preparedness\nprob = 0.1\n")
    assert main(["solve", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "TOML syntax error" in err and "line 1" in err


def test_missing_file_exits_2(tmp_path, capsys):
    assert main(["solve", str(tmp_path / "nope.toml")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_version(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert cg.__version__ in capsys.readouterr().out


def test_compare_prints_designs_and_readouts(capsys):
    assert main(["compare"]) == 0
    out = capsys.readouterr().out
    for name in ("baseline", "bond", "procurement", "compute_access", "combined"):
        assert name in out
    assert "Readouts:" in out and "Pareto frontier" in out


def test_compare_json_and_csv(tmp_path, capsys):
    csv = tmp_path / "designs.csv"
    assert main(["compare", "--json", "--csv", str(csv)]) == 0
    data = json.loads(capsys.readouterr().out)
    names = [row["design"] for row in data["designs"]]
    assert names[0] == "baseline" and "combined" in names
    assert csv.read_text().splitlines()[0].startswith("design,")


def test_compare_model_without_designs_exits_2(tmp_path, capsys):
    path = tmp_path / "m.toml"
    path.write_text(
        "[preparedness]\nprob = 0.1\nharm = 10.0\nefficacy = 0.5\n"
        "[actors.dev]\ncount = 2\nshare = 0.1\ncost = 1.0\n"
    )
    assert main(["compare", str(path)]) == 2
    assert "designs" in capsys.readouterr().err


@pytest.mark.slow
def test_compare_html_report_is_self_contained(tmp_path, capsys):
    from html.parser import HTMLParser

    report = tmp_path / "report.html"
    assert main(["compare", "--html", str(report)]) == 0
    text = report.read_text()
    for needed in (
        "Readouts",
        "Assumptions",
        "data:image/png;base64,",
        "<table",
        "preparedness.harm",
        "illustrative",
    ):
        assert needed in text, needed
    assert "http://" not in text and "https://" not in text  # nothing fetched from elsewhere

    class Checker(HTMLParser):
        def __init__(self):
            super().__init__()
            self.stack = []

        def handle_starttag(self, tag, attrs):
            if tag not in ("meta", "img", "br", "link"):
                self.stack.append(tag)

        def handle_endtag(self, tag):
            assert self.stack and self.stack[-1] == tag, (tag, self.stack[-3:])
            self.stack.pop()

    checker = Checker()
    checker.feed(text)
    assert checker.stack == []


def test_sweep_command(tmp_path, capsys):
    csv = tmp_path / "s.csv"
    assert (
        main(
            [
                "sweep",
                "--design",
                "bond",
                "--param",
                "PerformanceBond.amount",
                "--values",
                "0,1",
                "--metrics",
                "credible_coverage_best",
                "--csv",
                str(csv),
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "credible_coverage_best" in out
    lines = csv.read_text().splitlines()
    assert lines[0] == "PerformanceBond.amount,credible_coverage_best" and len(lines) == 3
    assert main(["sweep", "--design", "bnd", "--param", "x", "--values", "1"]) == 2
    assert "Did you mean 'bond'" in capsys.readouterr().err
    assert main(["sweep", "--param", "participation.prob", "--range", "a:b"]) == 2


@pytest.mark.slow
def test_critical_command(capsys):
    assert (
        main(
            [
                "critical",
                "--design",
                "procurement",
                "--instrument",
                "ProcurementPreference",
                "--parameter",
                "margin",
                "--target",
                "participation:15",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "reaches" in out and "certificate" in out and "fails" in out
    # Only 20 actors are eligible for procurement preference: 50 filers is out of reach.
    assert (
        main(
            [
                "critical",
                "--design",
                "procurement",
                "--instrument",
                "ProcurementPreference",
                "--parameter",
                "margin",
                "--target",
                "participation:50",
                "--max-level",
                "10",
            ]
        )
        == 1
    )
    assert "not reachable" in capsys.readouterr().out
    assert main(["critical", "--design", "bond", "--instrument", "Audit"]) == 2


def test_unwritable_output_and_bad_seed_exit_2_without_traceback(tmp_path, capsys):
    target = tmp_path / "a_directory"
    target.mkdir()
    assert main(["compare", "--csv", str(target)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "is a directory" in err and str(target) in err
    assert list(tmp_path.iterdir()) == [target]  # no temporary file left behind
    with pytest.raises(SystemExit) as stop:
        main(["registry", "tabletop", "agent_self_replication", "--runs", "10", "--seed", "-1"])
    assert stop.value.code == 2
    assert "--seed: must be an integer >= 0, got '-1'" in capsys.readouterr().err
