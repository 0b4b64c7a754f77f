"""Python binding of libparticlepolicy: which devices belong to which product.

    >>> from particlepolicy import Policy
    >>> with Policy.from_file("policy.yaml") as policy:
    ...     d = policy.decide({"id": "269e0d37f2a74de452e6b438", "platform_id": 26,
    ...                        "device_os": "6.1.1", "cloud_product_id": 14001})
    ...     d.outcome, d.reason, d.rule
    (Outcome.OK, Reason.MEMBER, 7)

The C library does the deciding; this package calls it through a compiled
extension module (``particlepolicy._native``) and gives it a Python shape:
dataclasses, enums and exceptions.  See docs/python.md.
"""
try:
    from . import _native
except ImportError as exc:
    if str(exc).startswith("particlepolicy:"):
        raise
    # The loader's own words (a missing library, a missing function) and
    # what to do about them.
    raise ImportError(
        f"particlepolicy: cannot load the C library: {exc}.  Install libparticlepolicy "
        "(make install) and reinstall this package, which records where the library "
        "is; LD_LIBRARY_PATH overrides that place") from exc

from ._audit import (Finding, IntegrationRecord, SimRecord, TokenRecord,
                     canary_fingerprint)
from ._authorize import Actor, Authorization, scope_grants
from ._device import Device, Model
from ._diff import AuthorizationChange, Change, DeviceClass, DiffFinding, PolicyDiff
from ._errors import ParticlePolicyError, PolicyError
from ._lifecycle import Transition
from ._policy import Limits, Policy, compare_versions
from ._results import (CloudProductStatus, Decision, Platform, Product,
                       SkuPrefix, Verdict)
from ._team import Team
from ._vocabulary import (Action, ActorKind, Advisory, AuthzReason, ChangeKind, DeviceState,
                          Direction, Effect, ErrorCode, FindingCode, Operation, Outcome,
                          Privilege, Reason, Refusal, Role, Severity, SimState)

__version__ = "0.1.0"

library_version: str = _native.library_version
"""The version of the C library actually loaded."""

library_path: str = _native.library_path
"""The file the C library was loaded from."""

__all__ = [
    "Action",
    "Actor",
    "ActorKind",
    "Advisory",
    "Authorization",
    "AuthorizationChange",
    "AuthzReason",
    "Change",
    "ChangeKind",
    "CloudProductStatus",
    "Decision",
    "Device",
    "DeviceClass",
    "DeviceState",
    "DiffFinding",
    "Direction",
    "Effect",
    "ErrorCode",
    "Finding",
    "FindingCode",
    "IntegrationRecord",
    "Limits",
    "Model",
    "Operation",
    "Outcome",
    "ParticlePolicyError",
    "Platform",
    "Policy",
    "PolicyDiff",
    "PolicyError",
    "Privilege",
    "Product",
    "Reason",
    "Refusal",
    "Role",
    "Severity",
    "SimRecord",
    "SimState",
    "SkuPrefix",
    "Team",
    "TokenRecord",
    "Transition",
    "Verdict",
    "canary_fingerprint",
    "compare_versions",
    "library_path",
    "library_version",
    "scope_grants",
]
