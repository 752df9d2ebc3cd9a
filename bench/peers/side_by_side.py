#!/usr/bin/python3
"""The engine side by side with OpenBLAS (through numpy, and its cblas_sgemm called from C) and PyTorch on the CPU,
one thread each, pinned to CPU 0: the machine's FMA peak, GEMM, the normal sampler, homework 2's SGD step and the
bonus study's momentum and Adam steps, as Markdown tables with the machine, the load and the noise.

    bench/peers/side_by_side.py [--passes P] [--rounds R] [--out FILE]

Every peer is a separate process (bench's `Engine.Bench side-by-side`, gemm_openblas.c, numpy_gemm.py, torch_cpu.py)
that prints "RESULT PEER CASE NANOSECONDS" lines, thread CPU time per call; the processes run in turn, P passes of R
rounds each, and the tables give the median over all rounds (the interquartile range of the engine's rounds in the
noise column). Needs Debian's python3-numpy, libopenblas0-pthread, python3-torch and gcc. OPENBLAS_CORETYPE and
OPENBLAS_L2_SIZE are removed from the environment, so OpenBLAS picks its kernels for the CPU as it detects it.
"""
import argparse
import glob
import os
import re
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
PEERS = os.path.join(ROOT, "bench", "peers")
ENGINE = ["dotnet", os.path.join(ROOT, "bench", "bin", "Release", "net10.0", "Engine.Bench.dll"), "side-by-side"]
PIN = ["taskset", "-c", "0"]

# The five shapes (m x n x k, op(A) op(B)), then the trainer's five products at r = 60 and r = 480
# (batch 10, D = 150, 10 outputs); the two updates accumulate into U and V (beta = 1).
SHAPES = [("1024^3", "N", "N", 1024, 1024, 1024, 0), ("10x480x150", "N", "N", 10, 480, 150, 0),
          ("10x150x480", "N", "T", 10, 150, 480, 0), ("150x480x10", "T", "N", 150, 480, 10, 0),
          ("480x150x10", "T", "N", 480, 150, 10, 0)]
for r in (60, 480):
    SHAPES += [(f"Z=XV r{r}", "N", "N", 10, r, 150, 0), (f"Yhat=HU^T r{r}", "N", "T", 10, 10, r, 0),
               (f"dH=EU r{r}", "N", "N", 10, r, 10, 0), (f"U+=E^TH r{r}", "T", "N", 10, r, 10, 1),
               (f"V+=X^TdZ r{r}", "T", "N", 150, r, 10, 1)]
WIDTHS = (60, 120, 240, 480)
D, N_OUT, R0, M = 150, 10, 60, 10


def shape_args():
    return [f"{name.replace(' ', '_')}:{a}:{b}:{m}:{n}:{k}:{beta}" for name, a, b, m, n, k, beta in SHAPES]


def run(cmd, env):
    out = subprocess.run(PIN + cmd, env=env, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"side_by_side.py: {' '.join(cmd)} failed:\n{out.stderr}")
    return out.stdout


def collect(text, results, peer_name=None):
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[0] == "RESULT":
            results.setdefault((peer_name or parts[1], parts[2]), []).append(float(parts[3]))
        elif len(parts) == 4 and parts[0] == "shape" and parts[2] == "ns":
            results.setdefault(("openblas", parts[1]), []).append(float(parts[3]))


def machine():
    info = {}
    with open("/proc/cpuinfo") as f:
        for line in f:
            key, _, value = line.partition(":")
            key = key.strip()
            if key in ("model name", "cpu family", "model", "stepping", "flags") and key not in info:
                info[key] = value.strip()
    caches = []
    for index in sorted(glob.glob("/sys/devices/system/cpu/cpu0/cache/index*")):
        read = lambda name: open(os.path.join(index, name)).read().strip()
        caches.append(f"L{read('level')} {read('type').lower()} {read('size')}")
    flags = set(info.get("flags", "").split())
    isa = "AVX-512" if "avx512f" in flags else "AVX2" if "avx2" in flags else "SSE"
    return info, caches, isa


def slug(info):
    name = re.sub(r"[^a-z0-9]+", "-", info.get("model name", "cpu").lower()).strip("-")
    return f"{name}-family{info.get('cpu family', '0')}-model{info.get('model', '0')}"


def openblas(env, tmp):
    """The libopenblas numpy loads, its version and core as it reports them, and the C harness built against it."""
    probe = ("import numpy, threadpoolctl; a = numpy.ones((64, 64), numpy.float32); a @ a\n"
             "lib = [l.split()[-1] for l in open('/proc/self/maps') if 'openblas' in l and l.split()[-1].endswith('.so')]\n"
             "print(sorted(set(lib))[0] if lib else '')\n"
             "print(next((f\"{i['internal_api']} {i['version']} {i.get('architecture')}\" for i in threadpoolctl.threadpool_info()"
             " if i['internal_api'] == 'openblas'), 'no OpenBLAS in threadpool_info'))")
    out = subprocess.run(["/usr/bin/python3", "-c", probe], env=env, capture_output=True, text=True, check=True).stdout.splitlines()
    lib, described = out[0], out[1]
    if not lib:
        sys.exit("side_by_side.py: numpy does not load OpenBLAS (no libopenblas in its maps); install libopenblas0-pthread")
    exe = os.path.join(tmp, "gemm_openblas")
    subprocess.run(["gcc", "-O2", "-o", exe, os.path.join(PEERS, "gemm_openblas.c"), lib, f"-Wl,-rpath,{os.path.dirname(lib)}"], check=True)
    return lib, described, exe


def stats(values):
    q = statistics.quantiles(values, n=4) if len(values) >= 2 else [values[0]] * 3
    return statistics.median(values), min(values), q[0], q[2]


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--passes", type=int, default=3)
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--out", help="Markdown file to write (default bench/results/<cpu>-side-by-side.md)")
    p.add_argument("--slug", action="store_true", help="print the name this CPU's result files take, and exit")
    a = p.parse_args()
    if a.slug:
        print(slug(machine()[0]))
        return
    env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
    env.update(OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    # Call counting of the tiered JIT starts only after 1 s without new compilations on a single core; timing loops
    # are warmed up long enough either way, this only makes the final code arrive sooner.
    env["DOTNET_TC_CallCountingDelayMs"] = "0"
    info, caches, isa = machine()
    load_before = open("/proc/loadavg").read().split()[:3]
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        lib, described, blas = openblas(env, tmp)
        shapes = shape_args()
        r = str(a.rounds)
        for _ in range(a.passes):
            collect(run(ENGINE + ["peak", r], env), results)
            collect(run(ENGINE + ["gemm", r] + shapes, env), results)
            blas_out = run([blas, r] + shapes, env)
            core = next((l.split(None, 1)[1] for l in blas_out.splitlines() if l.startswith("core ")), "?")
            collect(blas_out, results)
            collect(run(["/usr/bin/python3", os.path.join(PEERS, "numpy_gemm.py"), r] + shapes, env), results)
            collect(run(["/usr/bin/python3", os.path.join(PEERS, "torch_cpu.py"), "gemm", r] + shapes, env), results)
            collect(run(ENGINE + ["sampler", r], env), results)
            collect(run(["/usr/bin/python3", os.path.join(PEERS, "torch_cpu.py"), "sampler", r], env), results)
            collect(run(ENGINE + ["step", r], env), results)
            collect(run(["/usr/bin/python3", os.path.join(PEERS, "torch_cpu.py"), "step", r], env), results)
    load_after = open("/proc/loadavg").read().split()[:3]
    torch_version = subprocess.run(["/usr/bin/python3", "-c", "import torch; print(torch.__version__)"], capture_output=True, text=True).stdout.strip()

    def ns(peer, case):
        values = results.get((peer, case))
        return stats(values) if values else None

    # The peak: the better of the zmm and ymm chains; the clock from the dependent integer chain.
    fma = {}
    for key, values in results.items():
        if key[0] == "engine" and key[1].startswith(("fma-", "clock-")):
            count = float(key[1].rsplit("-x", 1)[1])
            fma[key[1].rsplit("-x", 1)[0]] = count / statistics.median(values)  # operations per ns
    peak = max(fma["fma-zmm-f32"], fma["fma-ymm-f32"])  # GFLOP/s: 2 flops x lanes x chains x steps per ns
    peak64 = fma["fma-zmm-f64"]
    clock = fma["clock"]

    lines = [f"# Side by side on {info.get('model name')} (family {info.get('cpu family')}, model {info.get('model')}, stepping {info.get('stepping')})", ""]
    lines += [f"Generated by `bench/peers/side_by_side.py --passes {a.passes} --rounds {a.rounds}` (see bench/run-all.sh); do not edit by hand.",
              f"One thread each, pinned to CPU 0 (`taskset -c 0`), thread CPU time, median of {a.passes * a.rounds} rounds over {a.passes} passes "
              "that alternate the processes. "
              f"{isa}; caches of CPU 0: {', '.join(caches)}; {os.cpu_count()} logical CPUs. Load average (1, 5, 15 min) "
              f"{' '.join(load_before)} before and {' '.join(load_after)} after the run.", ""]
    lines += ["## FMA peak (one core)", "",
              "| what | measured |", "| --- | ---: |",
              f"| fp32 FMA peak (12 independent chains; best of zmm {fma['fma-zmm-f32']:.1f} and ymm {fma['fma-ymm-f32']:.1f}) | **{peak:.1f} GFLOP/s** |",
              f"| fp64 FMA peak (zmm) | {peak64:.1f} GFLOP/s |",
              f"| clock (dependent one-cycle integer operations) | {clock:.2f} GHz |",
              f"| fp32 flops per cycle | {peak / clock:.1f} |", ""]
    lines += [f"## SGEMM, one thread", "",
              f"OpenBLAS: `{lib}`, {described}, core `{core}` (as cblas_sgemm called from C, and through `numpy.matmul`, which has "
              f"no beta: the accumulating rows have no numpy column). PyTorch {torch_version}: `torch.mm` / `torch.addmm`.", "",
              "| shape (m x n x k) | engine GFLOP/s | % of peak | OpenBLAS (C) | OpenBLAS (numpy) | PyTorch | engine / best OpenBLAS | engine IQR of rounds |",
              "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    for name, opa, opb, m, n, k, beta in SHAPES:
        case = name.replace(" ", "_")
        flops = 2.0 * m * n * k
        e, c, npy, t = ns("engine", case), ns("openblas", case), ns("numpy", case), ns("torch", case)
        gf = lambda s: f"{flops / s[0]:.1f}" if s else "–"
        best = min(x[0] for x in (c, npy) if x)
        lines.append(f"| {name} {opa}{opb}{' b=1' if beta else ''} | {gf(e)} | {100 * flops / e[0] / peak:.0f} % | {gf(c)} | {gf(npy)} | {gf(t)} | "
                     f"{best / e[0]:.2f}x | {flops / e[3]:.1f}–{flops / e[2]:.1f} |")
    lines += ["", "## Normal sampler (float and double, one thread)", "",
              "| fill | engine M/s | PyTorch `normal_` M/s | engine / PyTorch |", "| --- | ---: | ---: | ---: |"]
    for case, label in (("normal-f32-n1500", "1,500 floats per call (the trainer's batch)"), ("normal-f32-n1000000", "1,000,000 floats per call"),
                        ("normal-f64-n1500", "1,500 doubles per call"), ("normal-f64-n1000000", "1,000,000 doubles per call")):
        n = float(case.rsplit("-n", 1)[1])
        e, t = ns("engine", case), ns("torch", case)
        lines.append(f"| {label} | {n * 1e3 / e[0]:.0f} | {n * 1e3 / t[0]:.0f} | {t[0] / e[0]:.1f}x |")
    sampler = 1500 / ns("engine", "normal-f32-n1500")[0]  # normals per ns, measured beside the steps
    labels = 2.0 * M * (D * R0 + R0 * N_OUT)
    lines += ["", "## HW2 SGD step, one thread", "",
              f"The limit of a step with a fresh batch: its FLOPs (`SgdStep.FlopsPerStep`: the five products) and the planted "
              f"labels' ({labels / 1e3:.0f} kFLOP: relu(X V0) U0^T) at the FMA peak above ({peak:.1f} GFLOP/s), plus 1,500 normals at the "
              f"sampler's rate measured in the same process ({sampler * 1e3:.0f} M/s, 1,500 per call); ReLU, the residual and "
              "the calls cost nothing in it.", "",
              "| width r | step (fixed batch) µs | step with fresh batch µs | limit µs | time / limit | PyTorch step with fresh batch µs | PyTorch / engine |",
              "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in WIDTHS:
        flops = 2.0 * M * (D * r + r * N_OUT) + 2.0 * M * (N_OUT * r + N_OUT * r + D * r)
        limit = (flops + labels) / peak + 1500 / sampler  # ns
        s, f, t = ns("engine", f"step-r{r}"), ns("engine", f"step-fresh-batch-r{r}"), ns("torch", f"step-fresh-batch-r{r}")
        lines.append(f"| {r} | {s[0] / 1e3:.2f} | {f[0] / 1e3:.2f} | {limit / 1e3:.2f} | {f[0] / limit:.2f} | {t[0] / 1e3:.1f} | {t[0] / f[0]:.1f}x |")
    b, tb = ns("engine", "fresh-batch"), ns("torch", "fresh-batch")
    lines += ["", f"A fresh batch alone (1,500 normals and the labels): engine {b[0] / 1e3:.2f} µs, PyTorch {tb[0] / 1e3:.1f} µs.", ""]
    lines += ["## HW2 bonus study's optimizer steps, one thread", "",
              "The same step on a fixed batch with the bonus study's heavy-ball momentum (mu = 0.9) and Adam (PyTorch's defaults), "
              "against `torch.optim.SGD(momentum=0.9)` and `torch.optim.Adam`. With 512-bit vectors the engine forms the gradient and "
              "applies the update to each block of it in the same pass (`ReluLayerBackward.RunMomentum`, `RunAdam`); without, it forms "
              "the gradients and then updates them in one elementwise pass.", "",
              "| width r | SGD µs | momentum µs | Adam µs | PyTorch SGD µs | PyTorch momentum µs | PyTorch Adam µs | PyTorch / engine: SGD, momentum, Adam |",
              "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in WIDTHS:
        e = [ns("engine", f"step{k}-r{r}")[0] for k in ("", "-momentum", "-adam")]
        t = [ns("torch", f"step{k}-r{r}")[0] for k in ("", "-momentum", "-adam")]
        lines.append(f"| {r} | " + " | ".join(f"{x / 1e3:.2f}" for x in e) + " | " + " | ".join(f"{x / 1e3:.1f}" for x in t) + " | "
                     + ", ".join(f"{tt / ee:.1f}x" for ee, tt in zip(e, t)) + " |")
    lines += [""]
    text = "\n".join(lines)
    out = a.out or os.path.join(ROOT, "bench", "results", f"{slug(info)}-side-by-side.md")
    with open(out, "w", encoding="utf-8") as f:
        f.write(text)
    print(text)
    print(f"(written to {os.path.relpath(out, ROOT)})")


if __name__ == "__main__":
    main()
