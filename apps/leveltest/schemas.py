from datetime import datetime
from typing import Any
from uuid import UUID

from ninja import Field, Schema
from pydantic import model_validator


class AttemptOut(Schema):
    id: UUID
    started_at: datetime
    submitted_at: datetime | None


class AnswerIn(Schema):
    choice: int | None = Field(None, description="index of the chosen option (multiple-choice items)")
    text: str | None = Field(None, description="the learner's text (the writing task)")

    @model_validator(mode="after")
    def _one_of(self):
        if (self.choice is None) == (self.text is None):
            raise ValueError("give either 'choice' (a multiple-choice item) or 'text' (the writing task)")
        return self


class AttemptProgressOut(Schema):
    answered: int
    remaining: int
    can_submit: bool
    writing_done: bool


class SubmittedOut(Schema):
    job_id: UUID
    status: str


class ReportOut(Schema):
    attempt_id: UUID
    learner: str
    level: str
    theta: float
    standard_error: float
    skills: dict[str, Any]
    items: list[dict[str, Any]]
    writing: dict[str, Any] | None
    created_at: datetime
