"""Measure the OCR engines on the real samples in shared/data/ocr: CER, word recall and seconds per image."""

import json
import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.ocr.engines import ENGINE_NAMES, EngineUnavailable, build_engine


class Command(BaseCommand):
    help = (
        "Run each OCR engine over SHARED_DIR/data/ocr/images (against NAME.gt.txt) and over rendered PDF pages "
        "(against their text layer); print per-sample and overall figures, then one JSON summary line."
    )

    def add_arguments(self, parser):
        parser.add_argument("--engine", choices=[*ENGINE_NAMES, "all"], default="all")
        parser.add_argument("--data", type=Path, default=None, help="folder holding images/ and pdfs/")
        parser.add_argument("--no-pdf", action="store_true", help="skip the PDF pages")

    def handle(self, *args, **options):
        from apps.ocr import evaluation  # imports rapidfuzz; only this command needs it

        data = options["data"] or Path(settings.SHARED_DIR) / "data" / "ocr"
        samples = evaluation.image_samples(data / "images") if (data / "images").is_dir() else []
        if not samples:
            raise CommandError(f"no images with ground truth under {data / 'images'}")
        names = ENGINE_NAMES if options["engine"] == "all" else (options["engine"],)
        load = os.getloadavg()[0]
        if load > 1.0:
            self.stderr.write(f"warning: load average {load:.2f} > 1: timings are unreliable")
        engines: dict[str, dict] = {}
        results = {"load_average": round(load, 2), "threads": settings.OCR_THREADS, "engines": engines}
        for name in names:
            try:
                engine = build_engine(name)  # OCR_THREADS threads: comparable timings
            except EngineUnavailable as exc:
                self.stderr.write(f"{name}: unavailable: {exc}")
                engines[name] = {"error": str(exc)}
                continue
            images = evaluation.measure_images(engine, samples)
            pdfs = [] if options["no_pdf"] else evaluation.measure_pdfs(engine, data / "pdfs", settings.OCR_PDF_DPI)
            self._report(name, images, pdfs, evaluation)
            engines[name] = {
                **evaluation.summary(images, pdfs),
                "per_image": evaluation.as_dicts(images),
                "per_pdf_page": evaluation.as_dicts(pdfs),
            }
        self.stdout.write(json.dumps(results, sort_keys=True))

    def _report(self, name, images, pdfs, evaluation):
        self.stdout.write(f"== {name}")
        for score in images:
            self.stdout.write(f"  {score.name:24} CER {score.cer:.3f}  recall {score.recall:.3f}  {score.seconds:.2f}s")
        for score in pdfs:
            self.stdout.write(f"  {score.name:36} recall {score.recall:.3f}  {score.seconds:.2f}s")
        overall = evaluation.summary(images, pdfs)
        self.stdout.write(
            f"  overall: CER {overall['cer']:.3f}  word recall {overall['word_recall']:.3f}  "
            f"{overall['seconds_per_image_median']:.2f} s/image (median, warm)"
            + (f"  PDF word recall {overall['pdf_word_recall']:.3f}" if pdfs else "")
        )
