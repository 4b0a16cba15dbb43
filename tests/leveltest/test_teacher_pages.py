"""The teacher's class overview and the student report page (server-rendered)."""

import pytest
from django.utils import timezone

from apps.leveltest import reports
from apps.leveltest.models import Answer, Attempt, Item, WritingAnswer, WritingPrompt

pytestmark = pytest.mark.django_db


def make_report(student, levels_right: set[str], writing: str | None = None):
    attempt = Attempt.objects.create(learner=student, submitted_at=timezone.now())
    for item in Item.objects.order_by("key")[::4][:24]:
        right = item.level in levels_right
        choice = item.answer if right else (item.answer + 1) % 4
        Answer.objects.create(attempt=attempt, item=item, choice=choice, correct=right, theta_after=0, se_after=1)
    if writing:
        WritingAnswer.objects.create(attempt=attempt, prompt=WritingPrompt.objects.first(), text=writing, level="B1")
    return reports.save(attempt)


def test_the_overview_shows_each_student_with_latest_level_date_and_trend(client_factory_sync, teacher, student):
    make_report(student, {"A1"})
    latest = make_report(student, {"A1", "A2", "B1", "B2"})
    client_factory_sync.force_login(teacher)
    html = client_factory_sync.get("/teacher/").content.decode()
    assert "Class 7B" in html and "alice" in html
    assert f'<td class="level">{latest.level}</td>' in html
    assert 'class="trend-up"' in html


def test_the_report_page_shows_levels_chart_items_and_writing(client_factory_sync, teacher, student):
    report = make_report(student, {"A1", "A2", "B1"}, writing="I like my school because my teachers are kind.")
    client_factory_sync.force_login(teacher)
    html = client_factory_sync.get(f"/teacher/students/{student.pk}/").content.decode()
    assert f'<span class="level" id="overall-level">{report.level}</span>' in html
    assert "<svg" in html and 'aria-label="Level per skill"' in html
    for skill in ("Grammar", "Vocabulary", "Reading"):
        assert skill in html
    assert "I like my school because my teachers are kind." in html
    assert html.count('<td class="right">right</td>') == sum(i["correct"] for i in report.items)
    assert "@media print" in html


def test_a_student_without_a_test_gets_a_clear_page(client_factory_sync, teacher, student):
    client_factory_sync.force_login(teacher)
    assert (
        "has not finished a placement test yet"
        in client_factory_sync.get(f"/teacher/students/{student.pk}/").content.decode()
    )


def test_teachers_log_in_with_a_session(client_factory_sync, teacher):
    from tests.conftest import PASSWORD

    response = client_factory_sync.post("/teacher/login/", {"username": "tess", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/teacher/"
    assert client_factory_sync.get("/teacher/").status_code == 200
    bad = client_factory_sync.post("/teacher/login/", {"username": "tess", "password": "nope"})
    assert "Wrong username or password" in bad.content.decode()
