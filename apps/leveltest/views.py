"""Teachers' pages: a class overview and a printable student report (Django sessions, templates)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from apps.accounts.models import Classroom, Role, User
from apps.accounts.pages import page_teacher
from apps.core.levels import LEVELS
from apps.leveltest.charts import level_chart
from apps.leveltest.models import Report
from apps.leveltest.reports import with_band
from apps.leveltest.signals import report_viewed


def _classes(user: User):
    qs = Classroom.objects.prefetch_related("students").order_by("name")
    return qs if user.role == Role.STAFF else qs.filter(teacher=user)


async def _reports_of(student_id: int) -> list[Report]:
    qs = Report.objects.filter(attempt__learner_id=student_id).select_related("attempt").order_by("-created_at")
    return [r async for r in qs[:20]]


def _trend(reports: list[Report]) -> str:
    if len(reports) < 2:
        return "new" if reports else ""
    now, before = LEVELS.index(reports[0].level), LEVELS.index(reports[1].level)
    return "up" if now > before else "down" if now < before else "same"


@login_required(login_url="/teacher/login/")
async def class_overview(request: HttpRequest) -> HttpResponse:
    user = await page_teacher(request)
    classes = []
    async for classroom in _classes(user):
        rows = []
        for student in classroom.students.all():
            reports = await _reports_of(student.pk)
            rows.append({"student": student, "latest": reports[0] if reports else None, "trend": _trend(reports)})
        classes.append({"classroom": classroom, "rows": rows})
    return render(request, "leveltest/class_overview.html", {"classes": classes, "teacher": user})


@login_required(login_url="/teacher/login/")
async def student_report(request: HttpRequest, student_id: int) -> HttpResponse:
    user = await page_teacher(request)
    allowed = User.objects.filter(pk=student_id, role=Role.STUDENT)
    if user.role != Role.STAFF:
        allowed = allowed.filter(classrooms__teacher=user)
    student = await allowed.distinct().afirst()
    if student is None:
        raise Http404("No such student in your classes")
    reports = await _reports_of(student.pk)
    wanted = request.GET.get("attempt")
    report = next((r for r in reports if str(r.attempt_id) == wanted), None) if wanted else None
    report = report or (reports[0] if reports else None)
    await report_viewed.asend(
        sender=Report,
        viewer_id=user.pk,
        viewer_role=user.role,
        student_id=student.pk,
        attempt_id=str(report.attempt_id) if report else None,
        via="teacher-pages",
    )
    context: dict = {"student": student, "report": report, "reports": reports, "teacher": user}
    if report is not None:
        rows = [(skill.capitalize(), data["level"]) for skill, data in report.skills.items()]
        rows.append(("Overall", report.level))
        if report.writing:
            report.writing = with_band(report.writing) or {}  # for the page only; the stored report is not rewritten
            rows.append(("Writing", report.writing.get("level")))
        context["chart"] = level_chart(rows)
        context["right"] = sum(1 for item in report.items if item["correct"])
    return render(request, "leveltest/student_report.html", context)
