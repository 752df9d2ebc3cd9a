#!/usr/bin/python3
"""The peer of `engine livni-bonus`: reruns settings of HW2 2(e) in PyTorch, from the engine's settings.csv, on
seeds of its own, and says whether Livni et al.'s pattern holds by the same criterion.

Reads every hyperparameter from settings.csv (one row per setting): optimizer (sgd; momentum = torch.optim.SGD with
momentum 0.9; adam = torch.optim.Adam defaults), parameterization (output scale 1, 1/sqrt(r) or 1/r; U initial std
init_scale/sqrt(r) or init_scale; V initial std init_scale/sqrt(D)), the step size of each width (eta_per_width: the
engine's rule already applied, tuned widths included), batch, epochs, epoch size, halving period (StepLR, gamma 0.5).
Planted network U0 ~ N(0, 1/r0), V0 ~ N(0, 1/D); fresh x ~ N(0, I) every step; loss 1/2 ||y - f(x)||^2 averaged
over the mini-batch; the epoch objective is the mean mini-batch loss of the epoch. A run whose loss is NaN/inf or
above 1e6 times its first loss stops as diverged. Every width of a seed sees the same planted network and the same
batches, as in the engine, so the comparison between widths is paired.

Criterion (the engine's, stated before the runs): no run diverges; for each pair of consecutive widths the 95 %
t-interval over seeds of log10(final of the wider) - log10(final of the narrower) lies below 0; every run reaches
its seed's r = r0 final objective, the mean epochs to reach it do not increase with width, and the 95 % t-interval of
(epochs of the widest) - (epochs of r = r0) lies below 0.

By default it reruns the settings whose livni_pattern is "yes"; --settings names others. Runs (setting, width) in
parallel processes, one torch thread each, all seeds of a width at once with batched products.
"""
import argparse
import csv
import math
import multiprocessing
import sys
import time

import torch


def t_central_probability(t, nu):
    """P(|T| <= t) for Student's t with whole nu degrees of freedom (closed-form series in atan(t / sqrt(nu)))."""
    theta = math.atan(abs(t) / math.sqrt(nu))
    s, c2 = math.sin(theta), math.cos(theta) ** 2
    if nu % 2 == 1:
        total, term = 0.0, math.cos(theta)
        for k in range(3, nu + 1, 2):
            total += term
            term *= c2 * (k - 1) / k
        return min(1.0, 2 / math.pi * (theta + s * total))
    total, term = 0.0, 1.0
    for k in range(2, nu + 1, 2):
        total += term
        term *= c2 * (k - 1) / k
    return min(1.0, s * total)


def t_quantile(coverage, nu):
    lo, hi = 0.0, 1.0
    while t_central_probability(hi, nu) < coverage:
        hi *= 2
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if t_central_probability(mid, nu) < coverage:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def interval(values, coverage=0.95):
    n = len(values)
    mean = sum(values) / n
    if n < 2:
        return mean, float("nan"), float("nan")
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1))
    half = t_quantile(coverage, n - 1) * sd / math.sqrt(n)
    return mean, mean - half, mean + half


def train(task):
    """One (setting, width), every seed at once: the seeds are stacked on a leading axis and trained with batched
    products, which is the same as training them one by one (the losses are summed over seeds, so each seed's
    gradient is its own, and SGD, momentum and Adam act elementwise). Every width of a seed sees the same planted
    network and the same batches. Returns the curve and divergence epoch of each seed."""
    row, w, seeds, dim, outputs, r0, base_seed = task
    torch.set_num_threads(1)
    gen = torch.Generator().manual_seed(base_seed)
    u0 = torch.randn(seeds, outputs, r0, generator=gen) / math.sqrt(r0)
    v0 = torch.randn(seeds, dim, r0, generator=gen) / math.sqrt(dim)
    r = [int(x) for x in row["r"].split(";")][w]
    eta = [float(e) for e in row["eta_per_width"].split(";")][w]
    m, epochs = int(row["batch"]), int(row["epochs"])
    steps = (int(row["epoch_size"]) + m - 1) // m
    scale = float(row["init_scale"])
    g_init = torch.Generator().manual_seed(base_seed * 1_000_003 + r)
    u_std = scale / math.sqrt(r) if row["u_init_std"] == "init_scale/sqrt(r)" else scale
    alpha = {"1": 1.0, "1/sqrt(r)": 1 / math.sqrt(r), "1/r": 1.0 / r}[row["output_scale"]]
    U = torch.nn.Parameter(torch.randn(seeds, outputs, r, generator=g_init) * u_std)
    V = torch.nn.Parameter(torch.randn(seeds, dim, r, generator=g_init) * (scale / math.sqrt(dim)))
    if row["optimizer"] == "sgd":
        opt = torch.optim.SGD([U, V], lr=eta)
    elif row["optimizer"] == "momentum":
        opt = torch.optim.SGD([U, V], lr=eta, momentum=0.9)
    elif row["optimizer"] == "adam":
        opt = torch.optim.Adam([U, V], lr=eta)
    else:
        raise SystemExit(f"unknown optimizer {row['optimizer']}")
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=int(row["halving_period"]), gamma=0.5)
    g_data = torch.Generator().manual_seed(base_seed * 7_919 + 1)
    u0t = u0.transpose(1, 2)
    curves = [[] for _ in range(seeds)]
    diverged = [None] * seeds
    first = None
    for epoch in range(epochs):
        totals = torch.zeros(seeds, dtype=torch.float64)
        for _ in range(steps):
            x = torch.randn(seeds, m, dim, generator=g_data)
            with torch.no_grad():
                y = torch.bmm(torch.relu(torch.bmm(x, v0)), u0t)
            yhat = alpha * torch.bmm(torch.relu(torch.bmm(x, V)), U.transpose(1, 2))
            losses = 0.5 * ((y - yhat) ** 2).sum(dim=2).mean(dim=1)
            opt.zero_grad()
            losses.sum().backward()
            opt.step()
            values = losses.detach().double()
            if first is None:
                first = values.clone()
            bad = ~torch.isfinite(values) | (values > 1e6 * first)
            for k in torch.nonzero(bad).flatten().tolist():
                if diverged[k] is None:
                    diverged[k] = epoch + 1
            totals += torch.where(bad, torch.zeros_like(values), values)
        for k in range(seeds):
            if diverged[k] is None:
                curves[k].append(float(totals[k]) / steps)
        if all(d is not None for d in diverged):
            break
        sched.step()
    return row["setting"], w, [(curves[k], diverged[k]) for k in range(seeds)]


def epochs_to(curve, level):
    for k, v in enumerate(curve):
        if v <= level:
            return k + 1
    return None


def verdict(name, widths, multiples, runs):
    """runs[seed] = [(curve, diverged) per width]. Prints the per-width summary and returns whether the pattern holds."""
    seeds = len(runs)
    print(f"== {name}: {seeds} seeds")
    diverged = sum(1 for seed in runs for _, d in seed if d)
    for w, k in enumerate(multiples):
        finals = [math.log10(seed[w][0][-1]) for seed in runs if not seed[w][1]]
        if finals:
            mean, lo, hi = interval(finals)
            print(f"  r/r0 = {k:g} (r = {widths[w]}): final objective {10**mean:.3g} [{10**lo:.3g}, {10**hi:.3g}] "
                  f"(geometric mean, 95% t-interval over {len(finals)} seeds)")
    if diverged:
        print(f"  {diverged} {'run' if diverged == 1 else 'runs'} diverged: the pattern does not hold")
        return False
    ordered = sum(1 for seed in runs if all(seed[w][0][-1] < seed[w - 1][0][-1] for w in range(1, len(widths))))
    print(f"  seeds whose final objective falls strictly with width: {ordered} of {seeds}")
    lower = True
    for w in range(1, len(widths)):
        _, _, hi = interval([math.log10(s[w][0][-1]) - math.log10(s[w - 1][0][-1]) for s in runs])
        if not hi < 0:
            lower = False
            print(f"  r/r0 = {multiples[w]:g} does not end significantly below r/r0 = {multiples[w - 1]:g}")
    faster = True
    reach = [[epochs_to(s[w][0], s[0][0][-1]) for s in runs] for w in range(len(widths))]
    if any(e is None for row in reach for e in row):
        faster = False
        print("  some run never reaches its seed's r = r0 final objective")
    else:
        means = [sum(row) / seeds for row in reach]
        print("  mean epochs to the r = r0 final objective: " + ", ".join(f"{m:.0f}" for m in means))
        if any(means[w] > means[w - 1] for w in range(1, len(means))):
            faster = False
        _, _, hi = interval([reach[-1][s] - reach[0][s] for s in range(seeds)])
        if not hi < 0:
            faster = False
    holds = lower and faster
    print(f"  lower when wider: {'yes' if lower else 'no'}; faster when wider: {'yes' if faster else 'no'}")
    print(f"PATTERN {name}: {'HOLDS' if holds else 'DOES NOT HOLD'}")
    return holds


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("settings_csv", help="settings.csv written by engine livni-bonus")
    p.add_argument("--settings", default=None, help="comma-separated setting names (default: those whose livni_pattern is yes)")
    p.add_argument("--seeds", type=int, default=3)
    p.add_argument("--seed", type=int, default=7, help="base seed of the PyTorch runs (independent of the engine's)")
    p.add_argument("--epochs", type=int, default=None, help="override the epochs of every setting")
    p.add_argument("--dim", type=int, default=150)
    p.add_argument("--outputs", type=int, default=10)
    p.add_argument("--r0", type=int, default=60)
    p.add_argument("--processes", type=int, default=multiprocessing.cpu_count())
    a = p.parse_args()
    with open(a.settings_csv, newline="") as f:
        rows = list(csv.DictReader(f))
    if a.settings:
        wanted = [s.strip() for s in a.settings.split(",") if s.strip()]
        missing = [w for w in wanted if w not in {r["setting"] for r in rows}]
        if missing:
            raise SystemExit(f"no setting named {missing} in {a.settings_csv}")
        rows = [r for r in rows if r["setting"] in wanted]
    else:
        rows = [r for r in rows if r["livni_pattern"] == "yes"]
    if not rows:
        print("settings.csv names no setting that reproduces the pattern; pass --settings to rerun others")
        return 0
    if a.epochs:
        for r in rows:
            r["epochs"] = str(a.epochs)
    print(f"PyTorch {torch.__version__}: {len(rows)} setting(s) x {a.seeds} seeds, {a.processes} processes", flush=True)
    # Widest first, so the longest task does not start last.
    tasks = [(r, w, a.seeds, a.dim, a.outputs, a.r0, a.seed) for r in rows for w in reversed(range(len(r["r"].split(";"))))]
    start = time.perf_counter()
    with multiprocessing.Pool(a.processes) as pool:
        results = pool.map(train, tasks, chunksize=1)
    print(f"trained in {time.perf_counter() - start:.0f} s", flush=True)
    for r in rows:
        widths = [int(x) for x in r["r"].split(";")]
        multiples = [float(x) for x in r["r_over_r0"].split(";")]
        per_width = {w: runs for name, w, runs in results if name == r["setting"]}
        runs = [[per_width[w][k] for w in range(len(widths))] for k in range(a.seeds)]
        verdict(r["setting"], widths, multiples, runs)
        print(f"  (engine: livni_pattern = {r['livni_pattern']}, lower_when_wider = {r['lower_when_wider']}, "
              f"faster_when_wider = {r['faster_when_wider']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
