"""History pages for ``@paginate(HistoryPagination)``: back through a conversation by message id, newest page first.

``?before=ID&limit=N`` answers ``{"messages": [...], "next_before": ID | null}``: the ``limit`` newest messages with
an id below ``before`` (all, without it), oldest first within the page; ``next_before`` is the ``before`` of the
next, older page, null on the oldest. ``limit`` is clamped into 1..200 (default 50).
"""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import AsyncPaginationBase

from apps.chat.schemas import HistoryOut

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


class HistoryPagination(AsyncPaginationBase):
    items_attribute = "messages"

    class Input(Schema):
        before: int | None = Field(None, description="a message id: answer the messages before it")
        limit: int = Field(DEFAULT_LIMIT, description=f"clamped to 1..{MAX_LIMIT}")

    # Ninja answers a subclass of Output with ``messages`` typed as the view's list items: the HistoryOut shape.
    Output = HistoryOut  # type: ignore[assignment]

    def page(self, queryset: QuerySet, pagination: Input) -> tuple[QuerySet, int]:
        """The newest ``limit + 1`` rows below ``before`` (the extra one tells whether an older page exists)."""
        limit = min(max(pagination.limit, 1), MAX_LIMIT)
        if pagination.before is not None:
            queryset = queryset.filter(id__lt=pagination.before)
        return queryset.order_by("-id")[: limit + 1], limit

    @staticmethod
    def answer(rows: list, limit: int) -> dict[str, Any]:
        page = rows[:limit][::-1]
        return {"messages": page, "next_before": page[0].id if len(rows) > limit and page else None}

    def paginate_queryset(self, queryset: QuerySet, pagination: Input, request: HttpRequest, **params: Any) -> Any:
        rows, limit = self.page(queryset, pagination)
        return self.answer(list(rows), limit)

    async def apaginate_queryset(
        self, queryset: QuerySet, pagination: Input, request: HttpRequest, **params: Any
    ) -> Any:
        rows, limit = self.page(queryset, pagination)
        return self.answer([row async for row in rows], limit)
