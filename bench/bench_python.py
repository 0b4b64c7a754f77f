"""Python binding figures for make bench: Policy.decide per call and
Policy.decide_many per record, on the policies ppbench cached, printed as
rows of ppbench's Markdown table.  Usage: bench_python.py CACHE_DIR

bench_python.py --count decide|decide_many N CACHE_DIR makes N calls (or
decides N records in one call) on the small policy and prints nothing:
bench/python-cost.sh runs it under callgrind with N = 0 and N = 20,000 and
prints the instructions per call and per record, the figure that does not
depend on the machine's load.

A call's cost is the calling thread's CPU time (what the call costs, not
what the machine's other processes take from it while it runs: the
development machine is shared); the wall-clock median is printed beside
it, and the two-thread row is wall time, since parallelism is its point."""
import statistics
import sys
import threading
import time

from particlepolicy import Device, Limits, Policy

REPEAT = 5
CALLS = 20000
BATCH = 100000
THREADS = 2
PLATFORMS = [6, 8, 10, 12, 13, 23, 25, 26, 28, 35]


def records(n: int, nproducts: int, norgs: int):
    """Distinct devices over the common paths: members (rule 7), unknown
    legacy devices (12), auto-approved team devices (14), strangers (15)."""
    out = []
    for r in range(n):
        i = r % nproducts
        pid = 1000 + i
        kind = r % 4
        if kind == 0:
            d = Device(id=f"{r:024x}", device_os="5.4.0", platform_id=PLATFORMS[i % 10],
                       cloud_product_id=pid)
        else:
            i = (i | 1) if kind == 1 else (i & ~1)
            if i >= nproducts:
                i = nproducts - 2
            pid = 1000 + i
            owner = None if kind == 1 else ("m%d" % (i % norgs) if kind == 2 else "x%d" % r)
            d = Device(id=f"{r:024x}", device_os="3.3.1", platform_id=PLATFORMS[i % 10],
                       firmware_product_id=pid, owner=owner)
        out.append(d)
    return out


def as_dict(device: Device) -> dict:
    """The record as a JSON object would give it: only the keys it sets."""
    return {k: v for k, v in ((f, getattr(device, f)) for f in Device.__dataclass_fields__)
            if v is not None and v != 0}


def row(what, samples, unit, workload, target=""):
    s = sorted(samples)
    print(f"| {what} | {statistics.median(s):.4g} | {s[0]:.4g} | {s[-1]:.4g} | {unit} "
          f"| {workload} | {target} |", flush=True)


def verdict(value, limit):
    if value <= limit:
        return f"<= {limit:g}: met"
    return f"<= {limit:g}: missed by {(value / limit - 1) * 100:.0f}%"


def timed(work) -> tuple:
    """(thread CPU, wall) nanoseconds of one call of work."""
    c0, t0 = time.thread_time_ns(), time.perf_counter_ns()
    work()
    return time.thread_time_ns() - c0, time.perf_counter_ns() - t0


def one_by_one(policy: Policy, devs: list) -> None:
    for d in devs:
        policy.decide(d)


def in_threads(policy: Policy, devs: list) -> float:
    """Wall time of THREADS threads deciding a share of devs each, at once."""
    share = len(devs) // THREADS
    start = threading.Barrier(THREADS + 1)

    def work(i):
        start.wait()
        policy.decide_many(devs[i * share:(i + 1) * share])

    threads = [threading.Thread(target=work, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    t0 = time.perf_counter_ns()
    start.wait()
    for t in threads:
        t.join()
    return time.perf_counter_ns() - t0


def count(mode: str, n: int, cache: str) -> None:
    """The calls bench/python-cost.sh counts: the same records and warm-up
    whatever n, so that the difference of two runs is the calls alone."""
    policy = Policy.from_file(f"{cache}/small-policy.yaml")
    devs = records(CALLS, 5, 2)
    policy.decide_many(devs[:1000])     # the decision cache holds every answer
    if mode == "decide":
        one_by_one(policy, devs[:n])
    elif n > 0:
        policy.decide_many(devs[:n])
    policy.close()


def main() -> None:
    if sys.argv[1] == "--count":
        count(sys.argv[2], int(sys.argv[3]), sys.argv[4])
        return
    cache = sys.argv[1]
    limits = Limits(max_input_bytes=1 << 31, max_nodes=0xFFFFFFFF,
                    max_products=0xFFFFFFFF, max_members=0xFFFFFFFF)
    for label, name, nproducts, norgs in (("small", "small-policy.yaml", 5, 2),
                                          ("large", "large-policy.yaml", 10000, 1000)):
        policy = Policy.from_file(f"{cache}/{name}", limits=limits)
        devs = records(BATCH, nproducts, norgs)
        dicts = [as_dict(d) for d in devs]
        one, many, many_dicts, threaded = [], [], [], []
        for _ in range(REPEAT + 1):          # the first round warms up
            one.append([x / CALLS for x in timed(lambda: one_by_one(policy, devs[:CALLS]))])
            many.append([x / BATCH for x in timed(lambda: policy.decide_many(devs))])
            if label == "large":
                many_dicts.append([x / BATCH for x in timed(lambda: policy.decide_many(dicts))])
                threaded.append(in_threads(policy, devs) / BATCH)
        one, many, many_dicts, threaded = one[1:], many[1:], many_dicts[1:], threaded[1:]
        work = (f"{label} policy; Device dataclasses, rules 7/12/14/15 in turn; "
                f"Decision dataclass back")

        def cpu(samples):
            return [c / 1000 for c, _ in samples]

        def wall(samples):
            return f"; wall-clock median {statistics.median(w for _, w in samples) / 1000:.3g} us"

        target_one = verdict(statistics.median(cpu(one)), 1.5) if label == "large" else ""
        target_many = verdict(statistics.median(cpu(many)), 0.5) if label == "large" else ""
        row(f"Python Policy.decide, {label}", cpu(one), "us/call",
            f"{CALLS} calls; {work}{wall(one)}", target_one)
        row(f"Python Policy.decide_many, {label}", cpu(many), "us/record",
            f"{BATCH} records in one call; {work}{wall(many)}", target_many)
        if label == "large":
            row("Python Policy.decide_many, large, dict records", cpu(many_dicts), "us/record",
                f"the same {BATCH} records as dicts with the keys they set (as from JSON)"
                f"{wall(many_dicts)}")
            row(f"Python Policy.decide_many, large, {THREADS} threads",
                [x / 1000 for x in threaded], "us/record",
                f"the same {BATCH} records split across {THREADS} threads; wall time / "
                "records (the GIL is released while the library decides)")
        policy.close()


if __name__ == "__main__":
    main()
