"""Security checks (docs/spec.md §6, docs/security-checks.md): the caller's
records, the findings, and the snprintf-style calls that fill them."""
from __future__ import annotations

import ctypes
from ctypes import byref
from dataclasses import dataclass
from typing import Any, Callable, Iterable, List, Mapping, Optional, Type, TypeVar, Union

from . import _native
from ._device import Text, check_uint32
from ._errors import raise_for
from ._native import lib
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


def integrations_array(records: Iterable[RecordLike[IntegrationRecord]]) -> Any:
    out = []
    for r in records:
        r = _record(IntegrationRecord, r)
        url = text_bytes("url", r.url)
        out.append((check_uint32("product_id", r.product_id), url,
                    0 if url is None else len(url), _flag("enforce_ssl", r.enforce_ssl)))
    return (_native.IntegrationRecord * len(out))(*out)  # type: ignore[misc]


def tokens_array(records: Iterable[RecordLike[TokenRecord]]) -> Any:
    out = []
    for r in records:
        r = _record(TokenRecord, r)
        owner = text_bytes("owner", r.owner)
        out.append((check_uint32("product_id", r.product_id), owner,
                    0 if owner is None else len(owner),
                    _flag("full_control", r.full_control), _flag("human", r.human)))
    return (_native.TokenRecord * len(out))(*out)  # type: ignore[misc]


def sims_array(records: Iterable[RecordLike[SimRecord]]) -> Any:
    out = []
    for r in records:
        r = _record(SimRecord, r)
        iccid = text_bytes("iccid", r.iccid)
        out.append((iccid, 0 if iccid is None else len(iccid),
                    check_uint64("usage_bytes", r.usage_bytes),
                    check_uint64("limit_bytes", r.limit_bytes)))
    return (_native.SimRecord * len(out))(*out)  # type: ignore[misc]


# A first array this large holds every finding of most calls; a larger
# total is asked for again (the checks count like snprintf).
FIRST_CAP = 64


def findings(call: Callable[[Any, Any, int], int], what: str) -> List[Finding]:
    """Run one check, call(total, out, cap), with a first guess at the array
    size and again with the total if it was too small.  The caller holds the
    policy and every record array for the duration: subjects point into them
    and are copied here, before it lets go."""
    total = ctypes.c_size_t()
    cap = FIRST_CAP
    while True:
        out = (_native.Finding * cap)()
        rc = call(byref(total), out, cap)
        if rc:
            raise_for(rc, what)
        if total.value <= cap:
            break
        cap = total.value
    return [Finding(FindingCode(f.code), Severity(f.severity), f.product_id, f.record,
                    None if f.subject is None
                    else ctypes.string_at(f.subject, f.subject_len).decode("utf-8", "replace"),
                    f.message.decode("utf-8", "replace"))
            for f in out[:total.value]]


def audit_input(integrations: Any, tokens: Any, sims: Any, devices: Any) -> _native.AuditInput:
    """A pp_audit_input over arrays the caller keeps alive."""
    return _native.AuditInput(integrations, len(integrations), tokens, len(tokens),
                              sims, len(sims), devices, len(devices))


def canary_fingerprint(token: Union[str, bytes]) -> int:
    """The canary fingerprint of a token, as the policy spells it:
    XXH3-64 (seed 0) of its bytes; write it with ``f"{fp:016x}"``."""
    data = token_bytes(token)
    return int(lib.pp_canary_fingerprint(data, len(data)))


def token_bytes(token: Union[str, bytes]) -> bytes:
    data = text_bytes("token", token)
    if data is None:
        raise TypeError("token must be str or bytes, not None")
    return data
