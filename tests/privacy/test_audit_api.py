"""Staff reading a learner's level-test report through the API is audited; the learner and their teacher are not."""

import pytest

from apps.privacy.models import AuditAction, AuditEvent
from tests.conftest import abearer

pytestmark = pytest.mark.django_db(transaction=True)


async def test_staff_reading_a_report_over_the_api_leaves_an_audit_event(client, staff, teacher, alice_data):
    url = f"/api/leveltest/attempts/{alice_data.attempt.pk}/report"
    for reader in (alice_data.user, teacher):
        assert (await client.get(url, headers=await abearer(reader))).status_code == 200
    assert not await AuditEvent.objects.aexists()
    assert (await client.get(url, headers=await abearer(staff))).status_code == 200
    event = await AuditEvent.objects.aget()
    assert (event.action, event.actor_id, event.subject_id, event.via) == (
        AuditAction.VIEW,
        staff.pk,
        alice_data.user.pk,
        "api",
    )
    assert event.object_type == "leveltest-report" and event.object_id == str(alice_data.attempt.pk)
