"""'More like this': the practices whose wording is closest to an item's own."""

from __future__ import annotations

from safedesk.search.index import SearchIndex
from safedesk.views import SearchHit


def more_like(index: SearchIndex, key: str, limit: int = 5) -> list[SearchHit]:
    from whoosh.query import Term

    from safedesk.search.query import _hit

    searcher = index.searcher
    docnum = searcher.document_number(key=key)
    if docnum is None:
        return []
    stored = searcher.stored_fields(docnum)
    text = f"{stored['title']}\n{stored['title']}\n{stored['body']}"  # titles weigh double
    hits = searcher.more_like(
        docnum, "body", text=text, top=limit + 1, numterms=25, filter=Term("kind", "practice")
    )
    return [_hit(hit) for hit in hits if hit["key"] != key][:limit]
