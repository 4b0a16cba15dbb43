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
