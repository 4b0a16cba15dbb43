"""GroupConsumer: a socket that follows one channel-layer group for the signed-in caller."""

from types import SimpleNamespace

import pytest
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator

from apps.core.consumers import CLOSE_NOT_FOUND, CLOSE_UNAUTHORIZED, GroupConsumer

# Channels closes stale database connections around every message it dispatches: allowed here, as in a server.
pytestmark = pytest.mark.django_db


class NotesConsumer(GroupConsumer):
    """Follows ``notes.{id}`` for the caller with id 1 only."""

    async def group_for(self, principal) -> str | None:
        return f"test.notes.{principal.id}" if principal.id == 1 else None

    async def note_added(self, message):
        await self.send_json({"note": message["note"]})


def socket(principal) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(NotesConsumer.as_asgi(), "/ws/notes/")
    communicator.scope["principal"] = principal
    return communicator


async def test_it_refuses_a_socket_without_a_sign_in():
    assert await socket(None).connect(timeout=5) == (False, CLOSE_UNAUTHORIZED)


async def test_it_refuses_a_socket_whose_group_is_not_found():
    assert await socket(SimpleNamespace(id=2)).connect(timeout=5) == (False, CLOSE_NOT_FOUND)


async def test_it_follows_its_group():
    communicator = socket(SimpleNamespace(id=1))
    assert (await communicator.connect(timeout=5))[0] is True
    await get_channel_layer().group_send("test.notes.1", {"type": "note.added", "note": "hello"})
    assert await communicator.receive_json_from(timeout=5) == {"note": "hello"}
    await communicator.disconnect()
