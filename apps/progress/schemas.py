from datetime import date, datetime

from ninja import Schema


class StudentOut(Schema):
    id: int
    username: str
    name: str


class PlacementOut(Schema):
    level: str
    date: datetime


class PlacementDetailOut(PlacementOut):
    skills: dict[str, str | None]


class CurrentLevelOut(Schema):
    level: str | None
    band: str | None
    low: str | None
    high: str | None
    samples: int


class TrendOut(Schema):
    direction: str | None
    per_week: float | None


class ProgressRowOut(Schema):
    student: StudentOut
    placement: PlacementOut | None
    current: CurrentLevelOut
    trend: TrendOut
    week_messages: int
    last_activity: datetime | None


class ClassProgressOut(Schema):
    classroom_id: int
    name: str
    students: list[ProgressRowOut]


class WeekOut(CurrentLevelOut):
    week: date
    mean: float | None


class VocabularyOut(Schema):
    words: int
    counts: dict[str, int]
    shares: dict[str, float]


class VocabularyProfileOut(Schema):
    used: VocabularyOut
    scanned: VocabularyOut


class ErrorTypeOut(Schema):
    type: str
    count: int
    example: dict[str, str]


class AnalysisSummaryOut(Schema):
    conversation: str
    date: datetime
    learner_messages: int
    level: str | None
    error_types: list[str]
    recommendations: list[str]


class LearnerProgressOut(ProgressRowOut):
    levels: list[str]
    weeks: list[WeekOut]
    placements: list[PlacementDetailOut]
    vocabulary: VocabularyProfileOut
    errors: list[ErrorTypeOut]
    analyses: list[AnalysisSummaryOut]
