"""Every check names the NCS / MCUboot / Zephyr source its rule rests on,
and no internal case id reaches anything a user reads (issue 8).

The pattern below is a hand-written statement of what a citation is: a
repository of the NCS manifest with a version, and a file inside it.
"""

from __future__ import annotations

import inspect
import re

import pytest

from conftest import run_cli
from extflash import checks

REPO = r"(?:sdk-nrf|sdk-mcuboot|sdk-zephyr)"
VERSION = r"v\d+\.\d+(?:\.\d+)?(?:\.\d+)?(?:-ncs\d+)?"
FILE = r"[\w.-]+/[\w./<>-]*[\w>]|[\w-]+\.(?:py|c|h|cmake|yml|overlay|ld|txt|rst)\b|Kconfig"
CITATION = re.compile(rf"\b{REPO}\s+{VERSION}\s+(?:{FILE})")
# internal case ids of the team's notes (U14, F8, F1a, U9-U11) and the notes' names
CASE_ID = re.compile(r"\b[UF]\d+[a-z]?\b|ncs-facts|users-peers|key finding", re.I)


@pytest.mark.parametrize("check", checks.CHECKS, ids=lambda c: c.code)
def test_see_also_cites_a_source_file(check):
    see_also = check.explanation.split("See also", 1)[1]
    assert CITATION.search(" ".join(see_also.split())), (check.code, see_also)


@pytest.mark.parametrize("check", checks.CHECKS, ids=lambda c: c.code)
def test_no_case_id_at_the_source(check):
    """Not stripped at print time: absent from the docstring, summary and
    default hint as written."""
    for text in (inspect.getdoc(check.function) or "", check.summary, check.hint):
        assert not CASE_ID.search(text), (check.code, CASE_ID.search(text))


def test_list_checks_and_every_explain_have_no_case_id():
    code, out, err = run_cli(["verify", "--list-checks"])
    assert code == 0 and not CASE_ID.search(out + err), CASE_ID.search(out + err)
    for check in checks.CHECKS:
        code, out, err = run_cli(["verify", "--explain", check.name])
        assert code == 0 and not CASE_ID.search(out + err), (check.name, CASE_ID.search(out))


def test_the_citation_pattern_rejects_a_title_alone():
    """The test above would pass vacuously if the pattern took doc titles."""
    assert not CITATION.search("Partition Manager: static configuration")
    assert not CITATION.search("sdk-nrf scripts/partition_manager.py")  # no version
    assert CITATION.search("sdk-nrf v2.7.0 scripts/partition_manager.py (solve_simple_region)")
    assert CITATION.search("sdk-mcuboot v2.1.0-ncs1 boot/zephyr/pm.yml")
