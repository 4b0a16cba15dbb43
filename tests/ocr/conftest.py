"""Paths of the real OCR samples (read from shared/, never copied into the repository)."""

from pathlib import Path

import pytest
from django.conf import settings


def _ocr_data() -> Path:
    return Path(settings.SHARED_DIR) / "data" / "ocr"


@pytest.fixture
def images_dir() -> Path:
    path = _ocr_data() / "images"
    assert path.is_dir(), f"OCR sample images not found at {path} (settings.SHARED_DIR)"
    return path


@pytest.fixture
def pdfs_dir() -> Path:
    path = _ocr_data() / "pdfs"
    assert path.is_dir(), f"OCR sample PDFs not found at {path} (settings.SHARED_DIR)"
    return path
