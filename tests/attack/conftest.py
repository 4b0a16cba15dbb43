"""Fixtures of the attack suite: the six people, and objects owned by the student (made with the ORM)."""

import hashlib
import io
import json
from dataclasses import dataclass

import pytest
from django.utils import timezone
from PIL import Image

from apps.chat.models import Conversation, Message, ReplyStatus
from apps.chat.models import Role as ChatRole
from apps.jobs.models import Job
from apps.jobs.services import create_finished
from apps.leveltest.models import Answer, Attempt, Item, Report
from apps.ocr.models import Document, DocumentKind, Page, PageSource
from apps.ocr.services import Upload, fingerprint
from apps.privacy.models import Export
from apps.privacy.services import EXPORT_KIND

#: Written into every private object of the owner; nobody else may ever see it in a response.
CANARY = "CANARY-alice-5f0c9e"
PEOPLE = ("anonymous", "owner", "other_student", "teacher", "other_teacher", "staff")
#: A text whose CEFR level is put in the cache, so endpoints that classify it need no CEFR worker.
CACHED_TEXT = "I like to read books about the sea."
SCORES = {"A1": 0.1, "A2": 0.6, "B1": 0.2, "B2": 0.05, "C1": 0.03, "C2": 0.02}


def white_png(size: tuple[int, int] = (32, 32)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "white").save(out, "PNG")
    return out.getvalue()


async def cache_cefr_level(text: str = CACHED_TEXT) -> None:
    """Put ``text``'s CEFR result in the cache, as a CEFR worker would have (no model needed afterwards)."""
    from apps.cefr.services import cache_key
    from apps.core.kv import kv

    await kv().set(cache_key(text), json.dumps({"level": "A2", "scores": SCORES}), 3600)


@pytest.fixture
def item_bank(transactional_db):
    """The item bank the data migration loads (transactional tests empty every table after each test)."""
    from apps.leveltest.itembank import install, load_bank

    if not Item.objects.exists():
        install(load_bank())


@pytest.fixture
def people(student, other_student, teacher, other_teacher, staff) -> dict:
    return {
        "anonymous": None,
        "owner": student,
        "other_student": other_student,
        "teacher": teacher,
        "other_teacher": other_teacher,
        "staff": staff,
    }


@dataclass
class Owned:
    """The student's objects, one of each kind the API exposes by id."""

    job: Job
    document: Document
    seed_document: Document
    seed_png: bytes
    conversation: Conversation
    done_reply: Message
    failed_reply: Message
    open_attempt: Attempt
    submittable_attempt: Attempt
    reported_attempt: Attempt
    served_item: Item
    export_job: Job

    def secret_uuids(self) -> set[str]:
        return {
            str(x)
            for x in (
                self.job.id,
                self.document.id,
                self.document.job_id,
                self.seed_document.id,
                self.seed_document.job_id,
                self.open_attempt.id,
                self.submittable_attempt.id,
                self.reported_attempt.id,
                self.reported_attempt.job_id,
                self.export_job.id,
            )
        }


def _done_job(owner, kind: str, result) -> Job:
    return create_finished(owner.pk, kind, result)


@pytest.fixture
def owned(student, item_bank, settings) -> Owned:
    settings.LEVELTEST_MIN_ANSWERS = 1
    return make_owned(student, settings.OCR_ENGINE)


def make_owned(student, engine: str) -> Owned:
    """One object of each kind the API exposes by id, owned by ``student`` (any user, in fact)."""
    job = _done_job(student, "selftest", {"note": CANARY})

    document = Document.objects.create(
        owner=student,
        kind=DocumentKind.IMAGE,
        title=f"{CANARY}.png",
        engine=engine,
        fingerprint="0" * 64,
        page_count=1,
        job=_done_job(student, "ocr.image", {"pages": 1}),
        vocabulary=[{"word": "canary", "count": 1, "cefr": "B1"}],
    )
    Page.objects.create(document=document, number=1, source=PageSource.OCR, text=f"Private page {CANARY}")

    # A finished document whose content anybody may upload again: the upload endpoints answer from it at once.
    seed_png = white_png()
    upload = Upload("seed.png", seed_png, "png", hashlib.sha256(seed_png).hexdigest(), 1)
    seed_document = Document.objects.create(
        owner=student,
        kind=DocumentKind.IMAGE,
        title="seed.png",
        engine=engine,
        fingerprint=fingerprint([upload]),
        page_count=1,
        job=_done_job(student, "ocr.image", {"pages": 1}),
        vocabulary=[],
    )
    Page.objects.create(document=seed_document, number=1, source=PageSource.OCR, text="")

    conversation = Conversation.objects.create(learner=student, topic=f"Weekend {CANARY}")
    first = Message.objects.create(
        conversation=conversation,
        role=ChatRole.LEARNER,
        text=f"I go hiking {CANARY}.",
        cefr_level="A2",
        cefr_scores=SCORES,
    )
    done_reply = Message.objects.create(
        conversation=conversation, role=ChatRole.TUTOR, in_reply_to=first, text=f"Nice! {CANARY}"
    )
    second = Message.objects.create(
        conversation=conversation,
        role=ChatRole.LEARNER,
        text=f"And swimming {CANARY}.",
        cefr_level="A2",
        cefr_scores=SCORES,
    )
    failed_reply = Message.objects.create(
        conversation=conversation,
        role=ChatRole.TUTOR,
        in_reply_to=second,
        status=ReplyStatus.FAILED,
        error="The tutor is unavailable",
    )

    items = list(Item.objects.filter(active=True)[:2])
    open_attempt = Attempt.objects.create(learner=student, current_item=items[0])
    submittable_attempt = Attempt.objects.create(learner=student)
    Answer.objects.create(attempt=submittable_attempt, item=items[1], choice=0, correct=True, theta_after=0, se_after=1)
    reported_attempt = Attempt.objects.create(
        learner=student, submitted_at=timezone.now(), job=_done_job(student, "leveltest.report", {})
    )
    Report.objects.create(
        attempt=reported_attempt,
        level="B1",
        theta=0.5,
        standard_error=0.4,
        skills={},
        items=[],
        writing={"text": f"My weekend {CANARY}", "level": "B1"},
    )
    export_job = _done_job(student, EXPORT_KIND, {})
    Export.objects.create(owner=student, job=export_job, document={"profile": {"note": CANARY}}, size=40)
    return Owned(
        export_job=export_job,
        job=job,
        document=document,
        seed_document=seed_document,
        seed_png=seed_png,
        conversation=conversation,
        done_reply=done_reply,
        failed_reply=failed_reply,
        open_attempt=open_attempt,
        submittable_attempt=submittable_attempt,
        reported_attempt=reported_attempt,
        served_item=items[0],
    )
