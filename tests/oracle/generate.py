"""Seeded generator of random, mostly valid policies and device records.

Everything drawn here comes from one random.Random, so (seed, policy index)
reproduces a policy and its records exactly.  Draws are biased towards the
edges of every rule of docs/spec.md §3: versions around the legacy threshold
and the products' min_device_os, prereleases, IDs 0 and unknown, every family,
every list membership, owners inside and just outside each team, invalid
fields.

A policy is built as an oracle.Policy (what it means) and, from the same
draws, as a YAML tree (how it is written: key order, flow or block style,
quoting and comments vary).  An "invalid" policy carries one defect whose
load error code is predicted.
"""

import copy
import re

from oracle import (BUILTIN_FAMILIES, PLATFORM_UNSPECIFIED, Device,
                    Member, ApiUser, Organization, Platform, Policy, Product,
                    Sku, compare_versions, parse_version)

ROLES = ["view_only", "support", "developer", "administrator", "owner"]
SCOPES = ["devices:import", "devices:remove", "devices:update",
          "devices:list", "devices:get", "devices.function:call",
          "firmware:release", "integrations:create", "integrations:update",
          "sims:update", "teams.users:*", "configuration:update"]

# A small shared pool, so that the same name turns up in several teams, as an
# API user in one place and a person in another, and in near-miss spellings.
USERS = ["alice@acme.io", "Alice@acme.io", "alice@acme.io ", "bob@acme.io",
         "carol", "dave@contractor.example", "eve", "zoë@example.com",
         "zoe\u0308@example.com", "李雷@例子.中国", "o'brien@example.ie",
         "mary ann", "ci-deployer", "fleet-sync", "true", "#hash",
         "a\"quote", "back\\slash", "é" * 127 + "a"]
ORGS = ["acme", "Acme", "brightwater", "harbor-labs", "org with space", "ørg",
        "x"]
PRODUCT_NAMES = ["Fleet Tracker", "Tide Gauge", "Buoy: Controller",
                 "Dock Display", "Cellular Logger", "Relay #2", "'quoted'",
                 "ünïcode product", "x"]

CUSTOM_PLATFORM_IDS = [1, 40, 41, 50, 99, 1000, 4294967294]
CUSTOM_PLATFORM_NAMES = ["nextgen", "ngx", "lab_board", "proto2", "widget9"]
CUSTOM_FAMILY_NAMES = ["labfam", "shared_fam", "fam_2"]
UNKNOWN_PLATFORM_IDS = [1, 2, 7, 99, 255, 4294967294]

THRESHOLDS = [None, None, None, "4.0.0-0", "4.0.0", "5.0.0", "5.0.0-0",
              "3.0.0", "v4.0.0-0", "4.0.0-beta.1", "4.0.0+build.7",
              "3.999.999", "0.0.0", "18446744073709551615.0.0",
              "18446744073709551616.0.0", "4.99999999999999999999.0"]
MIN_OS = ["2.3.0", "3.1.0-rc.1", "3.1.0", "4.0.0", "4.0.0-0", "5.4.0+ledger",
          "v1.0.0", "3.3.1", "6.1.0", "0.0.0-0"]
TYPICAL_OS = ["0.4.9", "1.4.4", "2.3.1", "2.3.1-rc.2", "3.0.1-p2.1", "3.3.1",
              "3.999.999", "4.0.0-0", "4.0.0-alpha", "4.0.0-beta.1",
              "4.0.0-rc.1", "4.0.0", "4.2.0", "5.4.0+ledger", "5.6.0",
              "6.1.0", "v6.1.0", "1.0.0-0A.is.legal", "1.0.0-alpha+001",
              "3.0.0-99999999999999999999999", "18446744073709551615.0.0",
              "18446744073709551616.0.0", "99999999999999999999.0.0",
              "4.18446744073709551616.0", "0.0.0"]
INVALID_OS = [b"4.0", b"4", b"04.0.0", b"4.0.0-", b"4.0.0-01", b"4.0.0+",
              b"4.0.0-a..b", b"vv4.0.0", b"V4.0.0", b" 4.0.0", b"4.0.0 ",
              b"4.0.0-beta_1", b"018446744073709551616.0.0",
              b"4.00000000000000000000.0", b"", b"4.0.0\n", b"4.0.0\x00",
              "４.0.0".encode(), b"1.2.3.4", b"-1.0.0", None]
INVALID_OWNERS = [b"", b"\xff", b"\xc0\xaf", b"\xed\xa0\x80",
                  b"\xf4\x90\x80\x80", b"ab\xe2\x82", b"a\x01b", b"a\x7fb",
                  "a\u0085b".encode(), b"a\x00b", b"x" * 256,
                  ("é" * 128).encode(), b"\t", "alice\u202e".encode(),
                  "ad\u200bmin".encode(), "a\u00a0b".encode(),
                  "\ufeffbob".encode()]
INVALID_SKUS = [b"", b"B524\x00MEA", b"B524 MEA", b"B524_MEA", b"X" * 33,
                "ÄB".encode(), b"B524\n", b"P2.MOD"]


# ------------------------------------------------------------ YAML writing
#
# The tree says what a policy means; emit_yaml decides how it is written:
# key and list order, flow or block style, quoting, comments, whether a key
# holding its default value is written at all, the case of SKU prefixes and
# whether a platform is named or numbered.  Two emissions of one tree are
# therefore the same rules in different texts (the fingerprint must agree).

class Raw(str):
    """A scalar written as is (enumerations, defects)."""


class Str(str):
    """A string value, quoted (or not) at emission."""


class Ver(str):
    """A version, plain or quoted at emission."""


class Prefix(str):
    """A SKU prefix (stored upper-case by the loader): any case."""


class PlatRef:
    """A reference to a platform, by name or by ID."""

    def __init__(self, platform):
        self.name, self.id = platform.name, platform.id


class Default:
    """A value equal to the key's default: written or left out."""

    def __init__(self, value):
        self.value = value


class Map:
    """An ordered YAML mapping (a list of (key, value) pairs)."""

    def __init__(self, pairs=None):
        self.pairs = list(pairs or [])

    def __len__(self):
        return len(self.pairs)

    def get(self, key):
        return next((v for k, v in self.pairs if k == key), None)

    def set(self, key, value):
        for i, (k, _) in enumerate(self.pairs):
            if k == key:
                self.pairs[i] = (key, value)
                return
        self.pairs.append((key, value))

    def delete(self, key):
        self.pairs = [(k, v) for k, v in self.pairs if k != key]


_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9_.@+-]*")
_NOT_PLAIN = {"true", "false", "yes", "no", "on", "off", "null", "y", "n"}


def _double_quoted(s, rng):
    out = []
    for ch in s:
        o = ord(ch)
        if ch in "\\\"":
            out.append("\\" + ch)
        elif (o < 0x20 or 0x7F <= o <= 0x9F or o in (0x2028, 0x2029, 0xFEFF)
              or (o > 0x7F and rng.random() < 0.3)):
            out.append("\\u%04x" % o if o <= 0xFFFF else "\\U%08x" % o)
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _quoted(s, rng):
    if _PLAIN.fullmatch(s) and s.lower() not in _NOT_PLAIN \
            and rng.random() < 0.7:
        return s
    if "'" not in s and "\\" not in s and rng.random() < 0.3:
        return "'" + s + "'"
    return _double_quoted(s, rng)


def _token(v, rng):
    """The YAML text of a leaf."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, Str):
        return _quoted(v, rng)
    if isinstance(v, Ver):
        return rng.choice([v, '"%s"' % v, "'%s'" % v])
    if isinstance(v, Prefix):
        return rng.choice([v, v, v.lower(),
                           "".join(rng.choice([c, c.lower()]) for c in v)])
    if isinstance(v, PlatRef):
        return v.name if rng.random() < 0.5 else str(v.id)
    assert isinstance(v, Raw), v
    return v


def _resolve(node, rng):
    """Make every emission choice but layout: a tree of Map, list, str."""
    if isinstance(node, Map):
        pairs = []
        for k, v in node.pairs:
            if isinstance(v, Default):
                if rng.random() < 0.5:
                    continue
                v = v.value
            pairs.append((k, _resolve(v, rng)))
        if rng.random() < 0.5:
            rng.shuffle(pairs)
        return Map(pairs)
    if isinstance(node, list):
        items = [_resolve(v, rng) for v in node]
        if rng.random() < 0.5:
            rng.shuffle(items)
        return items
    return _token(node, rng)


def _is_leafy(node):
    items = node if isinstance(node, list) else [v for _, v in node.pairs]
    return all(not isinstance(v, (list, Map)) for v in items)


def _flow(node):
    if isinstance(node, Map):
        return "{" + ", ".join("%s: %s" % (k, _flow(v))
                               for k, v in node.pairs) + "}"
    if isinstance(node, list):
        return "[" + ", ".join(_flow(v) for v in node) + "]"
    return node


def emit_yaml(tree, rng):
    lines = ["# generated by tests/oracle/generate.py"]

    def comment(pad):
        if rng.random() < 0.05:
            lines.append(pad + "# a comment line")

    def block_map(m, indent, first_prefix=None):
        pad = " " * indent
        for i, (k, v) in enumerate(m.pairs):
            lead = first_prefix if (i == 0 and first_prefix) else pad
            if i > 0:
                comment(pad)
            if isinstance(v, (Map, list)):
                if not v or (_is_leafy(v) and rng.random() < 0.5):
                    lines.append("%s%s: %s" % (lead, k, _flow(v)))
                elif isinstance(v, Map):
                    lines.append("%s%s:" % (lead, k))
                    block_map(v, indent + 2)
                else:
                    lines.append("%s%s:" % (lead, k))
                    block_seq(v, indent + (2 if rng.random() < 0.7 else 0))
            else:
                tail = "  # note" if rng.random() < 0.03 else ""
                lines.append("%s%s: %s%s" % (lead, k, v, tail))

    def block_seq(s, indent):
        pad = " " * indent
        for v in s:
            if isinstance(v, Map) and v.pairs:
                if _is_leafy(v) and rng.random() < 0.4:
                    lines.append(pad + "- " + _flow(v))
                else:
                    block_map(v, indent + 2, first_prefix=pad + "- ")
            elif isinstance(v, (Map, list)):
                lines.append(pad + "- " + _flow(v))
            else:
                lines.append(pad + "- " + v)

    block_map(_resolve(tree, rng), 0)
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------- policies

class GeneratedPolicy:
    def __init__(self):
        self.policy = Policy.builtin()
        self.tree = Map()
        self.runtime_team = []      # (organization, user, role), str
        self.expect_error = None    # load error name of an invalid policy
        self.defect = None          # what was broken, in words
        self.text = ""
        self.bulk = False           # hundreds of products and members

    def runtime_set(self):
        return {(o.encode(), u.encode()) for o, u, _ in self.runtime_team}

    def reworded(self, rng):
        """The same rules in another text (order, style, defaults)."""
        return emit_yaml(self.tree, rng)

    def changed(self, rng):
        """(what, text): the policy with one rule changed."""
        tree = copy.deepcopy(self.tree)
        nodes = tree.get("products")
        k = rng.randrange(len(nodes))
        node, prod = nodes[k], list(self.policy.products.values())[k]
        fams = [f for f in _families(self.policy) if f != prod.family]
        other_id = _product_id(rng, self.policy.products)
        newcomer = Map([("user", Str("newcomer@example.org")),
                        ("role", Raw("support"))])
        changes = [
            ("released_firmware", lambda: node.set(
                "released_firmware", prod.released_firmware % 65535 + 1)),
            ("unrecognized_devices", lambda: node.set(
                "unrecognized_devices",
                Raw("quarantine" if prod.auto_approve else "auto_approve"))),
            ("removed_devices", lambda: node.set(
                "removed_devices",
                Raw("deny" if prod.removed_quarantine else "quarantine"))),
            ("product id", lambda: node.set("id", other_id)),
            ("family", lambda: node.set("family", Raw(rng.choice(fams)))),
            ("min_device_os", lambda: node.set(
                "min_device_os",
                Ver("1.0.0" if prod.min_device_os == "9.9.9" else "9.9.9"))),
            ("legacy threshold", lambda: tree.set("settings", Map([
                ("legacy_device_os_below", Ver("7.7.7"))]))),
            ("product team", lambda: node.set(
                "team", (node.get("team") or []) + [newcomer]))]
        changes = [("%s of products[%d]" % (what, k), apply)
                   for what, apply in changes]
        orgs = tree.get("organizations")
        if isinstance(orgs, list) and orgs:
            org = rng.choice(orgs)
            members = org.get("members")
            members = members if isinstance(members, list) else []
            changes.append(("a member of organization %r" % org.get("name"),
                            lambda: org.set("members", members + [newcomer])))
        what, apply = rng.choice(changes)
        apply()
        return what, emit_yaml(tree, rng)


def _member_nodes(members):
    return [Map([("user", Str(m.user)), ("role", Raw(m.role)),
                 ("two_step", m.two_step if m.two_step else Default(False))])
            for m in members]


def _families(policy):
    """Families a product may name: built-in ones and those of the policy's
    eligible platforms and SKUs."""
    fams = set(BUILTIN_FAMILIES)
    fams.update(p.family for p in policy.platforms.values()
                if p.eligible and p.family is not None)
    fams.update(s.family for s in policy.skus.values() if s.family is not None)
    return sorted(fams)


def _gen_platforms(rng, gp):
    policy, nodes = gp.policy, []
    if rng.random() < 0.1:
        # Core made product-eligible in a family of its own (it has no SKUs,
        # so nothing else changes meaning).
        policy.platforms[0] = Platform(0, "core", True, "core")
        nodes.append(Map([("id", 0), ("name", Raw("core")),
                          ("product_eligible", True),
                          ("family", Default(Raw("core")))]))
    if rng.random() < 0.05:
        # A built-in platform withdrawn from products (rule 3 then decides
        # before its SKUs' families could matter).
        plat = policy.platforms[rng.choice([6, 10, 13, 23, 26, 32, 35])]
        policy.platforms[plat.id] = Platform(plat.id, plat.name, False, None)
        nodes.append(Map([("id", plat.id), ("name", Raw(plat.name)),
                          ("product_eligible", False)]))
    if rng.random() < 0.35:
        ids = rng.sample([i for i in CUSTOM_PLATFORM_IDS
                          if i not in policy.platforms], rng.randint(1, 3))
        names = rng.sample(CUSTOM_PLATFORM_NAMES, len(ids))
        for pid, name in zip(ids, names):
            node = Map([("id", pid), ("name", Raw(name))])
            eligible = rng.random() < 0.85
            family = None
            if not eligible:
                node.set("product_eligible", False)
                if rng.random() < 0.1:
                    node.set("family_by_sku", Default(False))
            else:
                node.set("product_eligible", Default(True))
                mode = rng.random()
                if mode < 0.2:
                    family = rng.choice(BUILTIN_FAMILIES)
                    node.set("family", Raw(family))
                elif mode < 0.35:
                    family = rng.choice(CUSTOM_FAMILY_NAMES)
                    node.set("family", Raw(family))
                elif mode < 0.75:
                    family = name
                    node.set("family", Default(Raw(name)))
                else:
                    node.set("family_by_sku", True)
                if family is not None and rng.random() < 0.1:
                    node.set("family_by_sku", Default(False))
            policy.platforms[pid] = Platform(pid, name, eligible, family)
            nodes.append(node)
    if nodes:
        gp.tree.set("platforms", nodes)


def _gen_skus(rng, gp):
    policy, nodes = gp.policy, []
    custom = [p for p in policy.platforms.values()
              if p.name in CUSTOM_PLATFORM_NAMES]
    wanted = []
    # A platform that only its SKUs can place needs some.
    for p in custom:
        if p.eligible and p.family is None:
            wanted += [("NG%d" % i + p.name[:2].upper(), p) for i in range(2)]
    if rng.random() < 0.35:
        choices = [("E404X", policy.platforms[10]),   # override: Electron now
                   ("P2", policy.platforms[32]),      # override: by SKU
                   ("B5245", policy.platforms[23]),   # longer than B5
                   ("PHN2X", policy.platforms[32]),
                   ("ARGX", policy.platforms[12]),
                   ("XENX", policy.platforms[14]),
                   ("ONE5", policy.platforms[28])]
        choices += [("Q" + p.name[:3].upper(), p) for p in custom]
        wanted += rng.sample(choices, rng.randint(1, 3))
    seen = set()
    for prefix, plat in wanted:
        if prefix in seen:
            continue
        seen.add(prefix)
        fams = _families(policy)
        node = Map([("prefix", Prefix(prefix)), ("platform", PlatRef(plat))])
        if not plat.eligible:
            # No product may hold the platform: its SKUs name no family.
            family = None
        elif plat.family is None or rng.random() < 0.15:
            family = rng.choice(fams)
            node.set("family", Raw(family))
        else:
            family = plat.family
            node.set("family", Default(Raw(family)))
        policy.skus[prefix] = Sku(prefix, plat.id, family)
        nodes.append(node)
    if nodes:
        gp.tree.set("skus", nodes)


def _ascii_fold(name):
    return "".join(c.lower() if "A" <= c <= "Z" else c for c in name)


def _unique_users(rng, k):
    """Up to k names for one team, never two that differ only in the case
    of ASCII letters (alice, Alice): that is a load error."""
    users, seen = [], set()
    for u in rng.sample(USERS, min(k, len(USERS))):
        if _ascii_fold(u) not in seen:
            seen.add(_ascii_fold(u))
            users.append(u)
    return users


def _roles(rng, k, owner_taken=False):
    """k roles for one team: one owner per product at most (docs/spec.md
    §4), who may be the owner of the product's organization."""
    roles = [rng.choice(ROLES) for _ in range(k)]
    owners = [i for i, r in enumerate(roles) if r == "owner"]
    for i in owners[0 if owner_taken else 1:]:
        roles[i] = rng.choice(ROLES[:-1])
    return roles


def _gen_organizations(rng, gp):
    nodes = []
    for name in rng.sample(ORGS, rng.randint(0, 3)):
        users = _unique_users(rng, rng.randint(0, 6))
        if gp.bulk:
            users += ["user%d@bulk.example" % i
                      for i in range(rng.randint(50, 400))]
        n_api = rng.randint(0, min(2, len(users)))
        org = Organization(name)
        for u, role in zip(users[n_api:], _roles(rng, len(users) - n_api)):
            org.members.append(Member(u, role, rng.random() < 0.5))
        for u in users[:n_api]:
            org.api_users.append(ApiUser(u, rng.sample(SCOPES,
                                                       rng.randint(1, 3))))
        gp.policy.organizations[name] = org
        node = Map([("name", Str(name))])
        node.set("members", _member_nodes(org.members) if org.members
                 else Default([]))
        if org.api_users:
            node.set("api_users", [
                Map([("name", Str(a.name)),
                     ("scopes", [Str(s) for s in a.scopes])])
                for a in org.api_users])
        nodes.append(node)
    gp.tree.set("organizations", nodes if nodes else Default([]))


def _product_id(rng, taken):
    while True:
        r = rng.random()
        if r < 0.3:
            pid = rng.randint(1, 20)
        elif r < 0.85:
            pid = rng.randint(10000, 99999)
        else:
            pid = rng.choice([4294967295, 4294967294, 2147483648, 65536])
        if pid not in taken:
            return pid


def _gen_products(rng, gp):
    policy, nodes = gp.policy, []
    fams = _families(policy)
    # Favour the families only the policy itself can create.
    extra = [f for f in fams if f not in BUILTIN_FAMILIES]
    # Every family early (no repeats until each has had a turn), then any.
    fresh = rng.sample(BUILTIN_FAMILIES, len(BUILTIN_FAMILIES))
    for _ in range(rng.randint(50, 400) if gp.bulk else rng.randint(1, 16)):
        pid = _product_id(rng, policy.products)
        if extra and rng.random() < 0.3:
            family = rng.choice(extra)
        else:
            family = fresh.pop() if fresh else rng.choice(fams)
        prod = Product(pid, rng.choice(PRODUCT_NAMES), family)
        node = Map([("id", pid), ("name", Str(prod.name)),
                    ("family", Raw(family))])
        if policy.organizations and rng.random() < 0.8:
            prod.organization = rng.choice(sorted(policy.organizations))
            node.set("organization", Str(prod.organization))
        prod.auto_approve = rng.random() < 0.45
        node.set("unrecognized_devices", Raw("auto_approve")
                 if prod.auto_approve else Default(Raw("quarantine")))
        prod.removed_quarantine = rng.random() < 0.4
        node.set("removed_devices", Raw("quarantine")
                 if prod.removed_quarantine else Default(Raw("deny")))
        if rng.random() < 0.6:
            prod.released_firmware = rng.choice([1, 7, 23, 65535,
                                                 rng.randint(1, 65535)])
            node.set("released_firmware", prod.released_firmware)
        if rng.random() < 0.5:
            prod.min_device_os = rng.choice(MIN_OS)
            node.set("min_device_os", Ver(prod.min_device_os))
        if rng.random() < 0.4:
            users = _unique_users(rng, rng.randint(1, 3))
            org = policy.organizations.get(prod.organization)
            taken = org is not None and any(m.role == "owner"
                                            for m in org.members)
            for u, role in zip(users, _roles(rng, len(users), taken)):
                prod.team.append(Member(u, role, rng.random() < 0.5))
            node.set("team", _member_nodes(prod.team))
        policy.products[pid] = prod
        nodes.append(node)
    gp.tree.set("products", nodes)


def _gen_runtime_team(rng, gp):
    if rng.random() < 0.5:
        orgs = sorted(gp.policy.organizations) + ["not-in-policy"]
        for _ in range(rng.randint(1, 6)):
            org = rng.choice(orgs)
            known = gp.policy.organizations.get(org)
            # Mostly people the policy does not already name in that org.
            users = [u for u in USERS if known is None or u not in
                     {m.user for m in known.members}]
            gp.runtime_team.append((org, rng.choice(users),
                                    rng.choice(ROLES)))


# One defect each; the predicted error name (docs/spec.md §2, the schema).
def _defects(gp):
    products = gp.tree.get("products")
    orgs = gp.tree.get("organizations")
    orgs = orgs if isinstance(orgs, list) else []
    d = [("schema version 2", "unsupported_schema_version",
          lambda: gp.tree.set("version", 2)),
         ("product id 0", "out_of_range",
          lambda: products[0].set("id", 0)),
         ("product id -5", "out_of_range",
          lambda: products[0].set("id", Raw("-5"))),
         ("product id 2^32", "out_of_range",
          lambda: products[0].set("id", 4294967296)),
         ("quoted product id", "wrong_type",
          lambda: products[0].set("id", Raw('"12"'))),
         ("unknown family", "unknown_family",
          lambda: products[0].set("family", Raw("trackr"))),
         ("unknown organization", "unknown_name",
          lambda: products[0].set("organization", Raw("no-such-org"))),
         ("min_device_os 4.0", "invalid_version",
          lambda: products[0].set("min_device_os", Raw("4.0"))),
         ("released_firmware 0", "out_of_range",
          lambda: products[0].set("released_firmware", 0)),
         ("released_firmware 65536", "out_of_range",
          lambda: products[0].set("released_firmware", 65536)),
         ("misspelt product key", "unknown_key",
          lambda: products[0].set("relased_firmware", 3)),
         ("product without name", "missing_key",
          lambda: products[0].delete("name")),
         ("legacy threshold 4.0.0-", "invalid_version",
          lambda: gp.tree.set("settings", Map([
              ("legacy_device_os_below", Raw('"4.0.0-"'))])))]
    if len(products) >= 2:
        d.append(("duplicate product id", "duplicate",
                  lambda: products[1].set("id", products[0].get("id"))))
    if orgs:
        d.append(("duplicate organization", "duplicate",
                  lambda: orgs.append(Map([("name", orgs[0].get("name"))]))))
    return d


def gen_policy(rng, invalid=False):
    gp = GeneratedPolicy()
    gp.bulk = rng.random() < 0.05
    gp.tree.set("version", 1)
    threshold = rng.choice(THRESHOLDS)
    if threshold is not None:
        gp.policy.legacy_below = threshold
        gp.tree.set("settings", Map([("legacy_device_os_below",
                                      Ver(threshold))]))
    else:
        gp.tree.set("settings", Default(Map([(
            "legacy_device_os_below", Default(Ver(gp.policy.legacy_below)))])))
    _gen_platforms(rng, gp)
    _gen_skus(rng, gp)
    _gen_organizations(rng, gp)
    _gen_products(rng, gp)
    _gen_runtime_team(rng, gp)
    if invalid:
        gp.defect, gp.expect_error, apply = rng.choice(_defects(gp))
        apply()
    gp.text = emit_yaml(gp.tree, rng)
    return gp


# ---------------------------------------------------------------- records

def _hex_id(rng):
    digits = "".join(rng.choice("0123456789abcdef") for _ in range(24))
    r = rng.random()
    if r < 0.05:
        return b"0" * 24
    if r < 0.2:
        digits = digits.upper()
    elif r < 0.35:
        digits = "".join(c.upper() if rng.random() < 0.5 else c
                         for c in digits)
    return digits.encode()


def _device_id(rng):
    if rng.random() < 0.985:
        return _hex_id(rng)
    good = _hex_id(rng)
    return rng.choice([good[:23], good + b"a", good[:23] + b"g", b"",
                       None, good[:12] + b" " + good[13:],
                       good[:22] + "é".encode(), b"0x" + good[:22],
                       good[:23] + b"\x00",
                       good + b"\n"])


def _version_neighbours(text):
    """Versions just around text: the same, just below, just above."""
    v = parse_version(text)
    major, minor, patch, pre = v
    triple = "%d.%d.%d" % (major, minor, patch)
    out = [text, triple, triple + "-0", triple + "-alpha", triple + "-rc.1",
           triple + "+build.5", "v" + triple, "%d.%d.%d" % (major, minor,
                                                            patch + 1)]
    if pre:
        out.append(triple + "-" + ".".join(p.decode() for p in pre) + ".1")
    if patch:
        out.append("%d.%d.%d" % (major, minor, patch - 1))
    if minor:
        out.append("%d.%d.999" % (major, minor - 1))
    if major:
        out.append("%d.999.999" % (major - 1))
    return out


def _device_os(rng, policy, product):
    r = rng.random()
    if r < 0.02:
        return rng.choice(INVALID_OS)
    if r < 0.45:
        return rng.choice(_version_neighbours(policy.legacy_below)).encode()
    if r < 0.6 and product is not None and product.min_device_os:
        return rng.choice(_version_neighbours(product.min_device_os)).encode()
    return rng.choice(TYPICAL_OS).encode()


def _product_ref(rng, policy, x, unknown):
    r = rng.random()
    if r < 0.45:
        return 0
    if r < 0.8:
        return x
    if r < 0.93 and policy.products:
        return rng.choice(list(policy.products))
    return unknown


def _sku_text(rng, prefix):
    suffix = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
                     for _ in range(rng.randint(0, 6)))
    s = prefix + suffix
    if rng.random() < 0.2:
        s = "".join(c.lower() if rng.random() < 0.5 else c for c in s)
    return s.encode()


def _unknown_sku(rng):
    return rng.choice([b"ACME-1", b"ZZZ9", b"Q", b"unknown-sku", b"9"])


def _model_for(rng, policy, family):
    """A (platform_id, sku) pair meant to fit family (may be contradicted by
    a random suffix, which is fine: the oracle decides)."""
    cands = []
    for p in policy.platforms.values():
        if p.eligible and p.family == family:
            cands += [(p.id, None), (p.id, _unknown_sku(rng))]
    for s in policy.skus.values():
        if s.family == family:
            cands += [(s.platform, _sku_text(rng, s.prefix)),
                      (PLATFORM_UNSPECIFIED, _sku_text(rng, s.prefix))]
            if policy.platforms[s.platform].family is None:
                # Its platform needs the SKU: without one, sku_required.
                cands += [(s.platform, None), (s.platform, _unknown_sku(rng))]
    return rng.choice(cands) if cands else None


def _any_model(rng, policy):
    r = rng.random()
    if r < 0.8:
        platform = rng.choice(list(policy.platforms))
    elif r < 0.9:
        platform = rng.choice(UNKNOWN_PLATFORM_IDS)
    else:
        platform = PLATFORM_UNSPECIFIED
    r = rng.random()
    if r < 0.4:
        sku = None
    elif r < 0.85:
        sku = _sku_text(rng, rng.choice(list(policy.skus)))
    elif r < 0.97:
        sku = _unknown_sku(rng)
    else:
        sku = rng.choice(INVALID_SKUS)
    return platform, sku


def _owner(rng, gp, product):
    policy = gp.policy
    r = rng.random()
    if r < 0.25:
        return None
    if r < 0.27:
        return rng.choice(INVALID_OWNERS)
    pools = [USERS]
    org = (policy.organizations.get(product.organization)
           if product is not None and product.organization else None)
    if org is not None:
        pools += [[m.user for m in org.members]] * 3
        pools += [[a.name for a in org.api_users]]
    if product is not None:
        pools += [[m.user for m in product.team]] * 2
        pools += [[m.user for p in policy.products.values()
                   for m in p.team]]
    pools += [[u for _, u, _ in gp.runtime_team]]
    if product is not None:
        pools += [[u for o, u, _ in gp.runtime_team
                   if o == product.organization]] * 3
    pool = rng.choice([p for p in pools if p])
    name = rng.choice(pool)
    if rng.random() < 0.05:
        name = rng.choice([name.upper(), name + " ", " " + name,
                           name.swapcase()])
    return name.encode()


def _firmware_version(rng, product):
    r = rng.random()
    if r < 0.3:
        return 0
    if r < 0.6 and product is not None and product.released_firmware:
        return product.released_firmware
    if r < 0.99:
        return rng.choice([1, 65535, rng.randint(1, 65535)])
    return rng.choice([65536, 4294967295])


def gen_device(rng, gp):
    policy = gp.policy
    unknown = rng.choice([u for u in (1, 2, 13999, 65536, 4294967295)
                          if u not in policy.products] or [0])
    if rng.random() < 0.9:
        x = rng.choice(list(policy.products))
    else:
        x = unknown
    product = policy.products.get(x)
    dev = Device()
    dev.id = _device_id(rng)
    model = (_model_for(rng, policy, product.family)
             if product is not None and rng.random() < 0.75 else None)
    dev.platform_id, dev.sku = model or _any_model(rng, policy)
    if dev.sku is not None and rng.random() < 0.01:
        dev.sku = rng.choice(INVALID_SKUS)
    dev.device_os = _device_os(rng, policy, product)
    dev.cloud_product_id = _product_ref(rng, policy, x, unknown)
    dev.firmware_product_id = _product_ref(rng, policy, x, unknown)
    dev.owner = _owner(rng, gp, product)
    lists = 0.4
    if product is not None and model is not None and rng.random() < 0.25:
        # A newcomer: a legacy device whose firmware claims X and that the
        # cloud lists nowhere, so rules 9-15 (and the owner) decide.
        below = [v for v in _version_neighbours(policy.legacy_below)
                 + TYPICAL_OS if compare_versions(
                     parse_version(v), parse_version(policy.legacy_below)) < 0]
        if below:
            dev.device_os = rng.choice(below).encode()
        dev.cloud_product_id, dev.firmware_product_id = 0, x
        lists = 0.1
    dev.denied_in = _product_ref(rng, policy, x, unknown) \
        if rng.random() < lists else 0
    dev.removed_from = _product_ref(rng, policy, x, unknown) \
        if rng.random() < lists else 0
    dev.quarantined_in = _product_ref(rng, policy, x, unknown) \
        if rng.random() < 0.4 else 0
    dev.development = rng.random() < 0.2
    dev.firmware_version = _firmware_version(rng, product)
    return dev


# ------------------------------------------------------- driver line format

def _escape(b):
    if b is None:
        return "\\N"
    out = []
    for byte in b:
        ch = chr(byte)
        if ch == "\\":
            out.append("\\\\")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif 0x20 <= byte < 0x7F:
            out.append(ch)
        else:
            out.append("\\x%02x" % byte)
    return "".join(out)


def device_line(dev):
    fields = ["D", _escape(dev.id), str(dev.platform_id), _escape(dev.sku),
              _escape(dev.device_os), str(dev.cloud_product_id),
              str(dev.firmware_product_id), _escape(dev.owner),
              str(dev.denied_in), str(dev.removed_from),
              str(dev.quarantined_in), "1" if dev.development else "0",
              str(dev.firmware_version)]
    return "\t".join(fields)


def team_line(org, user, role):
    return "\t".join(["T", _escape(org.encode()), _escape(user.encode()),
                      role])
