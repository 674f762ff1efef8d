"""The hostile-input guard (issue 12), an autouse fixture every module of
tests/hostile imports (``from hostile_guard import no_internal_error``):
every test here runs the command; if any hostile input reaches "internal error" (a bug, not an
answer), the test fails, whatever the test itself asserts.

In-process runs go through ``extflash.command.dispatch._say``, which prints
the one FATAL ERROR line; it is wrapped here to record every line. Runs in
real subprocesses assert the absence of "internal error" themselves.
"""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def no_internal_error(monkeypatch):
    from extflash.command import dispatch

    said: list[str] = []
    real = dispatch._say

    def recording(ctx, message):
        said.append(message)
        return real(ctx, message)

    recording.__wrapped_by_hostile_guard__ = True
    monkeypatch.setattr(dispatch, "_say", recording)
    yield said
    internal = [m for m in said if m.startswith("internal error")]
    assert not internal, f"a hostile input reached an internal error: {internal[0]}"
