"""``manage.py cefr_eval FILE.csv``: score the CEFR model on a labelled CSV."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.cefr.data import read_labelled_csv
from apps.cefr.evaluation import evaluate_model, report_lines


class Command(BaseCommand):
    help = (
        "Score the CEFR model on a text,level CSV (optional level_low,level_high columns for lenient scores). "
        "The last line is 'accuracy=0.xxx macro_f1=0.xxx within1=0.xxx lenient_accuracy=0.xxx lenient_macro_f1=0.xxx "
        "a1_recall=0.xxx c2_recall=0.xxx ece=0.xxx'."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="CSV with text,level[,level_low,level_high]")
        parser.add_argument("--model", type=Path, default=None, help="model folder (default: models/cefr-minilm)")

    def handle(self, *args, **options):
        from apps.cefr.model import CefrModel, ModelUnavailable

        try:
            data = read_labelled_csv(options["file"])
        except (OSError, ValueError) as exc:
            raise CommandError(f"cannot read {options['file']}: {exc}") from exc
        if not data.rows:
            raise CommandError(f"{options['file']} has no rows to score")
        try:
            model = CefrModel.load(options["model"])
        except ModelUnavailable as exc:
            raise CommandError(str(exc)) from exc
        for line in report_lines(evaluate_model(model, data)):
            self.stdout.write(line)
