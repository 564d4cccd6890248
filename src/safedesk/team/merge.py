"""The conflict rule in Python, the same rule the server's `safedesk.push` applies.

It lives in the store (`store/merge_rule.py`), which applies it to collection files that update
the copy they came from; the team module re-exports it here, where it is tested case by case
against the server (`tests/team/test_merge.py`).
"""

from safedesk.store.merge_rule import Merge, merge_change

__all__ = ["Merge", "merge_change"]
