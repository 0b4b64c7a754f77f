"""A deliberately simple reference implementation of docs/spec.md §3 and §5.

Written from docs/spec.md, docs/decisions.md and the policy schema,
never from lib/*.c, so that the C engine and this file are two independent
readings of the same contract.  Clarity beats speed here: every rule is one
`if`, in the contract's order, with its rule number.

Strings of a device record are bytes (a record may hold any bytes); names in a
policy are str and compared as their UTF-8 bytes.
"""

import re
import unicodedata
from dataclasses import dataclass, field

UINT32_MAX = 0xFFFFFFFF
PLATFORM_UNSPECIFIED = UINT32_MAX

# ---------------------------------------------------------------- semver 2.0

_NUM = rb"(0|[1-9][0-9]*)"
_PRE_ID = rb"(?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)"
_BUILD_ID = rb"[0-9A-Za-z-]+"
_SEMVER = re.compile(
    rb"v?" + _NUM + rb"\." + _NUM + rb"\." + _NUM
    + rb"(?:-(" + _PRE_ID + rb"(?:\." + _PRE_ID + rb")*))?"
    + rb"(?:\+" + _BUILD_ID + rb"(?:\." + _BUILD_ID + rb")*)?")


def parse_version(text):
    """(major, minor, patch, prerelease identifiers) or None if invalid.

    Semver 2.0 with an optional single lower-case `v`; numbers of any
    length (semver sets no limit; Python's integers are exact)."""
    if isinstance(text, str):
        text = text.encode("utf-8")
    if text is None:
        return None
    m = _SEMVER.fullmatch(text)
    if m is None:
        return None
    nums = tuple(int(m.group(i)) for i in (1, 2, 3))
    pre = tuple(m.group(4).split(b".")) if m.group(4) else ()
    return nums + (pre,)


def _cmp(a, b):
    return (a > b) - (a < b)


def _cmp_identifier(a, b):
    a_num, b_num = a.isdigit(), b.isdigit()
    if a_num and b_num:
        return _cmp(int(a), int(b))
    if a_num != b_num:
        return -1 if a_num else 1   # numeric identifiers sort first
    return _cmp(a, b)               # ASCII order


def compare_versions(a, b):
    """Semver §11 precedence of two parsed versions: -1, 0 or 1."""
    c = _cmp(a[:3], b[:3])
    if c:
        return c
    pa, pb = a[3], b[3]
    if not pa or not pb:
        return _cmp(not pa, not pb)  # a release outranks its prereleases
    for x, y in zip(pa, pb):
        c = _cmp_identifier(x, y)
        if c:
            return c
    return _cmp(len(pa), len(pb))


# ---------------------------------------------- families (docs/spec.md §5)

@dataclass
class Platform:
    id: int
    name: str
    eligible: bool
    family: object  # family name, or None: not eligible / the SKU decides


@dataclass
class Sku:
    prefix: str     # upper case
    platform: int
    family: object  # family name, or None when the platform is not eligible


# Every platform of @particle/device-constants and a prefix for Particle's
# published SKUs, written from the fact lists tests/data/published-*.txt and
# docs/hardware.md (facts.py checks them against those lists).
BUILTIN_PLATFORMS = [
    Platform(0, "core", False, None),
    Platform(3, "gcc", False, None),
    Platform(6, "photon", True, "photon"),
    Platform(8, "p1", True, "p1"),
    Platform(10, "electron", True, "electron"),
    Platform(11, "esp32", False, None),
    Platform(12, "argon", True, "argon"),
    Platform(13, "boron", True, "boron"),
    Platform(14, "xenon", False, None),
    Platform(15, "esomx", True, "esomx"),
    Platform(22, "asom", False, None),
    Platform(23, "bsom", True, "bsom"),
    Platform(24, "xsom", False, None),
    Platform(25, "b5som", True, "b5som"),
    Platform(26, "tracker", True, "tracker"),
    Platform(28, "trackerm", True, "trackerm"),
    Platform(31, "raspi", False, None),
    Platform(32, "p2", True, None),          # P2 and Photon 2: by SKU
    Platform(35, "msom", True, "msom"),
    Platform(37, "electron2", True, "electron2"),
    Platform(38, "sulu", True, "sulu"),
    Platform(42, "tachyon", True, "tachyon"),
    Platform(43, "linux", True, "linux"),
    Platform(82, "oak", False, None),
    Platform(88, "duo", False, None),
    Platform(103, "bluz", False, None),
]

BUILTIN_SKUS = [
    # Photon, its P0 module, the Internet Button
    Sku("PHOTON", 6, "photon"), Sku("PHN", 6, "photon"),
    Sku("P0", 6, "photon"), Sku("SPKBTTN", 6, "photon"),
    Sku("P1", 8, "p1"),
    # Electron, E Series, and the Electron Asset Tracker and sensor kits
    Sku("E2", 10, "electron"), Sku("E3", 10, "electron"),
    Sku("E4", 10, "electron"), Sku("ELC", 10, "electron"),
    Sku("ASSET2G", 10, "electron"), Sku("ASSET3G", 10, "electron"),
    Sku("SNSRKIT3G", 10, "electron"),
    Sku("E404X", 15, "esomx"),
    Sku("ELC5", 37, "electron2"),
    Sku("ARG", 12, "argon"),
    Sku("BRN", 13, "boron"),
    Sku("XEN", 14, None),
    Sku("B40", 23, "bsom"),
    Sku("B5", 25, "b5som"),
    Sku("ONE", 26, "tracker"), Sku("T4", 26, "tracker"),
    Sku("T5", 26, "tracker"), Sku("MON", 26, "tracker"),
    Sku("P2", 32, "p2"), Sku("PHN2", 32, "photon2"),
    Sku("M4", 35, "msom"), Sku("M5", 35, "msom"), Sku("M6", 35, "msom"),
    Sku("MUON", 35, "msom"),
]

BUILTIN_FAMILIES = ["photon", "p1", "electron", "argon", "boron", "esomx",
                    "bsom", "b5som", "tracker", "trackerm", "p2", "photon2",
                    "msom", "electron2", "sulu", "tachyon", "linux"]


# ------------------------------------------------------------------ policy

@dataclass
class Member:
    user: str
    role: str
    two_step: bool = False


@dataclass
class ApiUser:
    name: str
    scopes: list


@dataclass
class Organization:
    name: str
    members: list = field(default_factory=list)
    api_users: list = field(default_factory=list)


@dataclass
class Product:
    id: int
    name: str
    family: str
    organization: object = None     # name or None
    auto_approve: bool = False
    removed_quarantine: bool = False
    released_firmware: int = 0      # 0 = none
    min_device_os: object = None    # version text or None
    team: list = field(default_factory=list)


@dataclass
class Policy:
    legacy_below: str = "4.0.0-0"
    platforms: dict = field(default_factory=dict)   # id -> Platform
    skus: dict = field(default_factory=dict)        # PREFIX -> Sku
    organizations: dict = field(default_factory=dict)
    products: dict = field(default_factory=dict)

    @classmethod
    def builtin(cls):
        p = cls()
        for plat in BUILTIN_PLATFORMS:
            p.platforms[plat.id] = Platform(plat.id, plat.name, plat.eligible,
                                            plat.family)
        for sku in BUILTIN_SKUS:
            p.skus[sku.prefix] = Sku(sku.prefix, sku.platform, sku.family)
        return p

    def sku_lookup(self, sku):
        """The entry of the longest case-insensitive prefix, or None."""
        upper = sku.upper()
        best = None
        for prefix, entry in self.skus.items():
            if upper.startswith(prefix.encode("ascii")):
                if best is None or len(prefix) > len(best.prefix):
                    best = entry
        return best


# ------------------------------------------------------------ device record

@dataclass
class Device:
    id: object = None                 # bytes or None (absent)
    platform_id: int = PLATFORM_UNSPECIFIED
    sku: object = None
    device_os: object = None
    cloud_product_id: int = 0
    firmware_product_id: int = 0
    owner: object = None
    denied_in: int = 0
    removed_from: int = 0
    quarantined_in: int = 0
    development: bool = False
    firmware_version: int = 0


PRIVILEGES = ["ota_updates", "product_events", "customer_claim",
              "product_webhooks"]
ADVISORIES = ["ota_update_pending", "development_device",
              "device_os_below_minimum", "leaves_denied_list",
              "leaves_quarantine"]


@dataclass(frozen=True)
class Decision:
    outcome: str
    reason: str
    rule: int
    product: int = 0
    limited_in: int = 0
    privileges: tuple = ()
    advisories: tuple = ()
    error: str = "ok"

    def line(self):
        """The driver's output format (without the `returned` field)."""
        return "%s %s %d %d %d %s %s %s" % (
            self.outcome, self.reason, self.rule, self.product,
            self.limited_in, ",".join(self.privileges) or "-",
            ",".join(self.advisories) or "-", self.error)


# ------------------------------------------------------- record validation

_HEX24 = re.compile(rb"[0-9A-Fa-f]{24}")
_SKU = re.compile(rb"[A-Za-z0-9-]{1,32}")


# Default_Ignorable_Code_Point (Unicode 15) outside general category Cf, and
# the format controls U+13439..U+1343F that Unicode 15 added (Python's own
# tables may be older).
_IGNORABLE = [(0x034F, 0x034F), (0x115F, 0x1160), (0x17B4, 0x17B5),
              (0x180B, 0x180F), (0x2065, 0x2065), (0x3164, 0x3164),
              (0xFE00, 0xFE0F), (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8),
              (0x13430, 0x1343F), (0xE0000, 0xE0FFF)]


def char_hidden(ch):
    """Controls, format characters, line and paragraph separators, spaces
    but U+0020, and the other default-ignorable code points."""
    cat = unicodedata.category(ch)
    o = ord(ch)
    return (cat in ("Cc", "Cf", "Zl", "Zp") or (cat == "Zs" and ch != " ")
            or any(a <= o <= b for a, b in _IGNORABLE))


def user_name_valid(name):
    """1-255 bytes of UTF-8 (RFC 3629) without hidden characters."""
    if not 1 <= len(name) <= 255:
        return False
    try:
        text = name.decode("utf-8", errors="strict")
    except UnicodeDecodeError:
        return False
    return not any(char_hidden(ch) for ch in text)


def invalid_input_error(dev):
    """Rule 0: the first problem's error name, or None when valid."""
    if dev.id is None or _HEX24.fullmatch(dev.id) is None:
        return "invalid_device_id"
    if dev.device_os is None or parse_version(dev.device_os) is None:
        return "invalid_device_os"
    if dev.sku is not None and _SKU.fullmatch(dev.sku) is None:
        return "invalid_sku"
    if dev.owner is not None and not user_name_valid(dev.owner):
        return "invalid_owner"
    if dev.firmware_version > 65535:
        return "invalid_firmware_version"
    if dev.platform_id == PLATFORM_UNSPECIFIED and dev.sku is None:
        return "invalid_platform"
    return None


# ----------------------------------------------------------- rules 3 and 4

def platform_verdict(policy, product, dev):
    """None when the model fits product's family, else (rule, reason)."""
    entry = policy.sku_lookup(dev.sku) if dev.sku is not None else None
    platform_id = dev.platform_id
    if platform_id == PLATFORM_UNSPECIFIED:
        if entry is None:
            return 4, "incompatible_platform"
        platform_id = entry.platform
    platform = policy.platforms.get(platform_id)
    if platform is None:
        return 4, "incompatible_platform"
    if not platform.eligible:
        return 3, "platform_not_product_eligible"
    if entry is not None and entry.platform != platform_id:
        return 4, "incompatible_platform"   # the SKU contradicts the platform
    family = entry.family if entry is not None else platform.family
    if family is None:
        # Only a SKU can tell (platform 32): could some SKU of it fit P?
        fits = any(s.platform == platform_id and s.family == product.family
                   for s in policy.skus.values())
        return 4, "sku_required" if fits else "incompatible_platform"
    if family != product.family:
        return 4, "incompatible_platform"
    return None


# --------------------------------------------------------------- rule 14

def owner_on_team(policy, runtime_team, product, owner):
    """Human members of P's organization, P's own team, and the caller's
    run-time memberships for P's organization; exact names."""
    if any(m.user.encode() == owner for m in product.team):
        return True
    if product.organization is None:
        return False
    org = policy.organizations[product.organization]
    if any(m.user.encode() == owner for m in org.members):
        return True
    return (product.organization.encode(), owner) in runtime_team


# -------------------------------------------------------- docs/spec.md §3

def decide(policy, runtime_team, dev):
    """The full decision for one device record.

    runtime_team is a set of (organization bytes, user bytes)."""
    error = invalid_input_error(dev)
    if error is not None:
        return Decision("deny", "invalid_input", 0, error=error)

    V = parse_version(dev.device_os)
    C, F = dev.cloud_product_id, dev.firmware_product_id
    legacy = compare_versions(V, parse_version(policy.legacy_below)) < 0
    if legacy and F != 0:
        P = F
    elif C != 0:
        P = C
    else:
        P = F
    limited_in = C if C != 0 and C != P else 0
    product = policy.products.get(P)

    advisories = set()
    if legacy and F == 0 and dev.denied_in != 0:
        advisories.add("leaves_denied_list")
    if legacy and F == 0 and dev.quarantined_in != 0:
        advisories.add("leaves_quarantine")
    if product is not None and product.min_device_os is not None:
        if compare_versions(V, parse_version(product.min_device_os)) < 0:
            advisories.add("device_os_below_minimum")

    def result(outcome, reason, rule):
        privileges = ()
        if rule in (7, 13, 14):
            privileges = tuple(PRIVILEGES)
            if dev.development:
                advisories.add("development_device")
            elif (product.released_firmware
                  and dev.firmware_version != product.released_firmware):
                advisories.add("ota_update_pending")
        return Decision(outcome, reason, rule, P, limited_in, privileges,
                        tuple(a for a in ADVISORIES if a in advisories))

    if P == 0:
        return result("ok", "not_a_product_device", 1)
    if product is None:
        return result("deny", "unknown_product", 2)
    verdict = platform_verdict(policy, product, dev)
    if verdict is not None:
        return result("deny", verdict[1], verdict[0])
    if C == P and dev.denied_in == P:
        return result("deny", "denied_list", 5)
    if C == P and legacy and F == 0:
        return result("limited", "firmware_reports_no_product", 6)
    if C == P:
        return result("ok", "member", 7)
    if dev.denied_in == P:
        return result("deny", "denied_list", 8)
    if dev.removed_from == P:
        if product.removed_quarantine and legacy:
            return result("quarantine", "removed_from_product", 9)
        return result("reappear_as_denied", "removed_from_product", 9)
    if not legacy:
        return result("deny", "not_pre_added", 10)
    if C != 0:
        return result("quarantine", "member_of_other_product", 11)
    if not product.auto_approve:
        return result("quarantine", "unrecognized_device", 12)
    if dev.owner is None:
        return result("auto_approve", "unowned", 13)
    if owner_on_team(policy, runtime_team, product, dev.owner):
        return result("auto_approve", "owner_is_team_member", 14)
    return result("quarantine", "owner_not_team_member", 15)
