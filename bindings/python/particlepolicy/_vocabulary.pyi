"""Type information for _vocabulary.py, whose enums are built at import time
from the library's name functions.  tests/test_vocabulary.py checks that the
members listed here are exactly the library's."""
import enum
from typing import Iterable, Tuple, Type, TypeVar

_V = TypeVar("_V", bound="Vocabulary")
_B = TypeVar("_B", bound="Bits")

class Vocabulary(enum.Enum):
    _value_: int
    @classmethod
    def from_name(cls: Type[_V], name: str) -> _V: ...

class Code(Vocabulary):
    @property
    def text(self) -> str: ...

class Bits(enum.Flag):
    _value_: int
    @property
    def names(self) -> Tuple[str, ...]: ...
    @classmethod
    def from_names(cls: Type[_B], names: Iterable[str]) -> _B: ...

class ActionBase(Vocabulary):
    @property
    def min_role(self) -> Role: ...
    @property
    def scopes(self) -> Tuple[str, ...]: ...

class OperationBase(Vocabulary):
    @property
    def action(self) -> Action: ...

class FindingBase(Vocabulary):
    @property
    def severity(self) -> Severity: ...

class Outcome(Vocabulary):
    OK: int
    LIMITED: int
    QUARANTINE: int
    AUTO_APPROVE: int
    DENY: int
    REAPPEAR_AS_DENIED: int

class Reason(Vocabulary):
    INVALID_INPUT: int
    NOT_A_PRODUCT_DEVICE: int
    UNKNOWN_PRODUCT: int
    PLATFORM_NOT_PRODUCT_ELIGIBLE: int
    INCOMPATIBLE_PLATFORM: int
    SKU_REQUIRED: int
    DENIED_LIST: int
    FIRMWARE_REPORTS_NO_PRODUCT: int
    MEMBER: int
    REMOVED_FROM_PRODUCT: int
    NOT_PRE_ADDED: int
    MEMBER_OF_OTHER_PRODUCT: int
    UNRECOGNIZED_DEVICE: int
    UNOWNED: int
    OWNER_IS_TEAM_MEMBER: int
    OWNER_NOT_TEAM_MEMBER: int
    SAME_FAMILY: int
    DIFFERENT_FAMILIES: int

class Role(Vocabulary):
    VIEW_ONLY: int
    SUPPORT: int
    DEVELOPER: int
    ADMINISTRATOR: int
    OWNER: int

class ErrorCode(Code):
    OK: int
    OUT_OF_MEMORY: int
    INVALID_ARGUMENT: int
    YAML_SYNTAX: int
    LIMIT_EXCEEDED: int
    UNSUPPORTED_SCHEMA_VERSION: int
    UNKNOWN_KEY: int
    MISSING_KEY: int
    WRONG_TYPE: int
    INVALID_VALUE: int
    OUT_OF_RANGE: int
    DUPLICATE: int
    UNKNOWN_FAMILY: int
    UNKNOWN_NAME: int
    INVALID_VERSION: int
    INVALID_DEVICE_ID: int
    INVALID_DEVICE_OS: int
    INVALID_SKU: int
    INVALID_OWNER: int
    INVALID_FIRMWARE_VERSION: int
    INVALID_PLATFORM: int

class Privilege(Bits):
    OTA_UPDATES: int
    PRODUCT_EVENTS: int
    CUSTOMER_CLAIM: int
    PRODUCT_WEBHOOKS: int

class Advisory(Bits):
    OTA_UPDATE_PENDING: int
    DEVELOPMENT_DEVICE: int
    DEVICE_OS_BELOW_MINIMUM: int
    LEAVES_DENIED_LIST: int
    LEAVES_QUARANTINE: int

class Action(ActionBase):
    VIEW_DEVICES: int
    CALL_FUNCTION: int
    CHANGE_SIM: int
    ADD_DEVICE: int
    APPROVE_QUARANTINED: int
    DENY_QUARANTINED: int
    REAPPROVE_DENIED: int
    REMOVE_DEVICE: int
    UNCLAIM_DEVICE: int
    MARK_DEVELOPMENT: int
    FLASH_DEVICE: int
    RELEASE_FIRMWARE: int
    MANAGE_INTEGRATIONS: int
    MANAGE_TEAM: int
    CHANGE_SETTINGS: int
    BILLING: int

class AuthzReason(Vocabulary):
    INVALID_INPUT: int
    UNKNOWN_PRODUCT: int
    NOT_A_TEAM_MEMBER: int
    ROLE_INSUFFICIENT: int
    SCOPE_MISSING: int
    NOT_FOR_API_USERS: int
    WRONG_DEVICE_STATE: int
    PLATFORM_NOT_PRODUCT_ELIGIBLE: int
    INCOMPATIBLE_PLATFORM: int
    SKU_REQUIRED: int
    GRANTED_BY_ROLE: int
    GRANTED_BY_SCOPE: int

class ActorKind(Vocabulary):
    HUMAN: int
    API_USER: int

class DeviceState(Vocabulary):
    NONE: int
    MEMBER: int
    QUARANTINED: int
    DENIED: int

class Severity(Vocabulary):
    INFO: int
    WARNING: int
    CRITICAL: int

class FindingCode(FindingBase):
    INSECURE_TRANSPORT: int
    SSL_NOT_ENFORCED: int
    UNACCOUNTED_INTEGRATION: int
    TWO_STEP_DISABLED: int
    ORGANIZATION_LEVEL_API_USER: int
    FULL_CONTROL_HUMAN_TOKEN: int
    OWNER_ACCOUNT_TOKEN: int
    AUTO_APPROVE_ENABLED: int
    DEVICE_OS_BELOW_MINIMUM: int
    LTS_NOT_REQUIRED: int
    SIM_DATA_NOTIFY: int
    SIM_DATA_PAUSED: int
    CANARY_TOKEN_USED: int
    INVALID_RECORD: int
    AUTO_APPROVE_READMITS_DENIED: int

class SimState(Vocabulary):
    ACTIVE: int
    NOTIFY: int
    PAUSED: int

class Effect(Bits):
    JOIN: int
    ENTER_QUARANTINE: int
    ENTER_DENIED_LIST: int
    LEAVE_DENIED_LIST: int
    LEAVE_QUARANTINE: int

class Operation(OperationBase):
    ADD_DEVICE: int
    APPROVE_QUARANTINED: int
    DENY_QUARANTINED: int
    REAPPROVE_DENIED: int
    REMOVE_DEVICE: int
    UNCLAIM_DEVICE: int
    MARK_DEVELOPMENT: int
    UNMARK_DEVELOPMENT: int
    RELEASE_FIRMWARE: int

class Refusal(Vocabulary):
    NONE: int
    INVALID_INPUT: int
    NOT_AUTHORIZED: int
    NO_UPDATE_PENDING: int

class ChangeKind(Vocabulary):
    SETTING: int
    PLATFORM_ADDED: int
    PLATFORM_REMOVED: int
    PLATFORM_CHANGED: int
    SKU_ADDED: int
    SKU_REMOVED: int
    SKU_CHANGED: int
    FAMILY_ADDED: int
    FAMILY_REMOVED: int
    ORGANIZATION_ADDED: int
    ORGANIZATION_REMOVED: int
    CANARY_ADDED: int
    CANARY_REMOVED: int
    PRODUCT_ADDED: int
    PRODUCT_REMOVED: int
    PRODUCT_CHANGED: int
    INTEGRATION_ADDED: int
    INTEGRATION_REMOVED: int
    MEMBER_ADDED: int
    MEMBER_REMOVED: int
    MEMBER_CHANGED: int
    API_USER_ADDED: int
    API_USER_REMOVED: int
    API_USER_CHANGED: int
    SCOPE_ADDED: int
    SCOPE_REMOVED: int

class Direction(Vocabulary):
    NEUTRAL: int
    TIGHTENING: int
    LOOSENING: int
