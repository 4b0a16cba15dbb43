"""Speech for tutor replies: a pluggable engine (espeak-ng by default) run by the ``chat.speak`` actor."""

import logging
import subprocess
import tempfile
import wave
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.db import IntegrityError

from apps.chat import tasks
from apps.chat.models import Message, SpeechClip
from apps.jobs import services as jobs
from apps.jobs.models import Job

logger = logging.getLogger(__name__)


class SpeechFailed(Exception):
    """Raised when the speech engine is missing, fails or runs past SPEECH_TIMEOUT."""


class SpeechEngine(Protocol):
    name: str

    def synthesise(self, text: str) -> bytes:
        """WAV bytes for ``text``; raises ``SpeechFailed``."""
        ...


class EspeakEngine:
    """espeak-ng (Debian package), offline, through a subprocess with a timeout."""

    name = "espeak-ng"

    def __init__(self, voice: str, timeout: float):
        self.voice, self.timeout = voice, timeout

    def synthesise(self, text: str) -> bytes:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "speech.wav"
            # Text goes on stdin, never on the command line: no option injection, no argument-length limit.
            argv = ["espeak-ng", "-v", self.voice, "-s", "150", "-w", str(out), "--stdin"]
            try:
                subprocess.run(argv, input=text.encode(), capture_output=True, timeout=self.timeout, check=True)
            except FileNotFoundError:
                raise SpeechFailed("espeak-ng is not installed (Debian package espeak-ng)") from None
            except subprocess.TimeoutExpired:
                raise SpeechFailed(f"espeak-ng ran past {self.timeout:g} s") from None
            except subprocess.CalledProcessError as exc:
                raise SpeechFailed(f"espeak-ng failed: {exc.stderr.decode(errors='replace')[:200]}") from None
            return out.read_bytes()


def engine() -> SpeechEngine:
    return EspeakEngine(settings.SPEECH_VOICE, settings.SPEECH_TIMEOUT)


def wav_duration_ms(data: bytes) -> int:
    import io

    with wave.open(io.BytesIO(data)) as wav:
        return int(wav.getnframes() / wav.getframerate() * 1000)


async def clip_for(message: Message, owner_id: int) -> SpeechClip:
    """The message's clip; the first call creates it and starts the synthesis job."""
    clip = await SpeechClip.objects.select_related("job").filter(message=message).afirst()
    if clip is not None and (clip.audio or (clip.job and not clip.job.status == "failed")):
        return clip
    if clip is not None:
        await clip.adelete()  # a failed synthesis: try again
    try:
        clip = await SpeechClip.objects.acreate(message=message)
    except IntegrityError:
        return await SpeechClip.objects.select_related("job").aget(message=message)

    async def attach(job: Job) -> None:  # before the worker can run: a clip without a job reads as failed
        clip.job = job
        await clip.asave(update_fields=["job"])

    await jobs.submit(owner_id, "chat.speech", tasks.SPEAK, params={"clip_id": clip.pk}, attach=attach)
    return clip


def read_audio(clip: SpeechClip) -> bytes:
    with clip.audio.open("rb") as fh:
        return fh.read()
