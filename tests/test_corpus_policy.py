"""The corpus policy of conftest.require_corpus / corpus_params: without
../shared/corpus a corpus test fails when the environment variable CI is set,
and is skipped otherwise; a missing folder still yields one test, never an
empty (silently skipped) parameter list."""

from __future__ import annotations

import pytest

import conftest


def test_missing_corpus_fails_under_ci(monkeypatch, tmp_path):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI requires it"):
        conftest.require_corpus(tmp_path / "corpus" / "real-builds")


def test_missing_corpus_skips_outside_ci(monkeypatch, tmp_path):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="is missing"):
        conftest.require_corpus(tmp_path / "corpus" / "real-builds")


def test_present_corpus_path_is_returned(tmp_path):
    assert conftest.require_corpus(tmp_path) == tmp_path


def test_missing_folder_still_yields_one_parameter(monkeypatch, tmp_path):
    monkeypatch.setattr(conftest, "CORPUS", tmp_path / "absent")
    params = conftest.corpus_params("real-pm", pattern="*.yml")
    assert [p.id for p in params] == ["corpus-missing"]
    assert params[0].values == (tmp_path / "absent" / "real-pm",)


def test_present_folder_lists_matching_entries(monkeypatch, tmp_path):
    (tmp_path / "real-pm").mkdir()
    for name in ("b.yml", "a.yml", "notes.txt"):
        (tmp_path / "real-pm" / name).write_text("x")
    (tmp_path / "real-pm" / "sub.yml").mkdir()
    monkeypatch.setattr(conftest, "CORPUS", tmp_path)
    assert [p.id for p in conftest.corpus_params("real-pm", pattern="*.yml")] == ["a.yml", "b.yml"]
    assert [p.id for p in conftest.corpus_params("real-pm", pattern="*.yml", dirs=True)] == \
        ["sub.yml"]


def test_every_corpus_reading_test_file_uses_the_helper():
    """One policy for every test that reads ../shared/corpus: conftest's
    require_corpus / corpus_params / the corpus fixture, never its own skipif."""
    from conftest import TESTS_DIR

    for path in TESTS_DIR.glob("test_*.py"):
        text = path.read_text()
        if "CORPUS" not in text or path.name == "test_corpus_policy.py":
            continue
        assert "skipif" not in text, f"{path.name}: use conftest.require_corpus, not skipif"
        assert ("require_corpus" in text or "corpus_params" in text
                or 'usefixtures("corpus")' in text), path.name
