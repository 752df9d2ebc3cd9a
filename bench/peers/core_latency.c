/*
 * The one-way latency between two CPUs of this machine, for bench/peers/overparam_compare.sh: two threads, pinned one
 * to each CPU, pass a counter back and forth through one cache line, and the time per pass is printed in nanoseconds.
 *
 * On a virtual machine the host decides which physical cores the virtual CPUs run on, and may move them while a
 * benchmark runs. Two cores that share a last-level cache pass a line in a few tens of nanoseconds; cores on different
 * dies (an EPYC's core complexes) take several times as long, and so does every cache line one thread of a process
 * writes and the other reads. The protocol script measures this before and after each multi-threaded run, so that a
 * slow run can be told apart from slow code.
 *
 * Arguments: CPU_A CPU_B [PASSES] (default 0 1 200000). Prints "NANOSECONDS" (one pass, one way).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static _Alignas(64) atomic_long turn;
static _Alignas(64) atomic_int ready;
static long passes = 200000;
static int cpu_b = 1;

static int pin(int cpu)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return pthread_setaffinity_np(pthread_self(), sizeof set, &set);
}

/* Takes the odd passes: waits for the counter to reach i, then hands it on. */
static void *answer(void *unused)
{
    (void)unused;
    if (pin(cpu_b) != 0) { fprintf(stderr, "core_latency: cannot run on CPU %d\n", cpu_b); exit(2); }
    atomic_store_explicit(&ready, 1, memory_order_release);
    for (long i = 1; i < passes; i += 2) {
        while (atomic_load_explicit(&turn, memory_order_acquire) != i) {}
        atomic_store_explicit(&turn, i + 1, memory_order_release);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    int cpu_a = argc > 1 ? atoi(argv[1]) : 0;
    cpu_b = argc > 2 ? atoi(argv[2]) : 1;
    if (argc > 3) passes = atol(argv[3]);
    if (argc > 4 || passes < 2) { fprintf(stderr, "usage: core_latency [CPU_A CPU_B [PASSES >= 2]]\n"); return 2; }
    passes += passes & 1; /* an even count: the last pass hands the counter back to this thread */
    if (pin(cpu_a) != 0) { fprintf(stderr, "core_latency: cannot run on CPU %d\n", cpu_a); return 2; }
    pthread_t other;
    if (pthread_create(&other, NULL, answer, NULL) != 0) { fprintf(stderr, "core_latency: no second thread\n"); return 2; }
    while (!atomic_load_explicit(&ready, memory_order_acquire)) {}
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (long i = 0; i < passes; i += 2) {
        while (atomic_load_explicit(&turn, memory_order_acquire) != i) {}
        atomic_store_explicit(&turn, i + 1, memory_order_release);
    }
    while (atomic_load_explicit(&turn, memory_order_acquire) != passes) {}
    clock_gettime(CLOCK_MONOTONIC, &end);
    pthread_join(other, NULL);
    double ns = (end.tv_sec - start.tv_sec) * 1e9 + (end.tv_nsec - start.tv_nsec);
    printf("%.1f\n", ns / passes);
    return 0;
}
