"""What the service benchmarks share: a real `ticket-router serve` process, a fresh database (SQLite file or a new
PostgreSQL schema), the ticketing-system receiver from the tests, and a wrk run at a fixed request rate.

Nothing here is timed or asserted: the scripts print what they measured.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the receiver and port helpers are the tests' own

from backends import fresh_schema  # noqa: E402
from servers import Receiver, free_port, receiver, wait_until  # noqa: E402, F401 - used by the scripts too

KEY = "bench-key-0123456789abcdefghij"
TOKEN = "bench-ticketing-token-0123456789"
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
WRK_SCRIPT = Path(__file__).with_name("wrk_tickets.lua")
EVAL = ROOT / "data" / "eval" / "eval.jsonl"


def ensure_wrk() -> str:
    """wrk, from Debian's packages, is only for benchmarks: installed on first use (as root)."""
    found = shutil.which("wrk")
    if found is None:
        print("installing Debian's wrk …", file=sys.stderr)
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True,
                       env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"}, stdout=subprocess.DEVNULL)
        found = shutil.which("wrk")
    assert found is not None
    return found


def backend_kinds(value: str) -> list[str]:
    """`--backends sqlite,postgresql` as a list."""
    return [kind.strip() for kind in value.split(",") if kind.strip()]


def machine() -> str:
    load = os.getloadavg()
    return f"{os.cpu_count()} cores, load average {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f} (1/5/15 min)"


@contextmanager
def database(kind: str) -> Iterator[str]:
    """A fresh, empty database URL: a SQLite file in a temporary folder, or a new schema on the PostgreSQL server
    (dropped afterwards)."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory(prefix="ticket-router-bench-") as folder:
            yield f"sqlite:///{folder}/service.db"
        return
    with fresh_schema(POSTGRES_URL) as url:
        yield url


@dataclass
class Server:
    """One `ticket-router serve` process on a free loopback port; it can be killed (-9) and started again."""

    database_url: str
    ticketing_url: str | None = None
    env: dict[str, str] = field(default_factory=dict)  # more TICKET_ROUTER_* settings
    log_path: Path = field(default_factory=lambda: Path(tempfile.mkstemp(prefix="ticket-router-", suffix=".log")[1]))
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> Server:
        env = {k: v for k, v in os.environ.items() if not k.startswith("TICKET_ROUTER_")}
        env.update({"TICKET_ROUTER_DATABASE_URL": self.database_url, "TICKET_ROUTER_API_KEYS": KEY})
        if self.ticketing_url:
            env.update({"TICKET_ROUTER_TICKETING_URL": self.ticketing_url, "TICKET_ROUTER_TICKETING_TOKEN": TOKEN,
                        "TICKET_ROUTER_TICKETING_TIMEOUT_S": "2"})
        env.update(self.env)
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen([sys.executable, "-m", "ticket_router", "serve", "--port", str(self.port)],
                                            stdout=log, stderr=subprocess.STDOUT, env=env)
        if not wait_until(self.ready, timeout=timeout, step=0.1):
            self.stop()
            raise RuntimeError(f"the server did not start; see {self.log_path}")
        return self

    def ready(self) -> bool:
        try:
            return httpx.get(f"{self.url}/readyz", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    def kill(self) -> None:
        """`kill -9`: no shutdown of any kind."""
        if self.process is not None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(30)
            self.process = None

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.kill()
            self.process = None

    def cpu_seconds(self) -> float:
        """User + system CPU time the server process has used so far (Linux /proc)."""
        assert self.process is not None
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, headers={"Authorization": f"Bearer {KEY}"}, timeout=30)


@cache
def eval_texts() -> list[dict[str, str]]:
    """The evaluation set's subjects and descriptions (real length and style mix), in file order."""
    rows = [json.loads(line) for line in EVAL.read_text().splitlines() if line.strip()]
    return [{k: row[k] for k in ("subject", "description")} for row in rows]


def ticket_bodies(count: int, seed: int = 7) -> list[dict[str, str]]:
    """Tickets with unique ids and the texts of the evaluation set."""
    rng = random.Random(seed)
    return [{"ticket_id": f"B-{uuid.uuid4().hex[:12]}", **rng.choice(eval_texts())} for _ in range(count)]


@dataclass(frozen=True)
class LoadResult:
    requests: int
    errors: int  # non-2xx/3xx answers, timeouts, refused or broken connections
    rate: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float

    @classmethod
    def from_wrk(cls, result: dict[str, float]) -> LoadResult:
        errors = sum(int(result[k]) for k in ("connect", "read", "write", "status", "timeout"))
        return cls(requests=int(result["requests"]), errors=errors, rate=result["requests"] / result["seconds"],
                   p50_ms=result["p50_ms"], p90_ms=result["p90_ms"], p99_ms=result["p99_ms"], max_ms=result["max_ms"])

    def row(self) -> str:
        return (f"{self.requests:>9}{self.errors:>8}{self.rate:>8.1f}{self.p50_ms:>8.1f}{self.p90_ms:>8.1f}"
                f"{self.p99_ms:>8.1f}{self.max_ms:>8.0f}")


LOAD_HEADER = f"{'requests':>9}{'errors':>8}{'req/s':>8}{'p50 ms':>8}{'p90 ms':>8}{'p99 ms':>8}{'max ms':>8}"


def texts_file(folder: Path) -> Path:
    """The evaluation set's subjects and descriptions, one JSON object a line, for the wrk script."""
    path = folder / "texts.jsonl"
    path.write_text("".join(json.dumps(texts, separators=(",", ":")) + "\n" for texts in eval_texts()))
    return path


def run_load(base_url: str, rate: int, seconds: int, path: str = "/v1/tickets", ok_ids: Path | None = None,
             spread: int = 3) -> LoadResult:
    """`rate × spread` connections, each sending a request about every `spread` seconds (and never before the
    answer to its last one): `rate` requests a second, less a share of latency/`spread` (at 15 ms, 0.5%). wrk
    (C, from Debian) measures the latency; the ids of 2xx tickets go to `ok_ids.N`."""
    wrk = ensure_wrk()
    with tempfile.TemporaryDirectory(prefix="ticket-router-wrk-") as folder:
        env = {**os.environ, "BENCH_API_KEY": KEY, "BENCH_PATH": path, "BENCH_TEXTS": str(texts_file(Path(folder))),
               "BENCH_PACE_MS": str(1000 * spread), "BENCH_CONNECTIONS_PER_THREAD": str(rate * spread // 2)}
        if ok_ids is not None:
            env["BENCH_OK_IDS"] = str(ok_ids)
        command = [wrk, "-t", "2", "-c", str(rate * spread), "-d", f"{seconds}s", "--timeout", "10s",
                   "-s", str(WRK_SCRIPT), base_url]
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    line = next((x for x in done.stdout.splitlines() if x.startswith("RESULT ")), None)
    if line is None:
        raise RuntimeError(f"wrk failed: {done.stdout}\n{done.stderr}")
    return LoadResult.from_wrk(json.loads(line.removeprefix("RESULT ")))


def ok_ticket_ids(ok_ids: Path) -> set[str]:
    """The ticket ids that got a 2xx, from every wrk thread's file."""
    return {line for part in ok_ids.parent.glob(ok_ids.name + ".*") for line in part.read_text().split() if line}


def decision_times(database_url: str) -> dict[str, datetime]:
    """When each stored ticket was decided (its first decision)."""
    from sqlalchemy import func, select

    from ticket_router.store import open_store
    from ticket_router.store.schema import decisions

    query = select(decisions.c.ticket_id, func.min(decisions.c.decided_at)).group_by(decisions.c.ticket_id)
    with closing(open_store(database_url)) as store, store.engine.connect() as conn:  # type: ignore[attr-defined]
        return {ticket_id: decided_at for ticket_id, decided_at in conn.execute(query)}


def outbox_state(database_url: str) -> dict[str, int]:
    """Messages written, delivered, pending and dead, and decisions stored, read from the database itself."""
    from sqlalchemy import func, select

    from ticket_router.store import open_store
    from ticket_router.store.schema import decisions

    with closing(open_store(database_url)) as store:
        counts = store.outbox_counts()  # type: ignore[attr-defined]
        with store.engine.connect() as conn:  # type: ignore[attr-defined]
            made = conn.execute(select(func.count()).select_from(decisions)).scalar() or 0
    return {"decisions": made, "pending": counts.pending, "delivered": counts.delivered, "dead": counts.dead}


def send_counts(database_url: str) -> dict[int, int]:
    """How many messages were sent how many times (the attempts the store recorded, delivered or dead)."""
    from sqlalchemy import func, select

    from ticket_router.store import open_store
    from ticket_router.store.schema import dead_letters, outbox

    counts: dict[int, int] = {}
    with closing(open_store(database_url)) as store, store.engine.connect() as conn:  # type: ignore[attr-defined]
        for table in (outbox, dead_letters):
            for attempts, n in conn.execute(select(table.c.attempts, func.count()).group_by(table.c.attempts)):
                counts[attempts] = counts.get(attempts, 0) + n
    return dict(sorted(counts.items()))
