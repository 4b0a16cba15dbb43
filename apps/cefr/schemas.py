from django.conf import settings
from ninja import Field, Schema
from pydantic import field_validator


class ClassifyIn(Schema):
    texts: list[str] = Field(
        ..., description="1 to CEFR_MAX_TEXTS (64) texts of at most CEFR_MAX_CHARS (2,000) characters"
    )

    @field_validator("texts")
    @classmethod
    def _check_texts(cls, texts: list[str]) -> list[str]:
        if not texts:
            raise ValueError("give at least one text")
        if len(texts) > settings.CEFR_MAX_TEXTS:
            raise ValueError(f"at most {settings.CEFR_MAX_TEXTS} texts per request, got {len(texts)}")
        for position, text in enumerate(texts):
            if not text.strip():
                raise ValueError(f"text {position} is empty or only whitespace")
            if len(text) > settings.CEFR_MAX_CHARS:
                raise ValueError(f"text {position} has {len(text)} characters, the limit is {settings.CEFR_MAX_CHARS}")
        return texts


class ClassifyOut(Schema):
    text: str
    level: str = Field(..., description="the most probable level")
    scores: dict[str, float] = Field(..., description="calibrated probability of each level, A1 to C2")
    confidence: float = Field(..., description="probability of the most probable level")
    band: str = Field(
        ...,
        description='"B1-B2" when the second most probable level is adjacent and close (CEFR_BAND_RATIO), else level',
    )
