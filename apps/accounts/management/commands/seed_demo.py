"""Create the demo staff user, teacher, student and class on a fresh database (idempotent)."""

import secrets

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from apps.accounts.models import Classroom, Role, User

DEMO_USERS = [("staff", Role.STAFF), ("teacher", Role.TEACHER), ("student", Role.STUDENT)]


class Command(BaseCommand):
    help = "Create demo users (staff, teacher, student) and a class, printing their passwords once."

    def add_arguments(self, parser):
        parser.add_argument("--password", help="use this password instead of random ones (development only)")

    @transaction.atomic
    def handle(self, *args, password: str | None = None, **options):
        created = []
        for username, role in DEMO_USERS:
            if User.objects.filter(username=username).exists():
                continue
            secret = password or secrets.token_urlsafe(9)
            user = User(username=username, role=role, email=f"{username}@example.com")
            user.set_password(secret)
            user.save()
            created.append((username, role, secret))
        teacher = User.objects.filter(username="teacher").first()
        if teacher and not Classroom.objects.filter(teacher=teacher).exists():
            classroom = Classroom.objects.create(name="Demo class", teacher=teacher)
            classroom.students.set(User.objects.filter(username="student"))
        if not created:
            self.stdout.write(f"Demo users exist; their passwords are in {settings.DATA_DIR / 'demo_credentials.txt'}")
            return
        self.stdout.write(self.style.SUCCESS("Demo users created - keep these, they are shown once:"))
        lines = [f"{role:<8} username={username} password={secret}" for username, role, secret in created]
        for line in lines:
            self.stdout.write("  " + line)
        path = settings.DATA_DIR / "demo_credentials.txt"
        with path.open("a") as fh:
            fh.write("\n".join(lines) + "\n")
        path.chmod(0o600)
        self.stdout.write(f"  (also written to {path})")
