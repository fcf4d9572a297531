"""An axe-core scan of the page in the browser (axe-core comes from the web UI's node_modules)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page

from infrashare.core.settings import PROJECT_ROOT

AXE = PROJECT_ROOT / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}


def serious_violations(page: Page) -> list[str]:
    """Runs axe on the whole page; returns one line per serious or critical violation."""
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `make install`")
    # Evaluated through the browser's debugging protocol, which the page's Content-Security-Policy
    # does not govern: a <script> tag of axe's source would be an inline script the CSP refuses.
    page.evaluate(f"() => {{ {AXE.read_text(encoding='utf-8')}\n window.axe = axe; }}")
    result: dict[str, Any] = page.evaluate("() => axe.run(document, { resultTypes: ['violations'] })")
    return [
        f"{violation['impact']}: {violation['id']} ({violation['help']}) at "
        + ", ".join(str(node["target"]) for node in violation["nodes"][:5])
        for violation in result["violations"]
        if violation["impact"] in BLOCKING
    ]
