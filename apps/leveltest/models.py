import uuid

from django.conf import settings
from django.db import models

from apps.core.levels import LEVEL_CHOICES
from apps.jobs.models import Job


class Skill(models.TextChoices):
    GRAMMAR = "grammar", "Grammar"
    VOCABULARY = "vocabulary", "Vocabulary"
    READING = "reading", "Reading"


class Item(models.Model):
    """A multiple-choice question of the item bank."""

    key = models.SlugField(max_length=32, unique=True)
    level = models.CharField(max_length=2, choices=LEVEL_CHOICES, db_index=True)
    skill = models.CharField(max_length=16, choices=Skill.choices, db_index=True)
    passage = models.TextField(blank=True)
    prompt = models.TextField()
    choices = models.JSONField(help_text="a list of four options")
    answer = models.PositiveSmallIntegerField(help_text="index of the right option, from 0")
    explanation = models.TextField()
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["level", "skill", "key"]

    def __str__(self) -> str:
        return f"{self.key} ({self.level} {self.skill})"


class WritingPrompt(models.Model):
    key = models.SlugField(max_length=32, unique=True)
    level = models.CharField(max_length=2, choices=LEVEL_CHOICES)
    prompt = models.TextField()
    min_words = models.PositiveIntegerField()
    max_words = models.PositiveIntegerField()
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["level", "key"]

    def __str__(self) -> str:
        return self.key


class AttemptQuerySet(models.QuerySet):
    def for_user(self, user_id: int) -> "AttemptQuerySet":
        return self.filter(learner_id=user_id)

    def visible_to_teacher(self, teacher_id: int) -> "AttemptQuerySet":
        return self.filter(learner__classrooms__teacher_id=teacher_id).distinct()


class Attempt(models.Model):
    """One sitting of the placement test by a learner."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attempts")
    started_at = models.DateTimeField(auto_now_add=True, db_index=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    current_item = models.ForeignKey(Item, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    writing_prompt = models.ForeignKey(WritingPrompt, on_delete=models.SET_NULL, null=True, blank=True)
    job = models.OneToOneField(Job, on_delete=models.SET_NULL, null=True, blank=True, related_name="leveltest_attempt")

    objects = AttemptQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]


class Answer(models.Model):
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="answers")
    choice = models.PositiveSmallIntegerField()
    correct = models.BooleanField()
    theta_after = models.FloatField()
    se_after = models.FloatField()
    answered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["answered_at", "id"]
        constraints = [models.UniqueConstraint(fields=["attempt", "item"], name="one_answer_per_item")]


class WritingAnswer(models.Model):
    attempt = models.OneToOneField(Attempt, on_delete=models.CASCADE, related_name="writing")
    prompt = models.ForeignKey(WritingPrompt, on_delete=models.PROTECT)
    text = models.TextField()
    level = models.CharField(max_length=2, blank=True)
    scores = models.JSONField(null=True, blank=True)
    answered_at = models.DateTimeField(auto_now_add=True)


class Report(models.Model):
    """The result of a submitted attempt, written by the report actor."""

    attempt = models.OneToOneField(Attempt, on_delete=models.CASCADE, related_name="report")
    level = models.CharField(max_length=2, choices=LEVEL_CHOICES)
    theta = models.FloatField()
    standard_error = models.FloatField()
    skills = models.JSONField(help_text="per skill: level, theta, standard error, answered, correct")
    items = models.JSONField(help_text="answered items with right/wrong")
    writing = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
