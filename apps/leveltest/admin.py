from django.contrib import admin

from apps.leveltest.models import Attempt, Item, Report, WritingPrompt


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ("key", "level", "skill", "prompt", "active")
    list_filter = ("level", "skill", "active")
    search_fields = ("key", "prompt", "passage", "explanation")
    list_editable = ("active",)


@admin.register(WritingPrompt)
class WritingPromptAdmin(admin.ModelAdmin):
    list_display = ("key", "level", "prompt", "min_words", "max_words", "active")
    list_filter = ("level", "active")


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    list_display = ("id", "learner", "started_at", "submitted_at")
    list_filter = ("submitted_at",)
    search_fields = ("learner__username",)
    readonly_fields = ("learner", "started_at", "submitted_at", "current_item", "writing_prompt", "job")


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ("attempt", "level", "standard_error", "created_at")
    list_filter = ("level",)
    readonly_fields = ("attempt", "level", "theta", "standard_error", "skills", "items", "writing", "created_at")
