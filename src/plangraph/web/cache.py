"""SPARQL answers already computed, kept for the next time the same query comes.

The data changes only when a rebuild swaps a new store in, so an answer stays right until then.
An answer is keyed on the build (the store's identity, querying/store.py), the normalised query
(querying/guard.py: comments and the amount of white space do not make a query different), the
dataset (default-graph-uri / named-graph-uri) and the negotiated media type. The cache is bounded
in bytes (the least recently used answers go first; one answer may take at most a quarter of it)
and emptied as soon as another build is seen.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable

from .workers import Answer

Build = Hashable  # the store's identity (None: no store)


class ResultCache:
    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.bytes = 0
        self.hits = self.misses = 0
        self._build: Build = None
        self._answers: OrderedDict[Hashable, Answer] = OrderedDict()

    def __len__(self) -> int:
        return len(self._answers)

    def _see(self, build: Build) -> None:
        if build != self._build:  # a new build: nothing computed from the old one is right
            self._answers.clear()
            self.bytes = 0
            self._build = build

    def get(self, build: Build, key: Hashable) -> Answer | None:
        self._see(build)
        answer = self._answers.get(key)
        if answer is None:
            self.misses += 1
            return None
        self._answers.move_to_end(key)
        self.hits += 1
        return answer

    def put(self, build: Build, key: Hashable, answer: Answer) -> bool:
        """Keep an answer computed on `build`; False when it is not kept (too large, or the
        build has changed since)."""
        size = len(answer.body) + 256  # the body, and about what the entry itself holds
        if build is None or build != self._build or size > self.max_bytes // 4:
            return False
        old = self._answers.pop(key, None)
        if old is not None:
            self.bytes -= len(old.body) + 256
        self._answers[key] = answer
        self.bytes += size
        while self.bytes > self.max_bytes:
            _, evicted = self._answers.popitem(last=False)
            self.bytes -= len(evicted.body) + 256
        return True
