import pytest

from apps.chat.models import Conversation
from bench.fake_llm import FakeLLM


@pytest.fixture(autouse=True)
def _short_cefr_wait(settings):
    """Tests without a CEFR worker should not wait the full CEFR budget for a level that cannot come."""
    settings.CEFR_TIMEOUT = 2.0


@pytest.fixture
def fake_llm(settings):
    """A local OpenAI-compatible server; the app talks to it through the real langchain-openai client."""
    server = FakeLLM().start()
    settings.LLM_BASE_URL = server.base_url
    settings.LLM_MODEL = "fake-tutor-1"
    settings.LLM_MAX_RETRIES = 0
    settings.LLM_TIMEOUT = 5.0
    yield server
    server.stop()


@pytest.fixture
def conversation(student):
    return Conversation.objects.create(learner=student, topic="Weekend plans")
