#!/usr/bin/python3
"""PyTorch on the CPU, one thread, for bench/peers/side_by_side.py: the same suites as the engine's
`Engine.Bench side-by-side`.

Usage: torch_cpu.py gemm|sampler|step ROUNDS [NAME:OPA:OPB:M:N:K:BETA...]
Prints "RESULT torch CASE NANOSECONDS" per round and case: the thread CPU time per call of a batch sized to about 20 ms.
gemm: torch.addmm (beta and alpha as the engine's harness: alpha = 1, as the trainer calls it), transposes as views.
sampler: Tensor.normal_ on a preallocated tensor of 1,500 and 1,000,000 floats (and doubles).
step: homework 2's SGD step (D = 150, n = 10, r0 = 60, m = 10) per width r, written the ordinary PyTorch way as in
overparam_torch.py: the step on a fixed batch, and with a fresh batch (x ~ N(0, I), labels from the planted network);
and the bonus study's momentum and Adam steps (torch.optim.SGD(momentum=0.9), torch.optim.Adam) on the fixed batch.
"""
import math
import sys
import time

import torch


def gemm_cases(shapes):
    gen = torch.Generator().manual_seed(2019)
    cases = []
    for text in shapes:
        name, opa, opb, m, n, k, beta = text.split(":")
        m, n, k, beta = int(m), int(n), int(k), float(beta)
        a = torch.randn((k, m) if opa == "T" else (m, k), generator=gen)
        b = torch.randn((n, k) if opb == "T" else (k, n), generator=gen)
        a = a.t() if opa == "T" else a
        b = b.t() if opb == "T" else b
        c = torch.randn(m, n, generator=gen)
        alpha = 1.0
        if beta == 0:
            cases.append((name, lambda a=a, b=b, c=c: torch.mm(a, b, out=c)))
        else:
            cases.append((name, lambda a=a, b=b, c=c, beta=beta, alpha=alpha: torch.addmm(c, a, b, beta=beta, alpha=alpha, out=c)))
    return cases


def sampler_cases():
    f1, f2 = torch.empty(1500), torch.empty(1_000_000)
    d1, d2 = torch.empty(1500, dtype=torch.float64), torch.empty(1_000_000, dtype=torch.float64)
    return [("normal-f32-n1500", f1.normal_), ("normal-f32-n1000000", f2.normal_),
            ("normal-f64-n1500", d1.normal_), ("normal-f64-n1000000", d2.normal_)]


def step_cases():
    d, n, r0, m = 150, 10, 60, 10
    gen = torch.Generator().manual_seed(2019)
    gen_optim = torch.Generator().manual_seed(2020)
    u0 = torch.randn(n, r0, generator=gen) / math.sqrt(r0)
    v0 = torch.randn(d, r0, generator=gen) / math.sqrt(d)
    cases = []
    for r in (60, 120, 240, 480):
        U = torch.nn.Parameter(torch.randn(n, r, generator=gen) / math.sqrt(r))
        V = torch.nn.Parameter(torch.randn(d, r, generator=gen) / math.sqrt(d))
        opt = torch.optim.SGD([U, V], lr=1e-4)
        x_fixed = torch.randn(m, d, generator=gen)
        with torch.no_grad():
            y_fixed = torch.relu(x_fixed @ v0) @ u0.T

        def step(x, y, U=U, V=V, opt=opt):
            yhat = torch.relu(x @ V) @ U.T
            loss = 0.5 * ((y - yhat) ** 2).sum(dim=1).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            return loss.item()

        def fresh(step=step):
            x = torch.randn(m, d, generator=gen)
            with torch.no_grad():
                y = torch.relu(x @ v0) @ u0.T
            return step(x, y)

        cases.append((f"step-r{r}", lambda step=step: step(x_fixed, y_fixed)))
        cases.append((f"step-fresh-batch-r{r}", fresh))

        # The bonus study's momentum (mu = 0.9) and Adam (PyTorch's defaults) on the same fixed batch; their weights come
        # from a generator of their own, so the SGD cases draw what they drew before these were added.
        for kind, make in (("momentum", lambda ps: torch.optim.SGD(ps, lr=1e-4, momentum=0.9)),
                           ("adam", lambda ps: torch.optim.Adam(ps, lr=1e-4))):
            Uk = torch.nn.Parameter(torch.randn(n, r, generator=gen_optim) / math.sqrt(r))
            Vk = torch.nn.Parameter(torch.randn(d, r, generator=gen_optim) / math.sqrt(d))
            cases.append((f"step-{kind}-r{r}", lambda step=step, Uk=Uk, Vk=Vk, opt=make([Uk, Vk]): step(x_fixed, y_fixed, Uk, Vk, opt)))

    def batch_only():
        x = torch.randn(m, d, generator=gen)
        with torch.no_grad():
            return torch.relu(x @ v0) @ u0.T

    cases.append(("fresh-batch", batch_only))
    xs = torch.empty(m, d)
    cases.append(("normal-f32-n1500", lambda: xs.normal_(generator=gen)))
    return cases


def main():
    suite, rounds = sys.argv[1], int(sys.argv[2])
    torch.set_num_threads(1)
    cases = {"gemm": lambda: gemm_cases(sys.argv[3:]), "sampler": sampler_cases, "step": step_cases}[suite]()

    def batch(run, reps):
        t0 = time.thread_time_ns()
        for _ in range(reps):
            run()
        return (time.thread_time_ns() - t0) / reps

    reps = []
    for _, run in cases:
        batch(run, 3)
        reps.append(max(1, int(2e7 / max(1.0, batch(run, 3)))))
        batch(run, reps[-1])
    for _ in range(rounds):
        for (name, run), r in zip(cases, reps):
            print(f"RESULT torch {name} {batch(run, r):.1f}", flush=True)


if __name__ == "__main__":
    main()
