/* SPDX-License-Identifier: MIT
 * gen_jtl.c - writes a realistic JMeter 5.x CSV results file (default
 * 17-column header) for benchmarks: N labels with their own response time
 * distributions, a ramp of threads, ~2 % errors (500s, 429s and a quoted
 * "Non HTTP" failure with commas), rows in completion order, real URLs.
 * About 139 bytes a row: 10 M rows are ~1.39 GB.
 *
 * Usage: gen_jtl [--rows N] [--labels N] [--quote-all] [--seed S] > out.csv
 *   --quote-all quotes every string field (a writer that always quotes;
 *   the fast path must not fall back to libcsv for these). */
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint64_t rng(void)
{
    /* xorshift64*: fast, reproducible, good enough for test data */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717ull;
}

static double unif(void)
{
    return (double)(rng() >> 11) / 9007199254740992.0;
}

static double normal(void)
{
    double u = unif(), v = unif();
    if (u < 1e-300)
        u = 1e-300;
    return sqrt(-2.0 * log(u)) * cos(6.283185307179586 * v);
}

static void put_field(FILE *fp, const char *s, int quote_all)
{
    int need = quote_all || strpbrk(s, ",\"\r\n") != NULL;
    if (!need) {
        fputs(s, fp);
        return;
    }
    putc('"', fp);
    for (; *s; s++) {
        if (*s == '"')
            putc('"', fp);
        putc(*s, fp);
    }
    putc('"', fp);
}

int main(int argc, char **argv)
{
    static const char *verbs[] = {"GET", "POST", "PUT", "DELETE"};
    static const char *paths[] = {
        "/api/v1/items",       "/api/v1/items/{id}",  "/api/v1/cart",
        "/api/v1/cart/items",  "/api/v1/checkout",    "/api/v1/users/me",
        "/api/v1/orders",      "/api/v1/orders/{id}", "/api/v1/search",
        "/api/v1/login",       "/api/v1/logout",      "/api/v1/prices",
        "/api/v1/stock/{sku}", "/api/v1/reviews",     "/api/v1/wishlist",
        "/static/app.js",      "/static/app.css",     "/",
        "/api/v1/recommend",   "/api/v1/payments"};
    uint64_t rows = 1000000, i;
    unsigned labels = 20, threads = 200, k;
    int quote_all = 0;
    char(*label)[96];
    double *mu;
    int64_t ts = 1700000000000LL;
    char buf[256];

    for (k = 1; k < (unsigned)argc; k++) {
        if (strcmp(argv[k], "--rows") == 0 && k + 1 < (unsigned)argc)
            rows = strtoull(argv[++k], NULL, 10);
        else if (strcmp(argv[k], "--labels") == 0 && k + 1 < (unsigned)argc)
            labels = (unsigned)strtoul(argv[++k], NULL, 10);
        else if (strcmp(argv[k], "--seed") == 0 && k + 1 < (unsigned)argc)
            rng_state ^= strtoull(argv[++k], NULL, 10) * 0x100000001B3ull;
        else if (strcmp(argv[k], "--quote-all") == 0)
            quote_all = 1;
        else {
            fprintf(stderr, "usage: gen_jtl [--rows N] [--labels N] "
                            "[--quote-all] [--seed S]\n");
            return 2;
        }
    }
    if (labels == 0)
        labels = 1;
    label = calloc(labels, sizeof(*label));
    mu = calloc(labels, sizeof(*mu));
    for (k = 0; k < labels; k++) {
        if (k < 20)
            snprintf(label[k], sizeof(label[k]), "%s %s", verbs[k % 4],
                     paths[k]);
        else
            snprintf(label[k], sizeof(label[k]), "%s %s/%u", verbs[k % 4],
                     paths[k % 20], k);
        mu[k] = log(20.0 + 15.0 * (double)(k % 13)); /* 20..200 ms medians */
    }
    setvbuf(stdout, NULL, _IOFBF, 1 << 20);
    fputs("timeStamp,elapsed,label,responseCode,responseMessage,threadName,"
          "dataType,success,failureMessage,bytes,sentBytes,grpThreads,"
          "allThreads,URL,Latency,IdleTime,Connect\n",
          stdout);
    for (i = 0; i < rows; i++) {
        unsigned lb = (unsigned)(rng() % labels);
        unsigned active = (unsigned)(1 + (i * threads) / (rows / 4 + 1));
        unsigned th;
        double r = unif();
        int64_t elapsed = (int64_t)exp(mu[lb] + 0.6 * normal());
        int64_t latency, connect;
        const char *code = "200", *msg = "OK", *fail = "";
        int ok = 1;
        long body;

        if (active > threads)
            active = threads;
        th = 1 + (unsigned)(rng() % active);
        if (elapsed < 1)
            elapsed = 1;
        if (elapsed > 60000)
            elapsed = 60000;
        latency = elapsed - (int64_t)(rng() % (uint64_t)(elapsed / 4 + 1));
        connect = rng() % 50 == 0 ? (int64_t)(rng() % 40) : 0;
        if (r < 0.01) {
            code = "429";
            msg = "Too Many Requests";
            ok = 0;
        } else if (r < 0.015) {
            code = "500";
            msg = "Internal Server Error";
            ok = 0;
        } else if (r < 0.017) {
            code = "Non HTTP response code: java.net.SocketTimeoutException";
            msg = "Non HTTP response message: Read timed out, after 30000 ms";
            fail = "Test failed: code expected to contain /200/";
            ok = 0;
            elapsed = 30000 + (int64_t)(rng() % 50);
        }
        body = ok ? 200 + (long)(rng() % 3000) : 180;
        ts += (int64_t)(rng() % 3);
        printf("%" PRId64 ",%" PRId64 ",", ts - elapsed, elapsed);
        put_field(stdout, label[lb], quote_all);
        putc(',', stdout);
        put_field(stdout, code, quote_all);
        putc(',', stdout);
        put_field(stdout, msg, quote_all);
        putc(',', stdout);
        snprintf(buf, sizeof(buf), "Thread Group 1-%u", th);
        put_field(stdout, buf, quote_all);
        putc(',', stdout);
        put_field(stdout, "text", quote_all);
        printf(",%s,", ok ? "true" : "false");
        put_field(stdout, fail, quote_all && *fail);
        printf(",%ld,%ld,%u,%u,", body, 120 + (long)(rng() % 300), active,
               active);
        snprintf(buf, sizeof(buf), "https://shop.example.com%s",
                 strchr(label[lb], ' ') + 1);
        put_field(stdout, buf, quote_all);
        printf(",%" PRId64 ",0,%" PRId64 "\n", latency, connect);
    }
    if (fflush(stdout) != 0)
        return 1;
    free(label);
    free(mu);
    return 0;
}
