"""Sign-in forms of the HTML pages: the admin's and the teachers', both behind the sign-in throttle."""

import math

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm

from apps.accounts import throttle
from apps.accounts.models import Role


class ThrottledAuthenticationForm(AuthenticationForm):
    """Refuses a locked account (``apps.accounts.throttle``) before its password is even checked."""

    def clean(self):
        username = self.cleaned_data.get("username")
        if username:
            wait = throttle.locked_for(username, throttle.client_address(self.request))
            if wait:
                raise forms.ValidationError(
                    "Too many failed sign-ins for this account; try again in %(minutes)d minutes.",
                    code="locked",
                    params={"minutes": math.ceil(wait / 60)},
                )
        return super().clean()


class AdminLoginForm(ThrottledAuthenticationForm, AdminAuthenticationForm):
    pass


class TeacherLoginForm(ThrottledAuthenticationForm, AuthenticationForm):
    error_messages = {**AuthenticationForm.error_messages, "invalid_login": "Wrong username or password."}

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if user.role not in (Role.TEACHER, Role.STAFF):
            raise forms.ValidationError("These pages are for teachers.", code="not_teacher")
