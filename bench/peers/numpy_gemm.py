#!/usr/bin/python3
"""OpenBLAS through numpy: `numpy.matmul` into a preallocated output, one thread, for bench/peers/side_by_side.py.

Usage: numpy_gemm.py ROUNDS NAME:OPA:OPB:M:N:K:BETA...  Prints "RESULT numpy NAME NANOSECONDS" per round and shape:
the thread CPU time per call of a batch sized to about 20 ms. Transposed operands are transposed views, which numpy
hands to BLAS as transposes without copying. Shapes with BETA other than 0 are skipped (matmul has no beta).
"""
import sys
import time

import numpy as np


def main():
    rounds = int(sys.argv[1])
    rng = np.random.default_rng(2019)
    cases = []
    for text in sys.argv[2:]:
        name, opa, opb, m, n, k, beta = text.split(":")
        m, n, k = int(m), int(n), int(k)
        if float(beta) != 0:
            continue
        a = rng.standard_normal((k, m) if opa == "T" else (m, k), dtype=np.float32)
        b = rng.standard_normal((n, k) if opb == "T" else (k, n), dtype=np.float32)
        a = a.T if opa == "T" else a
        b = b.T if opb == "T" else b
        c = np.empty((m, n), dtype=np.float32)
        cases.append((name, a, b, c))

    def batch(a, b, c, reps):
        t0 = time.thread_time_ns()
        for _ in range(reps):
            np.matmul(a, b, out=c)
        return (time.thread_time_ns() - t0) / reps

    reps = []
    for _, a, b, c in cases:
        batch(a, b, c, 3)
        reps.append(max(1, int(2e7 / max(1.0, batch(a, b, c, 3)))))
        batch(a, b, c, reps[-1])
    for _ in range(rounds):
        for (name, a, b, c), r in zip(cases, reps):
            print(f"RESULT numpy {name} {batch(a, b, c, r):.1f}", flush=True)


if __name__ == "__main__":
    main()
