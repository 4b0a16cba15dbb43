"""Measuring OCR engines against ground truth: character error rate, word recall and time per image.

Used by ``manage.py ocr_measure`` on settings.SHARED_DIR/data/ocr: images with ``NAME.gt.txt`` transcriptions, and
PDFs whose embedded text layer is the reference for the OCR of their rendered pages.
"""

from __future__ import annotations

import statistics
import time
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from apps.ocr import imaging, pdf
from apps.ocr.engines import OcrEngine

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")
# (file name, 0-based pages) of the PDFs whose rendered pages are OCR'd and compared with their text layer.
PDF_PAGES = (("issue-598-example.pdf", (0,)), ("federal-register-2020-17221.pdf", (0, 1)))
_PUNCTUATION = "\"'`.,;:!?()[]{}<>«»“”‘’•·*_-–—/\\|"


def normalise(text: str) -> str:
    """Lowercase and collapse every run of whitespace (newlines included) into one space."""
    return " ".join(text.lower().split())


def cer(hypothesis: str, reference: str) -> float:
    """Return the edit distance between the normalised texts divided by the reference's length (0 is perfect)."""
    ref = normalise(reference)
    return Levenshtein.distance(normalise(hypothesis), ref) / max(len(ref), 1)


def words(text: str) -> list[str]:
    """Return the lowercased words of ``text``, with punctuation around each stripped and empty ones dropped."""
    return [w for w in (token.strip(_PUNCTUATION) for token in text.lower().split()) if w]


def word_recall(hypothesis: str, reference: str) -> float:
    """Return the share of the reference's words (with repeats) that the hypothesis also has (1.0 is perfect)."""
    ref = Counter(words(reference))
    total = sum(ref.values())
    if not total:
        return 1.0
    found = ref & Counter(words(hypothesis))
    return sum(found.values()) / total


@dataclass
class Score:
    """One measured sample: its name, CER (None where only recall is meaningful), word recall and seconds."""

    name: str
    cer: float | None
    recall: float
    seconds: float


def image_samples(images_dir: Path) -> list[tuple[Path, Path]]:
    """Return (image, ground-truth) path pairs, sorted by name, for every image that has a NAME.gt.txt."""
    pairs = []
    for path in sorted(images_dir.iterdir()):
        truth = path.with_name(f"{path.stem}.gt.txt")
        if path.suffix.lower() in IMAGE_SUFFIXES and truth.is_file():
            pairs.append((path, truth))
    return pairs


def measure_images(engine: OcrEngine, samples: list[tuple[Path, Path]]) -> list[Score]:
    """Recognise each image (after one untimed warm-up run) and score it against its ground truth."""
    if samples:
        engine.recognize(imaging.open_image(samples[0][0].read_bytes()))
    scores = []
    for image_path, truth_path in samples:
        image = imaging.open_image(image_path.read_bytes())
        reference = truth_path.read_text(encoding="utf-8")
        started = time.perf_counter()
        result = engine.recognize(image)
        elapsed = time.perf_counter() - started
        scores.append(Score(image_path.name, cer(result.text, reference), word_recall(result.text, reference), elapsed))
    return scores


def measure_pdfs(engine: OcrEngine, pdfs_dir: Path, dpi: float) -> list[Score]:
    """OCR the rendered pages listed in PDF_PAGES and score their word recall against each page's text layer."""
    scores = []
    for name, pages in PDF_PAGES:
        path = pdfs_dir / name
        if not path.is_file():
            continue
        data = path.read_bytes()
        for index in pages:
            reference = pdf.text_layer(data, index) or ""
            image = pdf.render_page(data, index, dpi)
            started = time.perf_counter()
            result = engine.recognize(image)
            elapsed = time.perf_counter() - started
            scores.append(Score(f"{name}#{index + 1}", None, word_recall(result.text, reference), elapsed))
    return scores


def summary(images: list[Score], pdfs: list[Score]) -> dict:
    """Return overall figures: mean CER and word recall over images, median seconds per image, PDF recall."""
    out: dict = {"images": len(images), "pdf_pages": len(pdfs)}
    if images:
        out["cer"] = round(statistics.fmean(s.cer for s in images if s.cer is not None), 4)
        out["word_recall"] = round(statistics.fmean(s.recall for s in images), 4)
        out["seconds_per_image_median"] = round(statistics.median(s.seconds for s in images), 3)
    if pdfs:
        out["pdf_word_recall"] = round(statistics.fmean(s.recall for s in pdfs), 4)
        out["pdf_seconds_per_page_median"] = round(statistics.median(s.seconds for s in pdfs), 3)
    return out


def as_dicts(scores: list[Score]) -> list[dict]:
    """Return the scores as plain dicts (rounded) for JSON output."""
    return [{k: (round(v, 4) if isinstance(v, float) else v) for k, v in asdict(score).items()} for score in scores]
