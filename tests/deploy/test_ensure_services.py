"""scripts/ensure-services.sh changes no database authentication unless it is asked to (``--allow-root-tcp``)."""

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

FAKE_MYSQL = """#!/bin/sh
# A MariaDB that runs but lets root in by socket only: every TCP login fails; record what was asked.
echo "$*" >> "$CALLS"
case "$*" in *"-h 127.0.0.1"*) exit 1;; esac
exit 0
"""


def _run(tmp_path: Path, *args: str) -> tuple[subprocess.CompletedProcess, str]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    for name, body in {"mysql": FAKE_MYSQL, "mysqladmin": "#!/bin/sh\nexit 0\n"}.items():
        (bin_dir / name).write_text(body)
        (bin_dir / name).chmod(0o755)
    calls = tmp_path / "calls.txt"
    calls.write_text("")
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "CALLS": str(calls), "RABBITMQ_VHOSTS": ""}
    # wait_for polls for 30 s; a short-lived copy of the script that waits once keeps the test quick
    script = (ROOT / "scripts" / "ensure-services.sh").read_text().replace("seq 1 60", "seq 1 1")
    done = subprocess.run(["bash", "-c", script, "ensure-services", *args], env=env, capture_output=True, text=True,
                          timeout=120)  # fmt: skip
    return done, calls.read_text()


def test_without_the_flag_it_alters_no_user_and_says_why(tmp_path):
    done, calls = _run(tmp_path)
    assert done.returncode != 0
    assert "--allow-root-tcp" in done.stderr
    assert "ALTER USER" not in calls and "GRANT" not in calls


def test_with_the_flag_it_lets_root_in_over_tcp(tmp_path):
    _, calls = _run(tmp_path, "--allow-root-tcp")
    assert "ALTER USER" in calls and "GRANT ALL" in calls
