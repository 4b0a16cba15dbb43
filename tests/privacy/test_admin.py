"""Staff export and erase a learner from the admin; every staff view of a learner's data leaves an audit event."""

import json

import pytest

from apps.accounts.models import User
from apps.chat.models import Message
from apps.ocr.models import Document
from apps.privacy.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db(transaction=True)

USERS = "/admin/accounts/user/"


def export_action(client, *users):
    return client.post(USERS, {"action": "export_data", "_selected_action": [u.pk for u in users]})


def test_staff_export_a_learners_data_as_a_json_download(client_factory_sync, staff, alice_data, bob_data):
    client_factory_sync.force_login(staff)
    response = export_action(client_factory_sync, alice_data.user)
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    doc = json.loads(response.content)
    assert doc["profile"]["username"] == "alice"
    assert doc["conversations"][0]["messages"][0]["cefr_level"] == "A2"
    assert doc["documents"][0]["pages"][0]["text"] == "Unit 3: zebra-alice at the zoo"
    assert doc["leveltest"]["attempts"][0]["report"]["level"] == "A2"
    assert "okapi-bob" not in response.content.decode()
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert (event.actor_id, event.subject_id, event.via) == (staff.pk, alice_data.user.pk, "admin")


def test_staff_erase_a_learner_with_the_admins_delete(client_factory_sync, staff, alice_data, bob_data):
    client_factory_sync.force_login(staff)
    alice_id = alice_data.user.pk
    confirm = client_factory_sync.get(f"{USERS}{alice_id}/delete/")
    assert confirm.status_code == 200
    done = client_factory_sync.post(f"{USERS}{alice_id}/delete/", {"post": "yes"})
    assert done.status_code == 302
    assert not User.objects.filter(pk=alice_id).exists()
    assert not Message.objects.filter(conversation__learner_id=alice_id).exists()
    assert not Document.objects.filter(owner_id=alice_id).exists()
    assert not any(p.exists() for p in alice_data.files)
    assert all(p.exists() for p in bob_data.files)
    event = AuditEvent.objects.get(action=AuditAction.ERASE)
    assert (event.actor_id, event.actor_role, event.subject_id, event.via) == (staff.pk, "staff", alice_id, "admin")
    # the admin's own change history named her: it went with her
    from django.contrib.admin.models import LogEntry

    assert not LogEntry.objects.filter(object_repr__icontains="alice").exists()


def test_the_delete_selected_action_erases_too(client_factory_sync, staff, alice_data, bob_data):
    client_factory_sync.force_login(staff)
    ids = [alice_data.user.pk, bob_data.user.pk]
    response = client_factory_sync.post(USERS, {"action": "delete_selected", "_selected_action": ids, "post": "yes"})
    assert response.status_code == 302
    assert not User.objects.filter(pk__in=ids).exists()
    assert not any(p.exists() for p in alice_data.files + bob_data.files)
    assert set(AuditEvent.objects.filter(action=AuditAction.ERASE).values_list("subject_id", flat=True)) == set(ids)


def test_a_teacher_who_owns_classes_cannot_be_deleted_in_the_admin(client_factory_sync, staff, teacher):
    client_factory_sync.force_login(staff)
    page = client_factory_sync.post(f"{USERS}{teacher.pk}/delete/", {"post": "yes"})
    assert page.status_code == 200 and "protected" in page.content.decode()
    assert User.objects.filter(pk=teacher.pk).exists()
    assert not AuditEvent.objects.filter(action=AuditAction.ERASE).exists()


@pytest.mark.parametrize("who", ["student", "teacher"])
def test_teachers_and_students_can_neither_export_nor_erase(client_factory_sync, alice_data, who, request):
    client_factory_sync.force_login(request.getfixturevalue(who))
    exported = export_action(client_factory_sync, alice_data.user)
    erased = client_factory_sync.post(f"{USERS}{alice_data.user.pk}/delete/", {"post": "yes"})
    for response in (exported, erased):
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert User.objects.filter(pk=alice_data.user.pk).exists()
    assert not AuditEvent.objects.exists()


def test_staff_opening_a_learners_pages_is_audited(client_factory_sync, staff, alice_data):
    client_factory_sync.force_login(staff)
    alice = alice_data.user
    report = alice_data.attempt.report
    pages = {
        "user": f"{USERS}{alice.pk}/change/",
        "conversation": f"/admin/chat/conversation/{alice_data.conversation.pk}/change/",
        "ocr-document": f"/admin/ocr/document/{alice_data.document.pk}/change/",
        "leveltest-attempt": f"/admin/leveltest/attempt/{alice_data.attempt.pk}/change/",
        "leveltest-report": f"/admin/leveltest/report/{report.pk}/change/",
    }
    for path in pages.values():
        assert client_factory_sync.get(path).status_code == 200, path
    csv = client_factory_sync.get(f"/admin/chat/conversation/{alice_data.conversation.pk}/csv/")
    assert csv.status_code == 200
    views = AuditEvent.objects.filter(action=AuditAction.VIEW, actor_id=staff.pk, subject_id=alice.pk, via="admin")
    assert sorted(views.values_list("object_type", flat=True)) == sorted(pages)
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, object_type="conversation").count() == 1


def test_staff_reading_a_report_on_the_teacher_pages_is_audited_and_the_teacher_is_not(
    client_factory_sync, staff, teacher, alice_data
):
    client_factory_sync.force_login(teacher)
    assert client_factory_sync.get(f"/teacher/students/{alice_data.user.pk}/").status_code == 200
    assert not AuditEvent.objects.exists()
    client_factory_sync.force_login(staff)
    assert client_factory_sync.get(f"/teacher/students/{alice_data.user.pk}/").status_code == 200
    event = AuditEvent.objects.get()
    assert (event.action, event.actor_id, event.subject_id, event.via) == (
        AuditAction.VIEW,
        staff.pk,
        alice_data.user.pk,
        "teacher-pages",
    )
    assert event.object_type == "leveltest-report" and event.object_id == str(alice_data.attempt.pk)


def test_the_audit_log_is_readable_but_not_editable_in_the_admin(client_factory_sync, staff, alice_data):
    client_factory_sync.force_login(staff)
    client_factory_sync.get(f"{USERS}{alice_data.user.pk}/change/")
    event = AuditEvent.objects.get()
    assert client_factory_sync.get("/admin/privacy/auditevent/").status_code == 200
    assert client_factory_sync.get(f"/admin/privacy/auditevent/{event.pk}/change/").status_code == 200
    assert client_factory_sync.get("/admin/privacy/auditevent/add/").status_code == 403
    assert client_factory_sync.post(f"/admin/privacy/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    changed = client_factory_sync.post(f"/admin/privacy/auditevent/{event.pk}/change/", {"action": "erase"})
    assert changed.status_code == 403
    event.refresh_from_db()
    assert event.action == AuditAction.VIEW
