"""``manage.py calibrate_cefr_model``: fit the serving temperature of a built CEFR model on dev and re-score it."""

import json
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.cefr.data import read_labelled_csv
from apps.cefr.evaluation import report_lines


class Command(BaseCommand):
    help = (
        "Fit the temperature of a built CEFR model on a labelled dev CSV (cefr_temperature in its config.json), "
        "re-score it, and refresh its metrics.json and model card."
    )

    def add_arguments(self, parser):
        dev = Path(settings.SHARED_DIR) / "data" / "cefr" / "dev.csv"
        parser.add_argument("--dev", type=Path, default=dev, help="text,level,level_low,level_high CSV")
        parser.add_argument("--model", type=Path, default=None, help="model folder (default: models/cefr-minilm)")
        parser.add_argument("--seed", type=int, default=0, help="seed of the random split into two dev halves")
        parser.add_argument("--threads", type=int, default=2, help="torch CPU threads")

    def handle(self, *args, **options):
        from apps.cefr import export
        from apps.cefr.model import ModelUnavailable, default_model_path

        try:
            dev_set = read_labelled_csv(options["dev"])
        except (OSError, ValueError) as exc:
            raise CommandError(f"cannot read {options['dev']}: {exc}") from exc
        if not dev_set.rows:
            raise CommandError(f"{options['dev']} has no rows")
        folder = (options["model"] or default_model_path()).resolve()
        try:
            report, figures = export.calibrate_folder(folder, dev_set, options["seed"], options["threads"])
        except ModelUnavailable as exc:
            raise CommandError(str(exc)) from exc
        metrics_path = folder / "metrics.json"
        if metrics_path.is_file():
            info = json.loads(metrics_path.read_text(encoding="utf-8"))
            info["dev"] = {name: round(value, 4) for name, value in report.metrics.items()}
            info["dev"]["ece"] = figures["ece_after"]
            info["dev_confusion"] = report.confusion
            info["calibration"] = figures
            info["rescored"] = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
            export.write_metrics(folder, info)
            export.write_model_card(folder, info)
        for line in report_lines(report):
            self.stdout.write(line)
        self.stdout.write(
            f"cefr_temperature {figures['temperature']} written to {folder / 'config.json'}: dev ECE "
            f"{figures['ece_before']:.3f} before, {figures['ece_after']:.3f} after (cross-fitted on dev halves)"
        )
