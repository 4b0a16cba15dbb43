"""POST /api/cefr/classify through the whole stack: cache, broker, a real worker with the real model."""

import json

import pytest
from asgiref.sync import sync_to_async

from apps.cefr import bands, services
from apps.core.kv import kv
from apps.core.metrics import CACHE_REQUESTS
from tests.conftest import abearer

pytestmark = pytest.mark.django_db(transaction=True)

EASY = "I like my cat."
HARD = "The committee's deliberations were protracted, notwithstanding the unequivocal evidence presented."
LEVEL_INDEX = {lvl: i for i, lvl in enumerate(["A1", "A2", "B1", "B2", "C1", "C2"])}


def expected_level(scores: dict[str, float]) -> float:
    return sum(LEVEL_INDEX[level] * p for level, p in scores.items())


async def test_it_classifies_texts_in_input_order(client, student, worker):
    response = await client.post("/api/cefr/classify", json={"texts": [HARD, EASY]}, headers=await abearer(student))
    assert response.status_code == 200, response.text
    hard, easy = response.json()
    assert [hard["text"], easy["text"]] == [HARD, EASY]
    for result in (hard, easy):
        assert set(result["scores"]) == set(LEVEL_INDEX)
        assert abs(sum(result["scores"].values()) - 1) < 1e-3
        assert result["level"] == max(result["scores"], key=result["scores"].get)
        assert result["confidence"] == pytest.approx(max(result["scores"].values()))
        assert result["band"] == bands.band(result["scores"]) and result["level"] in result["band"].split("-")
    assert expected_level(easy["scores"]) < expected_level(hard["scores"])


async def test_a_result_cached_before_bands_existed_is_answered_with_confidence_and_band(client, student):
    old = {"level": "B1", "scores": {"A1": 0.0, "A2": 0.1, "B1": 0.5, "B2": 0.4, "C1": 0.0, "C2": 0.0}}
    await kv().set(services.cache_key("An old sentence."), json.dumps(old), 60)
    response = await client.post(
        "/api/cefr/classify", json={"texts": ["An old sentence."]}, headers=await abearer(student)
    )
    assert response.status_code == 200, response.text  # no worker: the cache answered
    assert response.json() == [{"text": "An old sentence.", **old, "confidence": 0.5, "band": "B1-B2"}]


def test_new_weights_or_temperature_use_new_cache_keys(settings, tmp_path):
    before = services.cache_key(EASY)
    assert before.startswith(f"cefr:v{services.CACHE_VERSION}:")
    folder = tmp_path / "model"
    folder.mkdir()
    source = settings.CEFR_MODEL_DIR
    (folder / "model.safetensors").symlink_to(source / "model.safetensors")
    config = json.loads((source / "config.json").read_text())
    (folder / "config.json").write_text(json.dumps({**config, "cefr_temperature": 1.7}))
    settings.CEFR_MODEL_DIR = folder
    assert services.cache_key(EASY) != before
    assert services.cache_key("  I like my   cat. ") == services.cache_key(EASY)


async def test_a_repeated_sentence_is_served_from_the_cache_without_a_worker(client, student, worker):
    headers = await abearer(student)
    first = await client.post("/api/cefr/classify", json={"texts": [EASY]}, headers=headers)
    assert first.status_code == 200
    await sync_to_async(worker.stop)()  # no worker from here on: only the cache can answer
    hits = CACHE_REQUESTS.labels(cache="cefr", result="hit")
    before = hits._value.get()
    again = await client.post("/api/cefr/classify", json={"texts": ["  I like   my cat. "]}, headers=headers)
    assert again.status_code == 200
    assert again.json()[0]["scores"] == first.json()[0]["scores"]
    assert again.json()[0]["text"] == "  I like   my cat. "
    assert hits._value.get() - before == 1


async def test_duplicates_in_one_request_are_classified_once(student, worker):
    results = await services.classify([EASY, HARD, EASY])
    assert results[0].scores == results[2].scores
    assert [r.text for r in results] == [EASY, HARD, EASY]


async def test_without_workers_the_api_answers_503_instead_of_hanging(client, student, settings):
    settings.CEFR_TIMEOUT = 0.5
    response = await client.post(
        "/api/cefr/classify", json={"texts": ["Nobody is listening."]}, headers=await abearer(student)
    )
    assert response.status_code == 503
    assert response.headers["Retry-After"]
    assert "No cefr worker answered" in response.json()["error"]["message"]


async def test_a_missing_model_is_a_503_with_a_clear_message(client, student, worker, settings, tmp_path, monkeypatch):
    from apps.cefr import worker as cefr_worker

    settings.CEFR_MODEL_DIR = tmp_path / "no-model-here"
    monkeypatch.setattr(cefr_worker, "_batcher", None)
    monkeypatch.setattr(cefr_worker, "_load_error", None)
    response = await client.post("/api/cefr/classify", json={"texts": ["A sentence."]}, headers=await abearer(student))
    assert response.status_code == 503
    assert "does not exist" in response.json()["error"]["message"]


async def test_it_requires_authentication(client):
    assert (await client.post("/api/cefr/classify", json={"texts": [EASY]})).status_code == 401


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"texts": []}, "at least one text"),
        ({"texts": ["   "]}, "text 0 is empty"),
        ({"texts": ["fine", ""]}, "text 1 is empty"),
        ({"texts": ["x" * 2001]}, "the limit is 2000"),
        ({"texts": ["a"] * 65}, "at most 64 texts"),
        ({"texts": "not a list"}, "valid list"),
        ({"text": ["wrong field"]}, "texts"),
        ({"texts": [1, 2]}, "valid string"),
    ],
)
async def test_bad_input_is_a_422_with_a_clear_message(client, student, payload, message):
    response = await client.post("/api/cefr/classify", json=payload, headers=await abearer(student))
    assert response.status_code == 422
    error = response.json()["error"]
    assert message in str(error["detail"]) + error["message"]


async def test_a_body_that_is_not_json_is_a_422(client, student):
    headers = {**(await abearer(student)), "Content-Type": "application/json"}
    response = await client.post("/api/cefr/classify", content=b'{"texts": [', headers=headers)
    assert response.status_code == 422
    assert response.json()["error"]["message"] == "The request body is not valid JSON"
