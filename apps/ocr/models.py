import uuid

from django.conf import settings
from django.db import models
from django.db.models.signals import post_delete
from django.dispatch import receiver

from apps.jobs.models import Job


class DocumentKind(models.TextChoices):
    IMAGE = "image", "Single image"
    PDF = "pdf", "PDF"
    IMAGES = "images", "Several images"


class DocumentQuerySet(models.QuerySet):
    def for_user(self, user_id: int) -> "DocumentQuerySet":
        """The user's own documents: anyone else's are simply not found."""
        return self.filter(owner_id=user_id)


class Document(models.Model):
    """An upload to recognise: one image, a PDF, or several images; its pages and vocabulary once recognised."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ocr_documents")
    kind = models.CharField(max_length=8, choices=DocumentKind.choices)
    title = models.CharField(max_length=255, blank=True)
    engine = models.CharField(max_length=16)
    fingerprint = models.CharField(max_length=64, db_index=True, help_text="sha256 over the sources' hashes")
    page_count = models.PositiveIntegerField(default=0)
    job = models.OneToOneField(Job, on_delete=models.SET_NULL, null=True, blank=True, related_name="ocr_document")
    vocabulary = models.JSONField(null=True, blank=True)
    error_status = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["fingerprint", "engine"], name="ocr_doc_fingerprint")]

    def __str__(self) -> str:
        return self.title or str(self.id)


class SourceFile(models.Model):
    """One uploaded file of a document (the PDF, or one of the images), kept in the configured storage."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="sources")
    index = models.PositiveIntegerField()
    name = models.CharField(max_length=255, blank=True)
    file = models.FileField(upload_to="ocr/%Y/%m/")
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    format = models.CharField(max_length=8)

    class Meta:
        ordering = ["index"]
        constraints = [models.UniqueConstraint(fields=["document", "index"], name="unique_source_index")]


class PageSource(models.TextChoices):
    TEXT_LAYER = "text_layer", "Embedded text layer"
    OCR = "ocr", "OCR"
    MIXED = "mixed", "Text layer, with OCR of its image regions"


class Page(models.Model):
    """The recognised text of one page (or image) of a document."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="pages")
    number = models.PositiveIntegerField(help_text="1-based")
    source = models.CharField(max_length=16, choices=PageSource.choices)
    text = models.TextField(blank=True)
    lines = models.JSONField(default=list)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    dpi = models.FloatField(null=True, blank=True, help_text="a PDF page's render resolution; boxes are in its pixels")
    seconds = models.JSONField(default=dict, blank=True, help_text="per stage: read, render, detect, recognize, total")
    elapsed_ms = models.FloatField(default=0)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="unique_page_number")]


@receiver(post_delete, sender=SourceFile)
def _delete_stored_file(sender, instance: SourceFile, **kwargs) -> None:
    """A deleted upload (its document deleted, or the owner erased) leaves no file in storage."""
    if instance.file:
        instance.file.delete(save=False)
