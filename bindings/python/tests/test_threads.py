"""Many threads on one policy (the extension releases the GIL while the
library decides a large batch or runs a check, so those run in parallel)."""
from __future__ import annotations

import threading
import unittest

from particlepolicy import Action, Actor, ActorKind, Outcome, Policy, Reason, Team

from support import NEWCOMER, POLICY_YAML, fleet

THREADS = 8


def run_threads(target, n=THREADS):
    errors = []

    def guarded(i):
        try:
            target(i)
        except BaseException as exc:  # reported by the test, not lost in a thread
            errors.append(exc)

    threads = [threading.Thread(target=guarded, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


class TestThreads(unittest.TestCase):

    def setUp(self):
        self.policy = Policy.from_file(POLICY_YAML)
        self.records = fleet()
        self.expected = [self.policy.decide(r) for r in self.records]

    def tearDown(self):
        self.policy.close()

    def test_threads_deciding_on_one_policy_agree_with_one_thread(self):
        start = threading.Barrier(THREADS)
        counts = [0] * THREADS

        def work(i):
            start.wait()
            for round_ in range(100):
                if (i + round_) % 2:
                    got = self.policy.decide_many(self.records)
                else:
                    got = [self.policy.decide(r) for r in self.records]
                if got != self.expected:
                    raise AssertionError(f"thread {i} round {round_} differs")
                counts[i] += len(got)

        self.assertEqual(run_threads(work), [])
        self.assertEqual(sum(counts), THREADS * 100 * len(self.records))

    def test_threads_authorizing_and_auditing_at_once_agree_with_one_thread(self):
        # Every example-policy actor and action, with and without a member
        # device, plus an audit of the fleet: answers equal to one thread's.
        actors = [Actor(u) for u in ("dana@brightwater.example", "fay@brightwater.example",
                                     "hal@brightwater.example", "kim@contractor.example",
                                     "ivy@harborlabs.example")]
        actors.append(Actor("fleet-sync", ActorKind.API_USER))
        member = self.records[0]
        questions = [(a, act, 14001, dev) for a in actors for act in Action
                     for dev in (None, member)]
        expected = [self.policy.authorize(*q) for q in questions]
        allowed = sum(1 for a in expected if a)
        self.assertTrue(0 < allowed < len(expected))
        audit = self.policy.audit(devices=self.records)
        self.assertTrue(audit)
        start = threading.Barrier(THREADS)

        def work(i):
            start.wait()
            for round_ in range(20):
                if [self.policy.authorize(*q) for q in questions] != expected:
                    raise AssertionError(f"thread {i} round {round_}: authorize differs")
                if i % 2 and self.policy.audit(devices=self.records) != audit:
                    raise AssertionError(f"thread {i} round {round_}: audit differs")

        self.assertEqual(run_threads(work), [])

    def test_close_while_threads_decide_lets_them_finish_then_refuses(self):
        started = threading.Barrier(THREADS + 1)
        decided = [0] * THREADS

        def work(i):
            started.wait()
            while True:
                try:
                    got = self.policy.decide_many(self.records)
                except ValueError as exc:
                    if "closed" not in str(exc):
                        raise
                    return
                if got != self.expected:
                    raise AssertionError("wrong decision while closing")
                decided[i] += 1

        threads_done = []
        closer = threading.Thread(target=lambda: threads_done.append(run_threads(work)))
        closer.start()
        started.wait()
        while min(decided) == 0 and closer.is_alive():   # all inside their loop
            threading.Event().wait(0.001)
        self.policy.close()
        closer.join()
        self.assertEqual(threads_done, [[]])
        self.assertTrue(self.policy.closed)

    def test_adding_to_a_team_while_threads_decide_with_it_is_safe(self):
        users = [f"user{i}@partner.example" for i in range(200)]
        team = Team()
        stop = threading.Event()

        def decide(i):
            # Odd threads decide in batches, which read the set without the GIL.
            mine = [{**NEWCOMER, "owner": user} for user in users[i::THREADS]]
            while not stop.is_set():
                if i % 2:
                    got = self.policy.decide_many(mine * 20, team=team)
                else:
                    got = [self.policy.decide(r, team=team) for r in mine]
                for d in got:
                    if d.reason not in (Reason.OWNER_IS_TEAM_MEMBER,
                                        Reason.OWNER_NOT_TEAM_MEMBER):
                        raise AssertionError(d)

        def add():
            for user in users:
                team.add("brightwater", user, "developer")
            stop.set()

        errors = run_threads(lambda i: add() if i == 0 else decide(i), THREADS + 1)
        self.assertEqual(errors, [])
        self.assertEqual(len(team), len(users))
        for d in self.policy.decide_many([{**NEWCOMER, "owner": u} for u in users],
                                         team=team):
            self.assertEqual((d.outcome, d.reason),
                             (Outcome.AUTO_APPROVE, Reason.OWNER_IS_TEAM_MEMBER))
        team.close()


if __name__ == "__main__":
    unittest.main()
