import uuid

from django.conf import settings
from django.db import models

from apps.jobs.models import Job


class AuditAction(models.TextChoices):
    VIEW = "view", "Viewed"
    EXPORT = "export", "Exported"
    ERASE = "erase", "Erased"


class AuditEvent(models.Model):
    """Who viewed, exported or erased whose data, and where.

    Ids and actions only, never names or content: no foreign key, so an event outlives the erasure of either person
    and keeps nothing of theirs but a number that no longer points anywhere.
    """

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    action = models.CharField(max_length=16, choices=AuditAction.choices, db_index=True)
    actor_id = models.PositiveBigIntegerField(null=True, blank=True, db_index=True, help_text="user id of who did it")
    actor_role = models.CharField(max_length=16, blank=True)
    subject_id = models.PositiveBigIntegerField(null=True, blank=True, db_index=True, help_text="whose data")
    via = models.CharField(max_length=16, help_text="api, admin or teacher-pages")
    object_type = models.CharField(max_length=32, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    detail = models.JSONField(default=dict, blank=True, help_text="counts and ids only")

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.actor_role or 'someone'} {self.actor_id} {self.action} {self.object_type} of {self.subject_id}"


class ExportQuerySet(models.QuerySet):
    def for_user(self, user_id: int) -> "ExportQuerySet":
        return self.filter(owner_id=user_id)


class Export(models.Model):
    """A learner's data as one JSON document, written by the export actor; purged after EXPORT_RETENTION_HOURS."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports")
    job = models.OneToOneField(Job, on_delete=models.CASCADE, related_name="data_export")
    document = models.JSONField()
    size = models.PositiveIntegerField(default=0, help_text="bytes of the JSON document")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = ExportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
