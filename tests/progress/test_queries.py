"""The figures come from a fixed number of aggregate queries, however many students and messages there are."""

import pytest
from asgiref.sync import async_to_sync
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.accounts.models import Classroom
from apps.chat.models import Conversation
from apps.progress import services
from apps.progress.views import _cell
from tests.conftest import _make_user
from tests.progress.conftest import say

pytestmark = pytest.mark.django_db


def _queries(work) -> int:
    async def run() -> None:
        await work()

    with CaptureQueriesContext(connection) as captured:
        async_to_sync(run)()
    return len(captured.captured_queries)


def test_the_class_rows_take_the_same_queries_for_one_student_or_many(teacher, student):
    classroom = Classroom.objects.get(teacher=teacher)
    one = _queries(lambda: services.compute_rows([student.pk], timezone.now()))
    for n in range(4):
        learner = _make_user(f"learner{n}", "student")
        classroom.students.add(learner)
        conversation = Conversation.objects.create(learner=learner)
        for day in range(n * 5):
            say(conversation, "We played football in the park.", "B1", day)
    ids = list(classroom.students.values_list("pk", flat=True))
    assert _queries(lambda: services.compute_rows(ids, timezone.now())) == one == 6


def test_a_students_figures_take_a_fixed_number_of_queries(student):
    conversation = Conversation.objects.create(learner=student)
    say(conversation, "he go to a museum with his friends", "A2", 0)
    one = _queries(lambda: services.compute_detail(student.pk, timezone.now()))
    for day in range(1, 60):
        say(conversation, "he go to a museum with his friends", "A2", day)
    assert _queries(lambda: services.compute_detail(student.pk, timezone.now())) == one == 13


def test_a_csv_cell_that_a_spreadsheet_would_run_is_defused():
    assert _cell("=HYPERLINK(1)") == "'=HYPERLINK(1)" and _cell("@sum") == "'@sum" and _cell("Ann") == "Ann"
