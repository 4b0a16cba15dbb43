"""Limit/offset pages for list endpoints, through Ninja's ``@paginate(ListPagination)``.

The response stays what clients have always read: a plain JSON list, no ``{"items", "count"}`` envelope (so no
count query either). Out-of-range values are clamped, as the hand-written clamps did before: ``limit`` into
1..``max_limit``, a negative ``offset`` to 0.
"""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import AsyncPaginationBase

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
# Beyond this an offset is refused (422): the database cannot skip more rows than a 64-bit LIMIT holds.
MAX_OFFSET = 2**62


class ListPagination(AsyncPaginationBase):
    """``?limit=&offset=`` over a queryset (or list); answers the page as a list."""

    class Input(Schema):
        limit: int = Field(DEFAULT_LIMIT, description=f"clamped to 1..{MAX_LIMIT}")
        offset: int = Field(0, le=MAX_OFFSET, description="a negative offset counts as 0")

    # No envelope: Ninja keeps the view's list response model when a paginator has no Output schema.
    Output = None  # type: ignore[assignment]

    def __init__(self, max_limit: int = MAX_LIMIT, **kwargs: Any) -> None:
        self.max_limit = max_limit
        super().__init__(**kwargs)

    def window(self, pagination: Input) -> slice:
        """The rows to answer: ``limit`` clamped into 1..max_limit, from ``offset`` (0 if negative)."""
        offset = max(0, pagination.offset)
        return slice(offset, offset + min(max(pagination.limit, 1), self.max_limit))

    def paginate_queryset(self, queryset: Any, pagination: Input, request: HttpRequest, **params: Any) -> list:
        return list(queryset[self.window(pagination)])

    async def apaginate_queryset(self, queryset: Any, pagination: Input, request: HttpRequest, **params: Any) -> list:
        page = queryset[self.window(pagination)]
        return [row async for row in page] if isinstance(page, QuerySet) else list(page)
