from django.urls import path

from apps.progress import views

app_name = "progress"
urlpatterns = [
    path("", views.classes, name="classes"),
    path("classes/<int:classroom_id>/", views.class_page, name="class"),
    path("classes/<int:classroom_id>/progress.csv", views.class_csv, name="class-csv"),
    path("students/<int:student_id>/", views.student_page, name="student"),
]
