"""What can stop a learner from starting a level test; each maps to the API's error envelope."""

import math
from datetime import datetime
from uuid import UUID

from django.utils import timezone

from apps.core.errors import Conflict


class RetakeTooSoon(Conflict):
    """Raised when a learner starts an attempt within ``LEVELTEST_RETAKE_HOURS`` of their last started one."""

    code = "retake_too_soon"

    def __init__(self, hours: int, last_attempt_id: UUID, last_attempt_open: bool, available_at: datetime):
        wait = max(1, math.ceil((available_at - timezone.now()).total_seconds()))
        meanwhile = " Your last attempt is still open: you can go on with it meanwhile." if last_attempt_open else ""
        super().__init__(
            f"A new level test can start {hours} hour{'s' if hours != 1 else ''} after the last one, at "
            f"{available_at.isoformat(timespec='seconds')}.{meanwhile}",
            detail={
                "available_at": available_at.isoformat(),
                "retry_after": wait,
                "last_attempt_id": str(last_attempt_id),
                "last_attempt_open": last_attempt_open,
            },
        )
        self.headers = {"Retry-After": str(wait)}
