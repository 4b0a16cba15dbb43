"""``manage.py load_itembank [BANK.json] [--dry-run]``: load a level-test item bank into the database.

Rows are matched by key: missing ones are created, those whose content differs are updated, the rest are left as
they are, so a second run changes nothing. Items the file lacks and staff's ``active`` flags are not touched.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.leveltest.itembank import LIVE_BANK, BankError, install, load_bank


class Command(BaseCommand):
    help = "Load a level-test item bank (JSON, checked against the schema first) into the database."

    def add_arguments(self, parser):
        parser.add_argument("bank", nargs="?", type=Path, default=LIVE_BANK, help=f"default: {LIVE_BANK.name}")
        parser.add_argument("--dry-run", action="store_true", help="count what would change, write nothing")

    def handle(self, *args, bank: Path, dry_run: bool, **options):
        try:
            loaded = load_bank(bank)
        except BankError as exc:
            raise CommandError(str(exc)) from exc
        tallies = install(loaded, dry_run=dry_run)
        self.stdout.write(f"bank version {loaded.version} ({bank}){' (dry run: nothing written)' if dry_run else ''}")
        for name, tally in tallies.items():
            counts = f"{tally.created} created, {tally.updated} updated, {tally.unchanged} unchanged"
            line = f"{name.replace('_', ' ')}: {counts}"
            if tally.other:
                line += f"; {tally.other} in the database but not in this bank, left as they are"
            self.stdout.write(line)
