"""The class progress page (sortable, CSV) and the printable student progress page, over Django sessions."""

import csv
import io
import re

import pytest
from django.utils import timezone

from apps.accounts.models import Classroom
from apps.chat.models import Conversation
from apps.leveltest.models import Attempt, Report
from tests.conftest import _make_user
from tests.progress.conftest import say

pytestmark = pytest.mark.django_db


@pytest.fixture
def classroom(teacher, student, other_student) -> Classroom:
    student.first_name, student.last_name = "Alice", "Martin"
    student.save()
    classroom = Classroom.objects.get(teacher=teacher)
    classroom.students.add(other_student)
    carol = _make_user("carol", "student")
    classroom.students.add(carol)
    for learner, levels in ((student, ["B1", "B1", "B2"]), (other_student, ["C1", "C1"]), (carol, ["A2"])):
        conversation = Conversation.objects.create(learner=learner, topic="Weekend")
        for day, level in enumerate(levels):
            say(conversation, "he go to the park with a friend", level, day + 1)
    attempt = Attempt.objects.create(learner=student, submitted_at=timezone.now())
    Report.objects.create(attempt=attempt, level="A2", theta=0, standard_error=1, items=[], skills={})
    return classroom


def _names_in_order(html: str) -> list[str]:
    return re.findall(r'<tr data-student="(\w+)">', html)


def test_the_class_page_sorts_by_any_column(client_factory_sync, teacher, classroom):
    client_factory_sync.force_login(teacher)
    url = f"/teacher/progress/classes/{classroom.pk}/"
    html = client_factory_sync.get(url).content.decode()
    assert _names_in_order(html) == ["alice", "bob", "carol"]  # by name: "Alice Martin", "bob", "carol"
    assert "Alice Martin" in html
    by_level = client_factory_sync.get(url, {"sort": "current", "order": "desc"}).content.decode()
    assert _names_in_order(by_level) == ["bob", "alice", "carol"]
    by_messages = client_factory_sync.get(url, {"sort": "messages", "order": "asc"}).content.decode()
    assert _names_in_order(by_messages) == ["carol", "bob", "alice"]
    by_placement = client_factory_sync.get(url, {"sort": "placement"}).content.decode()
    assert _names_in_order(by_placement)[0] == "alice"  # the only one with a placement; the others follow


def test_the_class_table_exports_as_csv(client_factory_sync, teacher, classroom):
    client_factory_sync.force_login(teacher)
    response = client_factory_sync.get(f"/teacher/progress/classes/{classroom.pk}/progress.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = {r["username"]: r for r in csv.DictReader(io.StringIO(response.content.decode()))}
    assert rows["alice"]["current_level"] == "B1" and rows["alice"]["placement"] == "A2"
    assert rows["alice"]["messages_7_days"] == "3" and rows["bob"]["current_level"] == "C1"
    assert rows["carol"]["placement"] == "" and rows["carol"]["samples_30_days"] == "1"


def test_the_student_page_draws_the_weeks_and_lists_errors(client_factory_sync, teacher, student, classroom):
    client_factory_sync.force_login(teacher)
    html = client_factory_sync.get(f"/teacher/progress/students/{student.pk}/").content.decode()
    assert 'aria-label="Writing level per week"' in html
    medians = re.findall(r'<circle class="median" data-week="[\d-]+" data-level="(\w\d)"', html)
    assert medians and set(medians) <= {"B1", "B2"}
    assert re.findall(r'<path class="placement" data-level="(\w\d)"', html) == ["A2"]
    assert '<span class="level" id="current-level">B1</span>' in html
    assert "he go" in html and "he goes" in html  # the agreement error with its example
    assert "@media print" in html


def test_a_teacher_cannot_open_another_teachers_student_or_class(
    client_factory_sync, other_teacher, student, classroom
):
    client_factory_sync.force_login(other_teacher)
    assert client_factory_sync.get(f"/teacher/progress/students/{student.pk}/").status_code == 404
    assert client_factory_sync.get(f"/teacher/progress/classes/{classroom.pk}/").status_code == 404
    assert client_factory_sync.get(f"/teacher/progress/classes/{classroom.pk}/progress.csv").status_code == 404
    assert "Class 7B" not in client_factory_sync.get("/teacher/progress/").content.decode()


def test_students_are_refused_and_strangers_sent_to_the_login(client_factory_sync, student, classroom):
    assert client_factory_sync.get("/teacher/progress/").status_code == 302
    client_factory_sync.force_login(student)
    assert client_factory_sync.get(f"/teacher/progress/students/{student.pk}/").status_code == 403


def test_names_are_escaped_in_the_class_table(client_factory_sync, teacher, student, classroom):
    student.first_name = "<script>alert(1)</script>"
    student.save()
    client_factory_sync.force_login(teacher)
    html = client_factory_sync.get(f"/teacher/progress/classes/{classroom.pk}/").content.decode()
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; Martin" in html
    assert '<td class="trend-"><span class="muted">–</span></td>' in html  # one week of work: no trend yet


def test_a_trend_shows_its_direction_and_slope():
    from apps.progress.tables import _trend

    assert _trend({"trend": {"direction": "down", "per_week": -0.456}}) == 'down <span class="muted">-0.46/week</span>'
