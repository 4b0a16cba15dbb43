from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from apps.accounts.models import Classroom, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "email", "role", "is_active", "date_joined", "last_login")
    list_filter = ("role", "is_active")
    fieldsets = (*BaseUserAdmin.fieldsets, ("Platform", {"fields": ("role", "token_version")}))  # type: ignore[misc]
    add_fieldsets = (*BaseUserAdmin.add_fieldsets, ("Platform", {"fields": ("role",)}))
    readonly_fields = ("token_version",)
    actions = ["revoke_tokens"]

    @admin.action(description="Revoke all tokens of the selected users")
    def revoke_tokens(self, request, queryset):
        for user in queryset:
            user.revoke_tokens()


@admin.register(Classroom)
class ClassroomAdmin(admin.ModelAdmin):
    list_display = ("name", "teacher", "student_count", "created_at")
    search_fields = ("name", "teacher__username", "students__username")
    autocomplete_fields = ("teacher",)
    filter_horizontal = ("students",)

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(n_students=Count("students"))

    @admin.display(description="Students", ordering="n_students")
    def student_count(self, obj):
        return obj.n_students
