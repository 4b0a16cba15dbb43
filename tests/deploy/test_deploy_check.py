"""`make deploy-check` end to end: nginx, two gunicorn masters and the worker pools on loopback (about 40 s).

The check uses its own database (lingua_deploycheck) and Redis database (12), not the suite's.
"""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHECKS = ["static", "ready", "small-body", "websocket", "cache", "metrics", "413", "upload-15mb", "cleanup"]


@pytest.mark.timeout(330)
def test_deploy_check_passes():
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "deploy_check.py")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    lines = result.stdout.splitlines()
    for check in CHECKS:
        assert any(line.startswith(f"PASS {check}: ") for line in lines), f"no PASS line for {check}:\n{output}"
    assert not any(line.startswith("FAIL") for line in lines), output
    assert "deploy-check passed" in result.stdout
