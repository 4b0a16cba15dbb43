"""The CEFR model in torch and in ONNX Runtime, as a worker runs it (one thread): same levels? cost per sentence?

``python -m bench.cefr_runtime [--threads 1] [--out bench/results/cefr-runtime.json]`` loads ``CEFR_MODEL_DIR``
with both runtimes (exporting the ONNX graph into a temporary folder, as a worker does at its first start), then

- classifies the whole dev set (shared/data/cefr/dev.csv) with both and reports the share of identical levels and
  the largest difference of a score (calibrated probability) and of a logit;
- times the CPU (process time, and wall time beside it) per sentence, alone (batch 1, the first ``--alone``
  sentences) and in batches of 32 (every sentence), the runtimes taking turns for ``--rounds`` rounds; the figure
  kept is each one's fastest round, the least disturbed by other work on the machine;
- does the same for an int8 (dynamically quantised) copy of the ONNX graph, the smaller file that could be
  committed instead of exported: how far its levels move from torch's.

Prints the result and writes it as JSON.
"""

import argparse
import csv
import json
import os
import platform
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")

BATCHES = (1, 32)


def main() -> None:
    import django

    django.setup()
    from django.conf import settings

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=settings.CEFR_TORCH_THREADS)
    parser.add_argument("--alone", type=int, default=300, help="sentences timed one at a time")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out", type=Path, default=settings.BASE_DIR / "bench" / "results" / "cefr-runtime.json")
    args = parser.parse_args()
    with (settings.SHARED_DIR / "data" / "cefr" / "dev.csv").open(newline="", encoding="utf-8") as fh:
        texts = [row["text"] for row in csv.DictReader(fh)]
    with tempfile.TemporaryDirectory() as cache:
        report = measure(Path(settings.CEFR_MODEL_DIR), Path(cache), texts, args)
    print(json.dumps(report, indent=2))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")


def measure(folder: Path, cache: Path, texts: list[str], args: argparse.Namespace) -> dict[str, Any]:
    import onnxruntime
    import torch

    from apps.cefr.fingerprint import fingerprint
    from apps.cefr.model import CefrModel
    from apps.cefr.onnx_runtime import OnnxCefrModel

    started = time.perf_counter()
    onnx = OnnxCefrModel.load(folder, cache, threads=args.threads)
    export_s = time.perf_counter() - started
    models = {"torch": CefrModel.load(folder, threads=args.threads, device="cpu"), "onnx": onnx}
    models["onnx-int8"] = _quantised(onnx, cache, args.threads)
    outputs = {name: _classify(model, texts) for name, model in models.items()}
    timings = {name: {f"batch_{b}": [] for b in BATCHES} for name in models}
    for _ in range(args.rounds):
        for name, model in models.items():
            timings[name]["batch_1"].append(_per_sentence(model, texts[: args.alone], 1))
            timings[name]["batch_32"].append(_per_sentence(model, texts, 32))
    best = {name: {b: min(runs, key=lambda r: r["cpu_ms"]) for b, runs in t.items()} for name, t in timings.items()}
    return {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": "python -m bench.cefr_runtime",
        "machine": {"cpus": os.cpu_count(), "processor": platform.processor() or platform.machine()},
        "versions": {"torch": torch.__version__, "onnxruntime": onnxruntime.__version__},
        "model": {"folder": str(folder), "fingerprint": fingerprint(folder)[:24], "temperature": onnx.temperature},
        "threads": args.threads,
        "sentences": len(texts),
        "onnx_export_s": round(export_s, 2),
        "onnx_file_mb": {
            "fp32": round(onnx.onnx_path.stat().st_size / 1e6, 1),
            "int8": round(models["onnx-int8"].onnx_path.stat().st_size / 1e6, 1),
        },
        "agreement_with_torch": {name: _agreement(outputs["torch"], outputs[name]) for name in ("onnx", "onnx-int8")},
        "ms_per_sentence": best,
        "speedup_onnx_over_torch": {
            b: round(best["torch"][b]["cpu_ms"] / best["onnx"][b]["cpu_ms"], 2) for b in best["torch"]
        },
        "rounds": args.rounds,
        "alone_sentences": args.alone,
    }


def _quantised(onnx: Any, cache: Path, threads: int) -> Any:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    from apps.cefr.onnx_runtime import OnnxCefrModel, _session

    target = cache / "int8.onnx"
    quantize_dynamic(str(onnx.onnx_path), str(target), weight_type=QuantType.QInt8)
    model = OnnxCefrModel(_session(target, threads, ["CPUExecutionProvider"]), onnx.tokenizer, _config(onnx), onnx.path)
    model.onnx_path = target
    return model


def _config(model: Any) -> Any:
    from apps.cefr.inference import ModelConfig

    return ModelConfig(model.max_length, model.temperature)


def _classify(model: Any, texts: list[str]) -> dict[str, Any]:
    import numpy as np

    logits = np.concatenate([model.logits(texts[i : i + 32]) for i in range(0, len(texts), 32)])
    return {
        "logits": logits,
        "results": [r for i in range(0, len(texts), 32) for r in model.predict(texts[i : i + 32])],
    }


def _agreement(reference: dict[str, Any], other: dict[str, Any]) -> dict[str, Any]:
    import numpy as np

    pairs = list(zip(reference["results"], other["results"], strict=True))
    same = sum(a["level"] == b["level"] for a, b in pairs)
    return {
        "identical_levels_pct": round(100 * same / len(pairs), 2),
        "different_levels": len(pairs) - same,
        "max_abs_score_diff": float(max(abs(a["scores"][k] - b["scores"][k]) for a, b in pairs for k in a["scores"])),
        "max_abs_logit_diff": float(np.abs(reference["logits"] - other["logits"]).max()),
    }


def _per_sentence(model: Any, texts: list[str], batch: int) -> dict[str, float]:
    model.predict(texts[:batch])  # warm-up at this shape
    wall, cpu = time.perf_counter(), time.process_time()
    for i in range(0, len(texts), batch):
        model.predict(texts[i : i + batch])
    return {
        "cpu_ms": round((time.process_time() - cpu) * 1000 / len(texts), 3),
        "wall_ms": round((time.perf_counter() - wall) * 1000 / len(texts), 3),
    }


if __name__ == "__main__":
    main()
