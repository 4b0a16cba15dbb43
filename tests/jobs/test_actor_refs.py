"""Both ends of every message use one ``ActorRef``: each declared reference has exactly one actor, on its queue."""

import importlib
import pkgutil
from pathlib import Path

import dramatiq
import pytest

import actors
from apps.jobs import queues
from apps.jobs.queues import ActorRef, UnknownQueue

ROOT = Path(__file__).resolve().parents[2]


def declared_refs() -> dict[str, ActorRef]:
    """Every ``ActorRef`` in an app's ``tasks`` module, by where it is declared (``apps.ocr.tasks.PAGE``)."""
    refs = {}
    for path in sorted(ROOT.glob("apps/*/tasks.py")):
        module = importlib.import_module(f"apps.{path.parent.name}.tasks")
        refs |= {f"{module.__name__}.{k}": v for k, v in vars(module).items() if isinstance(v, ActorRef)}
    return refs


def actor_objects() -> list[dramatiq.Actor]:
    """Every actor that a module of the ``actors`` package declares."""
    modules = [importlib.import_module(f"actors.{info.name}") for info in pkgutil.iter_modules(actors.__path__)]
    return [value for module in modules for value in vars(module).values() if isinstance(value, dramatiq.Actor)]


def test_every_app_declares_its_refs():
    assert {ref.name for ref in declared_refs().values()} >= {
        "cefr.classify",
        "chat.analyse",
        "chat.speak",
        "leveltest.report",
        "ocr.document",
        "ocr.page",
        "privacy.export",
        "selftest.cpu",
    }


def test_no_two_refs_share_a_name():
    names = [ref.name for ref in declared_refs().values()]
    assert sorted(names) == sorted(set(names))


def test_every_ref_has_exactly_one_actor_on_its_queue():
    declared = actor_objects()
    broker = dramatiq.get_broker()
    for where, ref in declared_refs().items():
        matching = [actor for actor in declared if actor.actor_name == ref.name]
        assert len(matching) == 1, f"{where} ({ref.name}) has {len(matching)} actors"
        assert matching[0].queue_name == ref.queue, where
        assert broker.get_actor(ref.name) is matching[0], where


def test_every_actor_is_declared_with_a_ref():
    names = {ref.name for ref in declared_refs().values()}
    assert {actor.actor_name for actor in actor_objects()} <= names
    assert set(dramatiq.get_broker().get_declared_actors()) <= names


def test_every_queue_has_a_pool_and_a_depth_limit(settings):
    # The defaults of WORKER_POOLS and QUEUE_MAX_DEPTH: a queue no pool consumes would hold its messages for ever.
    assert set(settings.WORKER_QUEUES) == set(queues.ALL)
    assert set(settings.QUEUE_MAX_DEPTH) == set(queues.ALL)


def test_a_misspelt_queue_fails_where_the_ref_is_declared():
    with pytest.raises(UnknownQueue, match="defualt"):
        ActorRef("chat.analyse", "defualt")


def test_a_ref_sent_to_another_queue_is_the_same_actor():
    from apps.ocr import tasks

    assert tasks.PAGE.on("interactive") == ActorRef("ocr.page", "interactive")
    with pytest.raises(UnknownQueue):
        tasks.PAGE.on("interactiv")
