"""Property-based fuzzing of every operation in /api/openapi.json with schemathesis, through the whole ASGI app.

Each operation gets generated requests (valid and invalid ones) as staff and as a student, with a real worker
behind the API (the CEFR model replaced by a stand-in, the self-test's CPU burn shortened, the tutor offline).
Operations with ids in their path are also called with the ids of objects the caller owns, so the fuzzed bodies
and queries reach the code behind the ownership check. No answer may be a server error (5xx).
"""

import pytest
import schemathesis
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from project.asgi import application
from tests.attack.conftest import SCORES, Owned, make_owned
from tests.conftest import bearer

pytestmark = [
    pytest.mark.django_db(transaction=True),
    # schemathesis 4.32.5 draws from `random` inside its strategies (a HypothesisDeprecationWarning per operation)
    pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisDeprecationWarning"),
]

EXAMPLES = 12
# Loaded from the ASGI app at import. pytest-django lets the test host in only once tests run, so the schema request
# names an allowed host. (schemathesis.pytest.from_fixture would load it lazily, but schemathesis 4.32.5's lazy
# loader sets ``request.node._nodeid``, which pytest 9 no longer has: AttributeError.)
schema = schemathesis.openapi.from_asgi("/api/openapi.json", application, headers={"Host": "localhost"})
fuzz = hypothesis_settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    database=None,
)


class StandInBatcher:
    """Answers like the CEFR model's batcher (same result shape), without the model."""

    def classify(self, texts: list[str], timeout: float | None = None) -> list[dict]:
        for position, text in enumerate(texts):
            if not isinstance(text, str) or not text.strip():
                raise ValueError(f"text {position} is empty; nothing to classify")
        return [{"level": "A2", "scores": dict(SCORES)} for _ in texts]


@pytest.fixture
def backend(settings, worker, monkeypatch, item_bank):
    """Short waits, no rate limits in the way, a worker with a CEFR stand-in and a short self-test."""
    from apps.cefr import worker as cefr_worker
    from apps.jobs import selftest

    settings.JOB_WAIT_SECONDS = 0.5
    settings.OCR_WAIT_SECONDS = 0.5
    settings.CEFR_TIMEOUT = 3.0
    settings.LLM_TIMEOUT = 5.0
    settings.LEVELTEST_MIN_ANSWERS = 1
    settings.RATE_LIMITS = dict.fromkeys(settings.RATE_LIMITS, 1_000_000)
    monkeypatch.setattr(cefr_worker, "_batcher", StandInBatcher())
    real_burn = selftest.burn_cpu
    monkeypatch.setattr(selftest, "burn_cpu", lambda work_ms: real_burn(max(1, work_ms // 100)))
    return settings


def owned_ids(owned: Owned, path: str) -> dict:
    """The caller's own object for each path parameter of ``path``."""
    if path.endswith("/submit"):
        attempt = owned.submittable_attempt
    elif path.endswith("/report"):
        attempt = owned.reported_attempt
    else:
        attempt = owned.open_attempt
    return {
        "job_id": str(owned.job.id),
        "document_id": str(owned.document.id),
        "conversation_id": owned.conversation.id,
        "message_id": owned.failed_reply.id if path.endswith("/retry") else owned.done_reply.id,
        "attempt_id": str(attempt.id),
        "item_id": owned.served_item.key,
    }


def exercise(case, headers: dict, owned: Owned) -> None:
    response = case.call(headers=headers)
    case.validate_response(response, checks=[not_a_server_error, content_type_conformance, response_schema_conformance])
    if case.path_parameters:
        # Again with the caller's own objects: the generated body and query now reach the code behind the lookup.
        case.path_parameters = {
            name: owned_ids(owned, case.operation.path).get(name, value) for name, value in case.path_parameters.items()
        }
        response = case.call(headers=headers)
        case.validate_response(response, checks=[not_a_server_error])


@pytest.fixture
def staff_run(staff, backend, settings):
    return bearer(staff), make_owned(staff, settings.OCR_ENGINE)


@pytest.fixture
def student_run(student, teacher, backend, settings):
    return bearer(student), make_owned(student, settings.OCR_ENGINE)


@schema.parametrize()
@fuzz
def test_no_request_makes_a_server_error_as_staff(case, staff_run):
    exercise(case, *staff_run)


@schema.parametrize()
@fuzz
def test_no_request_makes_a_server_error_as_a_student(case, student_run):
    exercise(case, *student_run)


async def test_the_schema_has_every_operation_with_bearer_security(client):
    """What the fuzzing above covers: every operation of the schema, none filtered out."""
    operations = list(schema.get_all_operations())
    assert len(operations) >= 29 and all(isinstance(op, Ok) for op in operations)
    raw = (await client.get("/api/openapi.json")).json()
    assert raw["components"]["securitySchemes"] == {"JWTAuth": {"type": "http", "scheme": "bearer"}}


async def test_the_declared_job_progress_has_the_fields_jobs_return(client):
    raw = (await client.get("/api/openapi.json")).json()
    components = raw["components"]["schemas"]
    ref = components["JobOut"]["properties"]["progress"]["$ref"].rsplit("/", 1)[-1]
    assert set(components[ref]["properties"]) == {"done", "total"}
