"""A store bounded by the bytes it holds: least recently used entries leave first.

Pure bookkeeping on plain values (keys, values with their sizes, deadlines as
numbers); the caller supplies the clock and any locking.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

# Counted per entry besides its key and value: the dictionary slot and the tuple,
# roughly, so that many tiny entries cannot slip past the bound.
ENTRY_OVERHEAD = 128


class ByteLRU:
    """Keys to values with optional deadlines, holding at most `max_bytes`.

    A value is a byte string, or any object whose size in bytes the caller gives."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.total = 0
        # Least recently used first.
        self._items: OrderedDict[str, tuple[Any, float | None, int]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._items)

    def lru_keys(self) -> list[str]:
        return list(self._items)

    @staticmethod
    def size(key: str, value: Any, nbytes: int | None = None) -> int:
        """What an entry counts against the bound (`nbytes`: the value's size,
        when it is not a byte string)."""
        return len(key) + (len(value) if nbytes is None else nbytes) + ENTRY_OVERHEAD

    def get(self, key: str, now: float) -> Any:
        """The value, marked as just used; None if absent or past its deadline."""
        item = self._items.get(key)
        if item is None:
            return None
        value, deadline, _ = item
        if deadline is not None and deadline <= now:
            self.pop(key)
            return None
        self._items.move_to_end(key)
        return value

    def put(
        self, key: str, value: Any, deadline: float | None, nbytes: int | None = None
    ) -> bool:
        """Store `value` (of `nbytes` bytes when it is not a byte string),
        evicting the least recently used entries to stay within the bound. A
        value larger than the whole bound is not kept (False)."""
        self.pop(key)
        size = self.size(key, value, nbytes)
        if size > self.max_bytes:
            return False
        self._items[key] = (value, deadline, size)
        self.total += size
        while self.total > self.max_bytes:
            _, (_, _, old_size) = self._items.popitem(last=False)
            self.total -= old_size
        return True

    def deadline(self, key: str) -> float | None:
        item = self._items.get(key)
        return item[1] if item is not None else None

    def touch(self, key: str, deadline: float | None, now: float) -> bool:
        """Give a live entry a new deadline."""
        value = self.get(key, now)
        if value is None:
            return False
        _, _, size = self._items[key]
        self._items[key] = (value, deadline, size)
        return True

    def pop(self, key: str) -> bool:
        item = self._items.pop(key, None)
        if item is None:
            return False
        self.total -= item[2]
        return True

    def clear(self) -> None:
        self._items.clear()
        self.total = 0
