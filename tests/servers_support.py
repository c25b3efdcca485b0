"""Real, throwaway servers for the tests and the benchmark, on 127.0.0.1: PostgreSQL, Dask.

`initdb` and `pg_ctl` refuse to run as root, so as root they run as the `postgres` user
(`runuser`), in a folder under /tmp that this user owns: pytest's temporary folders are
private (0700) to root and out of its reach. A non-root developer runs them as themself.
The server trusts loopback connections (no password) and skips fsync: it lives for one test
session and holds nothing worth keeping.

The Dask cluster is the real command-line one (`dask scheduler`, `dask worker`), each
process in its own process group, so a test can kill one worker with everything under it.
"""

from __future__ import annotations

import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

BIN = Path(sys.executable).parent


def _bin(name: str) -> str:
    found = shutil.which(name) or next(iter(sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None)
    if not found:
        raise RuntimeError(f"PostgreSQL's {name} is missing: apt-get install postgresql")
    return found


def free_port() -> int:
    """A loopback port nothing listens on (for a server to take, or to find closed)."""
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
        self.port = free_port()
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


class DaskCluster:
    """`dask scheduler` and `dask worker`s as separate process groups on 127.0.0.1."""

    def __init__(self, workers: int, log_dir: Path) -> None:
        self.address = f"tcp://127.0.0.1:{free_port()}"
        self.log_dir = log_dir
        self.scheduler = self._start("scheduler", "scheduler", "--host", "127.0.0.1",
                                     "--port", self.address.rsplit(":", 1)[1])
        self.workers = [self._start(f"worker{n}", "worker", self.address, "--host",
                                    "127.0.0.1", "--nthreads", "1", "--nworkers", "1")
                        for n in range(workers)]
        self.seen: set[psutil.Process] = set()

    def _start(self, name: str, *args: str) -> subprocess.Popen:
        with open(self.log_dir / f"{name}.log", "w") as log:
            env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
            return subprocess.Popen([str(BIN / "dask"), *args, "--no-dashboard"], env=env,
                                    stdout=log, stderr=log, start_new_session=True,
                                    cwd=self.log_dir)

    def tree(self, process: subprocess.Popen) -> list[psutil.Process]:
        """The process and all its descendants (nanny, worker, kernels), remembered."""
        try:
            root = psutil.Process(process.pid)
            found = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []
        self.seen.update(found)
        return found

    def kill(self, process: subprocess.Popen) -> None:
        """kill -9 the process group and every descendant (kernels run in their own)."""
        tree = self.tree(process)
        os.killpg(process.pid, signal.SIGKILL)
        for child in tree:
            try:
                child.kill()
            except psutil.NoSuchProcess:
                pass
        process.wait()

    def stop(self) -> list[psutil.Process]:
        """Stop everything; return whatever is still alive 10 s later (should be nothing)."""
        for process in [*self.workers, self.scheduler]:
            self.tree(process)
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in [*self.workers, self.scheduler]:
            process.wait(timeout=60)
        deadline = time.time() + 10
        while time.time() < deadline and any(map(alive, self.seen)):
            time.sleep(0.2)
        return [p for p in self.seen if alive(p)]


def command_line(process: psutil.Process) -> str:
    """The process's command line, or "" once it has ended: a kernel can exit (or be left a
    zombie) between listing a worker's descendants and reading theirs."""
    try:
        return " ".join(process.cmdline())
    except psutil.NoSuchProcess:  # ZombieProcess is one
        return ""


def alive(process: psutil.Process) -> bool:
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
