"""Server-side paging for the console's long lists: which rows a page shows, and its links."""
from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode


@dataclass(frozen=True)
class Pager:
    """Page `page` (from 1, clamped to the pages there are) of `total` rows, `size` a page.

    total=None when the list is not counted: the caller fetches size + 1 rows and says
    with `more` whether there is a next page. `params` are the list's filters, kept in
    the links.
    """

    path: str
    page: int
    size: int
    total: int | None
    more: bool = False
    params: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        last = self.pages if self.total is not None else None
        object.__setattr__(self, "page", max(1, min(self.page, last) if last else self.page))

    @property
    def pages(self) -> int:
        return max(1, -(-(self.total or 0) // self.size))

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size

    @property
    def has_next(self) -> bool:
        return self.page < self.pages if self.total is not None else self.more

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    def url(self, page: int) -> str:
        params = {k: v for k, v in self.params.items() if v}
        if page > 1:
            params["page"] = page
        return self.path + ("?" + urlencode(params) if params else "")
