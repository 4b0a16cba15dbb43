"""Private servers that a fault test can stop and start: redis-server, mariadbd and a RabbitMQ node."""

import os
import random
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

from tests.faults.conftest import wait_until


def free_port() -> int:
    """A free port below Linux's ephemeral range (32768-60999).

    A server here is stopped and started again on its port; a port from the ephemeral range can be taken meanwhile
    by any client socket (a reconnecting pika client, say), and the restart fails with EADDRINUSE.
    """
    rng = random.Random()
    while True:
        port = rng.randrange(20000, 32000)
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port


def stop_group(proc: subprocess.Popen, grace: float = 30) -> None:
    """SIGTERM a process started with ``start_new_session=True`` and its children; SIGKILL them after ``grace``."""
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


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


#: The server script itself: /usr/sbin/rabbitmq-server is Debian's wrapper, which runs it as the rabbitmq user (who
#: cannot write a test's temporary folder) in /var/lib/rabbitmq.
SERVER = "/usr/lib/rabbitmq/bin/rabbitmq-server"


class RabbitMQ:
    """A private RabbitMQ node (Debian's ``rabbitmq-server``) on free loopback ports, everything in a temporary folder.

    Its own node name, AMQP and distribution ports, Erlang cookie (``HOME``), data, logs, configuration and an empty
    plugin list, so it neither touches nor depends on the shared node on 5672. ``stop`` shuts it down cleanly
    (SIGTERM: the server script stops the node as ``rabbitmqctl stop`` would), ``crash`` SIGKILLs it; ``start`` starts
    it again on the same data, so durable queues and the persistent messages it confirmed are there again. The
    default vhost ``/`` and user guest (loopback only) are created at the first start.
    """

    def __init__(self, folder: Path):
        self.folder = folder / "rabbitmq"
        self.port, self.dist_port = free_port(), free_port()
        self.node = f"lingua-fault-{self.port}@localhost"
        self.log = self.folder / "server.log"
        self.proc: subprocess.Popen | None = None
        self.boot_seconds: list[float] = []

    @property
    def url(self) -> str:
        return f"amqp://guest:guest@127.0.0.1:{self.port}/%2F"

    def env(self) -> dict[str, str]:
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / "rabbitmq-env.conf").write_text("")  # not /etc/rabbitmq/rabbitmq-env.conf (the shared node's)
        (self.folder / "enabled_plugins").write_text("[].\n")
        (self.folder / "rabbitmq.conf").write_text(f"listeners.tcp.local = 127.0.0.1:{self.port}\n")
        env = {key: value for key, value in os.environ.items() if not key.startswith(("RABBITMQ_", "ERL_"))}
        env.update(
            HOME=str(self.folder),  # its own Erlang cookie
            RABBITMQ_NODENAME=self.node,
            RABBITMQ_NODE_IP_ADDRESS="127.0.0.1",
            RABBITMQ_NODE_PORT=str(self.port),
            RABBITMQ_DIST_PORT=str(self.dist_port),
            RABBITMQ_CONF_ENV_FILE=str(self.folder / "rabbitmq-env.conf"),
            RABBITMQ_CONFIG_FILE=str(self.folder / "rabbitmq.conf"),
            RABBITMQ_ADVANCED_CONFIG_FILE=str(self.folder / "advanced.config"),  # absent: none
            RABBITMQ_ENABLED_PLUGINS_FILE=str(self.folder / "enabled_plugins"),
            RABBITMQ_MNESIA_BASE=str(self.folder / "mnesia"),
            RABBITMQ_LOG_BASE=str(self.folder / "log"),
            RABBITMQ_PID_FILE=str(self.folder / "rabbitmq.pid"),
            RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}",
            ERL_CRASH_DUMP=str(self.folder / "erl_crash.dump"),
        )
        return env

    def start(self, timeout: float = 120) -> None:
        """Start the node and return once it accepts AMQP connections (the boot takes seconds)."""
        started = time.monotonic()
        (self.folder / "mnesia").mkdir(parents=True, exist_ok=True)
        with self.log.open("a") as out:
            self.proc = subprocess.Popen([SERVER], cwd=self.folder, env=self.env(), stdout=out,
                                         stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
        up = wait_until(lambda: self.answers() or self.proc.poll() is not None, timeout=timeout, interval=0.1)
        assert up and self.proc.poll() is None, f"RabbitMQ did not start:\n{self.log.read_text()[-3000:]}"
        self.boot_seconds.append(time.monotonic() - started)

    def answers(self) -> bool:
        """Whether the node accepts AMQP connections now: it answers the protocol header with a method frame
        (Connection.Start). Its listener opens last in the boot, once the data is recovered, and closes first."""
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.settimeout(2)
                sock.sendall(b"AMQP\x00\x00\x09\x01")
                return sock.recv(1) == b"\x01"
        except OSError:
            return False

    def stop(self, timeout: float = 60) -> None:
        """A clean shutdown: SIGTERM to the server script, which stops the node; waits until it has exited."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.crash()
        assert wait_until(lambda: not self.answers(), timeout=10)

    def crash(self) -> None:
        """SIGKILL the node (the script and the Erlang VM): no shutdown at all."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)
