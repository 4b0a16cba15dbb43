"""deploy/rabbitmq/ on a real node: a RabbitMQ of its own (Debian's rabbitmq-server, about 10 s to boot) with the
production rabbitmq.conf and enabled_plugins, set up by setup.sh; then guest is gone, the app's user works in its
vhost, and the Prometheus endpoint has every per-queue metric the dashboard charts.

Only the ports differ from production (free ones instead of 5672 and 15692, which the machine's RabbitMQ may hold).
"""

import json
import os
import re
import shutil
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pika
import pytest

from tests.faults.servers import free_port

ROOT = Path(__file__).resolve().parents[2]
RABBITMQ = ROOT / "deploy" / "rabbitmq"
BIN = Path("/usr/lib/rabbitmq/bin")  # Debian's scripts without the wrapper that switches to the rabbitmq user
PASSWORD = "check-Password_123"


def free_ports(count: int) -> list[int]:
    """Distinct free loopback ports."""
    ports: set[int] = set()
    while len(ports) < count:
        ports.add(free_port())
    return sorted(ports)


@pytest.fixture(scope="module")
def node(tmp_path_factory):
    """A RabbitMQ node of its own with deploy/rabbitmq/rabbitmq.conf (ports moved), set up by setup.sh."""
    if not (BIN / "rabbitmq-server").exists():
        pytest.fail("rabbitmq-server is missing: apt-get install rabbitmq-server (`make services` needs it too)")
    base = tmp_path_factory.mktemp("rabbitmq")
    amqp, prometheus, dist = free_ports(3)
    conf = (RABBITMQ / "rabbitmq.conf").read_text()
    conf = conf.replace("127.0.0.1:5672", f"127.0.0.1:{amqp}")
    conf = conf.replace("prometheus.tcp.port = 15692", f"prometheus.tcp.port = {prometheus}")
    assert str(amqp) in conf and str(prometheus) in conf
    (base / "rabbitmq.conf").write_text(conf)
    (base / "rabbitmq-env.conf").write_text("")  # not /etc/rabbitmq's (the machine's node name)
    name = f"lingua-deploytest-{os.getpid()}@localhost"
    env = {
        **os.environ,
        "HOME": str(base),  # the Erlang cookie, shared with rabbitmqctl below
        "RABBITMQ_NODENAME": name,
        "RABBITMQ_CONFIG_FILE": str(base / "rabbitmq.conf"),
        "RABBITMQ_ENABLED_PLUGINS_FILE": str(RABBITMQ / "enabled_plugins"),
        "RABBITMQ_CONF_ENV_FILE": str(base / "rabbitmq-env.conf"),
        "RABBITMQ_ADVANCED_CONFIG_FILE": str(base / "advanced.config"),
        "RABBITMQ_MNESIA_BASE": str(base / "mnesia"),
        "RABBITMQ_LOG_BASE": str(base / "log"),
        "RABBITMQ_PID_FILE": str(base / "rabbitmq.pid"),
        "RABBITMQ_DIST_PORT": str(dist),
        "ERL_EPMD_ADDRESS": "127.0.0.1",
    }
    log = open(base / "server.log", "wb")
    server = subprocess.Popen(
        [str(BIN / "rabbitmq-server")], env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    ctl = [str(BIN / "rabbitmqctl"), "-n", name]
    try:
        # `wait` waits for the pid file, then for the node to have started.
        wait = subprocess.run(
            [*ctl, "wait", str(base / "rabbitmq.pid"), "--timeout", "90"], env=env, capture_output=True, text=True
        )
        assert wait.returncode == 0, (base / "server.log").read_text()[-3000:] + wait.stderr
        node = {"amqp": amqp, "prometheus": prometheus, "ctl": ctl, "env": env}
        setup = run_setup(node)
        assert setup.returncode == 0, setup.stdout + setup.stderr
        yield node
    finally:
        subprocess.run([*ctl, "stop"], env=env, capture_output=True, timeout=60)  # a clean stop, a few seconds
        try:
            server.wait(timeout=30)  # the script exits when the VM has
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)
        log.close()
        shutil.rmtree(base, ignore_errors=True)


def run_setup(node) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["sh", str(RABBITMQ / "setup.sh")],
        input=f"{PASSWORD}\n",
        env={**node["env"], "RABBITMQCTL": " ".join(node["ctl"])},
        capture_output=True,
        text=True,
        timeout=120,
    )


def connect(node, user: str, password: str, vhost: str) -> pika.BlockingConnection:
    return pika.BlockingConnection(
        pika.ConnectionParameters("127.0.0.1", node["amqp"], vhost, pika.PlainCredentials(user, password))
    )


def test_setup_deletes_guest_and_the_app_user_owns_its_vhost(node):
    users = subprocess.run([*node["ctl"], "-s", "list_users"], env=node["env"], capture_output=True, text=True)
    assert [line.split("\t")[0] for line in users.stdout.splitlines()] == ["lingua"]
    assert "[]" in users.stdout  # no tags: no management or administrator rights
    with pytest.raises(pika.exceptions.ProbableAuthenticationError):
        connect(node, "guest", "guest", "/")
    with pytest.raises(pika.exceptions.ProbableAccessDeniedError):
        connect(node, "lingua", PASSWORD, "/")  # no rights outside its vhost
    connect(node, "lingua", PASSWORD, "lingua").close()
    again = run_setup(node)  # idempotent: a second run (e.g. a new password) finds the vhost and user
    assert again.returncode == 0, again.stdout + again.stderr
    connect(node, "lingua", PASSWORD, "lingua").close()


def dashboard_rabbitmq_metrics() -> set[str]:
    dashboard = json.loads((ROOT / "deploy" / "grafana" / "lingua-dashboard.json").read_text())
    exprs = [t["expr"] for p in dashboard["panels"] for t in p.get("targets", [])]
    return {m for e in exprs for m in re.findall(r"\brabbitmq_[a-z_]+", e)}


def test_prometheus_endpoint_has_the_dashboards_metrics_per_queue(node):
    metrics = dashboard_rabbitmq_metrics()
    assert len(metrics) >= 4
    connection = connect(node, "lingua", PASSWORD, "lingua")
    try:
        # What Dramatiq does: a durable queue, persistent messages with publisher confirms, manual acks.
        channel = connection.channel()
        channel.confirm_delivery()
        channel.queue_declare("check", durable=True)
        for _ in range(3):
            channel.basic_publish("", "check", b"{}", pika.BasicProperties(delivery_mode=2))
        channel.basic_qos(prefetch_count=1)  # one delivered and acknowledged, then the next delivered
        method, _props, _body = next(channel.consume("check", inactivity_timeout=10))
        channel.basic_ack(method.delivery_tag)
        connection.process_data_events(time_limit=0.5)
        # Statistics are collected every 5 s (collect_statistics_interval): poll until they show this state.
        deadline = time.monotonic() + 40
        while True:
            text = urllib.request.urlopen(f"http://127.0.0.1:{node['prometheus']}/metrics", timeout=10).read().decode()
            samples = {
                line.split("{", 1)[0]: line.rsplit(" ", 1)[1]
                for line in text.splitlines()
                if re.search(r'\bqueue="check"', line) and not line.startswith("#")
            }
            counts = samples.get("rabbitmq_queue_messages_ready"), samples.get("rabbitmq_queue_messages_unacked")
            if (metrics <= samples.keys() and counts == ("1", "1")) or time.monotonic() > deadline:
                break
            connection.process_data_events(time_limit=1)  # heartbeats while waiting
        missing = sorted(metrics - samples.keys())
        assert not missing, f"not per queue (or not at all) in rabbitmq_prometheus' output: {missing}\n{text}"
        assert counts == ("1", "1"), f"ready, unacked: {counts}"
    finally:
        connection.close()
