"""compose.yaml and the Dockerfile, checked by parsing (no Docker engine on these machines).

The checks tie the deployment files to the code: every variable the app service sets must be a
setting the app reads, the commands must be commands the CLI has, and the image must contain
every path the app opens relative to the project root.
"""

from __future__ import annotations

import fnmatch
import os
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

import click
import pytest
import yaml
from pydantic import AliasChoices
from sqlalchemy.engine import make_url

from infrashare.cli import main as cli
from infrashare.core.db import sync_url
from infrashare.core.settings import MEILI_INDEXING_MEMORY, PROJECT_ROOT, Settings

COMPOSE = PROJECT_ROOT / "compose.yaml"
DOCKERFILE = PROJECT_ROOT / "Dockerfile"
DOCKERIGNORE = PROJECT_ROOT / ".dockerignore"

# ${VAR:?message}: compose refuses to start when VAR is unset or empty.
REQUIRED_VARIABLE = re.compile(r"\$\{(?P<name>[A-Z][A-Z0-9_]*):\?[^}]*\}")
ANY_VARIABLE = re.compile(r"\$\{(?P<name>[A-Z][A-Z0-9_]*)(?P<rest>[^}]*)\}")
SECRET_NAME = re.compile(r"PASSWORD|SECRET|TOKEN|(^|_)KEY($|_)", re.IGNORECASE)


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    return document


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = compose["services"]
    return found


def environment(service: dict[str, Any]) -> dict[str, str]:
    """A service's environment as a mapping, whichever of the two compose forms it uses."""
    raw = service.get("environment") or {}
    if isinstance(raw, list):
        raw = dict(item.split("=", 1) for item in raw)
    assert all(isinstance(value, str) for value in raw.values()), "quote env values: compose wants strings"
    return {str(key): str(value) for key, value in raw.items()}


def interpolate(value: str, variables: dict[str, str]) -> str:
    """What compose does with ``${VAR...}`` given these variables (``${VAR:-default}`` may be unset)."""

    def value_of(match: re.Match[str]) -> str:
        if match["name"] not in variables and match["rest"].startswith(":-"):
            return match["rest"][2:]
        return variables[match["name"]]

    return ANY_VARIABLE.sub(value_of, value)


def settings_env_names() -> set[str]:
    """Every environment variable ``Settings`` reads (pydantic-settings matches case-insensitively)."""
    prefix = Settings.model_config.get("env_prefix", "")
    names: set[str] = set()
    for name, info in Settings.model_fields.items():
        alias = info.validation_alias
        if isinstance(alias, AliasChoices):
            names.update(str(choice).upper() for choice in alias.choices)
        elif isinstance(alias, str):
            names.add(alias.upper())
        else:
            names.add(f"{prefix}{name}".upper())
    return names


def command_words(service: dict[str, Any]) -> list[str]:
    command = service["command"]
    return shlex.split(command) if isinstance(command, str) else [str(word) for word in command]


# --- compose.yaml ---------------------------------------------------------------------------------


def test_the_production_services_exist(services: dict[str, dict[str, Any]]) -> None:
    assert {"postgres", "meilisearch", "migrate", "app", "worker"} <= services.keys()
    assert services["postgres"]["image"] == "postgres:15"


def test_the_worker_runs_apart_and_the_app_replicas_do_not(
    services: dict[str, dict[str, Any]],
) -> None:
    assert command_words(services["worker"]) == ["infrashare", "worker"]
    assert "worker" in cli.commands
    assert environment(services["app"])["INFRASHARE_RUN_WORKER"] == "false"
    indexer_env = environment(services["worker"])
    assert indexer_env["INFRASHARE_DATABASE_URL"] == environment(services["app"])["INFRASHARE_DATABASE_URL"]
    assert indexer_env["INFRASHARE_MEILI_URL"] == environment(services["app"])["INFRASHARE_MEILI_URL"]


def test_data_lives_in_named_volumes(compose: dict[str, Any], services: dict[str, dict[str, Any]]) -> None:
    for name, mount_point in [("postgres", "/var/lib/postgresql/data"), ("meilisearch", "/meili_data")]:
        mounts = [str(volume).split(":") for volume in services[name]["volumes"]]
        assert any(target == mount_point and source in compose["volumes"] for source, target, *_ in mounts)
    meili_env = environment(services["meilisearch"])
    assert meili_env.get("MEILI_DB_PATH", "/meili_data/data.ms").startswith("/meili_data/")


def test_every_infrashare_variable_on_the_app_is_a_setting(services: dict[str, dict[str, Any]]) -> None:
    known = settings_env_names()
    for name in ("app", "migrate", "worker"):
        ours = {key for key in environment(services[name]) if key.startswith("INFRASHARE_")}
        assert ours, name
        unknown = {key for key in ours if key.upper() not in known}
        assert not unknown, f"{name} sets variables Settings does not read: {unknown}"
    app_env = environment(services["app"])
    for wanted in (
        "INFRASHARE_DATABASE_URL",
        "INFRASHARE_MEILI_URL",
        "INFRASHARE_MEILI_MASTER_KEY",
        "INFRASHARE_PUBLIC_BASE_URL",
        "INFRASHARE_LOG_JSON",
    ):
        assert wanted in app_env, wanted


def test_the_app_environment_builds_the_intended_settings(
    services: dict[str, dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    variables = {
        "POSTGRES_PASSWORD": "pg-password-from-the-vault",
        "MEILI_MASTER_KEY": "meili-key-from-the-vault-0123456789",
        "INFRASHARE_PUBLIC_BASE_URL": "https://share.example.org",
        "INFRASHARE_IMAGE": "infrashare:test",
        "INFRASHARE_HTTP_PORTS": "8000-8001",
    }
    for key in list(os.environ):
        if key.startswith(("INFRASHARE_", "MEILI_")):
            monkeypatch.delenv(key)
    for key, value in environment(services["app"]).items():
        monkeypatch.setenv(key, interpolate(value, variables))
    settings = Settings(_env_file=None)  # type: ignore[call-arg]

    url = make_url(settings.resolved_database_url)
    assert url.drivername == "postgresql+psycopg"  # the async driver the app runs on
    assert make_url(sync_url(str(url))).drivername == "postgresql+psycopg"  # and Alembic's
    url.get_dialect()  # the driver is importable
    assert (url.host, url.port, url.password) == ("postgres", 5432, variables["POSTGRES_PASSWORD"])
    assert settings.meili_url == "http://meilisearch:7700"
    assert settings.meili_master_key == variables["MEILI_MASTER_KEY"]
    assert settings.log_json is True
    assert settings.secure_cookies is True


def test_the_database_url_is_the_same_for_migrate_and_app(services: dict[str, dict[str, Any]]) -> None:
    migrate_url = environment(services["migrate"])["INFRASHARE_DATABASE_URL"]
    app_url = environment(services["app"])["INFRASHARE_DATABASE_URL"]
    variables = {"POSTGRES_PASSWORD": "x"}
    assert interpolate(migrate_url, variables) == interpolate(app_url, variables)
    assert app_url.startswith("postgresql+psycopg://")
    postgres_env = environment(services["postgres"])
    url = make_url(interpolate(app_url, variables))
    assert url.username == postgres_env["POSTGRES_USER"]
    assert url.database == postgres_env["POSTGRES_DB"]
    assert url.host == "postgres"


def test_meilisearch_is_pinned_to_1_21_and_runs_in_production_mode(
    services: dict[str, dict[str, Any]],
) -> None:
    meili = services["meilisearch"]
    image, _, tag = meili["image"].partition(":")
    assert image == "getmeili/meilisearch"
    assert re.fullmatch(r"v1\.21\.\d+", tag), tag
    meili_env = environment(meili)
    assert meili_env["MEILI_ENV"] == "production"
    # The app talks to it with the same key the server was started with.
    server_key = REQUIRED_VARIABLE.fullmatch(meili_env["MEILI_MASTER_KEY"])
    app_key = REQUIRED_VARIABLE.fullmatch(environment(services["app"])["INFRASHARE_MEILI_MASTER_KEY"])
    assert server_key and app_key
    assert server_key["name"] == app_key["name"]
    # As the embedded one: its default (2/3 of the host's RAM) is zeroed on every batch.
    assert interpolate(meili_env["MEILI_MAX_INDEXING_MEMORY"], {}) == MEILI_INDEXING_MEMORY


def _healthcheck_text(service: dict[str, Any]) -> str:
    test = service["healthcheck"]["test"]
    return test if isinstance(test, str) else " ".join(str(word) for word in test)


def test_health_checks_probe_the_right_endpoints(services: dict[str, dict[str, Any]]) -> None:
    assert "pg_isready" in _healthcheck_text(services["postgres"])
    assert "/health" in _healthcheck_text(services["meilisearch"])
    meili_port = urlsplit(environment(services["app"])["INFRASHARE_MEILI_URL"]).port
    assert f":{meili_port}/health" in _healthcheck_text(services["meilisearch"])
    app_check = _healthcheck_text(services["app"])
    port = environment(services["app"]).get("INFRASHARE_PORT", str(Settings.model_fields["port"].default))
    assert f"127.0.0.1:{port}/ready" in app_check
    assert services["app"]["healthcheck"]["test"][0] in ("CMD", "CMD-SHELL")


def test_startup_order_waits_for_health_and_migrations(services: dict[str, dict[str, Any]]) -> None:
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert services["migrate"].get("restart", "no") == "no"
    app_deps = services["app"]["depends_on"]
    assert app_deps["migrate"]["condition"] == "service_completed_successfully"
    assert app_deps["meilisearch"]["condition"] == "service_healthy"


def test_commands_are_real_cli_commands(services: dict[str, dict[str, Any]]) -> None:
    assert command_words(services["migrate"]) == ["infrashare", "db", "upgrade"]
    db_group = cli.commands["db"]
    assert isinstance(db_group, click.Group) and "upgrade" in db_group.commands

    serve_words = command_words(services["app"])
    assert serve_words[:2] == ["infrashare", "serve"]
    assert serve_words[serve_words.index("--host") + 1] == "0.0.0.0"  # noqa: S104 - inside a container
    # click accepts the arguments (a typo in an option would fail here, not at deploy time).
    cli.commands["serve"].make_context("serve", serve_words[2:])


def test_the_app_scales_out(services: dict[str, dict[str, Any]]) -> None:
    app = services["app"]
    assert app["deploy"]["replicas"] >= 2
    assert "container_name" not in app  # a fixed name would forbid a second replica
    for mapping in app.get("ports", []):
        # Replicas cannot share one host port: a range (or none) is needed.
        host_part = str(mapping).rsplit(":", 1)[0]
        assert "-" in host_part or ":" not in str(mapping), mapping
    # Nothing in process: no volume for var/ that replicas would have to share.
    assert not app.get("volumes")


def _secret_values(services: dict[str, dict[str, Any]]) -> list[tuple[str, str, str]]:
    return [
        (service_name, key, value)
        for service_name, service in services.items()
        for key, value in environment(service).items()
        if SECRET_NAME.search(key) or "://" in value
    ]


def test_no_plaintext_secrets(services: dict[str, dict[str, Any]]) -> None:
    checked = _secret_values(services)
    assert {key for _, key, _ in checked} >= {
        "POSTGRES_PASSWORD",
        "MEILI_MASTER_KEY",
        "INFRASHARE_MEILI_MASTER_KEY",
        "INFRASHARE_DATABASE_URL",
    }
    for service_name, key, value in checked:
        where = f"{service_name}.{key}"
        if "://" in value:
            password = re.match(r"^[a-z0-9+]+://[^:/@]*:(?P<password>[^@]*)@", value)
            if password is None:
                assert "@" not in value, f"{where}: credentials in a URL without a password variable"
                continue
            value = password["password"]
        # The whole value must be a required variable: no literal, no fallback default.
        assert REQUIRED_VARIABLE.fullmatch(value), f"{where} must be ${{VAR:?message}}, not {value!r}"
    # And no default anywhere hides a secret: ${VAR:-...} / ${VAR-...} only for non-secrets.
    for match in ANY_VARIABLE.finditer(COMPOSE.read_text(encoding="utf-8")):
        if SECRET_NAME.search(match["name"]):
            assert match["rest"].startswith(":?"), match.group(0)


# --- Dockerfile -----------------------------------------------------------------------------------


@dataclass
class Stage:
    base: str
    name: str
    workdir: PurePosixPath = field(default_factory=lambda: PurePosixPath("/"))
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def all(self, keyword: str) -> list[str]:
        return [arguments for instruction, arguments in self.instructions if instruction == keyword]


def dockerfile_stages() -> list[Stage]:
    text = DOCKERFILE.read_text(encoding="utf-8")
    logical = re.sub(r"\\\n", " ", "\n".join(line for line in text.splitlines() if not line.startswith("#")))
    stages: list[Stage] = []
    for line in logical.splitlines():
        if not line.strip():
            continue
        instruction, _, arguments = line.strip().partition(" ")
        instruction, arguments = instruction.upper(), arguments.strip()
        if instruction == "FROM":
            words = arguments.split()
            name = words[2] if len(words) >= 3 and words[1].upper() == "AS" else str(len(stages))
            stages.append(Stage(base=words[0], name=name))
            continue
        stage = stages[-1]
        if instruction == "WORKDIR":
            stage.workdir = stage.workdir / arguments
        stage.instructions.append((instruction, arguments))
    return stages


@dataclass(frozen=True)
class Copy:
    source_stage: str | None
    sources: tuple[str, ...]
    destination: PurePosixPath


def copies(stage: Stage) -> list[Copy]:
    """COPY instructions with destinations resolved against the WORKDIR in force at that point."""
    found: list[Copy] = []
    workdir = PurePosixPath("/")
    for instruction, arguments in stage.instructions:
        if instruction == "WORKDIR":
            workdir = workdir / arguments
        if instruction != "COPY":
            continue
        words = shlex.split(arguments)
        flags = [word for word in words if word.startswith("--")]
        paths = [word for word in words if not word.startswith("--")]
        source_stage = next((flag.split("=", 1)[1] for flag in flags if flag.startswith("--from=")), None)
        found.append(Copy(source_stage, tuple(paths[:-1]), workdir / paths[-1]))
    return found


def _norm(path: str) -> str:
    return str(PurePosixPath(path.rstrip("/") or "/"))


def test_dockerfile_builds_the_web_ui_with_node_20() -> None:
    stages = dockerfile_stages()
    node = [stage for stage in stages if stage.base.startswith("node:20")]
    assert len(node) == 1
    runs = " && ".join(node[0].all("RUN"))
    assert "npm ci" in runs and "npm run build" in runs


def test_dockerfile_installs_from_the_lock_with_uv() -> None:
    stages = dockerfile_stages()
    python = [stage for stage in stages if stage.base == "python:3.11-slim"]
    assert python, "a python:3.11-slim stage"
    runs = [run for stage in python for run in stage.all("RUN")]
    assert any("uv sync --frozen --no-dev" in run and "--no-install-project" not in run for run in runs)
    sources = {_norm(source) for stage in python for copy in copies(stage) for source in copy.sources}
    assert {"pyproject.toml", "uv.lock"} <= sources
    assert stages[-1].base == "python:3.11-slim"


def test_dockerfile_runtime_has_every_path_the_app_opens() -> None:
    """The app finds these relative to PROJECT_ROOT, so the image must keep the repository layout."""
    stages = dockerfile_stages()
    runtime = stages[-1]
    by_name = {stage.name: stage for stage in stages}
    root = runtime.workdir
    assert root != PurePosixPath("/")
    frontend_dist = Settings.model_fields["frontend_dist"].default.relative_to(PROJECT_ROOT).as_posix()
    needed = ["backend", "migrations", "alembic.ini", "seed", frontend_dist]
    runtime_copies = copies(runtime)
    for path in needed:
        matching = [
            copy
            for copy in runtime_copies
            if _norm(str(copy.destination)) == str(root / path)
            and any(
                _norm(source) == path or (copy.source_stage and _norm(source).endswith("/" + path))
                for source in copy.sources
            )
        ]
        assert matching, f"runtime stage must copy {path} to {root / path}"
        if path == frontend_dist:
            source_stage = by_name[str(matching[0].source_stage)]
            assert source_stage.base.startswith("node:20"), "the web UI comes from the node stage"
        elif matching[0].source_stage is None:
            assert (PROJECT_ROOT / path).exists(), path
    # The virtualenv is either built here or copied from a python stage with the same layout.
    venv = [copy for copy in runtime_copies if copy.source_stage and copy.destination.name == ".venv"]
    assert venv or "uv sync" in " ".join(runtime.all("RUN"))


def test_dockerfile_runs_as_a_non_root_user_and_exposes_8000() -> None:
    runtime = dockerfile_stages()[-1]
    users = runtime.all("USER")
    assert users, "the runtime stage must switch user"
    assert users[-1].split(":")[0] not in {"root", "0"}
    assert "8000" in " ".join(runtime.all("EXPOSE")).split()
    cmd = runtime.all("CMD")[-1]
    assert cmd.startswith("[") and "serve" in cmd


def test_dockerignore_keeps_local_state_out_but_not_what_the_image_needs() -> None:
    patterns = [
        line.strip()
        for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]

    def ignored(path: str) -> bool:
        candidates = [path, *(str(parent) for parent in PurePosixPath(path).parents if str(parent) != ".")]
        return any(
            fnmatch.fnmatch(candidate, pattern.rstrip("/").removeprefix("**/"))
            or fnmatch.fnmatch(candidate, pattern.rstrip("/"))
            or fnmatch.fnmatch(PurePosixPath(candidate).name, pattern.rstrip("/").removeprefix("**/"))
            for candidate in candidates
            for pattern in patterns
        )

    for local_state in [".venv", "var", ".git", "frontend/node_modules", ".env"]:
        assert ignored(local_state), local_state
    context_sources = {
        _norm(source)
        for stage in dockerfile_stages()
        for copy in copies(stage)
        if copy.source_stage is None
        for source in copy.sources
    }
    for source in context_sources:
        assert not ignored(source), f"{source} is copied but .dockerignore drops it"
        assert Path(PROJECT_ROOT, source).exists(), source
