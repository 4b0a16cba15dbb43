"""The database aggregates behind the progress figures (async ORM). Each returns small rows: counts per learner,
week and level, never one row per message."""

from collections import defaultdict
from datetime import datetime, timedelta

from django.db.models import Case, Count, IntegerField, Max, OuterRef, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, TruncWeek

from apps.chat.models import Analysis, Conversation, Message, Role
from apps.core.levels import LEVEL_INDEX
from apps.leveltest.models import Attempt, Report, WritingAnswer
from apps.ocr.models import Document
from apps.progress.models import WORD_FIELDS, LearnerStamp, Mistake, WorkProfile

#: The current level is read from the last CURRENT_DAYS days of writing; the trend from the last TREND_WEEKS weeks.
CURRENT_DAYS, TREND_WEEKS = 30, 4
Hist = dict[int, int]


def _week_bucket(now: datetime) -> Case:
    """TREND_WEEKS - 1 for the last 7 days, down to 0 for the oldest week of the trend, -1 before it."""
    whens = [
        When(created_at__gte=now - timedelta(days=7 * (k + 1)), then=Value(TREND_WEEKS - 1 - k))
        for k in range(TREND_WEEKS)
    ]
    return Case(*whens, default=Value(-1), output_field=IntegerField())


async def recent_levels(ids: list[int], now: datetime) -> dict[int, dict]:
    """Per learner: ``{"hist": levels of the last CURRENT_DAYS days (messages and writing tasks), "weeks": one
    histogram per trend week (oldest first), "week_messages": learner messages in the last 7 days}``."""
    out: dict[int, dict] = {
        i: {"hist": defaultdict(int), "weeks": [defaultdict(int) for _ in range(TREND_WEEKS)], "week_messages": 0}
        for i in ids
    }
    rows = (
        Message.objects.filter(
            role=Role.LEARNER, conversation__learner_id__in=ids, created_at__gte=now - timedelta(days=CURRENT_DAYS)
        )
        .annotate(bucket=_week_bucket(now))
        .values("conversation__learner_id", "bucket", "cefr_level")
        .annotate(n=Count("id"))
        .order_by()
    )
    async for row in rows:
        entry, level = out[row["conversation__learner_id"]], LEVEL_INDEX.get(row["cefr_level"])
        if row["bucket"] == TREND_WEEKS - 1:
            entry["week_messages"] += row["n"]
        if level is None:
            continue
        entry["hist"][level] += row["n"]
        if row["bucket"] >= 0:
            entry["weeks"][row["bucket"]][level] += row["n"]
    writing = (
        WritingAnswer.objects.filter(
            attempt__learner_id__in=ids, answered_at__gte=now - timedelta(days=CURRENT_DAYS), level__in=LEVEL_INDEX
        )
        .values("attempt__learner_id", "level")
        .annotate(n=Count("id"))
        .order_by()
    )
    async for row in writing:
        out[row["attempt__learner_id"]]["hist"][LEVEL_INDEX[row["level"]]] += row["n"]
    return out


async def placements(ids: list[int]) -> dict[int, list[dict]]:
    """Per learner, their placement reports, newest first: ``{"level", "date", "skills"}``."""
    out: dict[int, list[dict]] = {i: [] for i in ids}
    rows = Report.objects.filter(attempt__learner_id__in=ids).order_by("-created_at")
    async for row in rows.values("attempt__learner_id", "level", "created_at", "skills"):
        skills = {name: data.get("level") for name, data in (row["skills"] or {}).items()}
        out[row["attempt__learner_id"]].append({"level": row["level"], "date": row["created_at"], "skills": skills})
    return out


async def last_activity(ids: list[int]) -> dict[int, datetime | None]:
    """Per learner, their latest message, placement test or scan."""
    out: dict[int, datetime | None] = dict.fromkeys(ids)
    sources = (
        (Conversation.objects.filter(learner_id__in=ids), "learner_id", "last_activity_at"),
        (Attempt.objects.filter(learner_id__in=ids), "learner_id", "started_at"),
        (Document.objects.filter(owner_id__in=ids), "owner_id", "created_at"),
    )
    for qs, who, when in sources:
        async for row in qs.values(who).annotate(at=Max(when)).order_by():
            seen = out[row[who]]
            out[row[who]] = row["at"] if seen is None or row["at"] > seen else seen
    return out


async def weekly_levels(learner_id: int, since: datetime) -> dict[datetime, Hist]:
    """The learner's level histogram per calendar week (Monday) since ``since``: messages and writing tasks."""
    out: dict[datetime, Hist] = defaultdict(lambda: defaultdict(int))
    messages = (
        Message.objects.filter(
            role=Role.LEARNER, conversation__learner_id=learner_id, created_at__gte=since, cefr_level__in=LEVEL_INDEX
        )
        .annotate(week=TruncWeek("created_at"))
        .values("week", "cefr_level")
        .annotate(n=Count("id"))
        .order_by()
    )
    async for row in messages:
        out[row["week"]][LEVEL_INDEX[row["cefr_level"]]] += row["n"]
    writing = (
        WritingAnswer.objects.filter(attempt__learner_id=learner_id, answered_at__gte=since, level__in=LEVEL_INDEX)
        .annotate(week=TruncWeek("answered_at"))
        .values("week", "level")
        .annotate(n=Count("id"))
        .order_by()
    )
    async for row in writing:
        out[row["week"]][LEVEL_INDEX[row["level"]]] += row["n"]
    return out


async def words_used(learner_id: int) -> dict[str, int]:
    """Running words of the learner's messages and writing tasks per level (``{"a1": n, ..., "unknown": n}``)."""
    totals = await WorkProfile.objects.filter(learner_id=learner_id).aaggregate(**{f: Sum(f) for f in WORD_FIELDS})
    return {f: totals[f] or 0 for f in WORD_FIELDS}


def with_generation(users: QuerySet) -> QuerySet:
    """``users`` annotated with their generation (``progress_generation``, 0 before any work), in the same query."""
    stamp = LearnerStamp.objects.filter(learner=OuterRef("pk")).values("generation")[:1]
    return users.annotate(progress_generation=Coalesce(Subquery(stamp), Value(0)))


def with_versions(users: QuerySet) -> QuerySet:
    """``with_generation``, plus how many recognised documents each user has and the latest one's time
    (``progress_scans``, ``progress_latest_scan``): scans land without a generation bump."""
    docs = Document.objects.filter(owner=OuterRef("pk"), vocabulary__isnull=False).order_by()
    return with_generation(users).annotate(
        progress_scans=Coalesce(Subquery(docs.values("owner").annotate(n=Count("id")).values("n")[:1]), Value(0)),
        progress_latest_scan=Subquery(docs.order_by("-created_at").values("created_at")[:1]),
    )


async def words_scanned(learner_id: int, limit: int = 200) -> dict[str, int]:
    """Running words of the learner's latest ``limit`` recognised documents per level. The vocabulary of a document
    is one stored list of distinct words with counts (hundreds of entries at most), not its pages."""
    totals = dict.fromkeys(WORD_FIELDS, 0)
    docs = Document.objects.filter(owner_id=learner_id, vocabulary__isnull=False).order_by("-created_at")[:limit]
    async for vocabulary in docs.values_list("vocabulary", flat=True):
        for word in vocabulary or []:
            level = str(word.get("cefr", "unknown")).lower()
            totals[level if level in totals else "unknown"] += int(word.get("count", 0))
    return totals


async def frequent_mistakes(learner_id: int, top: int = 5) -> list[dict]:
    """The learner's ``top`` most frequent kinds of mistake, each with its latest example."""
    rows = [
        r
        async for r in Mistake.objects.filter(learner_id=learner_id)
        .values("kind")
        .annotate(n=Count("id"), latest=Max("id"))
        .order_by("-n", "kind")[:top]
    ]
    latest = Mistake.objects.filter(id__in=[r["latest"] for r in rows])
    examples = {m.pk: {"wrong": m.wrong, "right": m.right} async for m in latest.only("id", "wrong", "right")}
    return [{"type": r["kind"], "count": r["n"], "example": examples[r["latest"]]} for r in rows]


async def latest_analyses(learner_id: int, limit: int = 3) -> list[dict]:
    """The learner's latest conversation analyses (level, frequent errors, recommendations)."""
    qs = Analysis.objects.filter(conversation__learner_id=learner_id).select_related("conversation")
    return [
        {
            "conversation": a.conversation.topic or f"Conversation {a.conversation_id}",
            "date": a.created_at,
            "learner_messages": a.learner_messages,
            "level": a.level or None,
            "error_types": [e.get("type") for e in a.error_types[:3] if isinstance(e, dict)],
            "recommendations": [str(r) for r in a.recommendations[:3]],
        }
        async for a in qs.order_by("-created_at")[:limit]
    ]
