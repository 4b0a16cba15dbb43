"""The learner's data as one JSON document: profile, conversations, documents, level test, progress, jobs.

Built in a worker (the export actor) or, for staff, by the admin; both call ``build``. What another person wrote or
owns (a teacher's name, answer keys of the reused item bank) is left out.
"""

from typing import Any

from django.utils import timezone

from apps.accounts.models import User
from apps.chat.models import Analysis, Conversation, Message
from apps.jobs.models import Job
from apps.leveltest.api import LEARNER_HIDDEN
from apps.leveltest.models import Attempt, Report
from apps.ocr.models import Document
from apps.progress.models import WORD_FIELDS, Mistake, WorkProfile

FORMAT = "lingua-export/1"


def _dt(value) -> str | None:
    return value.isoformat() if value else None


def profile(user: User) -> dict[str, Any]:
    return {
        "id": user.pk,
        "username": user.username,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "role": user.role,
        "date_joined": _dt(user.date_joined),
        "last_login": _dt(user.last_login),
        "classes": [c.name for c in user.classrooms.order_by("name")],
    }


def _message(m: Message) -> dict[str, Any]:
    return {
        "id": m.pk,
        "role": m.role,
        "text": m.text,
        "created_at": _dt(m.created_at),
        "cefr_level": m.cefr_level or None,
        "cefr_scores": m.cefr_scores,
        "status": m.status,
        "has_audio": bool(getattr(m, "speech", None) and m.speech.audio),
    }


def _analysis(a: Analysis) -> dict[str, Any]:
    fields = ("learner_messages", "level", "level_trend", "error_types", "vocabulary", "recommendations", "source")
    return {**{f: getattr(a, f) for f in fields}, "created_at": _dt(a.created_at)}


def conversations(user_id: int) -> list[dict[str, Any]]:
    qs = Conversation.objects.for_user(user_id).order_by("created_at").prefetch_related("analyses")
    out = []
    for c in qs:
        messages = Message.objects.filter(conversation=c).select_related("speech").order_by("created_at", "id")
        out.append(
            {
                "id": c.pk,
                "topic": c.topic,
                "created_at": _dt(c.created_at),
                "last_activity_at": _dt(c.last_activity_at),
                "level": c.level or None,
                "messages": [_message(m) for m in messages.iterator(chunk_size=500)],
                "analyses": [_analysis(a) for a in c.analyses.all()],
            }
        )
    return out


def documents(user_id: int) -> list[dict[str, Any]]:
    qs = Document.objects.for_user(user_id).order_by("created_at").prefetch_related("sources", "pages")
    return [
        {
            "id": str(d.pk),
            "kind": d.kind,
            "title": d.title,
            "created_at": _dt(d.created_at),
            "page_count": d.page_count,
            "files": [
                {"name": s.name, "format": s.format, "size": s.size, "sha256": s.sha256} for s in d.sources.all()
            ],
            "pages": [{"number": p.number, "source": p.source, "text": p.text} for p in d.pages.all()],
            "vocabulary": d.vocabulary,
        }
        for d in qs
    ]


def _report(report: Report | None) -> dict[str, Any] | None:
    if report is None:
        return None
    return {
        "level": report.level,
        "theta": report.theta,
        "standard_error": report.standard_error,
        "skills": report.skills,
        # the item bank is reused: the learner's copy never carries its keys (as in their own report)
        "items": [{k: v for k, v in i.items() if k not in LEARNER_HIDDEN} for i in report.items],
        "writing": report.writing,
        "created_at": _dt(report.created_at),
    }


def leveltest(user_id: int) -> list[dict[str, Any]]:
    qs = (
        Attempt.objects.for_user(user_id)
        .order_by("started_at")
        .select_related("writing__prompt")
        .prefetch_related("answers__item")
    )
    reports = {r.attempt_id: r for r in Report.objects.filter(attempt__learner_id=user_id)}
    out = []
    for a in qs:
        writing = getattr(a, "writing", None)
        out.append(
            {
                "id": str(a.pk),
                "started_at": _dt(a.started_at),
                "submitted_at": _dt(a.submitted_at),
                "answers": [
                    {"item": x.item.key, "choice": x.choice, "correct": x.correct, "answered_at": _dt(x.answered_at)}
                    for x in a.answers.all()
                ],
                "writing": writing
                and {"prompt": writing.prompt.key, "text": writing.text, "level": writing.level or None},
                "report": _report(reports.get(a.pk)),
            }
        )
    return out


def progress(user_id: int) -> dict[str, Any]:
    """What the progress figures keep about the learner: the mistakes found in their messages (with the words they
    wrote) and the word counts per CEFR level of each message and writing task."""
    mistakes = Mistake.objects.filter(learner_id=user_id).order_by("created_at", "pk")
    profiles = WorkProfile.objects.filter(learner_id=user_id).order_by("created_at", "pk")
    return {
        "mistakes": [
            {**m, "created_at": _dt(m["created_at"])}
            for m in mistakes.values("message_id", "kind", "wrong", "right", "created_at")
        ],
        "word_profiles": [
            {**w, "created_at": _dt(w["created_at"])}
            for w in profiles.values("source", "message_id", "writing_id", "created_at", *WORD_FIELDS)
        ],
    }


def jobs(user_id: int) -> list[dict[str, Any]]:
    qs = Job.objects.for_user(user_id).order_by("created_at").values("id", "kind", "status", "created_at")
    return [{**j, "id": str(j["id"]), "created_at": _dt(j["created_at"])} for j in qs]


def build(user_id: int) -> dict[str, Any]:
    """The whole document for one user; raises ``User.DoesNotExist`` when they are gone."""
    user = User.objects.get(pk=user_id)
    return {
        "format": FORMAT,
        "exported_at": timezone.now().isoformat(),
        "profile": profile(user),
        "conversations": conversations(user_id),
        "documents": documents(user_id),
        "leveltest": {"attempts": leveltest(user_id)},
        "progress": progress(user_id),
        "jobs": jobs(user_id),
    }
