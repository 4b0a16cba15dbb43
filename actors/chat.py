"""Chat work in worker processes: the conversation analysis and speech synthesis of tutor replies."""

import logging

from django.core.files.base import ContentFile
from django.db import IntegrityError

from actors.jobs import job_actor
from apps.chat import analysis, speech
from apps.chat.models import Analysis, Conversation, SpeechClip
from apps.jobs.models import Job

logger = logging.getLogger(__name__)


@job_actor(actor_name="chat.analyse", queue_name="default", time_limit=300_000)
def analyse(job: Job, progress) -> dict:
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
    progress(1, 1)
    return {"analysis_id": existing.pk, "conversation_id": conversation.pk, "learner_messages": milestone}


@job_actor(actor_name="chat.speak", queue_name="default", time_limit=120_000, throws=(speech.SpeechFailed,))
def speak(job: Job, progress) -> dict:
    clip = SpeechClip.objects.select_related("message").get(pk=job.params["clip_id"])
    if not clip.audio:
        engine = speech.engine()
        data = engine.synthesise(clip.message.text)
        clip.engine, clip.duration_ms = engine.name, speech.wav_duration_ms(data)
        clip.audio.save(f"reply-{clip.message_id}.wav", ContentFile(data), save=False)
        clip.save()
    progress(1, 1)
    return {"clip_id": clip.pk, "message_id": clip.message_id, "duration_ms": clip.duration_ms}
