"""Team sets built at run time."""
from __future__ import annotations

import gc
import unittest
import weakref

from particlepolicy import ErrorCode, ParticlePolicyError, Policy, Reason, Role, Team

from support import NEWCOMER, POLICY_YAML


class TestTeam(unittest.TestCase):

    def test_add_counts_members_and_updates_a_role_in_place(self):
        with Team() as team:
            self.assertEqual(len(team), 0)
            team.add("acme", "alice@acme.io", Role.DEVELOPER)
            team.add("acme", "bob@acme.io", "support")
            team.add("other", "alice@acme.io", "owner")
            self.assertEqual(len(team), 3)
            team.add("acme", "alice@acme.io", Role.OWNER)   # same pair: role changes
            self.assertEqual(len(team), 3)
            self.assertEqual(repr(team), "<Team 3 members>")

    def test_constructor_takes_members(self):
        with Team([("acme", "a@x", "owner"), ("acme", "b@x", Role.VIEW_ONLY)]) as team:
            self.assertEqual(len(team), 2)

    def test_unknown_role_name_raises_value_error(self):
        with Team() as team, self.assertRaisesRegex(ValueError, "unknown role 'admin'"):
            team.add("acme", "alice@acme.io", "admin")

    def test_invalid_names_raise_with_the_library_code(self):
        with Team() as team:
            for org, user in (("", "alice"), ("acme", ""), ("acme", "a\nb")):
                with self.subTest(org=org, user=user):
                    with self.assertRaises(ParticlePolicyError) as caught:
                        team.add(org, user, Role.OWNER)
                    self.assertIs(caught.exception.code, ErrorCode.INVALID_ARGUMENT)
            with self.assertRaises(TypeError):
                team.add("acme", b"alice", Role.OWNER)  # type: ignore[arg-type]
            self.assertEqual(len(team), 0)

    def test_every_role_counts_as_team_membership(self):
        owner = {**NEWCOMER, "owner": "zoe@partner.example"}
        with Policy.from_file(POLICY_YAML) as policy:
            for role in Role:
                with self.subTest(role=role), Team() as team:
                    team.add("brightwater", "zoe@partner.example", role)
                    self.assertIs(policy.decide(owner, team=team).reason,
                                  Reason.OWNER_IS_TEAM_MEMBER)

    def test_closed_team_refuses_use(self):
        team = Team()
        team.close()
        team.close()
        self.assertTrue(team.closed)
        self.assertEqual(repr(team), "<Team closed>")
        with self.assertRaisesRegex(ValueError, "team set is closed"):
            team.add("acme", "a@x", "owner")
        with self.assertRaisesRegex(ValueError, "team set is closed"):
            len(team)
        with Policy.from_file(POLICY_YAML) as policy, \
                self.assertRaisesRegex(ValueError, "team set is closed"):
            policy.decide(NEWCOMER, team=team)

    def test_garbage_collector_frees_an_unclosed_team(self):
        team = Team([("acme", "a@x", "owner")])
        handle = weakref.ref(team._handle)     # its deallocation frees the C set
        ref = weakref.ref(team)
        del team
        gc.collect()
        self.assertIsNone(ref())
        self.assertIsNone(handle())

if __name__ == "__main__":
    unittest.main()
