"""A learner's data in every app, with stored files, so an export or erasure has something in each section."""

from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from apps.accounts.models import User
from apps.chat.models import Analysis, Conversation, Message, Role, SpeechClip
from apps.leveltest.models import Answer, Attempt, Item, Report, WritingAnswer, WritingPrompt
from apps.ocr.models import Document, Page, SourceFile
from apps.progress.models import Mistake


@dataclass
class Data:
    user: User
    conversation: Conversation
    document: Document
    attempt: Attempt
    files: list[Path]
    secret: str  # a phrase that appears only in this person's data


def _bank() -> tuple[Item, WritingPrompt]:
    item, _ = Item.objects.get_or_create(
        key="privacy-a2-1",
        defaults={
            "level": "A2",
            "skill": "grammar",
            "prompt": "She ___ to school.",
            "choices": ["go", "goes", "going", "gone"],
            "answer": 1,
            "explanation": "Third person singular takes -s.",
        },
    )
    prompt, _ = WritingPrompt.objects.get_or_create(
        key="privacy-w-1", defaults={"level": "A2", "prompt": "Describe your town.", "min_words": 5, "max_words": 80}
    )
    return item, prompt


def make_data(user: User, secret: str) -> Data:
    """Every kind of row the platform keeps about a learner, with ``secret`` in the texts."""
    conversation = Conversation.objects.create(learner=user, topic=f"Topic {secret}")
    said = Message.objects.create(
        conversation=conversation,
        role=Role.LEARNER,
        text=f"I goed to the park {secret}.",
        cefr_level="A2",
        cefr_scores={"A1": 0.2, "A2": 0.6, "B1": 0.2, "B2": 0, "C1": 0, "C2": 0},
        cefr_value=1.0,
    )
    reply = Message.objects.create(
        conversation=conversation, role=Role.TUTOR, text=f"You went to the park {secret}!", in_reply_to=said
    )
    Mistake.objects.create(  # as the progress app's receiver stores one the tutor's rules find
        learner=user,
        message=said,
        kind="agreement",
        wrong=f"{secret} like",
        right=f"{secret} likes",
        created_at=said.created_at,
    )
    clip = SpeechClip.objects.create(message=reply, audio=ContentFile(b"RIFF....WAVE", name=f"{secret}.wav"))
    Analysis.objects.create(
        conversation=conversation,
        learner_messages=1,
        level="A2",
        level_trend=[{"message": 1, "level": "A2"}],
        error_types=[{"type": "past tense", "count": 1}],
        vocabulary={"distinct": 6},
        recommendations=["Practise irregular past forms."],
        source="statistics",
    )
    document = Document.objects.create(
        owner=user, kind="image", title=f"Worksheet {secret}", engine="onnx", page_count=1
    )
    source = SourceFile.objects.create(
        document=document,
        index=0,
        name="page.png",
        file=ContentFile(b"\x89PNG fake bytes", name="page.png"),
        sha256="0" * 64,
        size=16,
        format="png",
    )
    Page.objects.create(document=document, number=1, source="ocr", text=f"Unit 3: {secret} at the zoo")
    item, prompt = _bank()
    attempt = Attempt.objects.create(learner=user, submitted_at=timezone.now())
    Answer.objects.create(attempt=attempt, item=item, choice=1, correct=True, theta_after=0.1, se_after=1.0)
    WritingAnswer.objects.create(attempt=attempt, prompt=prompt, text=f"My town is small. {secret} lives here.")
    Report.objects.create(
        attempt=attempt,
        level="A2",
        theta=-1.0,
        standard_error=0.5,
        skills={"grammar": {"level": "A2"}},
        items=[{"key": item.key, "correct": True, "answer": 1, "explanation": item.explanation}],
        writing={"text": f"My town is small. {secret} lives here.", "level": "A2"},
    )
    files = [Path(source.file.path), Path(clip.audio.path)]
    assert all(p.exists() for p in files)
    return Data(user, conversation, document, attempt, files, secret)


@pytest.fixture
def alice_data(student) -> Data:
    return make_data(student, "zebra-alice")


@pytest.fixture
def bob_data(other_student) -> Data:
    return make_data(other_student, "okapi-bob")
