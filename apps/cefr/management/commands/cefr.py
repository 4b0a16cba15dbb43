"""``manage.py cefr "sentence" ...``: print the CEFR level and scores of each sentence as JSON lines."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = 'Classify sentences by CEFR level; prints one {"text", "level", "scores"} JSON object per line.'

    def add_arguments(self, parser):
        parser.add_argument("texts", nargs="+", help="sentences to classify")
        parser.add_argument("--model", type=Path, default=None, help="model folder (default: models/cefr-minilm)")

    def handle(self, *args, **options):
        texts = options["texts"]
        empty = [position + 1 for position, text in enumerate(texts) if not text.strip()]
        if empty:
            raise CommandError(f"text {', '.join(map(str, empty))} is empty; give non-blank sentences")
        from apps.cefr.model import CefrModel, ModelUnavailable

        try:
            model = CefrModel.load(options["model"])
        except ModelUnavailable as exc:
            raise CommandError(str(exc)) from exc
        for text, result in zip(texts, model.predict(texts), strict=True):
            scores = {level: round(p, 4) for level, p in result["scores"].items()}
            self.stdout.write(json.dumps({"text": text, "level": result["level"], "scores": scores}))
