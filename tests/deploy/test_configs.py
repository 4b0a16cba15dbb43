"""The production configs of deploy/ are valid for the tools that read them and match the app.

nginx and promtool come from Debian (scripts/ensure-system.sh installs them with `make install`); a missing one
fails these tests with that hint rather than skipping them.
"""

import importlib.util
import json
import re
import runpy
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from apps.core.errors import _CODES

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
DASHBOARD_METRICS = [
    "http_requests_total",
    "http_request_duration_seconds_bucket",
    "event_loop_lag_seconds",
    "queue_depth",
    "actor_duration_seconds",
    "model_batch_size",
    "cache_requests_total",
]
# RabbitMQ's own metrics (rabbitmq_prometheus, per-object): the dashboard's RabbitMQ row.
RABBITMQ_DASHBOARD_METRICS = [
    "rabbitmq_queue_messages_ready",
    "rabbitmq_queue_messages_unacked",
    "rabbitmq_queue_messages_published_total",
    "rabbitmq_channel_messages_delivered_ack_total",
    "rabbitmq_channel_messages_acked_total",
]


def deploy_check():
    """scripts/deploy_check.py as a module (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location("deploy_check", ROOT / "scripts" / "deploy_check.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def tool(name: str, package: str) -> str:
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin")
    if found is None:
        pytest.fail(
            f"{name} is missing: `make install` installs the Debian package {package} (scripts/ensure-system.sh)"
        )
    return found


def run(argv: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(argv, capture_output=True, text=True, timeout=60)


def test_promtool_accepts_the_prometheus_config():
    result = run([tool("promtool", "prometheus"), "check", "config", str(DEPLOY / "prometheus.yml")])
    assert result.returncode == 0, result.stdout + result.stderr


def test_prometheus_scrapes_rabbitmq_on_its_metrics_port():
    import yaml

    jobs = {job["job_name"]: job for job in yaml.safe_load((DEPLOY / "prometheus.yml").read_text())["scrape_configs"]}
    rabbitmq = jobs["rabbitmq"]
    assert rabbitmq.get("metrics_path", "/metrics") == "/metrics"
    assert [t for c in rabbitmq["static_configs"] for t in c["targets"]] == ["127.0.0.1:15692"]
    assert rabbitmq_conf()["prometheus.tcp.port"] == "15692"


def test_nginx_accepts_the_rendered_site(tmp_path):
    tool("nginx", "nginx")
    check = deploy_check()
    (tmp_path / "static").mkdir()
    site = {**check.EXAMPLE_SITE, "LISTEN": "127.0.0.1:18080", "STATIC_ROOT": str(tmp_path / "static")}
    conf = check.write_nginx_conf(tmp_path, site)
    result = run(check.nginx_argv(conf, tmp_path, "-t"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "test is successful" in result.stderr


def test_nginx_answers_502_with_the_envelope_while_the_web_processes_are_down(tmp_path):
    import httpx

    check = deploy_check()
    nginx_port, down_1, down_2 = check.free_ports(3)
    site = {
        **check.EXAMPLE_SITE,
        "LISTEN": f"127.0.0.1:{nginx_port}",
        "WEB_UPSTREAM_1": f"127.0.0.1:{down_1}",
        "WEB_UPSTREAM_2": f"127.0.0.1:{down_2}",
        "STATIC_ROOT": str(tmp_path),
    }
    tool("nginx", "nginx")
    nginx = subprocess.Popen(check.nginx_argv(check.write_nginx_conf(tmp_path, site), tmp_path), start_new_session=True)
    try:
        deadline = time.monotonic() + 10
        while not check.listening(nginx_port) and time.monotonic() < deadline:
            time.sleep(0.05)
        response = httpx.get(f"http://127.0.0.1:{nginx_port}/api/health", timeout=10, trust_env=False)
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)
    assert response.status_code == 502
    assert response.headers["content-type"] == "application/json"
    assert response.headers["retry-after"] == "5" and response.headers["x-error-origin"] == "proxy"
    assert response.json()["error"] == {
        "status": 502,
        "code": "bad_gateway",
        "message": "The API is unreachable, retry shortly",
    }


def test_rendered_example_is_the_template_with_the_example_values():
    rendered = (DEPLOY / "nginx" / "lingua.conf").read_text()
    assert rendered == deploy_check().render_example(), (
        "run: python scripts/deploy_check.py --render-site deploy/nginx/lingua.conf"
    )


def test_site_proxies_to_two_web_processes_with_websockets_and_limits():
    site = (DEPLOY / "nginx" / "lingua.conf").read_text()
    upstream = re.search(r"upstream lingua_web \{(.*?)\n\}", site, re.S).group(1)
    assert "least_conn;" in upstream and "keepalive " in upstream
    assert re.findall(r"server (127\.0\.0\.1:\d+)", upstream) == ["127.0.0.1:8001", "127.0.0.1:8002"]
    assert "map $http_upgrade $connection_upgrade" in site
    assert "proxy_set_header Upgrade $http_upgrade;" in site
    assert "client_max_body_size 20m;" in site  # = the app's MAX_REQUEST_BYTES default
    assert "alias /var/lib/lingua/static/;" in site
    metrics = re.search(r"location = /metrics \{(.*?)\}", site, re.S).group(1)
    assert "allow 127.0.0.0/8;" in metrics and "deny all;" in metrics


def test_proxy_errors_under_api_are_the_apps_json_envelope():
    site = (DEPLOY / "nginx" / "lingua.conf").read_text()
    api = re.search(r"location /api/ \{(.*?)\}", site, re.S).group(1)
    for status in (413, 502, 503, 504):
        assert f"error_page {status} @api_{status};" in api
        block = re.search(rf"location @api_{status} \{{(.*?)\n    \}}", site, re.S).group(1)
        assert "default_type application/json;" in block
        code, body = re.search(r"return (\d+) '(.*)';", block).groups()
        envelope = json.loads(body)
        assert int(code) == status
        assert set(envelope) == {"error"} and set(envelope["error"]) == {"status", "code", "message"}
        assert envelope["error"]["status"] == status and envelope["error"]["code"] == _CODES[status]
    message = json.loads(re.search(r"return 413 '(.*)';", site).group(1))["error"]["message"]
    assert message == f"Request body is larger than {20 * 1024 * 1024} bytes"  # what BodyLimit says


def dashboard_expressions() -> list[str]:
    dashboard = json.loads((DEPLOY / "grafana" / "lingua-dashboard.json").read_text())
    assert dashboard["schemaVersion"] >= 36
    panels = [p for top in dashboard["panels"] for p in [top, *top.get("panels", [])]]
    return [t["expr"] for p in panels for t in p.get("targets", [])]


def test_grafana_dashboard_charts_every_metric():
    expressions = dashboard_expressions()
    for metric in DASHBOARD_METRICS + RABBITMQ_DASHBOARD_METRICS:
        assert any(metric in e for e in expressions), f"no panel shows {metric}"
    assert any("histogram_quantile(0.99" in e and "http_request_duration_seconds_bucket" in e for e in expressions)
    assert any('result="hit"' in e for e in expressions)


def test_grafana_dashboard_has_rabbitmq_panels_per_queue():
    dashboard = json.loads((DEPLOY / "grafana" / "lingua-dashboard.json").read_text())
    titles = {p["title"]: [t["expr"] for t in p.get("targets", [])] for p in dashboard["panels"]}
    assert "RabbitMQ" in titles  # the row
    panels = {
        "Ready messages per queue": ["rabbitmq_queue_messages_ready"],
        "Unacked messages per queue": ["rabbitmq_queue_messages_unacked"],
        "Publish rate per queue": ["rabbitmq_queue_messages_published_total"],
        "Deliver and ack rate per queue": [
            "rabbitmq_channel_messages_delivered_ack_total",
            "rabbitmq_channel_messages_acked_total",
        ],
    }
    for title, metrics in panels.items():
        exprs = titles[title]
        for metric in metrics:
            expr = next(e for e in exprs if metric in e)
            assert "by (queue)" in expr, expr  # one series per queue: needs per-object metrics
            assert metric.endswith("_total") == ("rate(" in expr), expr
    ids = [p["id"] for top in dashboard["panels"] for p in [top, *top.get("panels", [])]]
    assert len(ids) == len(set(ids))
    assert "vhost" in {v["name"] for v in dashboard["templating"]["list"]}


def test_grafana_expressions_are_valid_promql(tmp_path):
    # promtool parses PromQL in recording rules; Grafana's variables get plain values first.
    exprs = [
        e.replace("$__rate_interval", "5m").replace("$route", ".*").replace("$vhost", ".*")
        for e in dashboard_expressions()
    ]
    rules = {
        "groups": [{"name": "dashboard", "rules": [{"record": f"check:{i}", "expr": e} for i, e in enumerate(exprs)]}]
    }
    (tmp_path / "rules.yml").write_text(json.dumps(rules))  # JSON is YAML
    result = run([tool("promtool", "prometheus"), "check", "rules", str(tmp_path / "rules.yml")])
    assert result.returncode == 0, result.stdout + result.stderr


def test_gunicorn_config_runs_uvicorn_workers(monkeypatch):
    monkeypatch.delenv("WEB_WORKERS", raising=False)
    conf = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    assert conf["workers"] >= 1
    assert "uvicorn" in conf["worker_class"].lower()
    module, _, name = conf["worker_class"].rpartition(".")
    assert getattr(importlib.import_module(module), name)  # the worker class is installed
    assert conf["timeout"] >= 60 and conf["max_requests"] > 0 and conf["max_requests_jitter"] > 0
    assert conf["accesslog"] is None and callable(conf["child_exit"])

    monkeypatch.setenv("WEB_WORKERS", "3")
    monkeypatch.setenv("PORT", "8123")
    conf = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    assert conf["workers"] == 3 and conf["bind"] == ["127.0.0.1:8123"]


def test_gunicorn_child_exit_marks_the_worker_dead(monkeypatch, tmp_path):
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    (tmp_path / "gauge_livesum_4242.db").write_bytes(b"")
    (tmp_path / "counter_4242.db").write_bytes(b"")
    conf = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    conf["child_exit"](None, type("Worker", (), {"pid": 4242}))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["counter_4242.db"]  # live gauges gone, counters kept


def directives(path: Path) -> dict[str, list[str]]:
    """``key value`` lines of redis.conf or ``Key=value`` lines of a systemd unit (neither has inline comments)."""
    separator = "=" if path.suffix in {".service", ".target"} else " "
    found: dict[str, list[str]] = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith(("#", "[")):
            key, _, value = line.partition(separator)
            found.setdefault(key.strip(), []).append(value.strip())
    return found


def test_channel_layer_redis_never_evicts():
    conf = directives(DEPLOY / "redis.conf")
    assert conf["port"] == ["6379"] and conf["maxmemory-policy"] == ["noeviction"]
    assert conf["appendonly"] == ["no"] and conf["save"] == ['""']  # events only: nothing to keep
    assert conf["dir"] == ["/var/lib/redis"] and conf["bind"][0].startswith("127.0.0.1")


def test_cache_redis_is_bounded_and_evicts_least_recently_used():
    conf = directives(DEPLOY / "redis-cache.conf")
    assert conf["port"] == ["6380"] and conf["bind"][0].startswith("127.0.0.1")
    assert conf["maxmemory"] == ["512mb"] and conf["maxmemory-policy"] == ["allkeys-lru"]
    assert conf["appendonly"] == ["no"] and conf["save"] == ['""']
    # Debian's redis-server@cache.service: ExecStart reads /etc/redis/redis-cache.conf, PIDFile= this one.
    assert conf["pidfile"] == ["/run/redis-cache/redis-server.pid"]


def env_example() -> dict[str, str]:
    lines = (DEPLOY / "systemd" / "env.example").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))


def test_env_example_names_the_broker_and_the_cache():
    env = env_example()
    assert env["BROKER_URL"] == "amqp://lingua:CHANGE-ME@127.0.0.1:5672/lingua"  # setup.sh's vhost and user
    assert env["REDIS_URL"] == "redis://127.0.0.1:6379/0"  # redis.conf
    assert env["CACHE_URL"] == "redis://127.0.0.1:6380/0"  # redis-cache.conf
    procfile = (DEPLOY / "Procfile").read_text()
    assert "BROKER_URL" in procfile and "CACHE_URL" in procfile


def rabbitmq_conf() -> dict[str, str]:
    """``key = value`` lines of deploy/rabbitmq/rabbitmq.conf (sysctl format, as RabbitMQ reads it)."""
    found: dict[str, str] = {}
    for line in (DEPLOY / "rabbitmq" / "rabbitmq.conf").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            assert key.strip() not in found, f"{key.strip()} set twice"
            found[key.strip()] = value.strip()
    return found


def test_rabbitmq_has_no_guest_and_per_queue_metrics():
    conf = rabbitmq_conf()
    assert conf["loopback_users.guest"] == "true"
    assert not any(key.startswith(("default_user", "default_pass")) for key in conf)
    setup = (DEPLOY / "rabbitmq" / "setup.sh").read_text()
    assert "delete_user guest" in setup and "add_vhost" in setup and "set_permissions" in setup
    assert conf["prometheus.return_per_object_metrics"] == "true"
    assert (DEPLOY / "rabbitmq" / "enabled_plugins").read_text().strip() == "[rabbitmq_prometheus]."
    listeners = [value for key, value in conf.items() if key.startswith("listeners.tcp.")]
    assert listeners == ["127.0.0.1:5672"]


def test_rabbitmq_consumer_timeout_outlasts_prefetched_work():
    # A documents process prefetches 2 messages: the second is acknowledged after both have run.
    limits = [
        int(limit.replace("_", ""))
        for path in (ROOT / "actors").glob("*.py")
        for limit in re.findall(r"time_limit=([0-9_]+)", path.read_text())
    ]
    assert limits and int(rabbitmq_conf()["consumer_timeout"]) > 2 * max(limits)
    assert int(rabbitmq_conf()["disk_free_limit.absolute"].removesuffix("GB")) >= 1


@pytest.mark.parametrize(
    "unit, command",
    [
        ("lingua-web@.service", "-m gunicorn -c deploy/gunicorn.conf.py --bind 127.0.0.1:%i project.asgi:application"),
        ("lingua-worker@.service", "manage.py worker --pool %i"),
    ],
)
def test_systemd_units(unit, command):
    conf = directives(DEPLOY / "systemd" / unit)
    assert command in conf["ExecStart"][0]
    assert conf["EnvironmentFile"] == ["/etc/lingua/env"]
    assert conf["Restart"] == ["always"] and conf["KillSignal"] == ["SIGTERM"]
    assert int(conf["TimeoutStopSec"][0]) > 0
    assert conf["PartOf"] == ["lingua.target"]
    after = conf["After"][0].split()
    for service in ("mariadb.service", "rabbitmq-server.service", "redis-server.service", "redis-server@cache.service"):
        assert service in after, f"{unit} does not start after {service}"
    assert "rabbitmq-server.service" in conf["Wants"][0].split()


def test_the_production_install_leaves_out_test_tools_and_browsers():
    import subprocess

    recipe = subprocess.run(["make", "-n", "install-prod"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert recipe.returncode == 0, recipe.stderr
    assert "pip install -q -e ." in recipe.stdout and "[dev]" not in recipe.stdout
    assert "ensure-system.sh --production" in recipe.stdout
    script = (ROOT / "scripts" / "ensure-system.sh").read_text()
    production_part = script.split('if [ "$production" = 0 ]; then', 1)
    assert len(production_part) == 2 and "chromium" in production_part[1].split("fi", 1)[0]
    assert "make install-prod" in (ROOT / "deploy" / "README.md").read_text()
