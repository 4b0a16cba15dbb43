"""Authorization matrix: every endpoint of the OpenAPI schema, as each of six people, plus two forged credentials and
the real tokens of a user who logged out and of one who erased their account.

The student ("owner") owns a job, an OCR document, a conversation with messages, level-test attempts (one with a
report) and a data export. Nobody else gets a 2xx on them (except the student's teacher and staff, on the level-test
report, as the README says), nobody else ever sees the owner's data in any response (a canary string and the
objects' ids), and anonymous callers get 401 everywhere except the public endpoints. A new endpoint without a row
here fails the test.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import jwt
import pytest
from asgiref.sync import sync_to_async
from django.conf import settings as django_settings

from apps.accounts.models import Classroom, Role
from apps.accounts.tokens import issue_pair
from tests.attack.conftest import CACHED_TEXT, CANARY, PEOPLE, Owned, cache_cefr_level
from tests.conftest import PASSWORD, _make_user

pytestmark = pytest.mark.django_db(transaction=True)

#: Credentials that must count as no credentials at all (in addition to sending none): forged ones, and the real
#: access tokens of a user who logged out and of one who erased their account.
FORGED = ("expired_token", "foreign_key_token", "logged_out", "erased")
CALLERS = (*PEOPLE, *FORGED)
ANONYMOUS_LIKE = {"anonymous", *FORGED}
PUBLIC_PATHS = {"/api/health", "/api/ready", "/api/auth/token", "/api/auth/refresh"}


def every(status: int) -> dict[str, int]:
    return dict.fromkeys(CALLERS, status)


def users(status: int) -> dict[str, int]:
    """Any authenticated user gets ``status``; anonymous callers 401."""
    return {**every(status), **dict.fromkeys(ANONYMOUS_LIKE, 401)}


def owner_only(status: int) -> dict[str, int]:
    """The owner gets ``status``; other users 404 (never 403: the object's existence is not revealed)."""
    return {**users(404), "owner": status}


def roles(status: int, *allowed: str, refused: int = 403) -> dict[str, int]:
    return {**users(refused), **dict.fromkeys(allowed, status)}


@dataclass
class Row:
    expected: dict[str, int]
    params: Callable[[Owned], dict] = lambda o: {}
    body: Callable[[Owned, str, dict], dict] = lambda o, who, ctx: {}
    #: Who, besides the owner, may see the owner's data in this endpoint's answer.
    may_see_owner: set[str] = field(default_factory=set)
    #: The owner's own answer shows the canary (a positive control of the leak detector).
    canary: bool = False


def _login(o, who, ctx):
    name = "alice" if who in ANONYMOUS_LIKE else ctx["people"][who].username
    return {"json": {"username": name, "password": "correct horse battery staple"}}


def _refresh(o, who, ctx):
    user = ctx["people"]["owner" if who in ANONYMOUS_LIKE else who]
    return {"json": {"refresh": issue_pair(user)["refresh"]}}


def _png(field_name: str):
    return lambda o, who, ctx: {"files": {field_name: ("scan.png", o.seed_png, "image/png")}}


MATRIX: dict[tuple[str, str], Row] = {
    ("GET", "/api/health"): Row(every(200)),
    ("GET", "/api/ready"): Row(every(200)),
    ("POST", "/api/auth/token"): Row(every(200), body=_login),
    ("POST", "/api/auth/refresh"): Row(every(200), body=_refresh),
    # Each caller signs out a session of their own other than the one of their header, which later rows still use;
    # a new password the validators refuse (422) leaves the callers' tokens alone too.
    ("POST", "/api/auth/logout"): Row(users(204), body=_refresh),
    ("POST", "/api/auth/password"): Row(
        users(422), body=lambda o, who, ctx: {"json": {"old_password": "x", "new_password": "short"}}
    ),
    ("POST", "/api/auth/ws-ticket"): Row(users(200)),
    ("GET", "/api/me"): Row(users(200)),
    ("GET", "/api/classrooms"): Row(users(200)),
    ("GET", "/api/jobs"): Row(users(200), canary=True),
    ("GET", "/api/jobs/{job_id}"): Row(owner_only(200), params=lambda o: {"job_id": o.job.id}, canary=True),
    ("POST", "/api/jobs/selftest"): Row(
        roles(202, "staff"), body=lambda o, who, ctx: {"json": {"work_ms": 1, "wait": False}}
    ),
    ("POST", "/api/cefr/classify"): Row(users(200), body=lambda o, who, ctx: {"json": {"texts": [CACHED_TEXT]}}),
    ("POST", "/api/ocr/image"): Row(users(200), body=_png("file")),
    ("POST", "/api/ocr/documents"): Row(users(202), body=_png("files")),
    ("GET", "/api/ocr/documents"): Row(users(200), canary=True),
    ("GET", "/api/ocr/documents/{document_id}"): Row(
        owner_only(200), params=lambda o: {"document_id": o.document.id}, canary=True
    ),
    # The owner deletes it (after the GET row): the others come later and would get 404 anyway, so
    # tests/ocr/test_quota.py also has another user try first.
    ("DELETE", "/api/ocr/documents/{document_id}"): Row(
        owner_only(204), params=lambda o: {"document_id": o.document.id}
    ),
    ("GET", "/api/ocr/usage"): Row(users(200)),
    ("POST", "/api/chat/conversations"): Row(users(201), body=lambda o, who, ctx: {"json": {"topic": "Sports"}}),
    ("GET", "/api/chat/conversations"): Row(users(200), canary=True),
    ("GET", "/api/chat/conversations/{conversation_id}"): Row(
        owner_only(200), params=lambda o: {"conversation_id": o.conversation.id}, canary=True
    ),
    ("POST", "/api/chat/conversations/{conversation_id}/messages"): Row(
        owner_only(200),
        params=lambda o: {"conversation_id": o.conversation.id},
        body=lambda o, who, ctx: {"json": {"text": CACHED_TEXT}},
    ),
    ("GET", "/api/chat/conversations/{conversation_id}/messages"): Row(
        owner_only(200), params=lambda o: {"conversation_id": o.conversation.id}, canary=True
    ),
    ("POST", "/api/chat/conversations/{conversation_id}/messages/{message_id}/retry"): Row(
        owner_only(200), params=lambda o: {"conversation_id": o.conversation.id, "message_id": o.failed_reply.id}
    ),
    ("GET", "/api/chat/conversations/{conversation_id}/analyses"): Row(
        owner_only(200), params=lambda o: {"conversation_id": o.conversation.id}
    ),
    ("GET", "/api/chat/messages/{message_id}/audio"): Row(
        owner_only(202), params=lambda o: {"message_id": o.done_reply.id}
    ),
    # The owner started attempts moments ago (the fixture), so LEVELTEST_RETAKE_HOURS answers 409 (allowed, not yet:
    # a 403 would be the refusal); the other student, with no attempts, starts one.
    ("POST", "/api/leveltest/attempts"): Row({**roles(201, "owner", "other_student"), "owner": 409}),
    ("GET", "/api/leveltest/attempts"): Row(users(200)),
    ("GET", "/api/leveltest/attempts/{attempt_id}/next"): Row(
        owner_only(200), params=lambda o: {"attempt_id": o.open_attempt.id}
    ),
    ("PUT", "/api/leveltest/attempts/{attempt_id}/answers/{item_id}"): Row(
        owner_only(200),
        params=lambda o: {"attempt_id": o.open_attempt.id, "item_id": o.served_item.key},
        body=lambda o, who, ctx: {"json": {"choice": 0}},
    ),
    ("POST", "/api/leveltest/attempts/{attempt_id}/submit"): Row(
        owner_only(202), params=lambda o: {"attempt_id": o.submittable_attempt.id}
    ),
    # Data rights (apps/privacy): a wrong password erases nobody; the owner's job is not an export, so not found.
    ("DELETE", "/api/me"): Row(users(403), body=lambda o, who, ctx: {"json": {"password": "not the password"}}),
    ("POST", "/api/me/export"): Row(users(202)),
    ("GET", "/api/me/export/{job_id}"): Row(owner_only(200), params=lambda o: {"job_id": o.export_job.id}, canary=True),
    ("GET", "/api/leveltest/attempts/{attempt_id}/report"): Row(
        {**owner_only(200), "teacher": 200, "staff": 200},
        params=lambda o: {"attempt_id": o.reported_attempt.id},
        may_see_owner={"teacher", "staff"},
        canary=True,
    ),
    # Progress (apps/progress): a caller's own figures; a class's table for its teacher and staff only.
    ("GET", "/api/me/progress"): Row(users(200)),
    ("GET", "/api/classrooms/{classroom_id}/progress"): Row(
        {**roles(200, "teacher", "staff"), "other_teacher": 404},
        params=lambda o: {"classroom_id": _owners_classroom(o)},
        may_see_owner={"teacher", "staff"},
    ),
}


def _owners_classroom(o: Owned) -> int:
    return Classroom.objects.filter(students__id=o.conversation.learner_id).values_list("id", flat=True).get()


#: The teachers' HTML pages (session sign-in) about the owner: anonymous callers are sent to the sign-in page (302),
#: students refused (403), a teacher of another class finds nothing (404).
PAGES: dict[str, dict[str, int]] = {
    "/teacher/": {"anonymous": 302, "owner": 403, "other_student": 403, "teacher": 200, "other_teacher": 200,
                  "staff": 200},
    "/teacher/students/{student}/": {"anonymous": 302, "owner": 403, "other_student": 403, "teacher": 200,
                                     "other_teacher": 404, "staff": 200},
    "/teacher/progress/": {"anonymous": 302, "owner": 403, "other_student": 403, "teacher": 200,
                           "other_teacher": 200, "staff": 200},
    "/teacher/progress/classes/{classroom}/": {"anonymous": 302, "owner": 403, "other_student": 403,
                                               "teacher": 200, "other_teacher": 404, "staff": 200},
    "/teacher/progress/classes/{classroom}/progress.csv": {"anonymous": 302, "owner": 403, "other_student": 403,
                                                           "teacher": 200, "other_teacher": 404, "staff": 200},
    "/teacher/progress/students/{student}/": {"anonymous": 302, "owner": 403, "other_student": 403,
                                              "teacher": 200, "other_teacher": 404, "staff": 200},
}  # fmt: skip


def schema_operations(schema: dict) -> list[tuple[str, str]]:
    methods = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}
    return [(m.upper(), path) for path, item in schema["paths"].items() for m in item if m in methods]


def _credentials(people: dict) -> dict[str, dict[str, str]]:
    headers = {who: {"Authorization": f"Bearer {issue_pair(u)['access']}"} for who, u in people.items() if u}
    now, owner = int(time.time()), people["owner"]
    claims = {"sub": str(owner.pk), "role": "staff", "name": owner.username, "ver": owner.token_version}
    claims |= {"type": "access", "jti": "x" * 32}
    expired = jwt.encode({**claims, "iat": now - 7200, "exp": now - 3600}, django_settings.JWT_SIGNING_KEY, "HS256")
    foreign = jwt.encode({**claims, "iat": now, "exp": now + 600}, "another-key-" * 4, "HS256")
    return {
        **headers,
        "anonymous": {},
        "expired_token": {"Authorization": f"Bearer {expired}"},
        "foreign_key_token": {"Authorization": f"Bearer {foreign}"},
    }


async def _signed_out_credentials(client) -> dict[str, dict[str, str]]:
    """Real access tokens, used once (so their lookups are cached), of a learner who then logged out and of one who
    then erased their account: both must count as no credentials at all."""
    headers = {}
    for who, name in (("logged_out", "leaver"), ("erased", "eraser")):
        await sync_to_async(_make_user)(name, Role.STUDENT)
        signed_in = await client.post("/api/auth/token", json={"username": name, "password": PASSWORD})
        pair = signed_in.json()
        headers[who] = {"Authorization": f"Bearer {pair['access']}"}
        assert (await client.get("/api/me", headers=headers[who])).status_code == 200
        if who == "logged_out":
            ended = await client.post("/api/auth/logout", json={"refresh": pair["refresh"]}, headers=headers[who])
        else:
            ended = await client.request("DELETE", "/api/me", json={"password": PASSWORD}, headers=headers[who])
        assert ended.status_code == 204, ended.text
    return headers


def _leaks(text: str, owned: Owned) -> list[str]:
    found = [CANARY] if CANARY in text else []
    return found + sorted(u for u in owned.secret_uuids() if u in text)


async def test_it_has_a_row_for_every_endpoint_of_the_schema_and_no_stale_row(client):
    response = await client.get("/api/openapi.json")
    assert response.status_code == 200
    operations = schema_operations(response.json())
    assert len(operations) >= 29
    missing = [op for op in operations if op not in MATRIX]
    assert not missing, f"endpoints without an authorization row (add one to MATRIX): {missing}"
    stale = [op for op in MATRIX if op not in operations]
    assert not stale, f"rows for endpoints that are not in the schema any more: {stale}"


async def test_it_lets_nobody_but_the_owner_reach_the_owners_objects(client, people, owned, settings):
    settings.CEFR_TIMEOUT = 0.5
    settings.JOB_WAIT_SECONDS = 0.5
    settings.OCR_WAIT_SECONDS = 0.5
    settings.LLM_TIMEOUT = 5.0
    await cache_cefr_level()
    schema = (await client.get("/api/openapi.json")).json()
    credentials = await sync_to_async(_credentials)(people) | await _signed_out_credentials(client)
    ctx = {"people": people}
    problems, requests = [], 0
    for method, path in schema_operations(schema):
        row = MATRIX[(method, path)]
        url = path.format(**await sync_to_async(row.params)(owned))
        for who in CALLERS:
            extra: dict[str, Any] = await sync_to_async(row.body)(owned, who, ctx)
            response = await client.request(method, url, headers=credentials[who], timeout=30, **extra)
            requests += 1
            expected, got = row.expected[who], response.status_code
            label = f"{method} {url} as {who}"
            if got != expected:
                problems.append(f"{label}: expected {expected}, got {got}: {response.text[:300]}")
            if got >= 400:
                body = response.json()
                if body.get("error", {}).get("status") != got:
                    problems.append(f"{label}: {got} without the JSON error envelope: {response.text[:300]}")
            if row.canary and (who == "owner" or who in row.may_see_owner) and CANARY not in response.text:
                problems.append(f"{label}: the owner's data is missing (the leak check would be blind)")
            if who != "owner" and who not in row.may_see_owner:
                leaks = _leaks(response.text, owned)
                if leaks:
                    problems.append(f"{label}: LEAK of the owner's data {leaks}: {response.text[:300]}")
    assert requests == len(schema_operations(schema)) * len(CALLERS)
    assert not problems, f"{len(problems)} of {requests} requests broke the matrix:\n" + "\n".join(problems)


async def test_anonymous_callers_get_401_everywhere_but_the_public_endpoints(client):
    schema = (await client.get("/api/openapi.json")).json()
    assert (await client.get("/api/docs")).status_code == 200
    for method, path in schema_operations(schema):
        public = path in PUBLIC_PATHS
        row = MATRIX[(method, path)]
        assert (row.expected["anonymous"] == 401) is not public, f"{method} {path}: public={public} in MATRIX"
        # The declared security must agree with the matrix: every non-public operation requires the bearer.
        declared = schema["paths"][path][method.lower()].get("security")
        assert bool(declared) is not public, f"{method} {path}: declared security {declared}, public={public}"


def test_the_teacher_pages_answer_each_person_as_the_pages_matrix_says(people, owned):
    from django.test import Client

    ids = {"student": people["owner"].pk, "classroom": _owners_classroom(owned)}
    problems = []
    for template, expected in PAGES.items():
        url = template.format(**ids)
        for who in PEOPLE:
            client = Client()
            if people[who] is not None:
                client.force_login(people[who])
            response = client.get(url)
            if response.status_code != expected[who]:
                problems.append(f"GET {url} as {who}: expected {expected[who]}, got {response.status_code}")
            elif who != "owner" and expected[who] == 200 and who not in ("teacher", "staff"):
                if CANARY in response.content.decode() or people["owner"].username in response.content.decode():
                    problems.append(f"GET {url} as {who}: LEAK of the owner's data")
    assert not problems, "\n".join(problems)
