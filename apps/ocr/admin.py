from django.contrib import admin

from apps.ocr.models import Document, Page, SourceFile


class SourceInline(admin.TabularInline):
    model = SourceFile
    extra = 0
    readonly_fields = ("index", "name", "file", "sha256", "size", "format")
    can_delete = False


class PageInline(admin.StackedInline):
    model = Page
    extra = 0
    fields = ("number", "source", "text", "elapsed_ms")
    readonly_fields = fields
    can_delete = False


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ("id", "title", "kind", "owner", "page_count", "engine", "created_at")
    list_filter = ("kind", "engine", "created_at")
    search_fields = ("id", "title", "owner__username", "pages__text")
    list_select_related = ("owner",)
    readonly_fields = ("id", "owner", "kind", "engine", "fingerprint", "page_count", "job", "vocabulary", "error")
    inlines = [SourceInline, PageInline]
