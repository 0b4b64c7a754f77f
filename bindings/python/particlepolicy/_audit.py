"""Security checks (docs/spec.md §6, docs/security-checks.md): the caller's
records, checked and given to the extension module as tuples, and the
findings it gives back."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, List, Mapping, Optional, Tuple, Type, TypeVar, Union

from . import _native
from ._device import Text, check_uint32
from ._errors import raise_for
from ._vocabulary import FindingCode, Severity

_UINT64_MAX = 2 ** 64 - 1


# Every field of a record is required: a default for enforce_ssl,
# full_control or human would let a forgotten field hide a finding.


@dataclass(frozen=True)
class IntegrationRecord:
    """An integration (webhook) of a product: where it sends data, and
    whether it validates the server's certificate."""

    product_id: int
    url: Optional[Text]
    enforce_ssl: bool


@dataclass(frozen=True)
class TokenRecord:
    """An access token: the product it acts on (0 = none known), the account
    that created it, whether it has full control, whether a person owns it."""

    product_id: int
    owner: Optional[Text]
    full_control: bool
    human: bool


@dataclass(frozen=True)
class SimRecord:
    """A SIM's data use this billing period against its per-SIM limit."""

    iccid: Optional[Text]
    usage_bytes: int
    limit_bytes: int


@dataclass(frozen=True)
class Finding:
    """One security finding.  ``record`` is the index of the caller record it
    is about (within its kind), ``subject`` a member, organization, product
    name, URL, ICCID or device ID (None when the record had none); it is
    never a presented token."""

    code: FindingCode
    severity: Severity
    product_id: int
    record: int
    subject: Optional[str]
    message: str

    def __str__(self) -> str:
        return f"{self.severity} {self.code} {self.subject or '-'}: {self.message}"


R = TypeVar("R")
RecordLike = Union[R, Mapping[str, Any]]


def _record(cls: Type[R], value: Any) -> R:
    if isinstance(value, cls):
        return value
    if isinstance(value, Mapping):
        return cls(**value)          # an unknown key is a TypeError
    raise TypeError(f"a record is a particlepolicy.{cls.__name__} or a mapping, "
                    f"not {type(value).__name__}")


def text_bytes(field: str, value: Optional[Text]) -> Optional[bytes]:
    if value is None:
        return None
    if isinstance(value, str):
        return value.encode("utf-8")
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    raise TypeError(f"{field} must be str or bytes, not {type(value).__name__}")


def _flag(field: str, value: Any) -> int:
    if not isinstance(value, int):   # bool is an int
        raise TypeError(f"{field} must be a bool, not {type(value).__name__}")
    return 1 if value else 0


def check_uint64(field: str, value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"{field} must be an int, not {type(value).__name__}")
    if not 0 <= value <= _UINT64_MAX:
        raise ValueError(f"{field} must be 0 to {_UINT64_MAX}, found {value}")
    return value


# The extension takes each kind of record as a tuple of its fields in
# structure order: strings as bytes or None, numbers checked here.

def integration_rows(records: Iterable[RecordLike[IntegrationRecord]]) -> List[Tuple[Any, ...]]:
    out = []
    for r in records:
        r = _record(IntegrationRecord, r)
        out.append((check_uint32("product_id", r.product_id), text_bytes("url", r.url),
                    _flag("enforce_ssl", r.enforce_ssl)))
    return out


def token_rows(records: Iterable[RecordLike[TokenRecord]]) -> List[Tuple[Any, ...]]:
    out = []
    for r in records:
        r = _record(TokenRecord, r)
        out.append((check_uint32("product_id", r.product_id), text_bytes("owner", r.owner),
                    _flag("full_control", r.full_control), _flag("human", r.human)))
    return out


def sim_rows(records: Iterable[RecordLike[SimRecord]]) -> List[Tuple[Any, ...]]:
    out = []
    for r in records:
        r = _record(SimRecord, r)
        out.append((text_bytes("iccid", r.iccid), check_uint64("usage_bytes", r.usage_bytes),
                    check_uint64("limit_bytes", r.limit_bytes)))
    return out


def findings(answer: Tuple[int, List[Tuple[Any, ...]]], what: str) -> List[Finding]:
    """The Findings of a check's (error code, rows).  The extension asked the
    library with room for 64 findings and again for all of them when it
    counted more, and copied each subject before letting go of the policy
    and the records."""
    rc, rows = answer
    if rc:
        raise_for(rc, what)
    return [Finding(FindingCode(code), Severity(severity), product_id, record, subject,
                    message)
            for code, severity, product_id, record, subject, message in rows]


def canary_fingerprint(token: Union[str, bytes]) -> int:
    """The canary fingerprint of a token, as the policy spells it:
    XXH3-64 (seed 0) of its bytes; write it with ``f"{fp:016x}"``."""
    return _native.canary_fingerprint(token_bytes(token))


def token_bytes(token: Union[str, bytes]) -> bytes:
    data = text_bytes("token", token)
    if data is None:
        raise TypeError("token must be str or bytes, not None")
    return data
