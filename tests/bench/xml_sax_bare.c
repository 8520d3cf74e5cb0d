/* SPDX-License-Identifier: MIT
 * xml_sax_bare.c - the baseline of the XML decoder benchmark: one libxml2
 * SAX2 push pass over a file with callbacks that do nothing, fed in the
 * same 1 MiB chunks and with the same options as decode_xml.c.
 * Usage: xml_sax_bare FILE */
#include <fcntl.h>
#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHUNK (1024 * 1024)

static void nop_start(void *ud, const xmlChar *ln, const xmlChar *px,
                      const xmlChar *uri, int nns, const xmlChar **ns,
                      int nattr, int ndef, const xmlChar **attrs)
{
    (void)ud, (void)ln, (void)px, (void)uri, (void)nns, (void)ns;
    (void)nattr, (void)ndef, (void)attrs;
}

static void nop_end(void *ud, const xmlChar *ln, const xmlChar *px,
                    const xmlChar *uri)
{
    (void)ud, (void)ln, (void)px, (void)uri;
}

static void nop_chars(void *ud, const xmlChar *ch, int len)
{
    (void)ud, (void)ch, (void)len;
}

static void nop_error(void *ud, xmlErrorPtr e)
{
    (void)ud, (void)e;
}

int main(int argc, char **argv)
{
    xmlSAXHandler sax;
    xmlParserCtxtPtr ctxt = NULL;
    char *buf;
    ssize_t n;
    int fd;

    if (argc != 2) {
        fprintf(stderr, "usage: xml_sax_bare FILE\n");
        return 2;
    }
    fd = open(argv[1], O_RDONLY);
    if (fd < 0) {
        perror(argv[1]);
        return 1;
    }
    buf = malloc(CHUNK);
    memset(&sax, 0, sizeof(sax));
    sax.initialized = XML_SAX2_MAGIC;
    sax.startElementNs = nop_start;
    sax.endElementNs = nop_end;
    sax.characters = nop_chars;
    sax.cdataBlock = nop_chars;
    sax.serror = nop_error;
    while ((n = read(fd, buf, CHUNK)) > 0) {
        if (!ctxt) {
            ctxt = xmlCreatePushParserCtxt(&sax, NULL, buf, 4, argv[1]);
            xmlCtxtUseOptions(ctxt, XML_PARSE_NONET | XML_PARSE_RECOVER);
            xmlParseChunk(ctxt, buf + 4, (int)n - 4, 0);
        } else {
            xmlParseChunk(ctxt, buf, (int)n, 0);
        }
    }
    if (ctxt) {
        xmlParseChunk(ctxt, NULL, 0, 1);
        fprintf(stderr, "bare: line %d\n", ctxt->input ? ctxt->input->line : 0);
        if (ctxt->myDoc)
            xmlFreeDoc(ctxt->myDoc);
        xmlFreeParserCtxt(ctxt);
    }
    free(buf);
    close(fd);
    return 0;
}
