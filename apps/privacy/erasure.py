"""Erasure: a person's account and everything kept about them, stored files and cache entries included.

Rows go by the database's cascades from the user (conversations, messages, analyses, speech clips, documents and
their source files and pages, attempts, answers, reports, jobs, exports). Stored files go with their rows:
``apps.ocr`` deletes a source file's upload on ``post_delete`` and ``apps.privacy.signals`` a speech clip's audio.
The admin's change history of their objects goes too (its entries name them). What stays is one ``AuditEvent``
with ids and counts.
"""

import asyncio
import logging
from dataclasses import dataclass, field

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Model, ProtectedError, RestrictedError

from apps.accounts.models import Classroom, User
from apps.cefr import services as cefr
from apps.chat.models import Conversation, Message
from apps.chat.models import Role as ChatRole
from apps.core.errors import Conflict
from apps.core.kv import kv
from apps.leveltest.models import Attempt, WritingAnswer
from apps.leveltest.services import sentences
from apps.ocr.models import Document
from apps.privacy import audit
from apps.privacy.models import AuditAction

logger = logging.getLogger(__name__)


@dataclass
class Erased:
    """What an erasure removed: rows per model, and the cache keys still to forget (``forget``)."""

    user_id: int
    deleted: dict[str, int]
    cache_keys: list[str] = field(default_factory=list)


def cache_keys(user_id: int) -> list[str]:
    """Cache entries made from the person's words: the CEFR results of their messages and writing samples."""
    texts = list(
        Message.objects.filter(conversation__learner_id=user_id, role=ChatRole.LEARNER).values_list("text", flat=True)
    )
    for text in WritingAnswer.objects.filter(attempt__learner_id=user_id).values_list("text", flat=True):
        texts.extend(sentences(text))
    return sorted({cefr.cache_key(t) for t in texts if cefr.normalise(t)})


def _forget_admin_history(user_id: int) -> None:
    owned: list[tuple[type[Model], list]] = [
        (User, [user_id]),
        (Conversation, list(Conversation.objects.for_user(user_id).values_list("pk", flat=True))),
        (Document, list(Document.objects.for_user(user_id).values_list("pk", flat=True))),
        (Attempt, list(Attempt.objects.for_user(user_id).values_list("pk", flat=True))),
    ]
    for model, ids in owned:
        if ids:
            content_type = ContentType.objects.get_for_model(model)
            LogEntry.objects.filter(content_type=content_type, object_id__in=[str(i) for i in ids]).delete()


def erase(user_id: int, *, actor_id: int | None, actor_role: str, via: str) -> Erased:
    """Delete the user and everything of theirs; record who did it. ``forget(result.cache_keys)`` afterwards.

    Raises ``Conflict`` (409) for a teacher who still owns classes (they are kept, with their other students, until
    staff give them to another teacher) or when other protected records depend on the account, and
    ``User.DoesNotExist`` when there is no such user.
    """
    user = User.objects.get(pk=user_id)
    taught = Classroom.objects.filter(teacher_id=user_id).count()
    if taught:
        raise Conflict(
            f"This account still teaches {taught} class(es): staff must give them to another teacher or delete them "
            "before the account can be erased",
            detail={"classes": taught},
        )
    keys = cache_keys(user_id)
    user.revoke_tokens()  # first: no token of theirs works while (or after) their rows go
    with transaction.atomic():
        _forget_admin_history(user_id)
        try:
            _, deleted = user.delete()
        except (ProtectedError, RestrictedError) as exc:
            blocking = sorted({obj._meta.label for obj in exc.args[1]})
            raise Conflict("Other records depend on this account", detail={"blocking": blocking}) from None
        audit.record(
            AuditAction.ERASE,
            actor_id=actor_id,
            actor_role=actor_role,
            subject_id=user_id,
            via=via,
            object_type="user",
            object_id=user_id,
            detail={"deleted": deleted},
        )
    logger.info("erased", extra={"user_id": user_id, "via": via, "rows": sum(deleted.values())})
    return Erased(user_id, deleted, keys)


async def forget(keys: list[str], chunk: int = 200) -> None:
    """Delete these cache entries, in chunks (a long history does not hold thousands of calls at once).

    A cache that cannot be reached is logged, not raised: the erasure is done, and the entries (results keyed by a
    hash of the text, no user id) expire with ``CEFR_CACHE_TTL``.
    """
    store = kv()
    try:
        for start in range(0, len(keys), chunk):
            await asyncio.gather(*(store.delete(k) for k in keys[start : start + chunk]))
    except Exception:
        logger.warning("cache entries of an erased user not deleted", extra={"keys": len(keys)}, exc_info=True)
