from datetime import datetime
from uuid import UUID

from ninja import Schema


class LineWordOut(Schema):
    text: str
    box: list[list[int]]
    confidence: float


class LineOut(Schema):
    text: str
    confidence: float
    box: list[list[int]]
    words: list[LineWordOut] = []


class OccurrenceOut(Schema):
    page: int
    line: int
    word: int


class WordOut(Schema):
    word: str
    count: int
    cefr: str
    occurrences: list[OccurrenceOut] = []


class PageSecondsOut(Schema):
    read: float = 0.0
    render: float = 0.0
    detect: float = 0.0
    classify: float = 0.0
    recognize: float = 0.0
    layout: float = 0.0
    total: float = 0.0


class ImageResultOut(Schema):
    text: str
    lines: list[LineOut]
    words: list[WordOut]
    engine: str
    elapsed_ms: float
    width: int
    height: int
    seconds: PageSecondsOut
    document_id: UUID


class DocumentAccepted(Schema):
    job_id: UUID
    document_id: UUID
    status: str


class PageOut(Schema):
    number: int
    source: str
    text: str
    lines: list[LineOut]
    width: int
    height: int
    dpi: float | None
    seconds: PageSecondsOut
    elapsed_ms: float


class DocumentOut(Schema):
    id: UUID
    kind: str
    title: str
    engine: str
    page_count: int
    status: str
    progress: dict
    error: str
    created_at: datetime
    pages: list[PageOut]
    words: list[WordOut]


class DocumentSummaryOut(Schema):
    id: UUID
    kind: str
    title: str
    page_count: int
    status: str
    created_at: datetime


class UsageOut(Schema):
    used_bytes: int
    quota_bytes: int | None
