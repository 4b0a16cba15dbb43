import pytest
from asgiref.sync import sync_to_async

from apps.leveltest.models import Item
from tests.conftest import abearer


@pytest.fixture(autouse=True)
def item_bank(request):
    """The bank the data migration loads (transactional tests empty every table after each test)."""
    if "django_db_setup" not in request.fixturenames and not request.node.get_closest_marker("django_db"):
        return
    request.getfixturevalue("transactional_db")
    from apps.leveltest.itembank import install, load_bank

    if not Item.objects.exists():
        install(load_bank())


async def take_test(client, learner, knows, *, writing: str | None = None, count: int | None = None) -> dict:
    """Answer items as a learner who gets right exactly the items ``knows(item)`` says; return the last progress."""
    headers = await abearer(learner)
    attempt = (await client.post("/api/leveltest/attempts", headers=headers)).json()["id"]
    progress: dict = {}
    while True:
        nxt = (await client.get(f"/api/leveltest/attempts/{attempt}/next", headers=headers)).json()
        if nxt["type"] == "done" or (count is not None and progress.get("answered", 0) >= count):
            break
        if nxt["type"] == "writing":
            if writing is None:
                break
            body = {"text": writing}
        else:
            item = await sync_to_async(Item.objects.get)(key=nxt["id"])
            right = knows(item)
            body = {"choice": item.answer if right else (item.answer + 1) % len(item.choices)}
        response = await client.put(
            f"/api/leveltest/attempts/{attempt}/answers/{nxt['id']}", json=body, headers=headers
        )
        assert response.status_code == 200, response.text
        progress = response.json()
    return {"attempt": attempt, "progress": progress, "headers": headers}
