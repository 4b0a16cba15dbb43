"""What can be wrong with an uploaded file; each maps to the API's error envelope with its status."""

from apps.core.errors import ApiError, Unprocessable


class FileTooLarge(ApiError):
    """Raised when a file is over the byte limit, or an image decodes to more pixels than allowed (a bomb)."""

    status = 413


class UnsupportedMediaType(ApiError):
    """Raised when the content is neither a supported image format nor a PDF, whatever its name or type says."""

    status = 415


class CorruptFile(Unprocessable):
    """Raised when a file of a supported type is truncated or cannot be decoded."""


class BadPdf(Unprocessable):
    """Raised when a PDF is encrypted, has too many pages, or has absurd page sizes."""


class QuotaExceeded(ApiError):
    """Raised when an upload would take a user's stored OCR files past ``OCR_USER_QUOTA_MB``."""

    status = 413
    code = "quota_exceeded"

    def __init__(self, used: int, quota: int, upload: int):
        super().__init__(
            f"This upload ({_mb(upload)}) would pass your OCR storage quota: {_mb(used)} of {_mb(quota)} used. "
            "Delete documents you no longer need (DELETE /api/ocr/documents/{id}) to free space; "
            "GET /api/ocr/usage shows what is used.",
            detail={"used_bytes": used, "quota_bytes": quota, "upload_bytes": upload},
        )


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"
