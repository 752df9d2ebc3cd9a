/*
 * OpenBLAS's cblas_sgemm timed in a C loop, for bench/peers/gemm_compare.sh: no interpreter between the clock and
 * the library, so even the trainer's sub-microsecond products measure the library itself. The script links it
 * against the very libopenblas numpy loads. Arguments: ROUNDS, then shapes as NAME:OPA:OPB:M:N:K:BETA.
 * For every round and shape it prints "shape NAME ns NANOSECONDS", the thread CPU time per call of a batch of
 * calls sized to take about 20 ms.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { RowMajor = 101, NoTrans = 111, Trans = 112 };
void cblas_sgemm(int order, int transa, int transb, int m, int n, int k, float alpha, const float *a, int lda,
                 const float *b, int ldb, float beta, float *c, int ldc);
void openblas_set_num_threads(int n);
char *openblas_get_config(void);
char *openblas_get_corename(void);

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return t.tv_sec * 1e9 + t.tv_nsec;
}

typedef struct { char name[64]; int ta, tb, m, n, k; float beta; float *a, *b, *c; int lda, ldb, reps; } Shape;

static void run(Shape *s, int reps)
{
    float alpha = 1.0f; /* as the engine's trainer calls the accumulating products: its step size rides in E */
    for (int i = 0; i < reps; i++)
        cblas_sgemm(RowMajor, s->ta ? Trans : NoTrans, s->tb ? Trans : NoTrans, s->m, s->n, s->k, alpha,
                    s->a, s->lda, s->b, s->ldb, s->beta, s->c, s->n);
}

int main(int argc, char **argv)
{
    if (argc < 3) { fprintf(stderr, "usage: %s ROUNDS NAME:OPA:OPB:M:N:K:BETA...\n", argv[0]); return 2; }
    openblas_set_num_threads(1);
    printf("config %s\ncore %s\n", openblas_get_config(), openblas_get_corename());
    int rounds = atoi(argv[1]), count = argc - 2;
    Shape *shapes = calloc(count, sizeof(Shape));
    srand(2019);
    for (int i = 0; i < count; i++)
    {
        Shape *s = &shapes[i];
        char ta, tb;
        if (sscanf(argv[i + 2], "%63[^:]:%c:%c:%d:%d:%d:%f", s->name, &ta, &tb, &s->m, &s->n, &s->k, &s->beta) != 7)
        { fprintf(stderr, "bad shape %s\n", argv[i + 2]); return 2; }
        s->ta = ta == 'T'; s->tb = tb == 'T';
        s->lda = s->ta ? s->m : s->k;
        s->ldb = s->tb ? s->k : s->n;
        size_t na = (size_t)s->m * s->k, nb = (size_t)s->k * s->n, nc = (size_t)s->m * s->n;
        s->a = aligned_alloc(64, (na * 4 + 63) / 64 * 64);
        s->b = aligned_alloc(64, (nb * 4 + 63) / 64 * 64);
        s->c = aligned_alloc(64, (nc * 4 + 63) / 64 * 64);
        for (size_t j = 0; j < na; j++) s->a[j] = rand() / (float)RAND_MAX - 0.5f;
        for (size_t j = 0; j < nb; j++) s->b[j] = rand() / (float)RAND_MAX - 0.5f;
        for (size_t j = 0; j < nc; j++) s->c[j] = rand() / (float)RAND_MAX - 0.5f;
        /* Warm up, then size the batch to about 20 ms. */
        run(s, 3);
        double t0 = now();
        run(s, 3);
        double per = (now() - t0) / 3;
        s->reps = per > 2e7 ? 1 : (int)(2e7 / (per > 1 ? per : 1));
        run(s, s->reps / 4 + 1);
    }
    for (int r = 0; r < rounds; r++)
        for (int i = 0; i < count; i++)
        {
            Shape *s = &shapes[i];
            double t0 = now();
            run(s, s->reps);
            printf("shape %s ns %.1f\n", s->name, (now() - t0) / s->reps);
            fflush(stdout);
        }
    return 0;
}
