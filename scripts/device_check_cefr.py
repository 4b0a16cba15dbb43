"""Check that the CEFR model runs on a GPU and agrees with the CPU (``python scripts/device_check_cefr.py [OUT]``).

Needs torch and transformers only (no Django, no services), so it runs on a bare accelerator machine. It loads
``models/cefr-minilm`` on the CPU and on ``cuda``, classifies the dev sentences on both, and reports how often the
levels agree, the largest probability difference, and the cost per sentence by batch size on each device. The
result is printed and written as JSON to OUT (a folder), when given.
"""

import csv
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import torch  # noqa: E402

from apps.cefr.model import CefrModel  # noqa: E402


def sentences() -> list[str]:
    for path in (ROOT.parent / "shared/data/cefr/dev.csv", ROOT / "shared/data/cefr/dev.csv"):
        if path.is_file():
            with path.open() as fh:
                return [row["text"] for row in csv.DictReader(fh)]
    # No data on this machine: varied sentences of our own (the comparison does not need labels).
    words = "the learner wrote a short story about her family and their holiday near the sea last summer".split()
    return [" ".join(words[: 3 + i % len(words)]) + f" ({i})." for i in range(512)]


def per_sentence_ms(model: CefrModel, texts: list[str], batch: int, sync) -> float:
    model.predict(texts[:batch])  # warm-up at this shape
    sync()
    started, done = time.perf_counter(), 0
    while done < len(texts):
        model.predict(texts[done : done + batch])
        done += batch
    sync()
    return (time.perf_counter() - started) * 1000 / done


def main(out: str | None) -> int:
    texts = sentences()[:512]
    report: dict = {"torch": torch.__version__, "cuda_available": torch.cuda.is_available(), "sentences": len(texts)}
    if not torch.cuda.is_available():
        print(json.dumps(report))
        return 1
    report["gpu"] = torch.cuda.get_device_name(0)
    cpu = CefrModel.load(ROOT / "models/cefr-minilm", threads=4, device="cpu")
    gpu = CefrModel.load(ROOT / "models/cefr-minilm", device="cuda")
    assert next(gpu.model.parameters()).device.type == "cuda"
    on_cpu = [r for i in range(0, len(texts), 64) for r in cpu.predict(texts[i : i + 64])]
    on_gpu = [r for i in range(0, len(texts), 64) for r in gpu.predict(texts[i : i + 64])]
    report["levels_agree"] = sum(a["level"] == b["level"] for a, b in zip(on_cpu, on_gpu, strict=True)) / len(texts)
    report["max_probability_diff"] = max(
        abs(a["scores"][k] - b["scores"][k]) for a, b in zip(on_cpu, on_gpu, strict=True) for k in a["scores"]
    )
    report["ms_per_sentence"] = {
        "cpu": {b: round(per_sentence_ms(cpu, texts[:128], b, lambda: None), 3) for b in (1, 32)},
        "cuda": {b: round(per_sentence_ms(gpu, texts, b, torch.cuda.synchronize), 3) for b in (1, 32, 128, 512)},
    }
    print(json.dumps(report, indent=2))
    if out:
        Path(out, "device_check_cefr.json").write_text(json.dumps(report, indent=2))
    return 0 if report["levels_agree"] >= 0.99 and report["max_probability_diff"] < 0.01 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else None))
