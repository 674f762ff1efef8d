"""Selection and configuration of ``verify``: --select / --ignore (codes,
names, prefixes, ALL; ruff's convention), --severity, the project
configuration file (extflash.yml / .extflash.yml, schema-validated),
west config extflash.* keys, suppressions that name their reason, and the
one-line errors for unknown checks and invalid configuration (exit 2).

The build is the committed negative case EXF204-max-img-sectors (one
error finding, EXF204 max-img-sectors, in MCUboot's .config) and
EXF206-netcore-update-mode (one warning)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from conftest import TESTS_DIR, run_cli
from test_checks import materialize


@pytest.fixture
def app(tmp_path) -> Path:
    """An application folder holding its build (as `west build` leaves it)."""
    materialize(TESTS_DIR / "cases" / "EXF204-max-img-sectors", tmp_path / "app")
    (tmp_path / "app" / ".git").mkdir()  # the repository root: the config search stops here
    return tmp_path / "app"


def verify(app: Path, *argv: str, cwd: Path | None = None):
    code, out, err = run_cli(["verify", "-d", str(app / "build"), "--format", "json", *argv],
                             cwd=cwd or app)
    return code, (json.loads(out) if out else None), err


def codes(doc) -> list[str]:
    return sorted(f["code"] for f in doc["findings"])


def test_select_and_ignore_by_code_name_prefix_and_all(app):
    assert codes(verify(app)[1]) == ["EXF204"]
    for argv in (["--ignore", "EXF204"], ["--ignore", "max-img-sectors"],
                 ["--ignore", "exf2"], ["--select", "EXF1,EXF3"],
                 ["--select", "ALL", "--ignore", "EXF204"]):
        code, doc, err = verify(app, *argv)
        assert (code, codes(doc), err) == (0, [], ""), argv
    code, doc, _ = verify(app, "--select", "EXF101", "--select", "max-img-sectors")
    assert (code, codes(doc)) == (1, ["EXF204"])


@pytest.mark.parametrize("argv, what", [
    (["--select", "EXF999"], "--select: unknown check 'EXF999'"),
    (["--ignore", "no-such-check"], "--ignore: unknown check 'no-such-check'"),
    (["--severity", "EXF204=fatal"], "--severity: EXF204: unknown severity 'fatal'"),
    (["--severity", "EXF204"], "--severity: 'EXF204' is not CHECK=SEVERITY"),
    (["--format", "sarif", "--select", "EXF2x"], "unknown check 'EXF2x'"),
])
def test_unknown_checks_and_severities_are_one_line_exit_2(app, argv, what):
    code, out, err = run_cli(["verify", "-d", str(app / "build"), *argv], cwd=app)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and what in err


def test_severity_override_regrades_and_strict_still_applies(app):
    code, doc, _ = verify(app, "--severity", "max-img-sectors=warning")
    assert code == 0 and [f["severity"] for f in doc["findings"]] == ["warning"]
    code, doc, _ = verify(app, "--severity", "EXF204=warning", "--strict")
    assert code == 1


def test_exit_zero_keeps_exit_2(app, tmp_path):
    assert verify(app, "--exit-zero")[0] == 0
    code, _, err = run_cli(["verify", "-d", str(tmp_path / "nothing"), "--exit-zero"])
    assert code == 2


def test_project_configuration_is_found_from_the_working_directory_upwards(app):
    (app / "extflash.yml").write_text(
        "verify:\n"
        "  severity:\n"
        "    max-img-sectors: warning\n"
        "  strict: false\n")
    sub = app / "src"
    sub.mkdir()
    code, doc, _ = verify(app, cwd=sub)
    assert code == 0 and doc["findings"][0]["severity"] == "warning"
    # the command line wins over the file
    code, doc, _ = verify(app, "--severity", "EXF204=error", cwd=sub)
    assert code == 1
    # --no-config ignores it
    assert verify(app, "--no-config", cwd=sub)[0] == 1


def test_hidden_name_and_both_names_at_once(app):
    (app / ".extflash.yml").write_text("verify:\n  ignore: [EXF204]\n")
    assert verify(app)[0] == 0
    (app / "extflash.yml").write_text("verify:\n  ignore: [EXF204]\n")
    code, doc, err = verify(app)
    assert code == 2 and "both extflash.yml and .extflash.yml" in err and err.count("\n") == 1


def test_suppression_names_its_reason_and_is_reported(app):
    reason = "BOOT_MAX_IMG_SECTORS is raised by the production overlay (ticket FW-12)"
    (app / "extflash.yml").write_text(
        "verify:\n"
        "  suppress:\n"
        "    - check: max-img-sectors\n"
        "      image: mcuboot\n"
        "      file: mcuboot/zephyr/.config\n"
        f"      reason: {reason}\n")
    code, doc, err = verify(app)
    assert code == 0 and doc["findings"] == [] and err == ""
    (s,) = doc["suppressed"]
    assert s["code"] == "EXF204" and s["reason"] == reason and doc["summary"]["suppressed"] == 1
    code, out, _ = run_cli(["verify", "-d", str(app / "build")], cwd=app)
    assert f"suppressed: EXF204 max-img-sectors: {reason}" in out
    assert "0 errors, 0 warnings, 1 suppressed in 1 build" in out.splitlines()[-1]
    code, out, _ = run_cli(["verify", "-d", str(app / "build"), "--format", "sarif"], cwd=app)
    (result,) = json.loads(out)["runs"][0]["results"]
    assert result["suppressions"][0]["justification"] == reason


def test_a_suppression_that_matches_nothing_is_a_warning(app):
    (app / "extflash.yml").write_text(
        "verify:\n  suppress:\n    - check: EXF101\n      reason: old overlap, fixed\n")
    code, _, err = verify(app)
    assert code == 1
    assert "WARNING: " in err and "verify.suppress[0]: suppression of EXF101 matched no finding" \
        in err


@pytest.mark.parametrize("text, what", [
    ("verify:\n  suppress:\n    - check: EXF204\n", "reason"),
    ("verify:\n  suppress:\n    - check: EXF204\n      reason: ' '\n", "reason"),
    ("verify:\n  selcet: [EXF204]\n", "selcet"),
    ("verify:\n  severity:\n    EXF204: fatal\n", "fatal"),
    ("verify:\n  ignore: [EXF999]\n", "unknown check 'EXF999'"),
    ("verify:\n  suppress:\n    - check: EXF2\n      reason: all of them\n", "one check"),
    ("verify: [\n", "not valid YAML"),
    ("verify:\n  format: pdf\n", "unknown format 'pdf'"),
])
def test_invalid_configuration_is_one_line_exit_2(app, text, what):
    (app / "extflash.yml").write_text(text)
    code, out, err = run_cli(["verify", "-d", str(app / "build")], cwd=app)
    assert code == 2 and out == "", err
    assert err.count("\n") == 1 and what in err and "extflash.yml" in err, err
    assert "Traceback" not in err


def test_west_config_keys(app):
    from extflash.command import dispatch
    from extflash.command.context import Context
    from extflash.command.output import Output
    from extflash.command.parser import standalone_parser

    def run(config: dict, *argv: str):
        out, err = io.StringIO(), io.StringIO()
        args = standalone_parser().parse_args(["verify", "-d", str(app / "build"), *argv])
        ctx = Context(out=Output(out, err, color=False), cwd=app, env={},
                      config=lambda option: config.get(option))
        return dispatch.run(args, ctx), out.getvalue(), err.getvalue()

    code, out, _ = run({"extflash.format": "gitlab"})
    assert code == 1 and json.loads(out)[0]["check_name"] == "EXF204 max-img-sectors"
    assert run({"extflash.ignore": "EXF101, max-img-sectors"})[0] == 0
    assert run({"extflash.select": "EXF1"})[0] == 0
    assert run({"extflash.severity": "EXF204=info"})[0] == 0
    assert run({"extflash.severity": "EXF204=warning", "extflash.strict": "true"})[0] == 1
    code, _, err = run({"extflash.strict": "maybe"})
    assert code == 2 and "west config extflash.strict: 'maybe' is not a boolean" in err
    code, _, err = run({"extflash.config": "missing.yml"})
    assert code == 2 and "west config extflash.config missing.yml: no such file" in err
    # the project file wins over west config; --no-config ignores both
    (app / "extflash.yml").write_text("verify:\n  select: [EXF204]\n")
    assert run({"extflash.select": "EXF1"})[0] == 1
    assert run({"extflash.ignore": "EXF204"}, "--no-config")[0] == 1


def test_control_characters_from_a_build_are_shown_not_executed():
    from extflash.model import Finding, Location, Severity
    from extflash.render import FORMATS, RenderContext, render
    from extflash.report import BuildSummary, Report, Results

    evil = "slot\x1b[2J\r\n::error::forged\x07"
    f = Finding("EXF101", "partition-overlap", Severity.ERROR, f"{evil} overlaps", "fix it",
                Location("partitions.yml", f"/{evil}", line=3, column=1), evil)
    results = Results((Report(BuildSummary(f"/b/{evil}", "sysbuild", "partition-manager"),
                              (f,)),))
    for name in FORMATS:
        out = render(name, results, RenderContext(Path("/b")))
        assert "\x1b" not in out and "\x07" not in out, name
        assert "\r" not in out, name
        if name == "github":
            assert all(not line.startswith("::error::forged") for line in out.splitlines())
        if name == "text":
            assert "slot\\x1b[2J\\r\\n::error::forged\\x07 overlaps" in out


def test_output_file_problems_are_one_line_exit_2(app, tmp_path):
    for target, what in ((tmp_path / "no" / "such" / "r.sarif", "the folder does not exist"),
                         (app, "cannot write")):
        code, out, err = run_cli(["verify", "-d", str(app / "build"), "--format", "sarif",
                                  "-o", str(target)], cwd=app)
        assert code == 2 and out == "" and err.count("\n") == 1 and what in err, err
    assert not list(app.glob(".*.tmp"))  # no temporary file left behind
