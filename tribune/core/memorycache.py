"""The per-process cache ("local"), bounded by bytes rather than by entries.

Django's LocMemCache counts entries, and a whole page weighs as much as thousands
of small entries; this backend counts the bytes of the pickled values and drops
the least recently used when `OPTIONS["MAX_BYTES"]` would be exceeded. As with
LocMemCache, every instance with the same LOCATION shares one store.

Values are pickled, so a caller that changes what it got back changes only its own
copy; but a value that cannot change (bytes, strings, numbers, None, and tuples or
frozensets of these) is kept as it is and handed out itself: a stored page weighs
about 170 KB, and unpickling it cost a page-cache hit a fifth of its time.
Model instances whose fields hold only such values (the site and its settings,
an article's thread and page), and dicts, lists and tuples of them, are handed
out as new instances made from the stored field values, without pickle: the same
objects unpickling makes, for about a third of its cost
(docs/decisions/0043-post-caches-and-generations.md).
"""

from __future__ import annotations

import datetime
import decimal
import pickle
import sys
import threading
import time
import uuid
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.db.models import Model
from django.db.models.base import ModelState

from tribune.core.lru import ByteLRU

# When the operator sets nothing: enough for some hundreds of pages per process.
DEFAULT_MAX_BYTES = 64 * 1024 * 1024

_stores: dict[str, ByteLRU] = {}
_SCALARS = (
    *(int, float, bool, type(None), decimal.Decimal, uuid.UUID),
    *(datetime.datetime, datetime.date, datetime.time, datetime.timedelta),
)


class _Kept:
    """An immutable value stored as itself rather than pickled."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value


def _immutable_size(value: Any) -> int | None:
    """The bytes an immutable value holds, or None if any part of it could
    change (exact types only: a subclass may carry mutable attributes)."""
    kind = type(value)
    if kind is bytes:
        return len(value)
    if kind is str:
        return sys.getsizeof(value)
    if kind in _SCALARS:
        return 32
    if kind is tuple or kind is frozenset:
        total = 8 * len(value) + 56
        for item in value:
            size = _immutable_size(item)
            if size is None:
                return None
            total += size
        return total
    return None


class _Copied:
    """A value handed out as a new copy made from its parts (see _recipe)."""

    __slots__ = ("recipe",)

    def __init__(self, recipe: tuple[Any, ...]) -> None:
        self.recipe = recipe


# Recipes: (_AS_IS, value) for an immutable value or a class; (_SAME, n) for
# the n-th model instance met again (a thread's page refers back to its
# thread); for a dict, a list or a tuple (kind, template, others), where the
# template holds the immutable items and a None in place of each other one, and
# others holds (key or index, recipe) of those; for a model instance (_MODEL,
# class, (fields template, others), state, (related template, others)).
_AS_IS, _SAME, _MODEL, _DICT, _LIST, _TUPLE = range(6)
_Parts = tuple[Any, tuple[tuple[Any, tuple[Any, ...]], ...]]


def _recipe(value: Any, met: dict[int, int] | None = None) -> tuple[Any, ...] | None:
    """How to make a copy of `value` equal to what unpickling makes, or None
    when a part of it is something else (then it is pickled). `met` numbers
    the model instances already met, in order."""
    if _immutable_size(value) is not None or isinstance(value, type):
        return (_AS_IS, value)  # pickle keeps a class by its name: the same one
    if met is None:
        met = {}
    kind = type(value)
    if kind is dict:
        if any(_immutable_size(key) is None for key in value):
            return None
        parts = _parts(value, met)
        return None if parts is None else (_DICT, *parts)
    if kind is list or kind is tuple:
        parts = _parts(dict(enumerate(value)), met)
        if parts is None:
            return None
        return (_LIST if kind is list else _TUPLE, tuple(parts[0].values()), parts[1])
    if isinstance(value, Model):
        if id(value) in met:
            return (_SAME, met[id(value)])
        met[id(value)] = len(met)
        return _model_recipe(value, met)
    return None


def _parts(items: dict[Any, Any], met: dict[int, int]) -> _Parts | None:
    template = {}
    others = []
    for key, value in items.items():
        if _immutable_size(value) is not None:
            template[key] = value
            continue
        recipe = _recipe(value, met)
        if recipe is None:
            return None
        if recipe[0] is _AS_IS:
            template[key] = value
        else:
            template[key] = None
            others.append((key, recipe))
    return template, tuple(others)


def _model_recipe(instance: Model, met: dict[int, int]) -> tuple[Any, ...] | None:
    kind = type(instance)
    # What pickle keeps is what __getstate__ answers (Wagtail's settings leave
    # out the request); a class that unpickles its own way is pickled.
    if kind.__reduce__ is not Model.__reduce__ or (
        kind.__setstate__ is not Model.__setstate__  # type: ignore[attr-defined]
    ):
        return None
    fields = instance.__getstate__()
    state = fields.pop("_state")
    if type(state) is not ModelState:
        return None
    state_items = dict(state.__dict__)
    cached = state_items.pop("fields_cache", {})
    if any(_immutable_size(v) is None for v in state_items.values()):
        return None
    # Fields hold values, or a cached property's dict or specific page.
    own = _parts(fields, met)
    related = None if own is None else _parts(cached, met)
    if related is None:
        return None
    return (_MODEL, kind, own, state_items, related)


def _filled(template: Any, others: Any, made: list[Model]) -> None:
    for key, part in others:
        template[key] = made[part[1]] if part[0] is _SAME else _made(part, made)


def _made(recipe: tuple[Any, ...], made: list[Model] | None = None) -> Any:
    """A new copy from `recipe`; `made` holds the model instances made so far."""
    kind = recipe[0]
    if kind is _AS_IS:
        return recipe[1]
    if made is None:
        made = []
    if kind is _MODEL:
        _, model, (fields, others), state_items, (cached, related) = recipe
        instance = model.__new__(model)
        made.append(instance)
        values = instance.__dict__
        values.update(fields)
        if others:
            _filled(values, others, made)
        state = ModelState()
        state.__dict__.update(state_items)
        state.fields_cache = dict(cached)
        if related:
            _filled(state.fields_cache, related, made)
        values["_state"] = state
        return instance
    if kind is _DICT:
        copy = dict(recipe[1])
        _filled(copy, recipe[2], made)
        return copy
    items = list(recipe[1])
    _filled(items, recipe[2], made)
    return items if kind is _LIST else tuple(items)


_locks: dict[str, threading.Lock] = {}
_registry = threading.Lock()


class MemoryCache(BaseCache):
    pickle_protocol = pickle.HIGHEST_PROTOCOL

    def __init__(self, name: str, params: dict[str, Any]) -> None:
        super().__init__(params)
        max_bytes = int(params.get("OPTIONS", {}).get("MAX_BYTES", DEFAULT_MAX_BYTES))
        with _registry:
            self._store = _stores.setdefault(name, ByteLRU(max_bytes))
            self._lock = _locks.setdefault(name, threading.Lock())
        # Settings may change (tests do): the latest configuration wins.
        self._store.max_bytes = max_bytes

    @property
    def total_bytes(self) -> int:
        """What the stored entries count for against the bound."""
        return self._store.total

    def lru_keys(self) -> list[str]:
        """The stored keys (with prefix and version), least recently used first."""
        with self._lock:
            return self._store.lru_keys()

    def validate_key(self, key: str) -> None:
        # Django checks every character for memcached's sake; keys here are
        # dictionary keys of this process, where any string is a valid one.
        pass

    def make_and_validate_key(self, key: Any, version: Any = None) -> str:
        # BaseCache's make_key without its call of the check above: a POST
        # makes a dozen keys here.
        made: str = self.key_func(
            key, self.key_prefix, self.version if version is None else version
        )
        return made

    def _entry(self, value: Any) -> tuple[Any, int | None]:
        """What the store keeps for `value`, and its size when not bytes."""
        size = _immutable_size(value)
        if size is not None:
            return _Kept(value), size
        pickled = pickle.dumps(value, self.pickle_protocol)
        recipe = _recipe(value)
        if recipe is not None:
            return _Copied(recipe), len(pickled)
        return pickled, None

    @staticmethod
    def _value(entry: Any) -> Any:
        kind = type(entry)
        if kind is _Kept:
            return entry.value
        if kind is _Copied:
            return _made(entry.recipe)
        return pickle.loads(entry)  # noqa: S301 - our own pickles

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> bool:
        key = self.make_and_validate_key(key, version=version)
        entry, size = self._entry(value)
        with self._lock:
            if self._store.get(key, time.time()) is not None:
                return False
            return self._store.put(key, entry, self.get_backend_timeout(timeout), size)

    def get(self, key: Any, default: Any = None, version: Any = None) -> Any:
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            entry = self._store.get(key, time.time())
        return default if entry is None else self._value(entry)

    def get_many(self, keys: Any, version: Any = None) -> dict[Any, Any]:
        # One lock and one clock read for the lot (a page asks for its rows at once).
        made = {key: self.make_and_validate_key(key, version=version) for key in keys}
        now = time.time()
        with self._lock:
            entries = {key: self._store.get(k, now) for key, k in made.items()}
        return {k: self._value(e) for k, e in entries.items() if e is not None}

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> None:
        key = self.make_and_validate_key(key, version=version)
        entry, size = self._entry(value)
        with self._lock:
            self._store.put(key, entry, self.get_backend_timeout(timeout), size)

    def touch(
        self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> bool:
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            return self._store.touch(
                key, self.get_backend_timeout(timeout), time.time()
            )

    def incr(self, key: Any, delta: int = 1, version: Any = None) -> Any:
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            entry = self._store.get(key, time.time())
            if entry is None:
                raise ValueError(f"Key '{key}' not found")
            value = self._value(entry) + delta
            deadline = self._store.deadline(key)
            entry, size = self._entry(value)
            self._store.put(key, entry, deadline, size)
        return value

    def has_key(self, key: Any, version: Any = None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            return self._store.get(key, time.time()) is not None

    def delete(self, key: Any, version: Any = None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        with self._lock:
            return self._store.pop(key)

    def clear(self) -> None:
        with self._lock:
            self._store.clear()
