"""Inference with the fine-tuned CEFR classifier (a BERT sequence classifier saved by ``build_cefr_model``) in
torch, and its export to ONNX (``onnx_runtime`` serves that file on the CPU).

This is the only place besides ``training`` that imports torch and transformers; import it lazily from worker code,
never from the web process.
"""

import logging
import os
import warnings
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import torch  # noqa: E402
from transformers import AutoModelForSequenceClassification, AutoTokenizer  # noqa: E402
from transformers.utils import logging as hf_logging  # noqa: E402

from apps.cefr import inference  # noqa: E402
from apps.cefr.inference import MAX_LENGTH, REQUIRED_FILES, ModelUnavailable  # noqa: E402, F401
from apps.cefr.levels import LEVELS  # noqa: E402

logger = logging.getLogger(__name__)

MAX_THREADS = 2
ONNX_INPUTS = ("input_ids", "attention_mask", "token_type_ids")
ONNX_OPSET = 17


def default_model_path() -> Path:
    """Return settings.CEFR_MODEL_DIR when that setting exists, else BASE_DIR / "models/cefr-minilm"."""
    from django.conf import settings

    configured = getattr(settings, "CEFR_MODEL_DIR", None)
    return Path(configured) if configured else Path(settings.BASE_DIR) / "models" / "cefr-minilm"


def resolve_device(name: str) -> torch.device:
    """``"auto"``: the first CUDA GPU when torch sees one, else the CPU; otherwise the torch device named."""
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        device = torch.device(name)
    except RuntimeError as exc:
        raise ModelUnavailable(f"CEFR_DEVICE {name!r} is not a torch device: {exc}") from None
    if device.type == "cuda" and not torch.cuda.is_available():
        raise ModelUnavailable(f"CEFR_DEVICE is {name!r} but torch sees no CUDA GPU")
    return device


def limit_threads(threads: int = MAX_THREADS) -> None:
    """Cap torch's intra-op threads at ``threads`` (process-wide); never raises the current count."""
    if torch.get_num_threads() > threads:
        torch.set_num_threads(threads)


class CefrModel:
    """A loaded classifier; ``predict`` is safe to call from several threads (inference only, no state changes)."""

    runtime = "torch"

    def __init__(
        self, model: Any, tokenizer: Any, config: inference.ModelConfig, path: Path, device: torch.device
    ) -> None:
        self.model = model
        self.tokenizer = tokenizer
        self.max_length = config.max_length
        self.temperature = config.temperature
        self.path = path
        self.device = device

    @classmethod
    def load(cls, path: str | Path | None = None, threads: int = MAX_THREADS, device: str = "cpu") -> "CefrModel":
        """Load the model folder at ``path`` (default: ``default_model_path()``) in float32 on ``device`` (see
        ``resolve_device``), ready for ``predict``.

        Raises ModelUnavailable, naming the folder and the cause, when the folder or one of its files is missing,
        when a file cannot be parsed, or when the weights or labels do not match a six-level classifier.
        """
        folder = Path(path) if path is not None else default_model_path()
        inference.check_files(folder)
        limit_threads(threads)
        try:
            model, tokenizer = _load_pretrained(folder)
        except ModelUnavailable:
            raise
        except Exception as exc:  # any parse or shape error means the folder is unusable
            raise ModelUnavailable(f"CEFR model in {folder} is corrupt or unreadable: {exc}") from exc
        _check_labels(folder, model.config)
        config = inference.read_config(folder)
        where = resolve_device(device)
        model.to(where)
        logger.info("loaded CEFR model from %s on %s with torch (%s)", folder, where, config)
        return cls(model, tokenizer, config, folder, where)

    def predict(self, texts: list[str]) -> list[dict[str, Any]]:
        """Classify ``texts`` in one batched forward pass.

        Returns one ``{"level": "B1", "scores": {"A1": p, ..., "C2": p}}`` per text, in input order; scores are
        calibrated probabilities (``softmax(logits / temperature)``) in LEVELS order that sum to 1. Texts longer
        than ``max_length`` tokens are truncated. Raises ValueError for a text that is not a string or is
        empty/whitespace only.
        """
        inference.check_texts(texts)
        if not texts:
            return []
        return inference.results(self.logits(texts), self.temperature)

    def logits(self, texts: list[str]) -> Any:
        """The raw logits of ``texts`` (one forward pass) as a float32 numpy array of shape (len(texts), 6)."""
        encoded = self.tokenizer(
            list(texts), padding=True, truncation=True, max_length=self.max_length, return_tensors="pt"
        )
        with torch.inference_mode():
            return self.model(**encoded.to(self.device)).logits.float().cpu().numpy()

    def export_onnx(self, target: Path) -> None:
        """Write the classifier as an ONNX graph (inputs ONNX_INPUTS, output ``logits``; batch and sequence axes
        dynamic) to ``target``. The model stays in eval mode on its device."""
        example = self.tokenizer(["An example.", "A longer example sentence."], padding=True, return_tensors="pt")
        wrapper = _Logits(self.model).eval()
        axes = {name: {0: "batch", 1: "sequence"} for name in ONNX_INPUTS} | {"logits": {0: "batch"}}
        with warnings.catch_warnings(), torch.inference_mode(False), torch.no_grad():
            warnings.simplefilter("ignore")  # the tracer's notes about Python control flow on shapes
            torch.onnx.export(
                wrapper,
                tuple(example[name].to(self.device) for name in ONNX_INPUTS),
                str(target),
                input_names=list(ONNX_INPUTS),
                output_names=["logits"],
                dynamic_axes=axes,
                opset_version=ONNX_OPSET,
                dynamo=False,  # the TorchScript exporter: the dynamo one needs onnxscript, which we do not ship
            )
        self.model.eval()  # export restores the wrapper's mode; keep inference deterministic whatever it did


class _Logits(torch.nn.Module):
    """The classifier with positional inputs and the logits tensor as its only output (what ONNX export needs)."""

    def __init__(self, model: Any) -> None:
        super().__init__()
        self.model = model

    def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
        return self.model(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).logits


def _load_pretrained(folder: Path) -> tuple[Any, Any]:
    progress_was_enabled = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()
    try:
        tokenizer = AutoTokenizer.from_pretrained(folder)
        model, info = AutoModelForSequenceClassification.from_pretrained(
            folder, dtype=torch.float32, output_loading_info=True
        )
    finally:
        if progress_was_enabled:
            hf_logging.enable_progress_bar()
    incomplete = info.get("missing_keys") or info.get("mismatched_keys")
    if incomplete:
        raise ModelUnavailable(f"CEFR model weights in {folder} are incomplete: {sorted(incomplete)[:5]}")
    return model.eval(), tokenizer


def _check_labels(folder: Path, config: Any) -> None:
    labels = tuple(config.id2label[index] for index in range(len(config.id2label)))
    if labels != LEVELS:
        raise ModelUnavailable(f"CEFR model in {folder} has labels {labels}; expected {LEVELS}")
