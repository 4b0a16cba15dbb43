"""A web process loads the word-level tools at start, not in the first learner message (checked in a fresh
interpreter)."""

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
    before = "cefrpy" in sys.modules
    from project.warmup import warm_up
    warm_up()
    from apps.ocr.vocabulary import _analyzer
    print(json.dumps({"before": before, "after": "cefrpy" in sys.modules, "loaded": _analyzer.cache_info().currsize}))
    """
)


def test_the_warm_up_loads_cefrpy_and_simplemma():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "project.settings"}
    out = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert json.loads(out.stdout.strip().splitlines()[-1]) == {"before": False, "after": True, "loaded": 1}
