/* SPDX-License-Identifier: MIT
 * test_plot.c - the gnuplot writer: what goes into .dat and .gp, that JTL
 * strings never reach the script, rejected inputs, and (when gnuplot is
 * installed) that hostile labels render as text and execute nothing. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "jtl/report/plot.h"
#include "jtl/report/spawn.h"
#include "samples.h"

static char dir[] = "/tmp/jtl-plot-XXXXXX";
static char sys_label[256], bt_label[256];

/* A file of the scratch folder, whole. */
static char *slurp(const char *name)
{
    char path[512];

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    return slurp_file(path, NULL);
}

static bool exists(const char *name)
{
    char path[512];

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    return access(path, F_OK) == 0;
}

/* A per-label bar chart whose labels try everything. */
static const char *texts[7];
static const double vals[] = {10, 4, 8, 2, 6, 1, 5, 0.5, 3, 0.25, 2, 0, 1, 1};
static const char *heads[] = {"label", "req/s", "429/s"};
static struct jtl_plot_table table = {7, 2, heads, true, texts, vals};
static struct jtl_plot_series series[] = {
    {.style = JTL_PLOT_BOXES,
     .ycol = 2,
     .xticlabels = true,
     .color = JTL_PLOT_GREEN},
    {.style = JTL_PLOT_LINESPOINTS, .ycol = 3, .color = JTL_PLOT_VERMILLION},
    {.style = JTL_PLOT_LINES,
     .color = JTL_PLOT_GREY,
     .width = 1,
     .dashed = true,
     .expr = "5 + 0*x",
     .title = "limit"},
};

static void make_chart(struct jtl_plot_chart *c)
{
    snprintf(sys_label, sizeof(sys_label), "system(\"touch %s/pwned-sys\")",
             dir);
    snprintf(bt_label, sizeof(bt_label), "`touch %s/pwned-bt`", dir);
    texts[0] = sys_label;
    texts[1] = bt_label;
    texts[2] = "<script>alert(1)</script>";
    texts[3] = "\"><img src=x onerror=alert(1)>";
    texts[4] = "../../x\tcol\nrow";
    texts[5] = "a\xE2\x80\xA8"
               "b\xFF^{up}_{dn}@";
    texts[6] = "GET /flows/{flowId}";
    jtl_plot_chart_init(c);
    c->name = "chart-99-labels";
    c->title = "Throughput per label";
    c->xlabel = "label";
    c->ylabel = "requests per second";
    c->tables = &table;
    c->ntables = 1;
    c->series = series;
    c->nseries = 3;
    c->rotate_xtics = true;
}

static void test_write(void)
{
    struct jtl_plot_chart c;
    struct jtl_diag d;
    char *gp, *dat;

    make_chart(&c);
    CHECK_EQ_INT(jtl_plot_write(&c, dir, &d), JTL_OK, "chart written");
    gp = slurp("chart-99-labels.gp");
    dat = slurp("chart-99-labels.dat");
    CHECK(gp && dat, "both files exist");
    if (!gp || !dat)
        return;
    CHECK(strstr(gp, "touch") == NULL && strstr(gp, "pwned") == NULL &&
              strstr(gp, "script") == NULL && strchr(gp, '`') == NULL &&
              strstr(gp, "img") == NULL && strstr(gp, "flowId") == NULL,
          "no label text at all in the script");
    CHECK(strstr(gp, "title columnheader(2)") != NULL,
          "series title read from the data file");
    CHECK(strstr(gp, ":xticlabels(1)") != NULL,
          "category names read from the data file");
    CHECK(strstr(gp, "noenhanced") != NULL,
          "no enhanced-text markup: ^ _ { } @ shown literally");
    CHECK(strstr(gp, "set output 'chart-99-labels.png'") != NULL &&
              strstr(gp, "set output 'chart-99-labels.svg'") != NULL,
          "renders PNG and SVG beside the script, relative names");
    CHECK(strstr(gp, "5 + 0*x axes") == NULL &&
              strstr(gp, "5 + 0*x title 'limit'") != NULL,
          "function series written with its fixed title");
    CHECK(strncmp(dat, "\"label\"\t\"req/s\"\t\"429/s\"\n", 24) == 0,
          "header line: quoted, tab-separated column titles");
    CHECK(strstr(dat, "\"system('touch ") != NULL,
          "double quotes in a label become single quotes in the data");
    CHECK(strstr(dat, "\"../../x col row\"\t3\t0.25\n") != NULL,
          "tab and newline in a label cannot split columns or rows");
    CHECK(strstr(dat, "\"a b\xEF\xBF\xBD^{up}_{dn}@\"") != NULL,
          "U+2028 becomes a space, invalid UTF-8 becomes U+FFFD");
    CHECK(strstr(dat, "\t5\t0.5\n") != NULL, "fractions written exactly");
    free(gp);
    free(dat);
}

static void test_reject(void)
{
    struct jtl_plot_chart c;
    struct jtl_plot_series bad = series[2];
    struct jtl_diag d;

    make_chart(&c);
    c.name = "../chart";
    CHECK_EQ_INT(jtl_plot_write(&c, dir, &d), JTL_ERR_USAGE,
                 "a name with a path is refused");
    make_chart(&c);
    c.title = "a `label` in a title";
    CHECK_EQ_INT(jtl_plot_write(&c, dir, &d), JTL_ERR_USAGE,
                 "backtick in a script string is refused");
    make_chart(&c);
    c.ylabel = "it's";
    CHECK_EQ_INT(jtl_plot_write(&c, dir, &d), JTL_ERR_USAGE,
                 "a quote that would end the string is refused");
    make_chart(&c);
    bad.expr = "system('id')";
    c.series = &bad;
    c.nseries = 1;
    CHECK_EQ_INT(jtl_plot_write(&c, dir, &d), JTL_ERR_USAGE,
                 "an expression that is not arithmetic on x is refused");
    make_chart(&c);
    bad = series[0];
    bad.ycol = 4;
    c.series = &bad;
    c.nseries = 1;
    CHECK_EQ_INT(jtl_plot_write(&c, dir, &d), JTL_ERR_USAGE,
                 "a column past the table is refused");
    CHECK(!exists("..chart.gp") && !exists("chart.gp"),
          "nothing written for refused charts");
}

static void test_render(void)
{
    struct jtl_diag d;
    char *svg;
    FILE *fp;
    char path[512];
    unsigned char sig[8] = {0};

    memset(&d, 0, sizeof(d));
    CHECK_EQ_INT(jtl_plot_render("jtl-no-such-gnuplot", dir, "chart-99-labels",
                                 5000, &d),
                 JTL_ERR_EXTERNAL, "missing gnuplot is an external error");
    CHECK(strstr(d.msg, "not found") != NULL, "and says not found");
    if (!jtl_spawn_find("gnuplot", NULL, 0)) {
        printf("note: gnuplot not installed; rendering checks skipped\n");
        return;
    }
    memset(&d, 0, sizeof(d));
    CHECK_EQ_INT(jtl_plot_render("gnuplot", dir, "chart-99-labels", 30000, &d),
                 JTL_OK, "gnuplot renders the hostile-label chart");
    CHECK(!exists("pwned-sys") && !exists("pwned-bt"),
          "neither system() nor backticks in labels ran");
    snprintf(path, sizeof(path), "%s/chart-99-labels.png", dir);
    fp = fopen(path, "rb");
    if (fp) {
        CHECK(fread(sig, 1, 8, fp) == 8, "png readable");
        fclose(fp);
    }
    CHECK(memcmp(sig, "\x89PNG\r\n\x1a\n", 8) == 0, "a real PNG");
    svg = slurp("chart-99-labels.svg");
    CHECK(svg && strstr(svg, "&lt;script>alert(1)&lt;/script>"),
          "the label is text in the SVG, escaped by gnuplot");
    CHECK(svg && strstr(svg, "<script") == NULL, "no script element in SVG");
    CHECK(svg && strstr(svg, "^{up}_{dn}@") != NULL,
          "no enhanced-text interpretation");
    free(svg);

    /* A broken script: the message carries gnuplot's own words. */
    snprintf(path, sizeof(path), "%s/broken.gp", dir);
    fp = fopen(path, "w");
    if (fp) {
        fputs("plot 'no-such-file.dat' using 1:2\n", fp);
        fclose(fp);
    }
    CHECK_EQ_INT(jtl_plot_render("gnuplot", dir, "broken", 30000, &d),
                 JTL_ERR_EXTERNAL, "a failing script is an external error");
    CHECK(strstr(d.msg, "no-such-file.dat") != NULL ||
              strstr(d.msg, "no image") != NULL,
          "message comes from gnuplot's output");
}

int main(void)
{
    char cmd[600];
    int rc;

    if (!mkdtemp(dir))
        return 1;
    test_write();
    test_reject();
    test_render();
    rc = CHECK_DONE();
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    if (rc == 0 && getenv("KEEP") == NULL && system(cmd) != 0)
        return 1;
    return rc;
}
