"""The chat's background jobs, run by ``actors/chat.py``: a conversation's analysis and speaking a tutor reply.

Both are safe to run twice (Dramatiq delivers at least once): the analysis is unique per conversation and milestone,
and a clip that already has its audio is not spoken again.
"""

from django.core.files.base import ContentFile
from django.db import IntegrityError

from apps.chat import analysis, speech
from apps.chat.models import Analysis, Conversation, SpeechClip
from apps.jobs.models import Job


def analyse(job: Job) -> dict:
    """Analyse the job's conversation at its milestone (``learner_messages``); the job result names the analysis."""
    conversation = Conversation.objects.get(pk=job.params["conversation_id"])
    milestone = job.params["learner_messages"]
    existing = Analysis.objects.filter(conversation=conversation, learner_messages=milestone).first()
    if existing is None:
        fields = analysis.analyse(conversation)
        fields.pop("learner_messages")
        try:
            existing = Analysis.objects.create(conversation=conversation, job=job, learner_messages=milestone, **fields)
        except IntegrityError:  # a redelivered message raced us: keep the first analysis
            existing = Analysis.objects.get(conversation=conversation, learner_messages=milestone)
    return {"analysis_id": existing.pk, "conversation_id": conversation.pk, "learner_messages": milestone}


def speak(job: Job) -> dict:
    """Speak the job's clip (``clip_id``) unless it has audio; raises ``speech.SpeechFailed``."""
    clip = SpeechClip.objects.select_related("message").get(pk=job.params["clip_id"])
    if not clip.audio:
        engine = speech.engine()
        data = engine.synthesise(clip.message.text)
        clip.engine, clip.duration_ms = engine.name, speech.wav_duration_ms(data)
        clip.audio.save(f"reply-{clip.message_id}.wav", ContentFile(data), save=False)
        clip.save()
    return {"clip_id": clip.pk, "message_id": clip.message_id, "duration_ms": clip.duration_ms}
