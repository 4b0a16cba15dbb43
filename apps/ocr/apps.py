from django.apps import AppConfig


class OcrConfig(AppConfig):
    """The OCR app; OCR engines are imported lazily inside worker processes, never by the web process."""

    name = "apps.ocr"
    label = "ocr"
    verbose_name = "OCR"
