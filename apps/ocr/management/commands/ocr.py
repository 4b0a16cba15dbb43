"""``python manage.py ocr FILE ...``: recognise files locally and print one JSON object per file (the API's schema)."""

import json
import time
from dataclasses import asdict
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.core.errors import ApiError


class Command(BaseCommand):
    help = "Recognise images or PDFs with the configured OCR engine; one JSON object per file on stdout."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument("--engine", choices=["onnx", "paddle"], default=None)

    def handle(self, *args, files: list[Path], engine: str | None, **options):
        failed = 0
        for path in files:
            try:
                self.stdout.write(json.dumps(recognise_file(path, engine or settings.OCR_ENGINE), ensure_ascii=False))
            except (OSError, ApiError) as exc:
                failed += 1
                self.stderr.write(f"{path}: {getattr(exc, 'message', None) or exc}")
        if failed:
            raise CommandError(f"{failed} of {len(files)} files could not be recognised")


def recognise_file(path: Path, engine_name: str) -> dict:
    """Recognise one file; raises ``OSError`` when unreadable and the upload errors for bad content."""
    from apps.ocr import imaging, pdf
    from apps.ocr.engines import get_engine
    from apps.ocr.services import inspect
    from apps.ocr.vocabulary import vocabulary

    upload = inspect(path.name, path.read_bytes())
    engine = get_engine(engine_name)
    started = time.perf_counter()
    if upload.format == "pdf":
        texts, lines = [], []
        for index in range(upload.pages):
            layer = pdf.text_layer(upload.data, index)
            if layer is not None:
                texts.append(layer)
                continue
            result = engine.recognize(pdf.render_page(upload.data, index, settings.OCR_PDF_DPI))
            texts.append(result.text)
            lines += [{**asdict(line), "page": index + 1} for line in result.lines]
        text = "\n".join(texts)
    else:
        result = engine.recognize(imaging.open_image(upload.data))
        text, lines = result.text, [asdict(line) for line in result.lines]
    return {
        "file": str(path),
        "text": text,
        "lines": lines,
        "words": vocabulary(text),
        "engine": engine.name,
        "elapsed_ms": round((time.perf_counter() - started) * 1000, 1),
    }
