"""New passwords: at least 12 characters and not common, leaked or patterned; the reason goes
out as a code the web UI words in both languages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from infrashare.demo.seed import DEMO_PASSWORD
from tests.sessions import Client, sign_in

LOCALES = Path(__file__).parents[2] / "frontend" / "src" / "locales"


async def _create(
    client: Client, password: str, email: str = "new.person@tower.example"
) -> dict[str, object]:
    me = await sign_in(client, "admin@tower.example")
    response = await client.post(
        f"/api/v1/organisations/{me['organisation']['id']}/users",
        json={"email": email, "display_name": "新同事", "password": password, "role": "operator_member"},
    )
    body: dict[str, object] = response.json()
    body["status"] = response.status_code
    return body


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("0000000000", "password-too-short"),
        ("Short-1!", "password-too-short"),
        ("000000000000", "password-too-common"),
        ("password1234", "password-too-common"),
        ("qwertyuiop123", "password-too-common"),
        ("new.person@tower.example", "password-too-common"),
    ],
)
async def test_short_or_common_passwords_are_refused_with_a_code(
    client: Client, password: str, code: str
) -> None:
    problem = await _create(client, password)
    assert problem["status"] == 422
    errors = problem["errors"]
    assert isinstance(errors, list)
    assert [(error["field"], error["code"]) for error in errors] == [("password", code)]
    assert errors[0]["params"] == {"min_length": 12}


async def test_a_long_uncommon_password_and_the_demo_password_pass(client: Client) -> None:
    assert (await _create(client, "Kestrel-orbit-lantern-94"))["status"] == 201
    assert (await _create(client, DEMO_PASSWORD, email="demo.twin@tower.example"))["status"] == 201


def test_every_password_code_is_worded_in_both_languages() -> None:
    for locale in ("zh-CN", "en"):
        words = json.loads((LOCALES / f"{locale}.json").read_text(encoding="utf-8"))["fieldErrors"]
        assert {"password-too-short", "password-too-common"} <= set(words), locale
        assert "{{min_length}}" in words["password-too-short"]
