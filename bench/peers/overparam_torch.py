#!/usr/bin/python3
"""The peer of `engine width-sweep`: homework 2, problem 2 (c) then (d), written the ordinary PyTorch way.

Planted network y = U0 relu(V0^T x) with U0 ~ N(0, 1/r0), V0 ~ N(0, 1/D); fresh x ~ N(0, I) every step;
model U relu(V^T x) without biases, U ~ N(0, 1/r), V ~ N(0, 1/D); loss 1/2 ||y - f(x)||^2 averaged over the
mini-batch; torch.optim.SGD with StepLR halving eta every 50 epochs; an epoch is ceil(10000 / m) steps.
(c): r = 2 r0, eta in {1e-4, 1e-3, 1e-2, 1e-1}, 20 epochs. (d): the best eta of (c), r / r0 in {1, 2, 4, 8},
200 epochs. One CPU thread. A run whose loss is NaN/inf or above 1e6 times its first loss stops as diverged.

--epoch-fraction F runs only ceil(F * epochs) epochs of every run and reports the measured time together with
the time extrapolated to the full protocol (time per step does not change along a run); the best eta of (c)
is then taken from the shortened runs, or fixed with --lr.
"""
import argparse
import math
import time

import torch


def planted(d, r0, n, gen):
    u0 = torch.randn(n, r0, generator=gen) / math.sqrt(r0)
    v0 = torch.randn(d, r0, generator=gen) / math.sqrt(d)
    return u0, v0


def train(u0, v0, r, eta, m, epochs, epoch_size, gen):
    d, n = v0.shape[0], u0.shape[0]
    U = torch.nn.Parameter(torch.randn(n, r, generator=gen) / math.sqrt(r))
    V = torch.nn.Parameter(torch.randn(d, r, generator=gen) / math.sqrt(d))
    opt = torch.optim.SGD([U, V], lr=eta)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=50, gamma=0.5)
    steps = (epoch_size + m - 1) // m
    curve, first = [], None
    for epoch in range(epochs):
        total = 0.0
        for _ in range(steps):
            x = torch.randn(m, d, generator=gen)
            with torch.no_grad():
                y = torch.relu(x @ v0) @ u0.T
            yhat = torch.relu(x @ V) @ U.T
            loss = 0.5 * ((y - yhat) ** 2).sum(dim=1).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            value = loss.item()
            if first is None:
                first = value
            if not math.isfinite(value) or value > 1e6 * first:
                return curve, epoch + 1, steps * epoch + 1
            total += value
        curve.append(total / steps)
        sched.step()
    return curve, None, steps * epochs


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--dim", type=int, default=150)
    p.add_argument("--outputs", type=int, default=10)
    p.add_argument("--r0", type=int, default=60)
    p.add_argument("--batch", type=int, default=10)
    p.add_argument("--epoch-size", type=int, default=10000)
    p.add_argument("--sweep-lr", default="1e-4,1e-3,1e-2,1e-1")
    p.add_argument("--sweep-epochs", type=int, default=20)
    p.add_argument("--sweep-width", type=float, default=2)
    p.add_argument("--lr", type=float, default=None, help="eta for (d); default: the best of (c)")
    p.add_argument("--widths", default="1,2,4,8")
    p.add_argument("--epochs", type=int, default=200)
    p.add_argument("--epoch-fraction", type=float, default=1.0)
    p.add_argument("--seed", type=int, default=2019)
    p.add_argument("--threads", type=int, default=1)
    a = p.parse_args()
    if not 0 < a.epoch_fraction <= 1:
        p.error("--epoch-fraction must be in (0, 1]")
    torch.set_num_threads(a.threads)
    gen = torch.Generator().manual_seed(a.seed)
    u0, v0 = planted(a.dim, a.r0, a.outputs, gen)
    steps_per_epoch = (a.epoch_size + a.batch - 1) // a.batch

    def shortened(epochs):
        return max(1, math.ceil(a.epoch_fraction * epochs))

    start = time.perf_counter()
    measured_steps = full_steps = 0
    etas = [float(s) for s in a.sweep_lr.split(",")]
    r_sweep = round(a.sweep_width * a.r0)
    best = None
    for eta in etas:
        curve, diverged, steps = train(u0, v0, r_sweep, eta, a.batch, shortened(a.sweep_epochs), a.epoch_size, gen)
        measured_steps += steps
        full_steps += steps_per_epoch * a.sweep_epochs if diverged is None else steps
        outcome = f"diverged at epoch {diverged}" if diverged else f"final objective {curve[-1]:.4g}"
        print(f"(c) r = {r_sweep}, eta = {eta:g}: {outcome}", flush=True)
        if diverged is None and (best is None or curve[-1] < best[1]):
            best = (eta, curve[-1])
    c_time = time.perf_counter() - start
    eta = a.lr if a.lr is not None else (best[0] if best else None)
    if eta is None:
        raise SystemExit("every eta of (c) diverged; pass --lr")
    print(f"(c) best eta = {eta:g}; {c_time:.1f} s", flush=True)

    d_start = time.perf_counter()
    for k in [float(s) for s in a.widths.split(",")]:
        r = round(k * a.r0)
        curve, diverged, steps = train(u0, v0, r, eta, a.batch, shortened(a.epochs), a.epoch_size, gen)
        measured_steps += steps
        full_steps += steps_per_epoch * a.epochs if diverged is None else steps
        outcome = f"diverged at epoch {diverged}" if diverged else f"final objective {curve[-1]:.4g}"
        print(f"(d) r/r0 = {k:g} (r = {r}): {outcome}", flush=True)
    total = time.perf_counter() - start
    print(f"(d) {total - c_time:.1f} s", flush=True)
    print(f"samples trained: {measured_steps * a.batch}", flush=True)
    if a.epoch_fraction < 1:
        # Whole-protocol time if every run had its full length, at the measured average time per step.
        print(f"measured {total:.1f} s for {measured_steps} steps (epoch fraction {a.epoch_fraction:g}); "
              f"extrapolated full protocol: {total * full_steps / measured_steps:.1f} s", flush=True)
    print(f"TOTAL_SECONDS {total if a.epoch_fraction == 1 else total * full_steps / measured_steps:.3f}", flush=True)


if __name__ == "__main__":
    main()
