"""How the band rule (apps/cefr/bands.py) behaves on the dev set at several ratios, against the two annotators.

``python -m bench.cefr_bands [--out bench/results/cefr-bands.json]`` classifies shared/data/cefr/dev.csv with the
served model (ONNX Runtime, one thread, calibrated with the folder's ``cefr_temperature``) and reports per ratio:

- ``band_pct``: sentences shown two levels;
- ``hit_pct``: sentences whose shown level or band shares a level with the annotators' range (level_low..level_high);
  the single level's figure is the ``ratio=1.0`` row (a band only on an exact tie);
- ``exact_pct``: the shown band is exactly the annotators' pair ("B1-B2" where they said B1 and B2, "B1" where both
  said B1);
- ``annotators_disagree_in_band_pct``: of the sentences shown a band, those whose annotators disagree (dev-wide share
  in ``annotators_disagree_pct``): a band should go where people hesitate too.
"""

import argparse
import csv
import json
import os
import tempfile
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")

RATIOS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1.0)


def main() -> None:
    import django

    django.setup()
    from django.conf import settings

    from apps.cefr.fingerprint import fingerprint
    from apps.cefr.serving import load_model

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=settings.BASE_DIR / "bench" / "results" / "cefr-bands.json")
    args = parser.parse_args()
    with (settings.SHARED_DIR / "data" / "cefr" / "dev.csv").open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    with tempfile.TemporaryDirectory() as cache:
        model = load_model(Path(settings.CEFR_MODEL_DIR), Path(cache), threads=1, device="cpu", runtime="onnx")
        texts = [row["text"] for row in rows]
        scores = [r["scores"] for i in range(0, len(texts), 32) for r in model.predict(texts[i : i + 32])]
    report = {
        "command": "python -m bench.cefr_bands",
        "model": {"fingerprint": fingerprint(Path(settings.CEFR_MODEL_DIR))[:24], "temperature": model.temperature},
        "sentences": len(rows),
        "annotators_disagree_pct": _pct(sum(r["level_low"] != r["level_high"] for r in rows), len(rows)),
        "by_ratio": {str(ratio): _at(ratio, rows, scores) for ratio in RATIOS},
    }
    print(json.dumps(report, indent=2))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")


def _at(ratio: float, rows: list[dict[str, str]], scores: list[dict[str, float]]) -> dict[str, float]:
    from apps.cefr.bands import band
    from apps.cefr.levels import LEVEL_INDEX

    shown = [band(s, ratio=ratio) for s in scores]
    banded = [(b, r) for b, r in zip(shown, rows, strict=True) if "-" in b]
    hits = exact = 0
    for b, row in zip(shown, rows, strict=True):
        low, high = LEVEL_INDEX[row["level_low"]], LEVEL_INDEX[row["level_high"]]
        hits += any(low <= LEVEL_INDEX[level] <= high for level in b.split("-"))
        exact += b == (row["level_low"] if low == high else f"{row['level_low']}-{row['level_high']}")
    return {
        "band_pct": _pct(len(banded), len(rows)),
        "hit_pct": _pct(hits, len(rows)),
        "exact_pct": _pct(exact, len(rows)),
        "annotators_disagree_in_band_pct": _pct(sum(r["level_low"] != r["level_high"] for _, r in banded), len(banded)),
    }


def _pct(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


if __name__ == "__main__":
    main()
