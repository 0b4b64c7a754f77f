"""The library's side of make bench-peers through the Python binding: the
same 4 shapes per workload as bench/ppbench --peers, 10,000 warm-up then
100,000 calls, 5 runs.  Prints "WORKLOAD median min max" (ns per decision)
for authorization and admission.  Usage: peer_python.py PEER_POLICY_FILE"""
import statistics
import sys
import time

from particlepolicy import Device, Policy

policy = Policy.from_file(sys.argv[1])
ID = "e00fce681a2b3c4d5e6f7081"
quarantined = Device(id=ID, device_os="5.4.0", platform_id=23, quarantined_in=1)
member = Device(id=ID, device_os="5.4.0", platform_id=23, cloud_product_id=1)
authorization = [("alice", quarantined, True), ("bob", quarantined, False),
                 ("alice", member, False), ("carol", quarantined, False)]
admission = [
    (Device(id=ID, device_os="5.4.0", platform_id=23, cloud_product_id=1), True),
    (Device(id=ID, device_os="3.3.1", platform_id=23, firmware_product_id=1), False),
    (Device(id=ID, device_os="3.3.1", platform_id=23, firmware_product_id=2, owner="alice"), True),
    (Device(id=ID, device_os="3.3.1", platform_id=23, firmware_product_id=2, owner="mallory"),
     False),
]


def authorize(i: int) -> bool:
    who, device, allowed = authorization[i % 4]
    return bool(policy.authorize(who, "approve_quarantined", 1, device)) == allowed


def admit(i: int) -> bool:
    device, admitted = admission[i % 4]
    return bool(policy.decide(device).privileges) == admitted


for name, call in (("authorization", authorize), ("admission", admit)):
    runs = []
    for _ in range(5):
        t0 = 0
        for i in range(110000):
            if i == 10000:
                t0 = time.perf_counter_ns()
            if not call(i):
                raise SystemExit(f"peer_python: unexpected answer in {name}")
        runs.append((time.perf_counter_ns() - t0) / 100000)
    print(f"{name} {statistics.median(runs):.1f} {min(runs):.1f} {max(runs):.1f}")
