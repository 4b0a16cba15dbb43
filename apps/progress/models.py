"""What the progress figures need that the other apps do not keep: per piece of a learner's writing, its words per
CEFR level and the mistakes the tutor's rules find in it (written once, when the work lands), and a per-learner
generation that names the current version of their cached figures."""

from django.conf import settings
from django.db import models

from apps.chat.models import Message
from apps.leveltest.models import WritingAnswer

#: Word-count fields of a profile, in level order ("unknown": words cefrpy does not rate).
WORD_FIELDS = ("a1", "a2", "b1", "b2", "c1", "c2", "unknown")


class Source(models.TextChoices):
    CHAT = "chat", "Chat message"
    WRITING = "writing", "Writing task"


class WorkProfile(models.Model):
    """The running words of one learner message or writing task, counted per CEFR level of their lemma."""

    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=8, choices=Source.choices)
    message = models.OneToOneField(Message, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    writing = models.OneToOneField(WritingAnswer, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(db_index=True)
    a1 = models.PositiveIntegerField(default=0)
    a2 = models.PositiveIntegerField(default=0)
    b1 = models.PositiveIntegerField(default=0)
    b2 = models.PositiveIntegerField(default=0)
    c1 = models.PositiveIntegerField(default=0)
    c2 = models.PositiveIntegerField(default=0)
    unknown = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["learner", "source"], name="progress_profile_learner")]


class Mistake(models.Model):
    """One mistake the tutor's rules (``apps.chat.corrections``) find in a learner message."""

    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=32)
    wrong = models.CharField(max_length=200)
    right = models.CharField(max_length=200)
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["learner", "kind"], name="progress_mistake_kind")]


class LearnerStamp(models.Model):
    """Bumped whenever new work of the learner lands: cached figures are keyed by it, so a bump invalidates them."""

    learner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    generation = models.BigIntegerField()
