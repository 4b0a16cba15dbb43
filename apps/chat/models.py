from django.conf import settings
from django.db import models
from django.db.models import Count

from apps.core.levels import LEVEL_CHOICES
from apps.jobs.models import Job


class ConversationQuerySet(models.QuerySet):
    def for_user(self, user_id: int) -> "ConversationQuerySet":
        """The learner's own conversations: anyone else's are simply not found."""
        return self.filter(learner_id=user_id)

    def with_counts(self) -> "ConversationQuerySet":
        return self.annotate(message_count=Count("messages"))


class Conversation(models.Model):
    """A learner's chat with the tutor; keeps a running CEFR estimate of the learner's messages."""

    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conversations")
    topic = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    last_activity_at = models.DateTimeField(auto_now_add=True, db_index=True)
    learner_message_count = models.PositiveIntegerField(default=0)
    level_score = models.FloatField(null=True, blank=True, help_text="running mean of expected level, 0=A1 .. 5=C2")
    level = models.CharField(max_length=2, choices=LEVEL_CHOICES, blank=True, db_index=True)

    objects = ConversationQuerySet.as_manager()

    class Meta:
        ordering = ["-last_activity_at"]

    def __str__(self) -> str:
        return self.topic or f"Conversation {self.pk}"


class Role(models.TextChoices):
    LEARNER = "learner", "Learner"
    TUTOR = "tutor", "Tutor"


class ReplyStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class Message(models.Model):
    """One turn. Learner messages carry their CEFR level; tutor messages their status, model, latency and tokens."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    role = models.CharField(max_length=8, choices=Role.choices)
    text = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    cefr_level = models.CharField(max_length=2, choices=LEVEL_CHOICES, blank=True, db_index=True)
    cefr_scores = models.JSONField(null=True, blank=True)
    cefr_value = models.FloatField(null=True, blank=True, help_text="expected level, 0=A1 .. 5=C2")
    in_reply_to = models.OneToOneField("self", on_delete=models.CASCADE, null=True, blank=True, related_name="reply")
    status = models.CharField(max_length=8, choices=ReplyStatus.choices, default=ReplyStatus.DONE)
    attempted_at = models.DateTimeField(null=True, blank=True, help_text="when a retry last claimed this reply")
    error = models.CharField(max_length=500, blank=True)
    model_name = models.CharField(max_length=100, blank=True)
    latency_ms = models.PositiveIntegerField(null=True, blank=True)
    prompt_tokens = models.PositiveIntegerField(null=True, blank=True)
    completion_tokens = models.PositiveIntegerField(null=True, blank=True)
    metadata = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["conversation", "created_at"], name="chat_msg_conv_time")]

    def __str__(self) -> str:
        return f"{self.role}: {self.text[:50]}"


class Analysis(models.Model):
    """A full analysis of a conversation, made every CHAT_ANALYSIS_EVERY learner messages."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="analyses")
    job = models.OneToOneField(Job, on_delete=models.SET_NULL, null=True, blank=True, related_name="chat_analysis")
    learner_messages = models.PositiveIntegerField(help_text="learner messages analysed")
    level = models.CharField(max_length=2, blank=True)
    level_trend = models.JSONField(default=list)
    error_types = models.JSONField(default=list)
    vocabulary = models.JSONField(default=dict)
    recommendations = models.JSONField(default=list)
    source = models.CharField(max_length=16, help_text="llm or statistics")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["conversation", "learner_messages"], name="one_analysis_per_milestone")
        ]


class SpeechClip(models.Model):
    """A tutor reply spoken as WAV audio."""

    message = models.OneToOneField(Message, on_delete=models.CASCADE, related_name="speech")
    job = models.OneToOneField(Job, on_delete=models.SET_NULL, null=True, blank=True, related_name="speech_clip")
    audio = models.FileField(upload_to="speech/%Y/%m/", blank=True)
    engine = models.CharField(max_length=32, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
