"""Ownership of one C object shared by many threads.

ctypes releases the GIL during a call, so one thread may ``close()`` a policy
while others are inside ``pp_decide`` with it.  A Handle counts the calls in
flight and frees the object only after the last one returns: ``close()`` waits
for them, and later calls raise instead of touching freed memory.  An object
never closed is freed by the garbage collector (``weakref.finalize``).
"""
from __future__ import annotations

import threading
import weakref
from typing import Any, Callable


class Handle:
    __slots__ = ("_ptr", "_users", "_waiting", "_lock", "_cond", "_finalizer", "_what")

    def __init__(self, owner: object, ptr: Any, free: Callable[[Any], None],
                 what: str) -> None:
        self._ptr = ptr
        self._users = 0          # shared uses in flight
        self._waiting = 0        # exclusive uses (changes, close) waiting or running
        # The plain lock guards the counters on the fast path; the condition
        # (on the same lock) is only waited on when exclusive use is pending.
        self._lock = threading.Lock()
        self._cond = threading.Condition(self._lock)
        self._finalizer = weakref.finalize(owner, free, ptr)
        self._what = what

    @property
    def closed(self) -> bool:
        return self._ptr is None

    def __enter__(self) -> Any:
        """Shared use: any number of threads at once."""
        with self._lock:
            while self._waiting:     # let a pending change or close go first
                self._cond.wait()
            if self._ptr is None:
                raise ValueError(f"{self._what} is closed")
            self._users += 1
            return self._ptr

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self._users -= 1
            if self._users == 0 and self._waiting:
                self._cond.notify_all()

    def exclusive(self, action: Callable[[Any], Any]) -> Any:
        """Run action(ptr) with no shared use in flight (for changes)."""
        with self._lock:
            self._waiting += 1
            try:
                while self._users:
                    self._cond.wait()
                if self._ptr is None:
                    raise ValueError(f"{self._what} is closed")
                return action(self._ptr)
            finally:
                self._waiting -= 1
                self._cond.notify_all()

    def close(self) -> None:
        """Free the object once no call uses it; idempotent."""
        def free(_: Any) -> None:
            self._ptr = None
            self._finalizer()    # frees once; later calls do nothing
        try:
            self.exclusive(free)
        except ValueError:       # already closed
            pass
