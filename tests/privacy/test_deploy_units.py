"""deploy/systemd runs `manage.py purge_expired` hourly, as the other units run the app."""

import shutil
import subprocess
import sys
from pathlib import Path

from tests.deploy.test_configs import DEPLOY

UNITS = ("lingua-purge.service", "lingua-purge.timer")


def directives(name: str) -> dict[str, str]:
    found = {}
    for line in (DEPLOY / "systemd" / name).read_text().splitlines():
        if line.strip() and not line.startswith(("#", "[")):
            key, _, value = line.partition("=")
            found[key] = value
    return found


def test_the_service_runs_the_purge_command_as_the_app_does():
    service = directives("lingua-purge.service")
    assert service["ExecStart"] == "/srv/lingua/.venv/bin/python manage.py purge_expired"
    assert service["Type"] == "oneshot" and service["User"] == "lingua"
    assert service["EnvironmentFile"] == "/etc/lingua/env" and service["WorkingDirectory"] == "/srv/lingua"
    web = (DEPLOY / "systemd" / "lingua-web@.service").read_text()
    assert "EnvironmentFile=/etc/lingua/env" in web and "WorkingDirectory=/srv/lingua" in web


def test_the_timer_runs_it_hourly_and_catches_up_after_downtime():
    timer = directives("lingua-purge.timer")
    assert timer["OnCalendar"] == "hourly" and timer["Persistent"] == "true"
    assert timer["Unit"] == "lingua-purge.service" and timer["WantedBy"] == "timers.target"
    assert "lingua-purge.timer" in (DEPLOY / "README.md").read_text()


def test_systemd_accepts_the_units(tmp_path: Path):
    analyze = shutil.which("systemd-analyze")
    assert analyze is not None, "systemd-analyze (Debian package systemd) is needed to check the units"
    for name in UNITS:  # the production path of the interpreter does not exist here
        text = (DEPLOY / "systemd" / name).read_text().replace("/srv/lingua/.venv/bin/python", sys.executable)
        (tmp_path / name).write_text(text)
    result = subprocess.run(
        [analyze, "verify", "--man=no", *(str(tmp_path / n) for n in UNITS)], capture_output=True, text=True
    )
    assert result.returncode == 0 and not (result.stdout + result.stderr).strip(), result.stdout + result.stderr
