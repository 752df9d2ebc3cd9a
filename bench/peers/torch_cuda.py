#!/usr/bin/python3
"""PyTorch on a CUDA GPU, eager and as CUDA graphs: the GEMM shapes, the normal sampler and homework 2's SGD step of
bench/peers/side_by_side.py, for a machine with an NVIDIA GPU. It cannot run on the project's 2-core VM (no GPU): there
it prints one line saying so and exits 0.

    python3 bench/peers/torch_cuda.py [--iterations N] [--markdown FILE]

Needs PyTorch with CUDA (any version from 1.13; torch.cuda.graph appeared in 1.10). Times are GPU times from CUDA
events over N calls after a warm-up, per call:
  eager  one Python call per operation, as a training loop issues them (launch overhead included);
  graph  the same operations captured once in a CUDA graph of 100 calls (a whole step for the SGD step) and replayed,
         which removes the Python and launch overhead and leaves the GPU's own time.
The SGD step is the one of overparam_torch.py (D = 150, n = 10, r0 = 60, m = 10, fresh x ~ N(0, I) and planted labels
every step, SGD without momentum); its graph captures the batch draw, forward, backward and update in one replay.
The protocol column extrapolates HW2 (c)+(d) (880,000 steps, 4 x 20 epochs at r = 120 and 200 epochs at r = 60,
120, 240, 480) from the per-step times; it is not a run of the protocol.
"""
import argparse
import math
import sys

import torch

SHAPES = [("1024^3 NN", "N", "N", 1024, 1024, 1024), ("10x480x150 NN", "N", "N", 10, 480, 150),
          ("10x150x480 NT", "N", "T", 10, 150, 480), ("150x480x10 TN", "T", "N", 150, 480, 10),
          ("480x150x10 TN", "T", "N", 480, 150, 10)]
# Steps per width in HW2 (c)+(d): (c) 4 runs x 20 epochs at r = 120, (d) 200 epochs at each width; 1,000 steps an epoch.
PROTOCOL_STEPS = {60: 200_000, 120: 280_000, 240: 200_000, 480: 200_000}


def gpu_time(run, iterations):
    """Milliseconds of GPU time per call of run(), over `iterations` calls after a warm-up."""
    for _ in range(10):
        run()
    torch.cuda.synchronize()
    start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    start.record()
    for _ in range(iterations):
        run()
    end.record()
    torch.cuda.synchronize()
    return start.elapsed_time(end) / iterations


def captured(body, calls):
    """A CUDA graph of `calls` runs of body() (warmed up on a side stream first, as torch.cuda.graph requires)."""
    side = torch.cuda.Stream()
    side.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(side):
        for _ in range(3):
            body()
    torch.cuda.current_stream().wait_stream(side)
    graph = torch.cuda.CUDAGraph()
    with torch.cuda.graph(graph):
        for _ in range(calls):
            body()
    return graph


def gemm_rows(dev, iterations):
    rows = []
    for name, opa, opb, m, n, k in SHAPES:
        a = torch.randn((k, m) if opa == "T" else (m, k), device=dev)
        b = torch.randn((n, k) if opb == "T" else (k, n), device=dev)
        a = a.t() if opa == "T" else a
        b = b.t() if opb == "T" else b
        c = torch.empty(m, n, device=dev)
        body = lambda: torch.mm(a, b, out=c)
        eager = gpu_time(body, iterations)
        graph = captured(body, 100)
        replay = gpu_time(graph.replay, max(1, iterations // 100)) / 100
        flops = 2.0 * m * n * k
        rows.append((f"SGEMM {name}", eager * 1e3, flops / (eager * 1e6), replay * 1e3, flops / (replay * 1e6)))
    return rows


def sampler_rows(dev, iterations):
    rows = []
    for n in (1500, 1_000_000):
        x = torch.empty(n, device=dev)
        eager = gpu_time(x.normal_, iterations)
        graph = captured(x.normal_, 100)
        replay = gpu_time(graph.replay, max(1, iterations // 100)) / 100
        rows.append((f"normal_ float n = {n:,}", eager * 1e3, n / (eager * 1e3), replay * 1e3, n / (replay * 1e3)))
    return rows


def step_rows(dev, iterations):
    d, n_out, r0, m = 150, 10, 60, 10
    gen = torch.Generator(device=dev).manual_seed(2019)
    u0 = torch.randn(n_out, r0, device=dev, generator=gen) / math.sqrt(r0)
    v0 = torch.randn(d, r0, device=dev, generator=gen) / math.sqrt(d)
    rows = []
    for r in (60, 120, 240, 480):
        U = torch.nn.Parameter(torch.randn(n_out, r, device=dev, generator=gen) / math.sqrt(r))
        V = torch.nn.Parameter(torch.randn(d, r, device=dev, generator=gen) / math.sqrt(d))
        opt = torch.optim.SGD([U, V], lr=1e-4)

        def step():
            x = torch.randn(m, d, device=dev)
            with torch.no_grad():
                y = torch.relu(x @ v0) @ u0.T
            loss = 0.5 * ((y - torch.relu(x @ V) @ U.T) ** 2).sum(dim=1).mean()
            loss.backward()
            opt.step()
            return loss

        def eager_step():
            opt.zero_grad(set_to_none=True)
            return step()

        eager = gpu_time(eager_step, iterations)
        # Whole-step capture: the gradients are None when capture starts, so the captured backward writes them afresh
        # on every replay and no zero_grad is needed inside the graph.
        side = torch.cuda.Stream()
        side.wait_stream(torch.cuda.current_stream())
        with torch.cuda.stream(side):
            for _ in range(3):
                eager_step()
        torch.cuda.current_stream().wait_stream(side)
        opt.zero_grad(set_to_none=True)
        graph = torch.cuda.CUDAGraph()
        with torch.cuda.graph(graph):
            step()
        replay = gpu_time(graph.replay, iterations)
        steps = PROTOCOL_STEPS[r]
        rows.append((f"SGD step r = {r}", eager * 1e3, steps * eager / 1e3, replay * 1e3, steps * replay / 1e3))
    return rows


def table(title, header, rows):
    lines = [f"### {title}", "", "| " + " | ".join(header) + " |", "| --- |" + " ---: |" * (len(header) - 1)]
    lines += ["| " + " | ".join([rows_i[0]] + [f"{v:.3g}" for v in rows_i[1:]]) + " |" for rows_i in rows]
    return "\n".join(lines) + "\n"


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--iterations", type=int, default=2000)
    p.add_argument("--markdown", help="also write the tables to this file")
    a = p.parse_args()
    if not torch.cuda.is_available():
        print("torch_cuda.py: no CUDA device (torch.cuda.is_available() is False): skipped")
        return 0
    dev = torch.device("cuda")
    torch.backends.cuda.matmul.allow_tf32 = False  # fp32 products in fp32, as the engine computes them
    head = f"## PyTorch {torch.__version__} on {torch.cuda.get_device_name(dev)} (CUDA {torch.version.cuda})\n"
    out = head + "\n"
    out += table("GEMM (fp32, TF32 off)", ["shape", "eager µs", "eager GFLOP/s", "graph µs", "graph GFLOP/s"], gemm_rows(dev, a.iterations))
    out += "\n" + table("Normal sampler (float)", ["fill", "eager µs", "eager M/s", "graph µs", "graph M/s"], sampler_rows(dev, a.iterations))
    out += "\n" + table("HW2 SGD step with a fresh batch", ["width", "eager µs", "protocol eager s (extrapolated)", "graph µs", "protocol graph s (extrapolated)"], step_rows(dev, a.iterations))
    print(out)
    if a.markdown:
        with open(a.markdown, "w", encoding="utf-8") as f:
            f.write(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
