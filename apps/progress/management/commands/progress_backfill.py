"""Profile the learner messages and writing tasks written before the progress app was installed (or any that lack a
profile): words per CEFR level and the tutor-rule mistakes, as the receivers write them for new work.

    python manage.py progress_backfill [--batch 2000]

Safe to run again (work that has a profile is skipped) and while the service runs; each learner whose work was
profiled gets a new generation, so their cached figures are recomputed.
"""

import time

from django.core.management.base import BaseCommand
from django.db import transaction

from apps.chat.models import Message, Role
from apps.leveltest.models import WritingAnswer
from apps.progress import profiling
from apps.progress.models import Mistake, WorkProfile


class Command(BaseCommand):
    help = "Profile learner messages and writing tasks that have no progress profile yet."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=2000)

    def handle(self, *args, **options):
        started, learners = time.perf_counter(), set[int]()
        messages = self._messages(options["batch"], learners)
        writings = self._writings(learners)
        for learner_id in sorted(learners):
            profiling.bump(learner_id)
        self.stdout.write(
            f"profiled {messages} messages and {writings} writing tasks of {len(learners)} learners "
            f"in {time.perf_counter() - started:.1f} s"
        )

    def _messages(self, batch: int, learners: set[int]) -> int:
        done, last = 0, 0
        profiled = WorkProfile.objects.filter(message__isnull=False).values("message_id")
        while True:
            chunk = list(
                Message.objects.filter(role=Role.LEARNER, id__gt=last)
                .exclude(text="")
                .exclude(id__in=profiled)
                .select_related("conversation")
                .order_by("id")[:batch]
            )
            if not chunk:
                return done
            with transaction.atomic():
                WorkProfile.objects.bulk_create(
                    WorkProfile(learner_id=m.conversation.learner_id, source="chat", message=m,
                                created_at=m.created_at, **profiling.word_counts(m.text))
                    for m in chunk
                )  # fmt: skip
                Mistake.objects.bulk_create(
                    Mistake(learner_id=m.conversation.learner_id, message=m, kind=k, wrong=w, right=r,
                            created_at=m.created_at)
                    for m in chunk for k, w, r in profiling.mistakes(m.text)
                )  # fmt: skip
            learners.update(m.conversation.learner_id for m in chunk)
            done, last = done + len(chunk), chunk[-1].pk

    def _writings(self, learners: set[int]) -> int:
        profiled = WorkProfile.objects.filter(writing__isnull=False).values("writing_id")
        answers = WritingAnswer.objects.exclude(text="").exclude(id__in=profiled).select_related("attempt")
        done = 0
        for answer in answers.iterator():
            profiling.profile_writing(answer, answer.attempt.learner_id)
            learners.add(answer.attempt.learner_id)
            done += 1
        return done
