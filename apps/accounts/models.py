from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import F
from django.db.models.expressions import Combinable
from django.utils.crypto import salted_hmac

from apps.accounts import revocation


class Role(models.TextChoices):
    STUDENT = "student", "Student"
    TEACHER = "teacher", "Teacher"
    STAFF = "staff", "Staff"


class User(AbstractUser):
    """A learner, teacher or staff member. ``token_version`` bumps revoke every token issued before.

    Saving a new password (``set_password``, by any route: the API, the admin's forms, ``changepassword``) or a
    deactivation bumps it, and every sign-in of the user ends: tokens and websockets through ``revocation``, the
    teacher and admin pages' sessions through the session hash, which covers ``token_version`` as well as the
    password (so the admin's "revoke tokens" and an erasure end them too).
    """

    role = models.CharField(max_length=16, choices=Role.choices, default=Role.STUDENT, db_index=True)
    token_version = models.PositiveIntegerField(default=0)
    loaded_is_active: bool | None = None  # is_active as read from the database (a deactivation revokes)

    @classmethod
    def from_db(cls, db, field_names, values):
        user = super().from_db(db, field_names, values)
        user.loaded_is_active = dict(zip(field_names, values, strict=False)).get("is_active")
        return user

    def save(self, *args, **kwargs):
        # Staff role and Django's admin flag go together so the admin is reachable by staff only.
        self.is_staff = self.role == Role.STAFF or self.is_superuser
        if self._ends_sign_ins(kwargs.get("update_fields")):
            self.token_version = F("token_version") + 1  # type: ignore[assignment]
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "token_version"}
        bumped = isinstance(self.token_version, Combinable)
        super().save(*args, **kwargs)
        self.loaded_is_active = self.is_active
        if bumped:
            self.refresh_from_db(fields=["token_version"])
            revocation.revoke_user_on_commit(self.pk, self.token_version)

    def _ends_sign_ins(self, update_fields) -> bool:
        if self._state.adding:
            return False
        # Django's own mark of a new password: set_password() sets it; a hash upgrade at sign-in clears it before
        # saving (not a password change), and save() hands it to the validators' password_changed().
        if getattr(self, "_password", None) is not None:
            return True
        saves_is_active = update_fields is None or "is_active" in update_fields
        return saves_is_active and getattr(self, "loaded_is_active", None) is True and not self.is_active

    # Staff run the platform: the admin is theirs in full (teachers and students never reach it: is_staff False).
    def has_perm(self, perm, obj=None) -> bool:
        return (self.is_active and self.role == Role.STAFF) or super().has_perm(perm, obj)

    def has_module_perms(self, app_label) -> bool:
        return (self.is_active and self.role == Role.STAFF) or super().has_module_perms(app_label)

    # Django checks a session against this hash on every request; over the password alone (Django's default) only a
    # new password would end the teacher and admin pages' sessions, not a revocation.
    def get_session_auth_hash(self) -> str:
        return self._session_hash(None)

    def get_session_auth_fallback_hash(self):
        for secret in settings.SECRET_KEY_FALLBACKS:
            yield self._session_hash(secret)

    def _session_hash(self, secret: str | bytes | None) -> str:
        material = f"{self.password}:{self.token_version}"
        return salted_hmac("apps.accounts.User.session_hash", material, secret=secret, algorithm="sha256").hexdigest()

    def revoke_tokens(self) -> None:
        """Invalidate every access and refresh token issued to this user so far and close their websockets."""
        self.token_version = F("token_version") + 1  # type: ignore[assignment]
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
