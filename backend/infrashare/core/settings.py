"""One settings object, read once from the environment (prefix ``INFRASHARE_``)."""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path

from litestar.di import NamedDependency
from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[3]

# Meilisearch's default indexing memory is 2/3 of the machine's RAM, and every batch zeroes a
# share of it before it starts: on 24 GiB, a 10,000-document batch spent ~2 s of its 2.4 s in
# the kernel clearing pages. Capped, the same batch takes ~0.5 s.
MEILI_INDEXING_MEMORY = "1 GiB"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="INFRASHARE_", env_file=".env", extra="ignore")

    var_dir: Path = PROJECT_ROOT / "var"
    database_url: str = ""
    # Given: use that Meilisearch. Empty: `infrashare serve` starts its own, data under var/.
    meili_url: str = Field(default="", validation_alias=AliasChoices("INFRASHARE_MEILI_URL", "MEILI_URL"))
    meili_master_key: str = Field(
        default="", validation_alias=AliasChoices("INFRASHARE_MEILI_MASTER_KEY", "MEILI_MASTER_KEY")
    )
    meili_binary: str = ""
    meili_index_prefix: str = ""
    # For the Meilisearch that `infrashare serve` starts.
    meili_max_indexing_memory: str = Field(
        default=MEILI_INDEXING_MEMORY,
        validation_alias=AliasChoices("INFRASHARE_MEILI_MAX_INDEXING_MEMORY", "MEILI_MAX_INDEXING_MEMORY"),
    )
    # The embedded default drains the outbox (search index, webhooks) inside the app;
    # production sets this false and runs `infrashare worker` as its own service.
    run_worker: bool = True
    # The background work a worker runs (names in worker.py: indexer, webhooks, reverse-matching,
    # asset-imports, expiry); empty: all of it.
    worker_tasks: list[str] = []
    # How often a worker expires needs past their needed-by date and agreements past their end.
    expiry_every_minutes: float = 60
    # How long a worker holds an asset import without renewing it (it renews every third of
    # it): after a process died under a job, another takes it up this long after its last beat.
    import_lease_seconds: float = 60
    # An empty search index (new, or its data lost) is rebuilt from the database at start.
    search_rebuild_empty: bool = True
    # Processes that validate large asset imports while the server writes; unset: one fewer
    # than the CPUs (at most 4), 0: validate in the server process.
    import_workers: int | None = None
    public_base_url: str = "http://127.0.0.1:8000"
    host: str = "127.0.0.1"
    port: int = 8000
    session_days: int = 14
    # How long a process reuses a session's or token's lookup (core/principal_cache.py): the
    # longest a sign-out or revocation made through another process takes to reach it; 0: never.
    principal_cache_seconds: float = 2.0
    # Sign-in throttles (accounts/service.py throttle_sign_in), per window of login_window_minutes:
    # failed attempts on one e-mail from one client address, and from one address on any e-mails.
    login_max_failures: int = 5
    login_address_max_failures: int = 20
    login_window_minutes: int = 15
    log_level: str = "INFO"
    log_json: bool = False
    rate_limit_user_per_minute: int = 600
    rate_limit_client_per_minute: int = 1200
    oauth_access_token_seconds: int = 600
    oauth_refresh_token_days: int = 30
    # RFC 9449: refuse public clients' code exchanges without a DPoP proof (so every refresh
    # token of a public client is bound to its key). Off: binding only when the client sends one.
    oauth_public_clients_need_dpop: bool = False
    # Sharing requests: days the owner has to answer, and the regulator to review or decide a dispute.
    owner_answer_days: int = 30
    regulator_review_days: int = 15
    frontend_dist: Path = PROJECT_ROOT / "frontend" / "dist"
    # Origins beyond this server the web UI may load images and data from (the map tile server
    # of a build with VITE_MAP_TILE_URL), added to the Content-Security-Policy.
    content_security_extra_sources: list[str] = []

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite+aiosqlite:///{self.var_dir / 'infrashare.db'}"

    @property
    def api_audience(self) -> str:
        """The ``aud`` of access tokens: this deployment's API."""
        return f"{self.public_base_url}/api"

    @property
    def secure_cookies(self) -> bool:
        return self.public_base_url.startswith("https://")

    def kept_secret(self, name: str) -> str:
        """A random secret generated on first use and kept under var/, so restarts reuse it."""
        path = self.var_dir / name
        if path.exists():
            return path.read_text().strip()
        self.var_dir.mkdir(parents=True, exist_ok=True)
        value = secrets.token_urlsafe(32)
        path.write_text(value)
        path.chmod(0o600)
        return value


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()


AppSettings = NamedDependency[Settings]
"""The app's settings, injected by name as ``settings``."""
