"""Exceptions: a library error code becomes a Python exception."""
from __future__ import annotations

from typing import NoReturn, Optional

from ._vocabulary import ErrorCode


class ParticlePolicyError(ValueError):
    """An error reported by the library, with its stable ``code``.

    A ``ValueError``: every such error is about a value the caller passed.
    """

    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return f"{self.message} ({self.code})"

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.code!r}, {self.message!r})"


class PolicyError(ParticlePolicyError):
    """The policy text did not load: where (1-based ``line`` and ``column``,
    0 when the error has no position; 0-based byte ``offset``) and why."""

    def __init__(self, code: ErrorCode, message: str, line: int, column: int,
                 offset: int, source: Optional[str] = None) -> None:
        super().__init__(code, message)
        self.line = line
        self.column = column
        self.offset = offset
        self.source = source

    def __str__(self) -> str:
        # FILE:LINE:COLUMN: MESSAGE, the form editors and compilers use.
        where = self.source or "<policy>"
        if self.line:
            where += f":{self.line}:{self.column}"
        return f"{where}: {self.message} ({self.code})"

    def __repr__(self) -> str:
        return (f"PolicyError({self.code!r}, {self.message!r}, line={self.line}, "
                f"column={self.column}, offset={self.offset}, source={self.source!r})")


def raise_for(rc: int, what: str) -> NoReturn:
    """Raise the exception for a negative return code of a call about ``what``."""
    code = ErrorCode(rc)
    if code is ErrorCode.OUT_OF_MEMORY:
        raise MemoryError(f"particlepolicy: {what}: {code.text}")
    raise ParticlePolicyError(code, f"{what}: {code.text}")
