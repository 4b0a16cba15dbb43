"""Dramatiq actors. Run the workers with ``dramatiq actors`` (``make worker``).

Django is set up (which installs the broker, see ``apps.jobs.broker``) before any actor module is imported, so
every ``@dramatiq.actor`` registers on the right broker.
"""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
django.setup()

from actors import selftest  # noqa: E402,F401
