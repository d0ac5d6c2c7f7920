"""Run axe-core on a page and fail on serious or critical violations."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

_axe = Axe()


def assert_accessible(page, *, context: str = "") -> None:
    # A click that navigates returns once the new document has started loading, not once it is
    # parsed: axe run at that moment sees a half-parsed page (a radio whose <label> has not arrived
    # yet reads as unlabelled). CI's SQLite pass failed that way on a long slot list.
    page.wait_for_load_state("load")
    results = _axe.run(page)
    bad = [v for v in results.response["violations"] if v.get("impact") in {"serious", "critical"}]
    summary = "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}" for v in bad
    )
    assert not bad, f"axe-core found serious/critical violations on {context or page.url}:\n{summary}"
