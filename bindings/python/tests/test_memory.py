"""Memory stays flat: a million decisions, authorizations and audits by the
hundred thousand, and policies and team sets made and dropped by the
thousand (closed, or left to the garbage collector)."""
from __future__ import annotations

import gc
import os
import unittest

from particlepolicy import Action, Device, IntegrationRecord, Policy, SimRecord, Team

from support import MEMBER, NEWCOMER, POLICY_YAML, read_text

MIB = 1 << 20
# Growth allowed once warm: allocator noise, far below any real leak (16
# bytes per decision would be 15 MiB over a million; the policies left to
# the garbage collector below, more than 10 MiB).
BOUND = 4 * MIB


def rss() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def batch(n: int = 1000) -> list:
    """n distinct records: members, newcomers, invalid ones, as dicts and Devices."""
    out: list = []
    for i in range(n):
        ident = f"{i:024x}"
        if i % 3 == 0:
            out.append(Device.from_dict({**MEMBER, "id": ident, "firmware_version": 1 + i % 50}))
        elif i % 3 == 1:
            out.append({**NEWCOMER, "id": ident, "owner": f"user{i}@example.com",
                        "firmware_product_id": 14001 + i % 900})
        else:
            out.append({**MEMBER, "id": ident[1:]})          # invalid ID
    return out


@unittest.skipUnless(os.path.exists("/proc/self/statm"), "needs /proc to read RSS")
class TestMemory(unittest.TestCase):

    def test_a_million_decisions_do_not_grow_memory(self):
        records = batch()
        with Policy.from_file(POLICY_YAML) as policy, \
                Team([("brightwater", "user7@example.com", "developer")]) as team:
            for _ in range(20):                       # warm up caches and arenas
                policy.decide_many(records, team=team)
            gc.collect()
            before = rss()
            decided = 0
            for round_ in range(900):
                decided += len(policy.decide_many(records, team=team if round_ % 2 else None))
            for record in records * 100:
                policy.decide(record)
                decided += 1
            gc.collect()
            growth = rss() - before
        self.assertEqual(decided, 1_000_000)
        self.assertLess(growth, BOUND, f"RSS grew {growth / MIB:.1f} MiB")

    def test_policies_and_teams_made_and_dropped_do_not_grow_memory(self):
        text = read_text(POLICY_YAML)

        def churn(n: int) -> None:
            for i in range(n):
                policy = Policy.from_yaml(text)
                team = Team([("brightwater", f"u{j}@example.com", "support")
                             for j in range(20)])
                policy.decide(NEWCOMER, team=team)
                if i % 2:                       # half closed, half left to the GC
                    policy.close()
                    team.close()
                del policy, team

        churn(200)
        gc.collect()
        before = rss()
        churn(4000)
        gc.collect()
        growth = rss() - before
        self.assertLess(growth, BOUND, f"RSS grew {growth / MIB:.1f} MiB")

    def test_authorizations_and_audits_do_not_grow_memory(self):
        records = batch(300)
        integrations = [IntegrationRecord(14001, f"http://h{i}.example/", True) for i in range(50)]
        sims = [SimRecord(f"8901{i:015d}", i * 3, 100) for i in range(50)]
        actions = list(Action)
        with Policy.from_file(POLICY_YAML) as policy:

            def work(rounds: int) -> int:
                n = 0
                for round_ in range(rounds):
                    for i, record in enumerate(records):
                        policy.authorize("fay@brightwater.example", actions[i % len(actions)],
                                         14001, record)
                        n += 1
                    # More findings than the first array holds: two calls.
                    found = policy.audit(integrations=integrations, sims=sims,
                                         devices=records)
                    self.assertGreater(len(found), 64)
                return n

            work(20)
            gc.collect()
            before = rss()
            authorized = work(300)
            gc.collect()
            growth = rss() - before
        self.assertEqual(authorized, 90_000)
        self.assertLess(growth, BOUND, f"RSS grew {growth / MIB:.1f} MiB")


if __name__ == "__main__":
    unittest.main()
