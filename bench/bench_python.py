"""Python binding figures for make bench: Policy.decide per call and
Policy.decide_many per record, on the policies ppbench cached, printed as
rows of ppbench's Markdown table.  Usage: bench_python.py CACHE_DIR"""
import statistics
import sys
import time

from particlepolicy import Device, Limits, Policy

REPEAT = 5
CALLS = 20000
BATCH = 100000


def records(n: int, nproducts: int, norgs: int):
    """Distinct devices over the common paths: members (rule 7), unknown
    legacy devices (12), auto-approved team devices (14), strangers (15)."""
    out = []
    for r in range(n):
        i = r % nproducts
        pid = 1000 + i
        kind = r % 4
        if kind == 0:
            d = Device(id=f"{r:024x}", device_os="5.4.0", platform_id=[6, 8, 10, 12, 13, 23, 25,
                       26, 28, 35][i % 10], cloud_product_id=pid)
        else:
            i = (i | 1) if kind == 1 else (i & ~1)
            if i >= nproducts:
                i = nproducts - 2
            pid = 1000 + i
            owner = None if kind == 1 else ("m%d" % (i % norgs) if kind == 2 else "x%d" % r)
            d = Device(id=f"{r:024x}", device_os="3.3.1", platform_id=[6, 8, 10, 12, 13, 23, 25,
                       26, 28, 35][i % 10], firmware_product_id=pid, owner=owner)
        out.append(d)
    return out


def row(what, samples, unit, workload, target=""):
    s = sorted(samples)
    print(f"| {what} | {statistics.median(s):.4g} | {s[0]:.4g} | {s[-1]:.4g} | {unit} "
          f"| {workload} | {target} |", flush=True)


def verdict(value, limit):
    if value <= limit:
        return f"<= {limit:g}: met"
    return f"<= {limit:g}: missed by {(value / limit - 1) * 100:.0f}%"


def main() -> None:
    cache = sys.argv[1]
    limits = Limits(max_input_bytes=1 << 31, max_nodes=0xFFFFFFFF,
                    max_products=0xFFFFFFFF, max_members=0xFFFFFFFF)
    for label, name, nproducts, norgs in (("small", "small-policy.yaml", 5, 2),
                                          ("large", "large-policy.yaml", 10000, 1000)):
        policy = Policy.from_file(f"{cache}/{name}", limits=limits)
        devs = records(BATCH, nproducts, norgs)
        one, many = [], []
        for _ in range(REPEAT + 1):
            t0 = time.perf_counter_ns()
            for d in devs[:CALLS]:
                policy.decide(d)
            one.append((time.perf_counter_ns() - t0) / CALLS)
            t0 = time.perf_counter_ns()
            policy.decide_many(devs)
            many.append((time.perf_counter_ns() - t0) / BATCH)
        one, many = one[1:], many[1:]
        work = (f"{label} policy; Device dataclasses, rules 7/12/14/15 in turn; "
                f"Decision dataclass back")
        row(f"Python Policy.decide, {label}", [x / 1000 for x in one], "us/call",
            f"{CALLS} calls; {work}",
            verdict(statistics.median(one) / 1000, 5) if label == "large" else "")
        row(f"Python Policy.decide_many, {label}", [x / 1000 for x in many], "us/record",
            f"{BATCH} records in one call; {work}",
            verdict(statistics.median(many) / 1000, 1) if label == "large" else "")
        policy.close()


if __name__ == "__main__":
    main()
