"""Who may do what: anonymous, the student, another student, the student's teacher, another teacher, staff."""

from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from django.utils import timezone

from apps.leveltest import reports, scoring
from apps.leveltest.models import Answer, Attempt, Item
from tests.conftest import abearer

pytestmark = pytest.mark.django_db(transaction=True)
PEOPLE = ["anonymous", "student", "other_student", "teacher", "other_teacher", "staff"]


@pytest.fixture
def people(student, other_student, teacher, other_teacher, staff):
    return {"anonymous": None, "student": student, "other_student": other_student, "teacher": teacher,
            "other_teacher": other_teacher, "staff": staff}  # fmt: skip


def _days_ago(attempt: Attempt, days: int) -> Attempt:
    # Older than LEVELTEST_RETAKE_HOURS, so whether a new attempt may start depends on the caller's role only.
    Attempt.objects.filter(pk=attempt.pk).update(started_at=timezone.now() - timedelta(days=days))
    return attempt


@pytest.fixture
def done_attempt(student, item_bank):
    attempt = Attempt.objects.create(learner=student, submitted_at=timezone.now() - timedelta(days=3))
    for item in Item.objects.filter(level__in=["A2", "B1"])[:12]:
        Answer.objects.create(attempt=attempt, item=item, choice=item.answer, correct=True, theta_after=0, se_after=1)
    reports.save(attempt)
    return _days_ago(attempt, 3)


@pytest.fixture
def open_attempt(student, item_bank):
    return _days_ago(Attempt.objects.create(learner=student), 2)


async def _headers(person):
    return await abearer(person) if person is not None else {}


API_EXPECTED = {
    #                   anonymous student other_student teacher other_teacher staff
    "start": dict(zip(PEOPLE, [401, 201, 201, 403, 403, 403], strict=True)),
    "list": dict(zip(PEOPLE, [401, 200, 200, 200, 200, 200], strict=True)),
    "next": dict(zip(PEOPLE, [401, 200, 404, 404, 404, 404], strict=True)),
    "answer": dict(zip(PEOPLE, [401, 200, 404, 404, 404, 404], strict=True)),
    "submit": dict(zip(PEOPLE, [401, 422, 404, 404, 404, 404], strict=True)),
    "report": dict(zip(PEOPLE, [401, 200, 404, 200, 404, 200], strict=True)),
}


@pytest.mark.parametrize("who", PEOPLE)
@pytest.mark.parametrize("action", list(API_EXPECTED))
async def test_the_api_permission_matrix(client, people, open_attempt, done_attempt, who, action):
    headers = await _headers(people[who])
    base = f"/api/leveltest/attempts/{open_attempt.pk}"
    if action == "start":
        response = await client.post("/api/leveltest/attempts", headers=headers)
    elif action == "list":
        response = await client.get("/api/leveltest/attempts", headers=headers)
        if response.status_code == 200:
            ids = {a["id"] for a in response.json()}
            assert (str(done_attempt.pk) in ids) == (who == "student")
    elif action == "next":
        response = await client.get(f"{base}/next", headers=headers)
    elif action == "answer":
        served = await sync_to_async(_serve)(open_attempt)
        response = await client.put(f"{base}/answers/{served}", json={"choice": 0}, headers=headers)
    elif action == "submit":
        response = await client.post(f"{base}/submit", headers=headers)
    else:
        response = await client.get(f"/api/leveltest/attempts/{done_attempt.pk}/report", headers=headers)
        if response.status_code == 200:
            assert response.json()["learner"] == "alice"
    assert response.status_code == API_EXPECTED[action][who], response.text


def _serve(attempt: Attempt) -> str:
    from apps.leveltest.services import next_item

    return next_item(attempt.pk)["id"]


PAGE_EXPECTED = {
    "overview": dict(zip(PEOPLE, [302, 403, 403, 200, 200, 200], strict=True)),
    "student": dict(zip(PEOPLE, [302, 403, 403, 200, 404, 200], strict=True)),
}


@pytest.mark.parametrize("who", PEOPLE)
@pytest.mark.parametrize("page", list(PAGE_EXPECTED))
def test_the_page_permission_matrix(client_factory_sync, people, done_attempt, who, page):
    if people[who] is not None:
        client_factory_sync.force_login(people[who])
    url = "/teacher/" if page == "overview" else f"/teacher/students/{done_attempt.learner_id}/"
    response = client_factory_sync.get(url)
    assert response.status_code == PAGE_EXPECTED[page][who]
    if response.status_code == 302:
        assert response["Location"].startswith("/teacher/login/")
    if page == "overview" and response.status_code == 200:
        assert ("alice" in response.content.decode()) == (who in {"teacher", "staff"})


def test_the_scoring_table_is_consistent():
    assert [scoring.level_of(scoring.DIFFICULTY[lvl] + 0.5) for lvl in scoring.LEVELS] == list(scoring.LEVELS)
