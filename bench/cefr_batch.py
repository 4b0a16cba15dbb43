"""The CEFR model's cost per sentence by batch size, in process (no web, no broker): what micro-batching can gain.

``python -m bench.cefr_batch [THREADS]`` loads ``CEFR_MODEL_DIR`` with THREADS torch threads (default 1, as the
worker runs it) and times 128 dev sentences at batch sizes 1 to 64.
"""

import csv
import os
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")


def main() -> None:
    import django

    django.setup()
    from django.conf import settings

    from apps.cefr.model import CefrModel

    threads = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    with (settings.SHARED_DIR / "data" / "cefr" / "dev.csv").open() as fh:
        texts = [row["text"] for row in csv.DictReader(fh)][:128]
    model = CefrModel.load(threads=threads)
    model.predict(texts[:8])  # warm-up
    for size in (1, 4, 8, 16, 32, 64):
        started = time.perf_counter()
        for i in range(0, len(texts), size):
            model.predict(texts[i : i + size])
        print(f"batch {size:>2}: {(time.perf_counter() - started) / len(texts) * 1000:6.2f} ms per sentence")


if __name__ == "__main__":
    main()
