"""The admission side of make bench-peers through the Python binding: the
same 4 shapes as bench/ppbench --peers, 10,000 warm-up then 100,000 calls.
Prints "median min max" in ns per decision over 5 runs.
Usage: peer_python.py PEER_POLICY_FILE"""
import statistics
import sys
import time

from particlepolicy import Device, Policy

policy = Policy.from_file(sys.argv[1])
ID = "e00fce681a2b3c4d5e6f7081"
shapes = [
    (Device(id=ID, device_os="5.4.0", platform_id=23, cloud_product_id=1), True),
    (Device(id=ID, device_os="3.3.1", platform_id=23, firmware_product_id=1), False),
    (Device(id=ID, device_os="3.3.1", platform_id=23, firmware_product_id=2, owner="alice"), True),
    (Device(id=ID, device_os="3.3.1", platform_id=23, firmware_product_id=2, owner="mallory"),
     False),
]
runs = []
for _ in range(5):
    t0 = 0
    for i in range(110000):
        if i == 10000:
            t0 = time.perf_counter_ns()
        device, admitted = shapes[i % 4]
        if bool(policy.decide(device).privileges) != admitted:
            raise SystemExit("peer_python: unexpected decision")
    runs.append((time.perf_counter_ns() - t0) / 100000)
print(f"{statistics.median(runs):.1f} {min(runs):.1f} {max(runs):.1f}")
