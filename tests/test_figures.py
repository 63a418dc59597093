"""Figures: deterministic bytes, provenance that matches the model files, atomic writes."""

import json
from pathlib import Path

import pytest

import coordgap as cg
from coordgap.cli import main
from coordgap.plots import io as plot_io
from coordgap.plots.displays import axis_label

ROOT = Path(__file__).resolve().parents[1]
REQUIRED = (
    "gap_vs_diffuseness",
    "participation_vs_bond",
    "coverage_vs_bond",
    "design_comparison",
    "robustness",
    "disclosure",
    "exchange_speed",
    "learning",
    "library_scope",
    "capture",
)


@pytest.mark.slow
def test_two_runs_write_identical_bytes(tmp_path):
    for run in ("a", "b"):
        assert (
            main(
                [
                    "figures",
                    "--only",
                    "gap_vs_diffuseness",
                    "--only",
                    "design_comparison",
                    "--fast",
                    "--format",
                    "png,pdf,svg",
                    "--out",
                    str(tmp_path / run),
                ]
            )
            == 0
        )
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "b").iterdir())
    assert len(names) == 10  # png, pdf, svg, csv (plotted data), json for each
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    prov = json.loads((tmp_path / "a" / "design_comparison.json").read_text())
    assert prov["model_sha256"] == cg.load_model().sha256 and prov["fast"] is True


@pytest.mark.slow
def test_figures_built_in_two_processes_are_those_of_one(tmp_path):
    # The robustness study and two other kinds, fast, with --workers 2 and --workers 1.
    only = ["--only", "robustness", "--only", "design_comparison", "--only", "disclosure"]
    for run, workers in (("one", "1"), ("two", "2")):
        argv = ["figures", *only, "--fast", "--workers", workers, "--out", str(tmp_path / run)]
        assert main(argv) == 0
    names = sorted(p.name for p in (tmp_path / "one").iterdir())
    assert len(names) == 12 and names == sorted(p.name for p in (tmp_path / "two").iterdir())
    for name in names:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()


def test_workers_option_is_checked(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["figures", "--workers", "0"])
    assert exc.value.code == 2
    assert "--workers: must be an integer from 1 to 1024, got '0'" in capsys.readouterr().err
    with pytest.raises(cg.InvalidParameterError, match="workers"):
        from coordgap.plots.recipes import run_figures

        run_figures([cg.load_model()], "unused", workers=0)


def test_committed_figures_are_not_stale():
    figures = ROOT / "figures"
    spec = cg.load_model(ROOT / "models" / "default.toml")
    for fig_id in REQUIRED:
        for suffix in (".png", ".pdf", ".csv", ".json"):
            assert (figures / f"{fig_id}{suffix}").is_file(), f"{fig_id}{suffix} missing"
        prov = json.loads((figures / f"{fig_id}.json").read_text())
        assert prov["model_sha256"] == spec.sha256, (
            f"figures/{fig_id} was made from another version of the model: run coordgap figures"
        )
        assert prov["fast"] is False


def test_a_failed_render_leaves_no_file(tmp_path, monkeypatch):
    real = plot_io.figure_bytes

    def failing(fig, fmt, dpi=150):
        if fmt == "pdf":
            raise RuntimeError("disk full")
        return real(fig, fmt, dpi)

    monkeypatch.setattr(plot_io, "figure_bytes", failing)
    # An unexpected error is a bug: exit 70 with a one-paragraph message, and no file.
    assert main(["figures", "--only", "gap_vs_diffuseness", "--fast", "--out", str(tmp_path)]) == 70
    assert list(tmp_path.iterdir()) == []


def test_atomic_write_cleans_up_on_error(tmp_path, monkeypatch):
    target = tmp_path / "x.bin"
    target.write_bytes(b"old")

    def broken_replace(src, dst):
        raise OSError("interrupted")

    import coordgap.files

    monkeypatch.setattr(coordgap.files.os, "replace", broken_replace)
    with pytest.raises(OSError):
        plot_io.atomic_write_bytes(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["x.bin"]


def test_axis_labels_come_from_parameter_metadata():
    assert axis_label("PerformanceBond.amount") == "bond amount b (USD m)"
    assert axis_label("participation.harm") == "harm if unmitigated H (USD m)"
    assert axis_label("credible_coverage_best").startswith("credible coverage")


def test_bad_figure_blocks(tmp_path, capsys):
    path = tmp_path / "m.toml"
    path.write_text(
        "[actors.dev]\ncount = 2\nshare = 0.1\ncost = 1.0\n"
        '[figures.a]\nkind = "gap_vs_difuseness"\n'
        '[figures.b]\nkind = "coverage_vs_bond"\ndesign = "bnd"\nvalues = [1, -2]\n'
    )
    with pytest.raises(cg.SpecError) as exc:
        cg.load_model(path)
    text = "\n".join(exc.value.problems)
    assert "figures.a.kind" in text and "Did you mean 'gap_vs_diffuseness'" in text
    assert "figures.b.design" in text and "figures.b.values" in text
    assert main(["figures", "--only", "nope", "--out", str(tmp_path)]) == 2
    assert "no such figure" in capsys.readouterr().err
