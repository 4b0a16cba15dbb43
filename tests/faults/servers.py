"""Private database and cache servers that a fault test can stop and start: redis-server and mariadbd."""

import shutil
import signal
import socket
import subprocess
from pathlib import Path

from tests.faults.conftest import wait_until


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_ok(client, path: str) -> bool:
    """Whether ``client`` (an httpx.Client) gets a 200 for ``path``; False on any connection error."""
    import httpx

    try:
        return client.get(path).status_code == 200
    except httpx.HTTPError:
        return False


def _redis_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


class Redis:
    """A private redis-server with append-only persistence in a temporary folder."""

    def __init__(self, folder: Path):
        self.folder, self.port, self.proc = folder, free_port(), None

    def start(self) -> None:
        argv = [shutil.which("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1", "--dir",
                str(self.folder), "--appendonly", "yes", "--appendfsync", "everysec", "--save", ""]  # fmt: skip
        self.proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        assert wait_until(lambda: _redis_answers(self.port), timeout=10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(timeout=10)


class MariaDB:
    """A private mariadbd (Debian's server binary) with its data in a temporary folder, on a free loopback port.

    ``crash`` SIGKILLs it (no clean shutdown: InnoDB recovers committed transactions at the next start), ``start``
    starts it again on the same data and port.
    """

    def __init__(self, folder: Path, database: str = "lingua"):
        self.folder, self.database, self.port, self.proc = folder, database, free_port(), None
        self.data = folder / "mariadb"
        self.log = folder / "mariadb.log"

    @property
    def url(self) -> str:
        return f"mysql://root@127.0.0.1:{self.port}/{self.database}"

    def install(self) -> None:
        argv = [shutil.which("mariadb-install-db") or "/usr/bin/mariadb-install-db", "--no-defaults",
                f"--datadir={self.data}", "--auth-root-authentication-method=normal", "--skip-test-db",
                "--user=root"]  # fmt: skip
        subprocess.run(argv, check=True, capture_output=True, timeout=120)
        self.start()
        self.sql(f"CREATE DATABASE {self.database} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")

    def start(self) -> None:
        server = shutil.which("mariadbd", path="/usr/sbin:/usr/bin") or "/usr/sbin/mariadbd"
        argv = [server, "--no-defaults", f"--datadir={self.data}", f"--socket={self.folder / 'mariadb.sock'}",
                f"--port={self.port}", "--bind-address=127.0.0.1", "--user=root", "--skip-log-bin",
                "--innodb-buffer-pool-size=64M", f"--pid-file={self.folder / 'mariadb.pid'}"]  # fmt: skip
        with self.log.open("a") as out:
            self.proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT)
        assert wait_until(self.answers, timeout=30), self.log.read_text()[-2000:]

    def answers(self) -> bool:
        try:
            self.sql("SELECT 1")
            return True
        except Exception:
            return False

    def sql(self, statement: str, database: str | None = None) -> tuple:
        import MySQLdb

        connection = MySQLdb.connect(
            host="127.0.0.1", port=self.port, user="root", database=database or "", connect_timeout=2
        )
        try:
            cursor = connection.cursor()
            cursor.execute(statement)
            rows = cursor.fetchall()
            connection.commit()
            return rows
        finally:
            connection.close()

    def crash(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.crash()
