"""Staff review tutor conversations: list, filters, search in messages, read-only transcript, CSV export."""

import csv

from django.contrib import admin
from django.db.models import Avg, Count
from django.http import HttpResponse
from django.urls import path, reverse
from django.utils.html import format_html

from apps.chat.models import Conversation, Message
from apps.core.levels import LEVELS


class TranscriptInline(admin.TabularInline):
    model = Message
    fields = ("created_at", "role", "text", "cefr_level", "status", "model_name", "latency_ms")
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ("created_at", "id")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    list_display = ("id", "learner", "topic", "messages", "last_activity_at", "average_level", "level", "export")
    list_filter = ("level", "last_activity_at", "created_at", ("learner", admin.RelatedOnlyFieldListFilter))
    search_fields = ("topic", "learner__username", "messages__text")
    list_select_related = ("learner",)
    readonly_fields = (
        "learner",
        "topic",
        "created_at",
        "last_activity_at",
        "learner_message_count",
        "level",
        "level_score",
    )
    inlines = [TranscriptInline]
    date_hierarchy = "last_activity_at"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(n_messages=Count("messages", distinct=True), avg_level=Avg("messages__cefr_value"))
        )

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        return results, True if search_term else may_have_duplicates

    @admin.display(description="Messages", ordering="n_messages")
    def messages(self, obj):
        return obj.n_messages

    @admin.display(description="Average level", ordering="avg_level")
    def average_level(self, obj):
        if obj.avg_level is None:
            return "-"
        return f"{LEVELS[min(len(LEVELS) - 1, round(obj.avg_level))]} ({obj.avg_level:.2f})"

    @admin.display(description="CSV")
    def export(self, obj):
        return format_html('<a href="{}">export</a>', reverse("admin:chat_conversation_csv", args=[obj.pk]))

    def get_urls(self):
        own = [path("<int:pk>/csv/", self.admin_site.admin_view(self.export_csv), name="chat_conversation_csv")]
        return own + super().get_urls()

    def export_csv(self, request, pk: int):
        conversation = self.get_object(request, str(pk))
        if conversation is None or not self.has_view_permission(request, conversation):
            return HttpResponse(status=404)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="conversation-{pk}.csv"'
        writer = csv.writer(response)
        writer.writerow(["time", "role", "text", "cefr_level", "status", "model", "latency_ms"])
        for m in conversation.messages.order_by("created_at", "id"):
            writer.writerow(
                [
                    m.created_at.isoformat(),
                    *map(_safe, (m.role, m.text, m.cefr_level, m.status, m.model_name)),
                    m.latency_ms,
                ]
            )
        return response


def _safe(text: str) -> str:
    # A cell starting with = + - @ (or a tab or carriage return before one) would run as a formula in a spreadsheet.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
