"""A real, throwaway PostgreSQL server for the tests, on a loopback port.

`initdb` and `pg_ctl` refuse to run as root, so as root they run as the `postgres` user
(`runuser`), in a folder under /tmp that this user owns: pytest's temporary folders are
private (0700) to root and out of its reach. A non-root developer runs them as themself.
The server trusts loopback connections (no password) and skips fsync: it lives for one test
session and holds nothing worth keeping.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


def _bin(name: str) -> str:
    found = shutil.which(name) or next(iter(sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None)
    if not found:
        raise RuntimeError(f"PostgreSQL's {name} is missing: apt-get install postgresql")
    return found


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PostgresServer:
    """initdb + pg_ctl start on 127.0.0.1:<free port>; `stop()` removes everything."""

    def __init__(self) -> None:
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.base = Path(tempfile.mkdtemp(prefix="shoplab-pg-", dir="/tmp"))
        if self.as_user:
            shutil.chown(self.base, "postgres", "postgres")
        self.data, self.log = self.base / "data", self.base / "server.log"
        self.port = _free_port()
        self._run(_bin("initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust",
                  "--no-sync", "--encoding=UTF8")
        self.start()

    def _run(self, *command: str) -> None:
        run = subprocess.run([*self.as_user, *command], capture_output=True, text=True)
        if run.returncode != 0:
            raise RuntimeError(f"{Path(command[0]).name} failed: {run.stderr}{run.stdout}")

    def start(self) -> None:
        options = (f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.base} "
                   "-c fsync=off -c max_connections=200")
        self._run(_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-o", options,
                  "-w", "start")

    def halt(self) -> None:
        """Stop at once, as a crash or a pulled cable would (clients see the connection go)."""
        self._run(_bin("pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def url(self, database: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """A new empty database; its SQLAlchemy URL."""
        import psycopg

        connection = psycopg.connect(self.url("postgres"), autocommit=True)
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        connection.close()
        return self.url(name)

    def stop(self) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                self.halt()
        finally:
            shutil.rmtree(self.base, ignore_errors=True)
