"""Progress figures of learners and classes, computed by ``queries`` and cached per learner generation.

A learner's figures are cached under their ``LearnerStamp`` generation, which every new piece of their work bumps
(``receivers``), so new work invalidates them at once; the entries also expire after CACHE_SECONDS, since "this
week" and "the last 30 days" move on without new work. A class's rows expire at spread times (between half and
all of CACHE_SECONDS), so a class page seldom has to recompute every row at once.
"""

import asyncio
import json
import logging
import random
import time
from datetime import datetime, timedelta

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from apps.accounts.models import Classroom, Role, User
from apps.core.kv import kv
from apps.core.levels import LEVELS
from apps.progress import figures, queries
from apps.progress.models import WORD_FIELDS, LearnerStamp

logger = logging.getLogger(__name__)
CACHE_SECONDS = 300
CHART_WEEKS = 52


async def generations(ids: list[int]) -> dict[int, int]:
    """Each learner's current generation (0 for one with no work yet)."""
    found = {r["learner_id"]: r["generation"] async for r in LearnerStamp.objects.filter(learner_id__in=ids).values()}
    return {i: found.get(i, 0) for i in ids}


def _dump(value: dict) -> str:
    return json.dumps(value, cls=DjangoJSONEncoder)


async def compute_rows(ids: list[int], now: datetime, reports: dict[int, list[dict]] | None = None) -> dict[int, dict]:
    """The class-table figures of each learner: placement, current level, trend, messages this week, last activity.
    ``reports``: the learners' ``queries.placements`` when the caller has them already."""
    levels = await queries.recent_levels(ids, now)
    reports = reports if reports is not None else await queries.placements(ids)
    last = await queries.last_activity(ids)
    rows = {}
    for i in ids:
        latest = reports[i][0] if reports[i] else None
        rows[i] = {
            "placement": {"level": latest["level"], "date": latest["date"]} if latest else None,
            "current": figures.level_summary(levels[i]["hist"]),
            "trend": figures.trend([figures.mean(week) for week in levels[i]["weeks"]]),
            "week_messages": levels[i]["week_messages"],
            "last_activity": last[i],
        }
    return rows


async def learner_rows(ids: list[int], gens: dict[int, int] | None = None) -> dict[int, dict]:
    """``compute_rows`` through the cache: only the learners whose entry is missing or stale are computed.
    ``gens``: the learners' generations when the caller has read them already."""
    gens = gens if gens is not None else await generations(ids)
    keys = [row_key(i, gens[i]) for i in ids]
    cached = await kv().mget(keys) if ids else []
    rows = {i: json.loads(hit) for i, hit in zip(ids, cached, strict=True) if hit is not None}
    missing = [i for i in ids if i not in rows]
    if missing:
        started = time.perf_counter()
        fresh = await compute_rows(missing, timezone.now())
        encoded = {i: _dump(row) for i, row in fresh.items()}
        await asyncio.gather(  # one round trip's wait for all of them, not one per learner
            *(
                kv().set(row_key(i, gens[i]), value, CACHE_SECONDS * random.uniform(0.5, 1.0))
                for i, value in encoded.items()
            )
        )
        rows.update({i: json.loads(value) for i, value in encoded.items()})  # same shape as cached (ISO dates)
        logger.info(
            "progress rows computed", extra={"learners": len(missing), "ms": (time.perf_counter() - started) * 1000}
        )
    return rows


def _identity(user: User) -> dict:
    return {"id": user.pk, "username": user.username, "name": user.get_full_name() or user.username}


async def class_table(classroom: Classroom) -> list[dict]:
    """One row per student of the class, by name: identity and ``learner_rows`` figures."""
    qs = User.objects.filter(classrooms=classroom, role=Role.STUDENT).order_by("last_name", "username")
    students = [s async for s in queries.with_generation(qs)]
    rows = await learner_rows([s.pk for s in students], {s.pk: s.progress_generation for s in students})
    return [{"student": _identity(s), **rows[s.pk]} for s in students]


def _vocabulary(counts: dict[str, int]) -> dict:
    named = {("unknown" if f == "unknown" else f.upper()): counts[f] for f in WORD_FIELDS}
    return {"words": sum(named.values()), "counts": named, "shares": figures.shares(named)}


async def _weeks(learner_id: int, now: datetime) -> list[dict]:
    since = now - timedelta(weeks=CHART_WEEKS)
    weekly = await queries.weekly_levels(learner_id, since)
    out = []
    for week in sorted(weekly):
        summary = figures.level_summary(weekly[week])
        mean = figures.mean(weekly[week])
        out.append({"week": week.date(), **summary, "mean": round(mean, 2) if mean is not None else None})
    return out


async def compute_detail(learner_id: int, now: datetime) -> dict:
    reports = await queries.placements([learner_id])
    row = (await compute_rows([learner_id], now, reports))[learner_id]
    return {
        **row,
        "weeks": await _weeks(learner_id, now),
        "placements": reports[learner_id][:20],
        "vocabulary": {
            "used": _vocabulary(await queries.words_used(learner_id)),
            "scanned": _vocabulary(await queries.words_scanned(learner_id)),
        },
        "errors": await queries.frequent_mistakes(learner_id),
        "analyses": await queries.latest_analyses(learner_id),
    }


async def learner_detail(learner: User) -> dict:
    """Everything of one learner's progress page (and ``GET /api/me/progress``), through the cache. ``learner``
    comes from ``queries.with_versions`` (or ``visible_students``). The entry also records which recognised
    documents it counted: scans land by a queryset update, without a generation bump."""
    gen: int = learner.progress_generation  # type: ignore[attr-defined]
    latest = learner.progress_latest_scan  # type: ignore[attr-defined]
    scans = [learner.progress_scans, latest.isoformat() if latest else ""]  # type: ignore[attr-defined]
    hit = await kv().get(detail_key(learner.pk, gen))
    cached = json.loads(hit) if hit is not None else None
    if cached is not None and cached["scans"] == scans:
        detail = cached["detail"]
    else:
        encoded = _dump({"scans": scans, "detail": await compute_detail(learner.pk, timezone.now())})
        await kv().set(detail_key(learner.pk, gen), encoded, CACHE_SECONDS)
        detail = json.loads(encoded)["detail"]
    return {"student": _identity(learner), "levels": list(LEVELS), **detail}


def row_key(learner_id: int, generation: int) -> str:
    return f"progress:row:{learner_id}:{generation}"


def detail_key(learner_id: int, generation: int) -> str:
    return f"progress:detail:{learner_id}:{generation}"


async def forget(learner_id: int, generation: int) -> None:
    """Drop a learner's cached figures (their erasure: the entries quote their words)."""
    await asyncio.gather(kv().delete(row_key(learner_id, generation)), kv().delete(detail_key(learner_id, generation)))


def visible_classrooms(user_id: int, role: str):
    """Classes whose progress the caller may read: a teacher's own, every class for staff, none for students."""
    if role not in (Role.TEACHER, Role.STAFF):
        return Classroom.objects.none()
    return Classroom.objects.visible_to(user_id, role)


def visible_students(user_id: int, role: str):
    """Students whose progress the caller may read (those of a teacher's classes, every student for staff), with
    ``queries.with_versions``' annotations."""
    students = queries.with_versions(User.objects.filter(role=Role.STUDENT))
    if role == Role.STAFF:
        return students
    if role == Role.TEACHER:
        return students.filter(classrooms__teacher_id=user_id).distinct()
    return students.none()
