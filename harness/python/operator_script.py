#!/usr/bin/env python3
"""What an operator would write instead of the control plane: rotate the API password of every router with the
popular librouteros client (pip install librouteros), 64 threads, router steps only: log in with the old password,
set a new one, log in with the new one. No database, no sealing, no audit, no verification bookkeeping, no session
clean-up. The bench (tools/bench.sh) runs it against the same simulated fleet as the service, as its own user
(bench-script), so it never touches the product's credentials.

Reads ROUTERS (lines "host port"), rotates ROTATIONS times round-robin over them with THREADS threads (a router is
never rotated by two threads at once), prints one JSON line: ok, failed, wall_ms, per_s, cpu_ms (this process's CPU while
rotating).
"""
import argparse
import json
import os
import secrets
import sys
import threading
import time

from librouteros import connect


def rotate(host, port, user, old):
    new = secrets.token_urlsafe(24)
    api = connect(host=host, username=user, password=old, port=port, timeout=10)
    try:
        api.path("user").update(numbers=user, password=new)
    finally:
        api.close()
    check = connect(host=host, username=user, password=new, port=port, timeout=10)
    check.close()
    return new


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("routers")
    p.add_argument("--user", default="bench-script")
    p.add_argument("--password", default="script-0")
    p.add_argument("--threads", type=int, default=64)
    p.add_argument("--rotations", type=int, default=5000)
    p.add_argument("--state", help="JSON file of the routers' current passwords, read if present and written back")
    a = p.parse_args()
    with open(a.routers) as f:
        routers = [(h, int(port)) for h, port in (line.split() for line in f if line.strip())]
    if len(routers) < a.threads:
        sys.exit("need at least as many routers as threads")
    passwords = [a.password] * len(routers)
    if a.state and os.path.exists(a.state):
        with open(a.state) as f:
            passwords = json.load(f)
    counts = {"ok": 0, "failed": 0}
    lock = threading.Lock()
    per_thread = [a.rotations // a.threads + (1 if t < a.rotations % a.threads else 0) for t in range(a.threads)]

    def work(t):
        ok = failed = 0
        mine = list(range(t, len(routers), a.threads))  # disjoint per thread
        for i in range(per_thread[t]):
            r = mine[i % len(mine)]
            host, port = routers[r]
            try:
                passwords[r] = rotate(host, port, a.user, passwords[r])
                ok += 1
            except Exception as e:  # an operator's script counts and goes on
                failed += 1
                if failed <= 3:
                    print(f"{host}:{port}: {type(e).__name__}: {e}", file=sys.stderr)
        with lock:
            counts["ok"] += ok
            counts["failed"] += failed

    threads = [threading.Thread(target=work, args=(t,)) for t in range(a.threads)]
    t0 = time.monotonic()
    cpu0 = time.process_time()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    wall = time.monotonic() - t0
    cpu = time.process_time() - cpu0
    if a.state:
        with open(a.state, "w") as f:
            json.dump(passwords, f)
    print(json.dumps({"ok": counts["ok"], "failed": counts["failed"], "wall_ms": round(wall * 1000),
                      "per_s": round(counts["ok"] / wall, 1) if wall > 0 else 0.0,
                      "cpu_ms": round(cpu * 1000)}))


if __name__ == "__main__":
    main()
