"""What a web process loads at start (``project.warmup``), checked in a fresh interpreter."""

import json
import os
import subprocess
import sys
import textwrap

CHECK = textwrap.dedent(
    """
    import json, sys
    import django
    django.setup()
    from PIL import Image
    before = {"pdfium": "pypdfium2" in sys.modules, "plugins": Image._initialized}
    from project.warmup import warm_up
    warm_up()
    after = {"pdfium": "pypdfium2" in sys.modules, "plugins": Image._initialized,
             "urlconf": "project.urls" in sys.modules, "ocr_api": "apps.ocr.api" in sys.modules}
    print(json.dumps({"before": before, "after": after}))
    """
)


def test_a_web_process_loads_the_urlconf_and_the_upload_checks_at_start():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "project.settings"}
    out = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    state = json.loads(out.stdout.strip().splitlines()[-1])
    assert state["before"] == {"pdfium": False, "plugins": 0}  # nothing loaded them before
    assert state["after"] == {"pdfium": True, "plugins": 2, "urlconf": True, "ocr_api": True}
