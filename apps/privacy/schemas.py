from typing import Any
from uuid import UUID

from ninja import Field, Schema


class EraseIn(Schema):
    password: str = Field(..., max_length=4096, description="The account's password, to confirm the erasure")


class ExportAccepted(Schema):
    job_id: UUID
    status: str


class ExportOut(Schema):
    """The learner's data (``format`` names the layout)."""

    format: str
    exported_at: str
    profile: dict[str, Any]
    conversations: list[dict[str, Any]]
    documents: list[dict[str, Any]]
    leveltest: dict[str, Any]
    jobs: list[dict[str, Any]]
