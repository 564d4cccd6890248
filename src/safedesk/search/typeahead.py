"""Search as you type without a queue: only the newest text is ever searched.

`LatestOnly` runs jobs on one background thread. Submitting while a search runs replaces whatever
was waiting, so a burst of keystrokes costs at most the search in progress plus the last one, and
results for text the user has already changed are dropped instead of delivered.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

Q = TypeVar("Q")  # a request: the text typed (and any filters)
T = TypeVar("T")  # its result


class LatestOnly(Generic[Q, T]):
    def __init__(self, work: Callable[[Q], T], deliver: Callable[[Q, T], None]) -> None:
        self._work = work
        self._deliver = deliver
        self._lock = threading.Condition()
        self._pending: Q | None = None
        self._generation = 0
        self._closed = False
        self._busy = False
        self.runs = 0  # how many searches actually ran (for tests and benchmarks)
        self._thread = threading.Thread(target=self._loop, name="typeahead", daemon=True)
        self._thread.start()

    def submit(self, text: Q) -> None:
        with self._lock:
            self._pending = text
            self._generation += 1
            self._lock.notify()

    def _loop(self) -> None:
        while True:
            with self._lock:
                while self._pending is None and not self._closed:
                    self._lock.wait()
                if self._closed:
                    return
                text, generation, self._pending = self._pending, self._generation, None
                self._busy = True
            assert text is not None
            result: Any = self._work(text)
            self.runs += 1
            with self._lock:
                stale = generation != self._generation
            if not stale:
                self._deliver(text, result)
            with self._lock:
                self._busy = False

    def idle(self, timeout: float = 5.0) -> bool:
        """Wait until nothing is pending (for tests); True if that happened in time."""
        deadline = threading.Event()
        for _ in range(int(timeout / 0.01)):
            with self._lock:
                if self._pending is None and not self._busy:
                    return True
            deadline.wait(0.01)
        return False

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._lock.notify()
        self._thread.join(timeout=5)
