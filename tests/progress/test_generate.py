"""The benchmark's data generator: a class with months of activity whose figures the pages then show."""

import io

import pytest
from django.core.management import call_command

from apps.accounts.models import Classroom
from apps.chat.models import Message
from apps.progress.models import LearnerStamp, Mistake, WorkProfile

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_generates_a_class_whose_pages_show_the_figures(client_factory_sync):
    out = io.StringIO()
    call_command("progress_generate", students=3, messages=120, days=90, measure=2, stdout=out)
    classroom = Classroom.objects.get(name="Progress bench")
    assert classroom.students.count() == 3
    assert Message.objects.filter(conversation__learner__classrooms=classroom).count() == 360
    assert WorkProfile.objects.count() == 360 and Mistake.objects.exists()
    assert LearnerStamp.objects.filter(learner__classrooms=classroom).count() == 3
    oldest = Message.objects.order_by("created_at").first()
    assert (
        oldest is not None
        and (Message.objects.order_by("-created_at").first().created_at - oldest.created_at).days > 60
    )
    assert "p95" in out.getvalue()

    client_factory_sync.force_login(classroom.teacher)
    html = client_factory_sync.get(f"/teacher/progress/classes/{classroom.pk}/").content.decode()
    assert html.count("<tr data-student=") == 3 and "no writing" not in html
    student = classroom.students.first()
    page = client_factory_sync.get(f"/teacher/progress/students/{student.pk}/").content.decode()
    assert page.count('<circle class="median"') >= 10 and page.count('<path class="placement"') == 3


def test_it_refuses_to_generate_twice_without_reset():
    call_command("progress_generate", students=1, messages=10, days=10, stdout=io.StringIO())
    with pytest.raises(Exception, match="--reset"):
        call_command("progress_generate", students=1, messages=10, days=10, stdout=io.StringIO())
    call_command("progress_generate", students=2, messages=10, days=10, reset=True, stdout=io.StringIO())
    assert Classroom.objects.get(name="Progress bench").students.count() == 2
