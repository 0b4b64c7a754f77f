"""The C library, loaded with ctypes, with every function's types declared.

This module mirrors ``include/particlepolicy.h`` and nothing else: structures
field by field, functions with their argument and return types.  The rest of
the package builds the Python API on top of it.

The library is found through ``PARTICLEPOLICY_LIBRARY`` (an explicit path,
used by the tests to pick the just-built library), else the system's search
(``ctypes.util.find_library``, which honours ``LD_LIBRARY_PATH``), else the
soname itself.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
from ctypes import (
    POINTER,
    Structure,
    c_char,
    c_char_p,
    c_int,
    c_int32,
    c_size_t,
    c_uint,
    c_uint32,
    c_uint64,
    c_void_p,
)
from typing import Callable, List, Optional, Tuple

# The header's versions this module mirrors: the linked library must have the
# same major version and be at least this new (PP_VERSION_NUMBER).
VERSION_MAJOR = 0
VERSION_NUMBER_MIN = 100

# Header constants that a binding cannot read from the library at run time.
ERROR_MESSAGE_SIZE = 256            # PP_ERROR_MESSAGE_SIZE
FINDING_MESSAGE_SIZE = 192          # PP_FINDING_MESSAGE_SIZE
LOAD_OPTIONS_VERSION = 1            # PP_LOAD_OPTIONS_VERSION
PLATFORM_UNSPECIFIED = 0xFFFFFFFF   # PP_PLATFORM_UNSPECIFIED (UINT32_MAX)


class PolicyStruct(Structure):
    """Opaque ``pp_policy``."""


class TeamStruct(Structure):
    """Opaque ``pp_team``."""


PolicyPtr = POINTER(PolicyStruct)
TeamPtr = POINTER(TeamStruct)


class Error(Structure):
    _fields_ = [
        ("code", c_int),
        ("line", c_uint32),
        ("column", c_uint32),
        ("offset", c_size_t),
        ("message", c_char * ERROR_MESSAGE_SIZE),
    ]


class Allocator(Structure):
    # The binding never installs an allocator hook: the function pointers stay
    # NULL and are declared as plain pointers.
    _fields_ = [
        ("alloc", c_void_p),
        ("free", c_void_p),
        ("opaque", c_void_p),
    ]


class LoadOptions(Structure):
    _fields_ = [
        ("version", c_uint),
        ("max_input_bytes", c_size_t),
        ("max_depth", c_uint32),
        ("max_aliases", c_uint32),
        ("max_nodes", c_uint32),
        ("max_products", c_uint32),
        ("max_members", c_uint32),
        ("allocator", Allocator),
    ]


class ProductInfo(Structure):
    _fields_ = [
        ("id", c_uint32),
        ("name", c_char_p),
        ("organization", c_char_p),
        ("family", c_int32),
        ("auto_approve", c_int32),
        ("removed_quarantine", c_int32),
        ("released_firmware", c_uint32),
        ("min_device_os", c_char_p),
    ]


class PlatformInfo(Structure):
    _fields_ = [
        ("id", c_uint32),
        ("name", c_char_p),
        ("product_eligible", c_int32),
        ("family", c_int32),
    ]


class SkuInfo(Structure):
    _fields_ = [
        ("prefix", c_char_p),
        ("platform_id", c_uint32),
        ("family", c_int32),
    ]


class Device(Structure):
    # Strings are (pointer, length): c_char_p fields only carry the pointer
    # (assigning bytes keeps them alive with the structure); the length is
    # what the library reads, so an embedded NUL stays.
    _fields_ = [
        ("id", c_char_p),
        ("id_len", c_size_t),
        ("device_os", c_char_p),
        ("device_os_len", c_size_t),
        ("sku", c_char_p),
        ("sku_len", c_size_t),
        ("owner", c_char_p),
        ("owner_len", c_size_t),
        ("platform_id", c_uint32),
        ("cloud_product_id", c_uint32),
        ("firmware_product_id", c_uint32),
        ("denied_in", c_uint32),
        ("removed_from", c_uint32),
        ("quarantined_in", c_uint32),
        ("firmware_version", c_uint32),
        ("development", c_int),
    ]


class Decision(Structure):
    _fields_ = [
        ("outcome", c_int32),
        ("reason", c_int32),
        ("rule", c_int32),
        ("error", c_int32),
        ("product_id", c_uint32),
        ("limited_in", c_uint32),
        ("privileges", c_uint32),
        ("advisories", c_uint32),
    ]


class Model(Structure):
    _fields_ = [
        ("platform_id", c_uint32),
        ("sku", c_char_p),
        ("sku_len", c_size_t),
    ]


class Verdict(Structure):
    _fields_ = [
        ("allowed", c_int32),
        ("reason", c_int32),
        ("family_a", c_int32),
        ("family_b", c_int32),
    ]


class Actor(Structure):
    _fields_ = [
        ("name", c_char_p),
        ("name_len", c_size_t),
        ("kind", c_int32),
    ]


class Authorization(Structure):
    _fields_ = [
        ("allowed", c_int32),
        ("reason", c_int32),
        ("error", c_int32),
        ("role", c_int32),
        ("required_role", c_int32),
        ("device_state", c_int32),
        ("required_scope", c_char_p),
        ("ota_update_pending", c_int32),
    ]


class Finding(Structure):
    # subject is not NUL-terminated: a plain pointer, read with subject_len.
    _fields_ = [
        ("code", c_int32),
        ("severity", c_int32),
        ("product_id", c_uint32),
        ("record", c_uint32),
        ("subject", c_void_p),
        ("subject_len", c_size_t),
        ("message", c_char * FINDING_MESSAGE_SIZE),
    ]


class IntegrationRecord(Structure):
    _fields_ = [
        ("product_id", c_uint32),
        ("url", c_char_p),
        ("url_len", c_size_t),
        ("enforce_ssl", c_int32),
    ]


class TokenRecord(Structure):
    _fields_ = [
        ("product_id", c_uint32),
        ("owner", c_char_p),
        ("owner_len", c_size_t),
        ("full_control", c_int32),
        ("human", c_int32),
    ]


class SimRecord(Structure):
    _fields_ = [
        ("iccid", c_char_p),
        ("iccid_len", c_size_t),
        ("usage_bytes", c_uint64),
        ("limit_bytes", c_uint64),
    ]


class AuditInput(Structure):
    _fields_ = [
        ("integrations", POINTER(IntegrationRecord)),
        ("n_integrations", c_size_t),
        ("tokens", POINTER(TokenRecord)),
        ("n_tokens", c_size_t),
        ("sims", POINTER(SimRecord)),
        ("n_sims", c_size_t),
        ("devices", POINTER(Device)),
        ("n_devices", c_size_t),
    ]


# The snprintf-style checks share one shape: (total, out, cap, policy, ...).
_CHECK = [POINTER(c_size_t), POINTER(Finding), c_size_t, PolicyPtr]

# Every public function: name -> (restype, argtypes).
SIGNATURES = {
    "pp_version_number": (c_uint, []),
    "pp_version_string": (c_char_p, []),
    "pp_error_name": (c_char_p, [c_int]),
    "pp_error_text": (c_char_p, [c_int]),
    "pp_policy_load": (c_int, [POINTER(PolicyPtr), c_char_p, c_size_t,
                               POINTER(LoadOptions), POINTER(Error)]),
    "pp_policy_retain": (PolicyPtr, [PolicyPtr]),
    "pp_policy_free": (None, [PolicyPtr]),
    "pp_policy_fingerprint": (c_uint64, [PolicyPtr]),
    "pp_policy_product_count": (c_size_t, [PolicyPtr]),
    "pp_policy_product_at": (c_int, [POINTER(ProductInfo), PolicyPtr, c_size_t]),
    "pp_policy_product": (c_int, [POINTER(ProductInfo), PolicyPtr, c_uint32]),
    "pp_policy_legacy_below": (c_char_p, [PolicyPtr]),
    "pp_policy_platform_at": (c_int, [POINTER(PlatformInfo), PolicyPtr, c_size_t]),
    "pp_policy_sku_at": (c_int, [POINTER(SkuInfo), PolicyPtr, c_size_t]),
    "pp_outcome_name": (c_char_p, [c_int]),
    "pp_reason_name": (c_char_p, [c_int]),
    "pp_privilege_name": (c_char_p, [c_int]),
    "pp_advisory_name": (c_char_p, [c_int]),
    "pp_role_name": (c_char_p, [c_int]),
    "pp_outcome_from_name": (c_int, [c_char_p, c_size_t]),
    "pp_reason_from_name": (c_int, [c_char_p, c_size_t]),
    "pp_role_from_name": (c_int, [c_char_p, c_size_t]),
    "pp_decide": (c_int, [POINTER(Decision), PolicyPtr, TeamPtr, POINTER(Device)]),
    "pp_decide_many": (c_int, [POINTER(Decision), PolicyPtr, TeamPtr,
                               POINTER(Device), c_size_t]),
    "pp_is_legacy": (c_int, [PolicyPtr, c_char_p, c_size_t]),
    "pp_version_compare": (c_int, [POINTER(c_int), c_char_p, c_size_t,
                                   c_char_p, c_size_t]),
    "pp_team_new": (c_int, [POINTER(TeamPtr), POINTER(Allocator)]),
    "pp_team_add": (c_int, [TeamPtr, c_char_p, c_size_t, c_char_p, c_size_t, c_int]),
    "pp_team_size": (c_size_t, [TeamPtr]),
    "pp_team_free": (None, [TeamPtr]),
    "pp_may_join": (c_int, [POINTER(Verdict), PolicyPtr, c_uint32, POINTER(Model)]),
    "pp_may_share": (c_int, [POINTER(Verdict), PolicyPtr, POINTER(Model),
                             POINTER(Model)]),
    "pp_family_name": (c_char_p, [PolicyPtr, c_int]),
    "pp_authorize": (c_int, [POINTER(Authorization), PolicyPtr, TeamPtr, POINTER(Actor),
                             c_int, c_uint32, POINTER(Device)]),
    "pp_action_min_role": (c_int, [c_int]),
    "pp_action_scope": (c_char_p, [c_int, c_size_t]),
    "pp_scope_grants": (c_int, [c_char_p, c_size_t, c_char_p, c_size_t]),
    "pp_action_name": (c_char_p, [c_int]),
    "pp_authz_reason_name": (c_char_p, [c_int]),
    "pp_actor_kind_name": (c_char_p, [c_int]),
    "pp_device_state_name": (c_char_p, [c_int]),
    "pp_action_from_name": (c_int, [c_char_p, c_size_t]),
    "pp_authz_reason_from_name": (c_int, [c_char_p, c_size_t]),
    "pp_check_policy": (c_int, _CHECK),
    "pp_check_integrations": (c_int, _CHECK + [POINTER(IntegrationRecord), c_size_t]),
    "pp_check_tokens": (c_int, _CHECK + [POINTER(TokenRecord), c_size_t]),
    "pp_check_sims": (c_int, _CHECK + [POINTER(SimRecord), c_size_t]),
    "pp_check_devices": (c_int, _CHECK + [POINTER(Device), c_size_t]),
    "pp_check_token": (c_int, _CHECK + [c_char_p, c_size_t]),
    "pp_audit": (c_int, _CHECK + [POINTER(AuditInput)]),
    "pp_sim_state_of": (c_int, [POINTER(c_int32), PolicyPtr, c_uint64, c_uint64]),
    "pp_canary_fingerprint": (c_uint64, [c_char_p, c_size_t]),
    "pp_severity_name": (c_char_p, [c_int]),
    "pp_finding_name": (c_char_p, [c_int]),
    "pp_sim_state_name": (c_char_p, [c_int]),
    "pp_finding_severity": (c_int, [c_int]),
    "pp_finding_from_name": (c_int, [c_char_p, c_size_t]),
}


def _find_library() -> str:
    explicit = os.environ.get("PARTICLEPOLICY_LIBRARY")
    if explicit:
        return explicit
    return ctypes.util.find_library("particlepolicy") or "libparticlepolicy.so.0"


def _load(path: str) -> ctypes.CDLL:
    try:
        lib = ctypes.CDLL(path)
    except OSError as exc:
        raise ImportError(
            f"particlepolicy: cannot load the C library ({path}): {exc}; install "
            "libparticlepolicy or set PARTICLEPOLICY_LIBRARY to its path") from exc
    for name, (restype, argtypes) in SIGNATURES.items():
        try:
            fn = getattr(lib, name)
        except AttributeError as exc:
            raise ImportError(f"particlepolicy: {path} has no {name}: the library "
                              "is older than this binding") from exc
        fn.restype = restype
        fn.argtypes = argtypes
    linked = lib.pp_version_number()
    if linked // 10000 != VERSION_MAJOR or linked < VERSION_NUMBER_MIN:
        raise ImportError(
            f"particlepolicy: {path} is version {lib.pp_version_string().decode()}, "
            f"this binding needs {VERSION_MAJOR}.x from {VERSION_NUMBER_MIN // 10000}."
            f"{VERSION_NUMBER_MIN // 100 % 100}.{VERSION_NUMBER_MIN % 100} on")
    return lib


path = _find_library()
lib = _load(path)


def text(ptr: Optional[bytes]) -> Optional[str]:
    """A C string the library owns, as text (None stays None)."""
    return None if ptr is None else ptr.decode("utf-8", "replace")


def enumerate_names(name_of: Callable[[int], Optional[bytes]], start: int = 0,
                    step: int = 1) -> List[Tuple[str, int]]:
    """Every (name, value) of a vocabulary: count from start until NULL."""
    out: List[Tuple[str, int]] = []
    value = start
    while True:
        name = name_of(value)
        if name is None:
            return out
        out.append((name.decode("utf-8", "replace"), value))
        value += step
