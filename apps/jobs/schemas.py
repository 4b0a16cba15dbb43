from datetime import datetime
from typing import Any
from uuid import UUID

from ninja import Field, Schema


class ProgressOut(Schema):
    done: int
    total: int | None


class JobOut(Schema):
    id: UUID
    kind: str
    status: str
    progress: ProgressOut
    result: Any = None
    error: str = ""
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None

    @staticmethod
    def resolve_progress(job) -> dict:
        return {"done": job.progress_done, "total": job.progress_total}


class JobAccepted(Schema):
    job_id: UUID
    status: str


class SelfTestIn(Schema):
    work_ms: int = Field(300, ge=1, le=5000, description="Approximate CPU time the job burns")
    wait: bool = Field(True, description="Wait for the result up to JOB_WAIT_SECONDS instead of answering 202")
