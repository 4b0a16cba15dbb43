"""Generate a class with a year of activity for the progress benchmark, and time the uncached figures.

    python manage.py progress_generate --students 40 --messages 10000 --days 365 [--reset] [--measure 20]

Makes a teacher (``--teacher``, password ``--password``), one class, its students, their learner messages with CEFR
levels (a level that drifts upward over the year, with noise), the word profiles and tutor-rule mistakes of those
messages (as the receivers would write them), placement reports, scanned documents and conversation analyses. Rows
go in with ``bulk_create`` (no signals), so each student's generation is bumped at the end. ``--measure N`` then
times the class table and a student's figures computed without the cache (p50/p95 over N runs).
"""

import asyncio
import random
import statistics
import time
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import Classroom, Role, User
from apps.chat.models import Analysis, Conversation, Message
from apps.chat.models import Role as ChatRole
from apps.core.levels import LEVELS
from apps.leveltest.models import Attempt, Report
from apps.ocr.models import Document, DocumentKind
from apps.progress import profiling, services
from apps.progress.models import Mistake, WorkProfile

SENTENCES = [
    "I like to play football with my friends on Saturday.",
    "yesterday I go to the cinema and watched a funny film",
    "She have a big dog and two cats at home.",
    "We visited an museum in the city centre last week.",
    "I didn't went to school because I was ill.",
    "My sister is more taller than me.",
    "Reading novels helps me to improve my vocabulary considerably.",
    "The government should invest more in public transport and renewable energy.",
    "Although the weather was terrible, we decided to continue our journey.",
    "i think that learning English is very very important for my career",
    "He work in a hospital near the station.",
    "Notwithstanding the considerable obstacles, the committee reached a unanimous decision.",
    "Could you recommend a good restaurant for a family dinner?",
    "My favourite subject is history because I love old stories.",
    "They is going to the beach tomorrow morning.",
    "The experiment demonstrated a significant correlation between sleep and memory.",
]
WORDS = [("house", "A1"), ("travel", "A2"), ("journey", "B1"), ("consequence", "B2"), ("ubiquitous", "C2"),
         ("meticulous", "C1"), ("cat", "A1"), ("zorgle", "unknown")]  # fmt: skip
BATCH = 5000


class Command(BaseCommand):
    help = "Generate a class with a year of learner activity for the progress pages' benchmark; time the figures."

    def add_arguments(self, parser):
        parser.add_argument("--students", type=int, default=40)
        parser.add_argument("--messages", type=int, default=10_000, help="learner messages per student")
        parser.add_argument("--days", type=int, default=365)
        parser.add_argument("--teacher", default="progress-teacher")
        parser.add_argument("--password", default="progress-bench-password")
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--reset", action="store_true", help="delete a class generated before")
        parser.add_argument("--measure", type=int, default=0, help="time the uncached figures N times")

    def handle(self, *args, **options):
        started = time.perf_counter()
        classroom = Classroom.objects.filter(teacher__username=options["teacher"], name="Progress bench").first()
        if classroom is not None and not options["reset"] and options["messages"]:
            raise CommandError("this class was generated before: add --reset to make it again, or --messages 0")
        if options["messages"]:
            classroom = self._generate(options)
        if classroom is None:
            raise CommandError("no generated class: run without --messages 0 first")
        self.stdout.write(f"class {classroom.pk} ready in {time.perf_counter() - started:.1f} s")
        if options["measure"]:
            self._measure(classroom, options["measure"])

    def _generate(self, options) -> Classroom:
        rng = random.Random(options["seed"])
        teacher = self._teacher(options)
        Classroom.objects.filter(teacher=teacher, name="Progress bench").delete()
        User.objects.filter(username__startswith=f"{options['teacher']}-s").delete()
        classroom = Classroom.objects.create(teacher=teacher, name="Progress bench")
        profiles = {s: (profiling.word_counts(s), profiling.mistakes(s)) for s in SENTENCES}
        for n in range(options["students"]):
            student = User.objects.create(
                username=f"{options['teacher']}-s{n:03d}", role=Role.STUDENT, first_name=f"Student{n:03d}",
                last_name=rng.choice(["Martin", "Garcia", "Nguyen", "Smith", "Kowalski", "Rossi"]),
            )  # fmt: skip
            classroom.students.add(student)
            with transaction.atomic():
                self._student_work(student, rng, options, profiles)
            profiling.bump(student.pk)
            self.stdout.write(f"  {student.username}: {options['messages']} messages")
        return classroom

    def _teacher(self, options) -> User:
        teacher, _ = User.objects.get_or_create(username=options["teacher"], defaults={"role": Role.TEACHER})
        teacher.role = Role.TEACHER
        teacher.set_password(options["password"])
        teacher.save()
        return teacher

    def _student_work(self, student: User, rng: random.Random, options, profiles) -> None:
        now, days, count = timezone.now(), options["days"], options["messages"]
        start_level, drift = rng.uniform(0.3, 3.0), rng.uniform(-0.3, 1.2)
        conversations = [Conversation(learner=student, topic=f"Topic {k}") for k in range(max(1, min(20, count // 50)))]
        Conversation.objects.bulk_create(conversations)
        ages = sorted((rng.random() * days for _ in range(count)), reverse=True)
        messages = []
        for i, age in enumerate(ages):
            progress = 1 - age / days
            value = min(5.0, max(0.0, start_level + drift * progress + rng.gauss(0, 0.7)))
            messages.append(
                Message(
                    conversation=conversations[i * len(conversations) // count],
                    role=ChatRole.LEARNER,
                    text=rng.choice(SENTENCES),
                    created_at=now - timedelta(days=age),
                    cefr_level=LEVELS[round(value)],
                    cefr_value=value,
                )  # fmt: skip
            )
        self._insert(messages)
        for conversation in conversations:
            mine = [m for m in messages if m.conversation_id == conversation.pk]
            conversation.last_activity_at, conversation.learner_message_count = mine[-1].created_at, len(mine)
        Conversation.objects.bulk_update(conversations, ["last_activity_at", "learner_message_count"])
        WorkProfile.objects.bulk_create(
            (WorkProfile(learner=student, source="chat", message=m, created_at=m.created_at, **profiles[m.text][0])
             for m in messages), batch_size=BATCH,
        )  # fmt: skip
        Mistake.objects.bulk_create(
            (Mistake(learner=student, message=m, kind=k, wrong=w, right=r, created_at=m.created_at)
             for m in messages for k, w, r in profiles[m.text][1]), batch_size=BATCH,
        )  # fmt: skip
        self._placements(student, rng, now, days, start_level, drift)
        self._scans_and_analyses(student, rng, conversations)

    def _insert(self, messages: list[Message]) -> None:
        # created_at is auto_now_add: turned off while a year of history goes in with its own times.
        field = Message._meta.get_field("created_at")
        field.auto_now_add = False  # type: ignore[attr-defined]
        try:
            Message.objects.bulk_create(messages, batch_size=BATCH)
        finally:
            field.auto_now_add = True  # type: ignore[attr-defined]
        if messages and messages[0].pk is None:  # backends that return no ids (old MariaDB): read them back
            raise CommandError("bulk_create returned no primary keys; MariaDB >= 10.5 or SQLite >= 3.35 is needed")

    def _placements(self, student, rng, now, days, start_level, drift) -> None:
        for share in (0.9, 0.45, 0.05):
            age = days * share + rng.uniform(0, days * 0.04)
            level = LEVELS[round(min(5.0, max(0.0, start_level + drift * (1 - age / days) + rng.gauss(0, 0.4))))]
            attempt = Attempt.objects.create(learner=student, submitted_at=now - timedelta(days=age))
            report = Report.objects.create(attempt=attempt, level=level, theta=0, standard_error=0.4, items=[],
                                           skills={"grammar": {"level": level}})  # fmt: skip
            Report.objects.filter(pk=report.pk).update(created_at=now - timedelta(days=age))
            Attempt.objects.filter(pk=attempt.pk).update(started_at=now - timedelta(days=age))

    def _scans_and_analyses(self, student, rng, conversations) -> None:
        for k in range(5):
            vocabulary = [{"word": w, "count": rng.randint(1, 20), "cefr": lvl} for w, lvl in WORDS]
            document = Document.objects.create(
                owner=student, kind=DocumentKind.IMAGE, engine="onnx", fingerprint=f"{k:064d}", page_count=1,
                vocabulary=vocabulary,
            )  # fmt: skip
            Document.objects.filter(pk=document.pk).update(
                created_at=timezone.now() - timedelta(days=rng.uniform(3, 300))
            )
        for conversation in conversations[-3:]:
            analysis = Analysis.objects.create(
                conversation=conversation, learner_messages=conversation.learner_message_count,
                level=LEVELS[2], source="statistics", error_types=[{"type": "agreement", "count": 12}],
                recommendations=["Practise the present simple with he/she/it."],
            )  # fmt: skip
            Analysis.objects.filter(pk=analysis.pk).update(created_at=conversation.last_activity_at)

    def _measure(self, classroom: Classroom, runs: int) -> None:
        ids = list(classroom.students.order_by("pk").values_list("pk", flat=True))

        async def timed(work) -> list[float]:
            samples = []
            for _ in range(runs):
                started = time.perf_counter()
                await work()
                samples.append((time.perf_counter() - started) * 1000)
            return samples

        async def both() -> dict[str, list[float]]:
            return {
                f"class table ({len(ids)} students, uncached)": await timed(
                    lambda: services.compute_rows(ids, timezone.now())
                ),
                "student figures (uncached)": await timed(lambda: services.compute_detail(ids[0], timezone.now())),
            }

        for name, samples in asyncio.run(both()).items():
            ordered = sorted(samples)
            p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
            self.stdout.write(f"{name}: p50 {statistics.median(samples):.1f} ms, p95 {p95:.1f} ms over {runs} runs")
