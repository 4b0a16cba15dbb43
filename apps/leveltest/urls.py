from django.contrib.auth import views as auth_views
from django.urls import path

from apps.accounts.forms import TeacherLoginForm
from apps.leveltest import views

app_name = "teacher"
urlpatterns = [
    path("", views.class_overview, name="overview"),
    path("students/<int:student_id>/", views.student_report, name="student"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="teacher/login.html", next_page="/teacher/", authentication_form=TeacherLoginForm
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(next_page="/teacher/login/"), name="logout"),
]
