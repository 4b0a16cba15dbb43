from django.core.management.base import BaseCommand

from apps.privacy import retention


class Command(BaseCommand):
    help = (
        "Delete OCR documents (and their files) and jobs older than RETENTION_DAYS, and exports older than "
        "EXPORT_RETENTION_HOURS. Run hourly by deploy/systemd/lingua-purge.timer."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="count what is due, delete nothing")
        parser.add_argument("--batch", type=int, default=500, help="rows deleted per statement")

    def handle(self, *args, dry_run: bool = False, batch: int = 500, **options):
        counts = retention.purge(batch=batch, dry_run=dry_run)
        verb = "due" if dry_run else "deleted"
        self.stdout.write(" ".join(f"{name}={n}" for name, n in counts.items()) + f" ({verb})")
