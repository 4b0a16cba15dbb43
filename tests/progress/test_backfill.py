"""progress_backfill: work from before the app (no profile) gets its words and mistakes, once."""

import io

import pytest
from django.core.management import call_command

from apps.chat.models import Conversation, Message, Role
from apps.progress.models import LearnerStamp, Mistake, WorkProfile

pytestmark = pytest.mark.django_db


def test_it_profiles_old_messages_once_and_bumps_their_learners(student):
    conversation = Conversation.objects.create(learner=student)
    Message.objects.bulk_create(  # as before the app: no signal, no profile
        Message(conversation=conversation, role=role, text=text)
        for role, text in ((Role.LEARNER, "he go to an park"), (Role.LEARNER, "I like tea."), (Role.TUTOR, "ok"))
    )
    assert not WorkProfile.objects.exists() and not LearnerStamp.objects.exists()
    out = io.StringIO()
    call_command("progress_backfill", batch=1, stdout=out)
    assert "profiled 2 messages" in out.getvalue()
    assert WorkProfile.objects.filter(learner=student, source="chat").count() == 2
    assert set(Mistake.objects.values_list("kind", flat=True)) >= {"agreement", "articles"}
    assert LearnerStamp.objects.filter(learner=student).exists()
    call_command("progress_backfill", stdout=out)
    assert "profiled 0 messages" in out.getvalue() and WorkProfile.objects.count() == 2
