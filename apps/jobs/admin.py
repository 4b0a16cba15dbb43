from django.contrib import admin

from apps.jobs.models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "kind",
        "owner",
        "status",
        "progress_done",
        "progress_total",
        "attempts",
        "created_at",
    )
    list_filter = ("status", "kind", "created_at")
    search_fields = ("id", "owner__username", "kind")
    date_hierarchy = "created_at"
    list_select_related = ("owner",)
    readonly_fields = [f.name for f in Job._meta.fields]

    def has_add_permission(self, request):
        return False
