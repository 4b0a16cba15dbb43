"""Staff review conversations in the admin; teachers and students cannot reach it."""

import csv
import io

import pytest

from apps.chat.models import Message, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def transcript(conversation):
    Message.objects.create(
        conversation=conversation, role=Role.LEARNER, text="=HYPERLINK(evil)", cefr_level="A2", cefr_value=1.2
    )
    Message.objects.create(conversation=conversation, role=Role.TUTOR, text="Nice! Tell me more about the park.")
    return conversation


def test_staff_see_the_list_with_counts_and_levels(client_factory_sync, staff, transcript):
    client_factory_sync.force_login(staff)
    page = client_factory_sync.get("/admin/chat/conversation/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "alice" in html and "A2 (1.20)" in html


def test_staff_search_message_text_and_filter_by_level(client_factory_sync, staff, transcript):
    client_factory_sync.force_login(staff)
    assert "Weekend plans" in client_factory_sync.get("/admin/chat/conversation/?q=park").content.decode()
    assert (
        "Weekend plans"
        not in client_factory_sync.get("/admin/chat/conversation/?q=nowhere-to-be-found").content.decode()
    )
    assert client_factory_sync.get("/admin/chat/conversation/?level=B2").status_code == 200


def test_the_transcript_is_read_only_with_levels(client_factory_sync, staff, transcript):
    client_factory_sync.force_login(staff)
    page = client_factory_sync.get(f"/admin/chat/conversation/{transcript.pk}/change/").content.decode()
    assert "Tell me more about the park." in page and "A2" in page
    assert 'name="messages-0-text"' not in page


def test_a_conversation_exports_as_csv_without_formula_injection(client_factory_sync, staff, transcript):
    client_factory_sync.force_login(staff)
    response = client_factory_sync.get(f"/admin/chat/conversation/{transcript.pk}/csv/")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["time", "role", "text"]
    assert rows[1][2] == "'=HYPERLINK(evil)" and rows[1][3] == "A2"


@pytest.mark.parametrize("who", ["student", "teacher"])
def test_teachers_and_students_are_sent_to_the_login_page(client_factory_sync, transcript, who, request):
    client_factory_sync.force_login(request.getfixturevalue(who))
    for path in ["/admin/chat/conversation/", f"/admin/chat/conversation/{transcript.pk}/csv/"]:
        response = client_factory_sync.get(path)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_csv_export_neutralises_every_formula_prefix(client_factory_sync, staff, conversation):
    texts = ["\t=1+2", "\r=cmd", "+SUM(A1)", "-2+3", "@import", "plain"]
    for text in texts:
        Message.objects.create(conversation=conversation, role=Role.LEARNER, text=text, model_name="=model")
    client_factory_sync.force_login(staff)
    rows = list(
        csv.reader(
            io.StringIO(
                client_factory_sync.get(f"/admin/chat/conversation/{conversation.pk}/csv/").content.decode(), newline=""
            )
        )
    )
    cells = [row[2] for row in rows[1:]]
    assert cells == ["'\t=1+2", "'\r=cmd", "'+SUM(A1)", "'-2+3", "'@import", "plain"]
    assert all(row[5] == "'=model" for row in rows[1:])
