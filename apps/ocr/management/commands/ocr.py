"""``python manage.py ocr FILE ...``: recognise files locally and print one JSON object per file (the API's schema)."""

import json
import time
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
    """Recognise one file in the API's shape: an image as ``POST /api/ocr/image`` answers (``text``, ``lines``,
    ``words``, ``width``, ``height``, ``seconds``), a PDF as a document's ``pages`` and ``words`` (plus ``text``).
    The engine is built only when a page needs OCR. Raises ``OSError`` when unreadable, the upload errors for bad
    content."""
    from apps.ocr import imaging, pages
    from apps.ocr.engines import get_engine
    from apps.ocr.services import inspect
    from apps.ocr.vocabulary import vocabulary_of_pages

    upload = inspect(path.name, path.read_bytes())
    started = time.perf_counter()
    if upload.format == "pdf":
        results = [
            {"number": index + 1, **pages.recognise_pdf_page(upload.data, index, lambda: get_engine(engine_name))}
            for index in range(upload.pages)
        ]
    else:
        results = [{"number": 1, **pages.recognise_image(imaging.open_image(upload.data), get_engine(engine_name))}]
    words = vocabulary_of_pages([(page["text"], page["lines"]) for page in results])
    elapsed_ms = round((time.perf_counter() - started) * 1000, 1)
    for page in results:
        page["elapsed_ms"] = round(page["seconds"]["total"] * 1000, 1)
    head = {"file": str(path), "engine": engine_name}
    if upload.format != "pdf":
        page = results[0]
        fields = ("text", "lines", "width", "height", "seconds")
        return {**head, **{key: page[key] for key in fields}, "words": words, "elapsed_ms": elapsed_ms}
    text = "\n".join(page["text"] for page in results)
    return {**head, "text": text, "pages": results, "words": words, "elapsed_ms": elapsed_ms}
