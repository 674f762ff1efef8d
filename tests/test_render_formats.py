"""Every --format on real builds: the committed negative cases (tests/cases)
and the real-world build directories of ../shared/corpus/real-builds.

Each output is validated against the format's published definition, not
against extflash's own idea of it:

- SARIF: the OASIS SARIF 2.1.0 JSON schema, read at test time from
  ../shared/schemas/sarif-schema-2.1.0.json (jsonschema, draft 4);
- JUnit: the element/attribute structure common JUnit readers require,
  a hand-written table from the Jenkins JUnit schema (jenkinsci/xunit-plugin
  ``src/main/resources/org/jenkinsci/plugins/xunit/types/model/xsd/junit-10.xsd``:
  testsuites > testsuite[name, tests, failures, errors] > testcase[name,
  classname] > failure|error[message, type]) which GitLab's JUnit parser
  also reads (gitlab-org/gitlab ``lib/gitlab/ci/parsers/test/junit.rb``);
- GitLab Code Quality: the fields GitLab's docs list as required
  (docs.gitlab.com, "Code Quality", "Code Quality report format"):
  description, check_name, fingerprint, severity (info, minor, major,
  critical, blocker), location.path, location.lines.begin;
- GitHub: the workflow-command syntax of the runner
  (actions/toolkit ``packages/core/src/command.ts``: ``::name k=v,k=v::data``;
  data escapes % CR LF; property values also escape ``:`` and ``,``).

And the line numbers: at least 90 % of all findings carry a line, the others
say why none exists, and every line is checked against the file's text with
a plain text search here (the YAML key at the line start, ``SYMBOL=`` /
``# SYMBOL is not set`` in .config, ``name {`` in zephyr.dts).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from conftest import CORPUS, REPO_ROOT, TESTS_DIR, require_corpus, run_cli
from test_checks import CASES, materialize

SARIF_SCHEMA = REPO_ROOT.parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"
REAL_BUILDS = CORPUS / "real-builds"
GITLAB_SEVERITIES = {"info", "minor", "major", "critical", "blocker"}
# actions/toolkit command.ts: the command names used here and the properties
# an annotation takes (file, line, col, endLine, endColumn, title)
GITHUB_LINE = re.compile(r"^::(?P<kind>error|warning|notice)"
                         r"(?: (?P<props>[a-zA-Z]+=[^,:\r\n]*(?:,[a-zA-Z]+=[^,:\r\n]*)*))?"
                         r"::(?P<data>[^\r\n]*)$")
GITHUB_PROPS = {"file", "line", "col", "endLine", "endColumn", "title"}


def _real_builds() -> list[Path]:
    # all of them, also the ones that cannot be verified (no CMakeCache.txt):
    # every format must report those too
    real = require_corpus(REAL_BUILDS)  # fails under CI when missing, else skips
    return sorted(p for p in real.iterdir() if p.is_dir())


# real NCS 2.7.0 output made with ../shared/tools/ncs-real (tests/fixtures/ncs-real*)
NCS_REAL = sorted(p.parent for p in (REPO_ROOT / "tests" / "fixtures").glob("ncs-real*/*/"
                                                                          "CMakeCache.txt"))


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> list[Path]:
    """Every negative case materialised, every real NCS 2.7.0 build of the
    fixtures, and every real corpus build."""
    real = _real_builds()
    tmp = tmp_path_factory.mktemp("cases")
    return [materialize(c, tmp / c.name) for c in CASES] + NCS_REAL + real


@pytest.fixture(scope="module")
def outputs(builds) -> dict[str, tuple[int, str]]:
    """Each format over all builds of one run (the batch path): verified
    once, rendered by every registered format."""
    from extflash import __version__, batch, checks
    from extflash.render import FORMATS, RenderContext, render
    from extflash.report import Results

    results = Results(tuple(batch.verify_many(builds, jobs=2)), batch=True)
    ctx = RenderContext(base=REPO_ROOT, checks=checks.CHECKS, version=__version__)
    return {name: (results.exit_code, render(name, results, ctx)) for name in FORMATS}


def test_every_format_through_the_command_with_output_file(tmp_path):
    """The command path of each format: --output-file, nothing on stdout, the
    exit code of the findings, --exit-zero."""
    from extflash.render import FORMATS

    broken = materialize(TESTS_DIR / "cases" / "EXF204-max-img-sectors", tmp_path / "a")
    clean = materialize(TESTS_DIR / "cases" / "EXF206-netcore-update-mode", tmp_path / "b")
    for name in FORMATS:
        for argv in (["-d", str(broken)], ["-d", str(broken), "-d", str(clean)]):
            target = tmp_path / f"report.{name}"
            code, out, err = run_cli(["verify", *argv, "--format", name, "-o", str(target)])
            assert (code, out) == (1, ""), (name, err)
            text = target.read_text(encoding="utf-8")
            assert "EXF204" in text
            code, out, err = run_cli(["verify", *argv, "--format", name, "--exit-zero"])
            assert code == 0 and "EXF204" in out, (name, err)


def _json(outputs) -> dict:
    return json.loads(outputs["json"][1])


def test_every_format_gives_the_same_exit_code(outputs):
    codes = {name: code for name, (code, _) in outputs.items()}
    assert len(set(codes.values())) == 1, codes
    doc = _json(outputs)
    unverified = [b for b in doc["builds"] if not b["verified"]]
    assert doc["exit_code"] == codes["json"] == (2 if unverified else 1)


# ---------------------------------------------------------------- SARIF


def test_sarif_is_valid_against_the_oasis_schema(outputs):
    import jsonschema

    schema = json.loads(require_corpus(SARIF_SCHEMA).read_text(encoding="utf-8"))
    doc = json.loads(outputs["sarif"][1])
    jsonschema.Draft4Validator(schema).validate(doc)
    run = doc["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    findings = _json(outputs)["findings"]
    assert len(run["results"]) == len(findings)
    for r in run["results"]:
        rule = rules[r["ruleIndex"]]
        assert rule["id"] == r["ruleId"]
        assert rule["helpUri"].startswith("https://docs.nordicsemi.com/")
        assert "What it checks" in rule["help"]["text"]
        assert r["level"] in ("error", "warning", "note")
    unverified = [b for b in _json(outputs)["builds"] if not b["verified"]]
    notes = run["invocations"][0].get("toolExecutionNotifications", [])
    assert len(notes) == len(unverified)
    assert run["invocations"][0]["executionSuccessful"] is not bool(unverified)
    with_line = [r for r in run["results"]
                 if "region" in r["locations"][0]["physicalLocation"]]
    assert len(with_line) == sum(1 for f in findings if f["line"])


# ---------------------------------------------------------------- JUnit

# element -> attributes it must have (junit-10.xsd, see the module docstring)
JUNIT_REQUIRED = {
    "testsuites": set(),
    "testsuite": {"name", "tests", "failures", "errors"},
    "testcase": {"name", "classname"},
    "failure": {"message", "type"},
    "error": {"message", "type"},
}
JUNIT_CHILDREN = {
    "testsuites": {"testsuite"},
    "testsuite": {"testcase", "properties", "system-out", "system-err"},
    "testcase": {"failure", "error", "skipped", "system-out", "system-err"},
}


def _check_junit_element(el: ET.Element) -> None:
    assert JUNIT_REQUIRED.get(el.tag, set()) <= set(el.attrib), (el.tag, el.attrib)
    for child in el:
        assert child.tag in JUNIT_CHILDREN.get(el.tag, set()), (el.tag, child.tag)
        _check_junit_element(child)


def test_junit_has_the_published_structure_one_case_per_check_per_build(outputs, builds):
    from extflash import checks

    root = ET.fromstring(outputs["junit"][1])
    assert root.tag == "testsuites"
    _check_junit_element(root)
    suites = root.findall("testsuite")
    assert len(suites) == len(builds)
    doc = _json(outputs)
    for suite, build in zip(suites, doc["builds"], strict=True):
        cases = suite.findall("testcase")
        if build["status"] == "could not verify":
            assert [c.get("name") for c in cases] == ["verify"]
            assert cases[0].find("error").get("message").endswith(build["error"])
            continue
        assert int(suite.get("tests")) == len(cases) == len(checks.CHECKS) + (
            0 if build["verified"] else 1)
        assert int(suite.get("failures")) == len(suite.findall("testcase/failure"))
        assert int(suite.get("errors")) == len(suite.findall("testcase/error"))
        failing = {f["code"] for f in doc["findings"]
                   if f["build"] == build["path"] and f["severity"] == "error"}
        assert {c.get("name").split()[0] for c in cases if c.find("failure") is not None} \
            == failing
    assert int(root.get("tests")) == sum(int(s.get("tests")) for s in suites)


# ---------------------------------------------------------------- GitLab


def test_gitlab_code_quality_has_every_required_field(outputs):
    issues = json.loads(outputs["gitlab"][1])
    doc = _json(outputs)
    findings = doc["findings"]
    unverified = [b for b in doc["builds"] if not b["verified"]]
    assert isinstance(issues, list) and len(issues) == len(findings) + len(unverified)
    for issue in issues:
        assert isinstance(issue["description"], str) and issue["description"]
        assert isinstance(issue["check_name"], str) and issue["check_name"]
        assert isinstance(issue["fingerprint"], str) and issue["fingerprint"]
        assert issue["severity"] in GITLAB_SEVERITIES
        assert isinstance(issue["location"]["path"], str) and issue["location"]["path"]
        begin = issue["location"]["lines"]["begin"]
        assert isinstance(begin, int) and begin >= 1
    fingerprints = [i["fingerprint"] for i in issues]
    assert len(set(fingerprints)) == len(fingerprints)


def test_gitlab_paths_are_relative_to_the_repository(tmp_path):
    """In CI the build lies inside the checkout: GitLab needs repo-relative paths."""
    case = materialize(TESTS_DIR / "cases" / "EXF204-max-img-sectors", tmp_path)
    code, out, _ = run_cli(["verify", "-d", "build", "--format", "gitlab"], cwd=tmp_path)
    (issue,) = json.loads(out)
    assert code == 1 and case == tmp_path / "build"
    assert issue["location"]["path"] == "build/mcuboot/zephyr/.config"
    config = (case / "mcuboot" / "zephyr" / ".config").read_text().splitlines()
    assert config[issue["location"]["lines"]["begin"] - 1].startswith(
        "CONFIG_BOOT_MAX_IMG_SECTORS=")


# ---------------------------------------------------------------- GitHub


def _unescape(s: str) -> str:
    return (s.replace("%3A", ":").replace("%2C", ",").replace("%0D", "\r")
            .replace("%0A", "\n").replace("%25", "%"))


def test_github_lines_follow_the_workflow_command_syntax(outputs):
    lines = outputs["github"][1].splitlines()
    doc = _json(outputs)
    findings = doc["findings"]
    unverified = [b for b in doc["builds"] if not b["verified"]]
    commands = [line for line in lines if line.startswith("::")]
    assert len(commands) == len(findings) + len(unverified)
    for line in [c for c in commands if "title=west extflash%3A " in c]:
        assert GITHUB_LINE.match(line) and "could not verify: " in line
    commands = [c for c in commands if "title=west extflash%3A " not in c]
    assert not lines[-1].startswith("::")  # the plain summary
    for line, finding in zip(commands, findings, strict=True):
        m = GITHUB_LINE.match(line)
        assert m, line
        props = dict(p.split("=", 1) for p in m["props"].split(","))
        assert set(props) <= GITHUB_PROPS
        assert _unescape(props["title"]) == f"{finding['code']} {finding['name']}"
        kind = {"error": "error", "warning": "warning", "info": "notice"}[finding["severity"]]
        assert m["kind"] == kind
        assert _unescape(m["data"]).startswith(finding["message"])
        assert ("line" in props) == bool(finding["line"])
        if finding["line"]:
            assert props["line"] == str(finding["line"])


def test_github_escaping_of_hostile_text():
    from extflash.render.github import command

    line = command("error", "50% done\r\nnext::line", file="a:b,c.yml", line=3,
                   title="x,y: z")
    assert line == "::error file=a%3Ab%2Cc.yml,line=3,title=x%2Cy%3A z::50%25 done%0D%0Anext::line"


def test_github_format_is_chosen_in_github_actions_when_piped(tmp_path):
    import io

    from extflash.command import dispatch
    from extflash.command.context import Context
    from extflash.command.output import Output
    from extflash.command.parser import standalone_parser

    build = materialize(TESTS_DIR / "cases" / "EXF204-max-img-sectors", tmp_path)

    def run(env, argv=()):
        out, err = io.StringIO(), io.StringIO()
        args = standalone_parser().parse_args(["verify", "-d", str(build), *argv])
        ctx = Context(out=Output(out, err, color=False), cwd=tmp_path, env=env)
        return dispatch.run(args, ctx), out.getvalue()

    code, out = run({"GITHUB_ACTIONS": "true"})
    assert code == 1 and out.startswith("::error file=build/mcuboot/zephyr/.config,line=")
    code, out = run({})
    assert out.startswith(f"build {build} ")
    code, out = run({"GITHUB_ACTIONS": "true"}, ["--format", "text"])
    assert out.startswith(f"build {build} ")


# ---------------------------------------------------------------- lines


def _line_text(build: Path, file: str, line: int) -> str:
    return (build / file).read_text(encoding="utf-8", errors="replace").splitlines()[line - 1]


def _points_at(text: str, file: str, detail: str | None) -> bool:
    """The plain-text oracle: is ``text`` the line of ``detail`` in ``file``?"""
    name = Path(file).name
    if detail is None:
        return False
    if name.endswith((".yml", ".yaml")):
        key = [k for k in detail.split("/") if k][-1]
        return text.strip().startswith(f"{key}:")
    if name == ".config":
        return text.startswith(f"{detail}=") or text == f"# {detail} is not set"
    if name.endswith(".dts"):
        node = detail.rstrip("/").rsplit("/", 1)[-1] or "/"
        return text.rstrip().endswith(f"{node} {{") and "=" not in text
    return detail in text


def test_at_least_90_percent_of_findings_carry_a_line_the_rest_say_why(outputs):
    doc = _json(outputs)
    findings = doc["findings"]
    with_line = [f for f in findings if f["line"]]
    share = len(with_line) / len(findings)
    print(f"findings with a line: {len(with_line)}/{len(findings)} = {share:.0%}")
    assert share >= 0.9
    for f in findings:
        if not f["line"]:
            assert f["no_line"], f
    for f in with_line:
        text = _line_text(Path(f["build"]), f["file"], f["line"])
        assert _points_at(text, f["file"], f["detail"]), (f["file"], f["line"], f["detail"], text)
        assert f["column"] >= 1


def test_static_pm_file_findings_carry_lines(tmp_path):
    static = tmp_path / "pm_static.yml"
    static.write_text("mcuboot_primary:\n  address: 0xc000\n  size: 0x74000\n  region: "
                      "flash_primary\nmcuboot_secondary:\n  address: 0x0\n  size: 0x70000\n"
                      "  region: external_flash\n")
    code, out, _ = run_cli(["verify", "--static", str(static), "--format", "json"])
    findings = json.loads(out)["findings"]
    (f,) = [f for f in findings if f["code"] == "EXF103"]
    assert f["line"] == 5 and f["column"] == 1  # mcuboot_secondary: (hand-written above)
    assert all(f["line"] for f in findings)


# ---------------------------------------------------------------- real west


@pytest.mark.e2e
def test_sarif_through_the_real_west(tmp_path, ext_remote, west_env):
    import jsonschema

    from conftest import make_workspace, run_west

    ws = make_workspace(tmp_path, "project", ext_remote, west_env)
    build = materialize(TESTS_DIR / "cases" / "EXF204-max-img-sectors", ws / "app")
    # in GitHub Actions, piped: annotations without asking (as yamllint)
    proc = run_west(["extflash", "verify", "-d", str(build)], cwd=ws,
                    env=west_env | {"GITHUB_ACTIONS": "true"}, check=False)
    assert proc.returncode == 1
    assert proc.stdout.startswith("::error file=app/build/mcuboot/zephyr/.config,line="), \
        proc.stdout
    run_west(["config", "extflash.format", "sarif"], cwd=ws, env=west_env)
    proc = run_west(["extflash", "verify", "-d", str(build), "-o", "out.sarif"], cwd=ws,
                    env=west_env, check=False)
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout == ""
    doc = json.loads((ws / "out.sarif").read_text())
    if SARIF_SCHEMA.is_file():
        jsonschema.Draft4Validator(json.loads(SARIF_SCHEMA.read_text())).validate(doc)
    (result,) = doc["runs"][0]["results"]
    loc = result["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"] == {"uri": "app/build/mcuboot/zephyr/.config",
                                       "uriBaseId": "%SRCROOT%"}
    assert _line_text(build, "mcuboot/zephyr/.config", loc["region"]["startLine"]).startswith(
        "CONFIG_BOOT_MAX_IMG_SECTORS=")
    # west config extflash.ignore drops the check: nothing left, exit 0
    run_west(["config", "extflash.ignore", "max-img-sectors"], cwd=ws, env=west_env)
    proc = run_west(["extflash", "verify", "-d", str(build), "--format", "json"], cwd=ws,
                    env=west_env)
    assert json.loads(proc.stdout)["findings"] == []
    shutil.rmtree(ws / "app")


def test_json_output_still_matches_the_report_schema(outputs):
    from pykwalify.core import Core

    schema = yaml.safe_load((REPO_ROOT / "schemas" / "report-schema.yml").read_text())
    Core(source_data=_json(outputs), schema_data=schema).validate(raise_exception=True)


def test_kconfig_findings_name_the_fragment_line_the_build_records(tmp_path):
    """The fragments a build records (the image's CMakeCache CONF_FILE, the
    sysbuild cache's <image>_EXTRA_CONF_FILE, as NCS 2.7's sysbuild writes
    them: checked on a real ncs-real build of nrf/tests/modules/mcuboot/
    external_flash) are searched in merge order; the last assignment is named,
    and CI annotations point at it."""
    app = tmp_path / "app"
    build = materialize(TESTS_DIR / "cases" / "EXF204-max-img-sectors", app)
    (app / "sysbuild" / "mcuboot").mkdir(parents=True)
    prj = app / "sysbuild" / "mcuboot" / "prj.conf"
    prj.write_text("CONFIG_FLASH=y\nCONFIG_BOOT_MAX_IMG_SECTORS=256\n")
    extra = app / "sysbuild" / "mcuboot.conf"
    extra.write_text("# mine\n\nCONFIG_BOOT_MAX_IMG_SECTORS=128\n")
    with (build / "mcuboot" / "CMakeCache.txt").open("a") as f:
        f.write(f"CONF_FILE:STRING={prj}\n")
    with (build / "CMakeCache.txt").open("a") as f:
        f.write(f"mcuboot_EXTRA_CONF_FILE:STRING=;{extra}\n")
    code, out, _ = run_cli(["verify", "-d", "build", "--format", "json"], cwd=app)
    (finding,) = json.loads(out)["findings"]
    assert finding["defined_in"] == f"{extra}:3"
    code, out, _ = run_cli(["verify", "-d", "build", "--format", "github"], cwd=app)
    assert out.startswith("::error file=sysbuild/mcuboot.conf,line=3,title=EXF204 ")
    assert "see also: build/mcuboot/zephyr/.config:" in _unescape(out)
    code, out, _ = run_cli(["verify", "-d", "build", "--format", "gitlab"], cwd=app)
    assert json.loads(out)[0]["location"] == {"path": "sysbuild/mcuboot.conf",
                                              "lines": {"begin": 3}}
    code, out, _ = run_cli(["verify", "-d", "build"], cwd=app)
    assert f"    defined in: {extra}:3" in out.splitlines()
    # the fragment gone: the .config line alone
    extra.unlink()
    prj.unlink()
    code, out, _ = run_cli(["verify", "-d", "build", "--format", "github"], cwd=app)
    assert out.startswith("::error file=build/mcuboot/zephyr/.config,line=")


@pytest.mark.timeout(30)
def test_recorded_fragments_that_are_devices_or_fifos_are_never_read(tmp_path):
    build = materialize(TESTS_DIR / "cases" / "EXF204-max-img-sectors", tmp_path)
    fifo = tmp_path / "fifo.conf"
    os.mkfifo(fifo)  # reading it would block forever
    with (build / "mcuboot" / "CMakeCache.txt").open("a") as f:
        f.write(f"CONF_FILE:STRING=/dev/zero;{fifo};{tmp_path}\n")
    code, out, err = run_cli(["verify", "-d", str(build), "--format", "json"])
    (finding,) = json.loads(out)["findings"]
    assert code == 1 and finding["defined_in"] is None and finding["line"]


def test_every_severity_and_status_has_a_colour_role():
    from extflash.model import Severity
    from extflash.render.style import ROLE2ANSI, SEVERITY2ROLE, STATUS2ROLE
    from extflash.report import Status

    assert set(SEVERITY2ROLE) == {s.name for s in Severity}
    assert set(STATUS2ROLE) == {s.name for s in Status}
    assert set(SEVERITY2ROLE.values()) | set(STATUS2ROLE.values()) <= set(ROLE2ANSI)
