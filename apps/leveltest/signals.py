"""Signals other apps may listen to (the privacy app's audit log) without this app importing them."""

from django.dispatch import Signal

#: Someone read a learner's level-test report: ``viewer_id``, ``viewer_role``, ``student_id``, ``attempt_id``
#: (``None`` for the latest), ``via`` ("teacher-pages" or "api"). Sent with ``asend`` from async views.
report_viewed = Signal()
