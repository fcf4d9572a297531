"""The web UI's typed API client must match the API: frontend/src/api/schema.ts (types and
enum value arrays) is generated from the OpenAPI document by `npm run api:generate` (or
`make api-generate`) and committed."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from infrashare.app import openapi_json
from infrashare.core.scopes import SCOPES
from infrashare.core.settings import PROJECT_ROOT, Settings

FRONTEND = PROJECT_ROOT / "frontend"
OPENAPI_TYPESCRIPT = FRONTEND / "node_modules" / ".bin" / "openapi-typescript"
COMMITTED = FRONTEND / "src" / "api" / "schema.ts"
LOCALES = FRONTEND / "src" / "locales"


def test_the_committed_client_types_match_the_openapi_document(tmp_path: Path) -> None:
    if not OPENAPI_TYPESCRIPT.exists():
        pytest.fail("frontend/node_modules is missing: run `make install`")
    document = tmp_path / "openapi.json"
    document.write_text(openapi_json(Settings(var_dir=tmp_path / "var")), encoding="utf-8")
    generated = tmp_path / "schema.ts"
    subprocess.run(
        [str(OPENAPI_TYPESCRIPT), str(document), "--enum-values", "--output", str(generated)],
        cwd=FRONTEND,
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert generated.read_text(encoding="utf-8") == COMMITTED.read_text(encoding="utf-8"), (
        "frontend/src/api/schema.ts is stale: run `make api-generate` and commit it"
    )


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_every_oauth_scope_has_a_name_in_the_web_ui(locale: str) -> None:
    names = json.loads((LOCALES / f"{locale}.json").read_text(encoding="utf-8"))["oauth"]["scope"]
    wanted = {scope.replace(":", "_") for scope in SCOPES}
    assert wanted <= set(names), f"add {sorted(wanted - set(names))} to oauth.scope in {locale}.json"
