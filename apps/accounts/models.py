from django.contrib.auth.models import AbstractUser
from django.db import models


class Role(models.TextChoices):
    STUDENT = "student", "Student"
    TEACHER = "teacher", "Teacher"
    STAFF = "staff", "Staff"


class User(AbstractUser):
    """A learner, teacher or staff member. ``token_version`` bumps revoke every token issued before."""

    role = models.CharField(max_length=16, choices=Role.choices, default=Role.STUDENT, db_index=True)
    token_version = models.PositiveIntegerField(default=0)

    def save(self, *args, **kwargs):
        # Staff role and Django's admin flag go together so the admin is reachable by staff only.
        self.is_staff = self.role == Role.STAFF or self.is_superuser
        super().save(*args, **kwargs)

    # Staff run the platform: the admin is theirs in full (teachers and students never reach it: is_staff False).
    def has_perm(self, perm, obj=None) -> bool:
        return (self.is_active and self.role == Role.STAFF) or super().has_perm(perm, obj)

    def has_module_perms(self, app_label) -> bool:
        return (self.is_active and self.role == Role.STAFF) or super().has_module_perms(app_label)

    def revoke_tokens(self) -> None:
        """Invalidate every access and refresh token issued to this user so far."""
        self.token_version += 1
        self.save(update_fields=["token_version"])


class ClassroomQuerySet(models.QuerySet):
    def visible_to(self, user_id: int, role: str) -> "ClassroomQuerySet":
        if role == Role.STAFF:
            return self
        if role == Role.TEACHER:
            return self.filter(teacher_id=user_id)
        return self.filter(students__id=user_id)


class Classroom(models.Model):
    """A class taught by one teacher; students may belong to several classes."""

    name = models.CharField(max_length=120)
    teacher = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        related_name="classrooms_taught",
        limit_choices_to={"role": Role.TEACHER},
    )
    students = models.ManyToManyField(
        User, related_name="classrooms", blank=True, limit_choices_to={"role": Role.STUDENT}
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ClassroomQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["teacher", "name"], name="unique_class_name_per_teacher")]

    def __str__(self) -> str:
        return self.name
