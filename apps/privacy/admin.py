"""Learners' data in the admin: export and erasure from the User admin, an audit event for each change page of a
person's data that staff open, and the audit log itself (read-only).

The other apps' admin classes are extended here and registered again (this app sits above them and imports them;
they never import it), so their own files stay as they are.
"""

from typing import Any

from asgiref.sync import async_to_sync
from django.contrib import admin
from django.http import HttpRequest, JsonResponse

from apps.accounts.admin import UserAdmin as AccountsUserAdmin
from apps.accounts.models import User
from apps.chat.admin import ConversationAdmin as ChatConversationAdmin
from apps.chat.models import Conversation
from apps.leveltest.admin import AttemptAdmin as LeveltestAttemptAdmin
from apps.leveltest.admin import ReportAdmin as LeveltestReportAdmin
from apps.leveltest.models import Attempt, Report
from apps.ocr.admin import DocumentAdmin as OcrDocumentAdmin
from apps.ocr.models import Document
from apps.privacy import audit, document, erasure
from apps.privacy.models import AuditAction, AuditEvent


def _staff_event(request: HttpRequest, action: AuditAction, subject_id: Any, object_type: str, object_id: Any):
    user = request.user
    audit.record(
        action,
        actor_id=user.pk,
        actor_role=getattr(user, "role", ""),
        subject_id=subject_id,
        via="admin",
        object_type=object_type,
        object_id=object_id,
    )


class AuditedChangeView:
    """Records a view of a person's data each time staff open one of these change pages."""

    audit_type = ""

    def audit_subject(self, obj) -> int | None:
        raise NotImplementedError

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)  # type: ignore[misc]
        if request.method == "GET" and response.status_code == 200:
            obj = self.get_object(request, object_id)  # type: ignore[attr-defined]
            if obj is not None:
                _staff_event(request, AuditAction.VIEW, self.audit_subject(obj), self.audit_type, obj.pk)
        return response


class UserAdmin(AuditedChangeView, AccountsUserAdmin):
    """The accounts app's User admin, plus export, and deletion as a full erasure."""

    audit_type = "user"
    actions = [*AccountsUserAdmin.actions, "export_data"]

    def audit_subject(self, obj) -> int | None:
        return obj.pk

    @admin.action(description="Export all data of the selected users (JSON download)")
    def export_data(self, request, queryset):
        documents = []
        for user in queryset.order_by("pk"):
            documents.append(document.build(user.pk))
            _staff_event(request, AuditAction.EXPORT, user.pk, "user", user.pk)
        body = documents[0] if len(documents) == 1 else {"exports": documents}
        response = JsonResponse(body, json_dumps_params={"ensure_ascii": False, "indent": 1})
        ids = "-".join(str(d["profile"]["id"]) for d in documents[:10])
        response["Content-Disposition"] = f'attachment; filename="lingua-export-{ids}.json"'
        return response

    # Deleting a user here (the delete page or the "delete selected" action) is an erasure: tokens revoked, files,
    # cache entries and admin history gone, one audit event kept. Django's delete page has already refused a
    # teacher who still owns classes (a protected relation) before these run.
    def delete_model(self, request, obj) -> None:
        erased = erasure.erase(obj.pk, actor_id=request.user.pk, actor_role=request.user.role, via="admin")
        async_to_sync(erasure.forget)(erased.cache_keys)

    def delete_queryset(self, request, queryset) -> None:
        for user in list(queryset):
            self.delete_model(request, user)


class ConversationAdmin(AuditedChangeView, ChatConversationAdmin):
    audit_type = "conversation"

    def audit_subject(self, obj) -> int | None:
        return obj.learner_id

    def export_csv(self, request, pk: int):
        response = super().export_csv(request, pk)
        if response.status_code == 200:
            learner_id = Conversation.objects.filter(pk=pk).values_list("learner_id", flat=True).first()
            _staff_event(request, AuditAction.EXPORT, learner_id, "conversation", pk)
        return response


class AttemptAdmin(AuditedChangeView, LeveltestAttemptAdmin):
    audit_type = "leveltest-attempt"

    def audit_subject(self, obj) -> int | None:
        return obj.learner_id


class ReportAdmin(AuditedChangeView, LeveltestReportAdmin):
    audit_type = "leveltest-report"

    def audit_subject(self, obj) -> int | None:
        return obj.attempt.learner_id


class DocumentAdmin(AuditedChangeView, OcrDocumentAdmin):
    audit_type = "ocr-document"

    def audit_subject(self, obj) -> int | None:
        return obj.owner_id


for _model, _admin_class in (
    (User, UserAdmin),
    (Conversation, ConversationAdmin),
    (Attempt, AttemptAdmin),
    (Report, ReportAdmin),
    (Document, DocumentAdmin),
):
    admin.site.unregister(_model)
    admin.site.register(_model, _admin_class)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "actor_role", "actor_id", "action", "object_type", "object_id", "subject_id", "via")
    list_filter = ("action", "via", "actor_role", "object_type", "at")
    search_fields = ("object_id",)
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
