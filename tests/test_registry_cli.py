"""``coordgap registry``: check, tabletop, report; bad files exit 2 without a traceback."""

import json

import pytest

import coordgap as cg
from coordgap.cli import main
from test_registry import BAD, BAD_PATHS, CLEAN


@pytest.mark.slow
def test_check_sample_lists_findings_and_exits_1(capsys):
    assert main(["registry", "check"]) == 1
    out = capsys.readouterr().out
    assert "credible coverage" in out and "Gaps (" in out and "Conflicts (" in out
    assert "[circular_escalation]" in out and "companion_chatbot_harm" in out


def test_check_clean_file_exits_0(tmp_path, capsys):
    path = tmp_path / "clean.toml"
    path.write_text(CLEAN)
    assert main(["registry", "check", str(path)]) == 0
    out = capsys.readouterr().out
    assert "0 gaps, 0 overlaps, 0 conflicts" in out


@pytest.mark.slow
def test_check_json_matches_library(capsys):
    assert main(["registry", "check", "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    report = cg.load_registry().check()
    assert data["n_gaps"] == report.n_gaps and data["n_conflicts"] == report.n_conflicts
    assert [f["message"] for f in data["findings"]] == [f.message for f in report.findings]
    assert len(data["coverage"]) == len(report.coverage)


def test_bad_file_exits_2_with_every_problem_and_no_traceback(tmp_path, capsys):
    path = tmp_path / "bad.toml"
    path.write_text(BAD)
    for argv in (
        ["registry", "check", str(path)],
        ["registry", "tabletop", "s1", str(path)],
        ["registry", "report", str(path), "--html", str(tmp_path / "r.html")],
    ):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert "Traceback" not in err
        for p in BAD_PATHS:
            assert f"{p}:" in err
    assert not (tmp_path / "r.html").exists()


@pytest.mark.slow
def test_tabletop_text_and_json_are_deterministic(capsys):
    argv = ["registry", "tabletop", "grid_intrusion", "--runs", "500", "--seed", "4"]
    assert main(argv + ["--json"]) == 0
    first = capsys.readouterr().out
    assert main(argv + ["--json"]) == 0
    assert capsys.readouterr().out == first
    data = json.loads(first)
    ex = cg.load_registry().tabletop("grid_intrusion", 500, rng=4)
    assert data["p_coordinated"] == ex.p_coordinated and data["n_runs"] == 500
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "coordinated response" in out and "Functions:" in out and "Plans:" in out


def test_tabletop_unknown_scenario_exits_2(capsys):
    assert main(["registry", "tabletop", "grid_intrusio", "--runs", "10"]) == 2
    err = capsys.readouterr().err
    assert "Did you mean 'grid_intrusion'" in err and "Traceback" not in err


@pytest.mark.slow
def test_report_writes_html_atomically(tmp_path, capsys):
    out = tmp_path / "report.html"
    out.write_text("old")
    assert main(["registry", "report", "--html", str(out), "--runs", "50"]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and text.rstrip().endswith("</html>")
    assert "Tabletop exercises (50 runs per scenario)" in text and "Gaps (" in text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]  # no temp left
    assert (
        main(["registry", "report", "--html", str(tmp_path / "no" / "dir.html"), "--runs", "0"])
        == 2
    )
    assert "does not exist" in capsys.readouterr().err


def test_registry_without_subcommand_prints_help(capsys):
    assert main(["registry"]) == 0
    assert "tabletop" in capsys.readouterr().out
