#!/usr/bin/env python3
"""Replays in PyTorch the first steps of every run of the engine's HW2 experiments from the files they write.

    /usr/bin/python3 bench/peers/replay_sgd.py [RESULTS] [--float64]

RESULTS is the folder the engine wrote to (default: results). Its overparam/ holds, for lr-sweep and width-sweep, the
initial weights of each width (<sweep>-init-r<r>-U.csv, -V.csv), the mini-batches of the first steps (<sweep>-batches.csv)
and each run's mini-batch objective before each of those steps (<sweep>-first-steps.csv); its livni-bonus/replay/ holds
the same for every run of the bonus study, with each run's optimizer, parameterization and output scale in
first-steps.csv, and for the runs of its inner step-size sweeps (tuning-*.csv). Nothing here comes from the engine's code: the model is f(x) = alpha U relu(V^T x), the objective of a
mini-batch of m samples (1 / 2m) sum_i ||y_i - f(x_i)||^2, the gradients come from autograd and the steps from
torch.optim (SGD, SGD with momentum 0.9, Adam with its defaults). Prints, per run, the largest relative difference between
the engine's objectives and the replayed ones, and exits 1 if one exceeds the tolerance.
"""
import argparse
import csv
import os
import sys

import numpy as np
import torch


def read_matrix(path):
    return np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2)


def replay(u0, v0, eta, xs, ys, steps, dtype, alpha=1.0, optimizer="sgd"):
    u = torch.tensor(u0, dtype=dtype, requires_grad=True)
    v = torch.tensor(v0, dtype=dtype, requires_grad=True)
    # The engine keeps eta and alpha in single precision.
    lr = float(np.float32(eta))
    scale = torch.tensor(np.float32(alpha)).to(dtype)
    opt = {"sgd": lambda: torch.optim.SGD([u, v], lr=lr),
           "momentum": lambda: torch.optim.SGD([u, v], lr=lr, momentum=0.9),
           "adam": lambda: torch.optim.Adam([u, v], lr=lr)}[optimizer]()
    objectives = []
    for k in range(steps):
        x = torch.tensor(xs[k], dtype=dtype)
        y = torch.tensor(ys[k], dtype=dtype)
        loss = ((y - scale * (torch.relu(x @ v) @ u.T)) ** 2).sum() / (2 * x.shape[0])
        objectives.append(loss.item())
        opt.zero_grad()
        loss.backward()
        opt.step()
    return np.array(objectives)


def batches_of(path):
    batches = read_matrix(path)
    header = open(path).readline().strip().split(",")
    d = sum(1 for h in header if h.startswith("x"))
    step = batches[:, 0].astype(int)
    xs = [batches[step == s, 2:2 + d] for s in range(1, step.max() + 1)]
    ys = [batches[step == s, 2 + d:] for s in range(1, step.max() + 1)]
    return xs, ys


def compare(label, written, replayed):
    """The largest relative difference over the steps before a 1e6-fold rise (where a diverging run leaves any scale)."""
    written = np.array(written)
    finite = np.isfinite(replayed) & (np.abs(written) < 1e6 * written[0])
    rel = np.abs(replayed[finite] - written[finite]) / np.abs(written[finite])
    worst = rel.max() if rel.size else float("nan")
    print(f"{label}: {len(written)} steps, largest relative difference {worst:.2e}"
          + (f" ({left_out(len(written) - finite.sum())}, past a 1e6-fold rise, left out)" if not finite.all() else ""))
    return worst if rel.size else 0.0


def left_out(count):
    return "the last step" if count == 1 else f"the last {count} steps"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", nargs="?", default="results")
    parser.add_argument("--float64", action="store_true", help="replay in double precision (default: float32, as the engine)")
    parser.add_argument("--tolerance", type=float, default=1e-3, help="largest relative difference accepted (default 1e-3)")
    args = parser.parse_args()
    folder = os.path.join(args.results, "overparam")
    dtype = torch.float64 if args.float64 else torch.float32
    torch.set_num_threads(1)
    worst_all, found = 0.0, False
    for sweep in ("lr-sweep", "width-sweep"):
        steps_path = os.path.join(folder, f"{sweep}-first-steps.csv")
        if not os.path.exists(steps_path):
            continue
        found = True
        xs, ys = batches_of(os.path.join(folder, f"{sweep}-batches.csv"))
        runs = {}
        with open(steps_path) as f:
            for row in csv.DictReader(f):
                runs.setdefault((int(row["r"]), float(row["eta"])), []).append(float(row["batch_objective"]))
        for (r, eta), written in runs.items():
            u0 = read_matrix(os.path.join(folder, f"{sweep}-init-r{r}-U.csv"))
            v0 = read_matrix(os.path.join(folder, f"{sweep}-init-r{r}-V.csv"))
            replayed = replay(u0, v0, eta, xs, ys, len(written), dtype)
            worst_all = max(worst_all, compare(f"{sweep}: r = {r}, eta = {eta:g}", written, replayed))
    livni = os.path.join(args.results, "livni-bonus", "replay")
    # The study's runs (a seed each), then the inner step-size sweeps' (the tuning seed, whose files begin with "tuning").
    for steps_file, seeded in (("first-steps.csv", True), ("tuning-first-steps.csv", False)):
        if not os.path.exists(os.path.join(livni, steps_file)):
            continue
        found = True
        runs, batches = {}, {}
        with open(os.path.join(livni, steps_file)) as f:
            for row in csv.DictReader(f):
                source = f"seed{int(row['seed'])}" if seeded else "tuning"
                key = (row["setting"], source, int(row["r"]), row["optimizer"], row["parameterization"],
                       float(row["output_scale"]), row["init_scale"], int(row["batch"]), float(row["eta"]))
                runs.setdefault(key, []).append(float(row["batch_objective"]))
        for (setting, source, r, optimizer, parameterization, alpha, init_scale, m, eta), written in runs.items():
            if (source, m) not in batches:
                batches[(source, m)] = batches_of(os.path.join(livni, f"{source}-m{m}-batches.csv"))
            xs, ys = batches[(source, m)]
            stem = os.path.join(livni, f"{source}-init-{parameterization}-x{init_scale}-r{r}")
            replayed = replay(read_matrix(stem + "-U.csv"), read_matrix(stem + "-V.csv"), eta, xs, ys, len(written), dtype,
                              alpha, optimizer)
            label = f"{source}, r = {r}" + ("" if seeded else f", eta = {eta:g}")
            worst_all = max(worst_all, compare(f"livni-bonus {setting}: {label} ({optimizer}, {parameterization}, m = {m})",
                                               written, replayed))
    if not found:
        print(f"no <sweep>-first-steps.csv under {folder}: run `engine width-sweep` (or `engine all`) first", file=sys.stderr)
        return 2
    verdict = "within" if worst_all <= args.tolerance else "NOT within"
    print(f"Largest relative difference over every run: {worst_all:.2e}, {verdict} the tolerance {args.tolerance:g} "
          f"({'float64' if args.float64 else 'float32'} replay).")
    return 0 if worst_all <= args.tolerance else 1


if __name__ == "__main__":
    sys.exit(main())
