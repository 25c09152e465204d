// SPDX-License-Identifier: GPL-2.0
/* TAP output for the unit tests; tests/unit/run renumbers and counts it */
#include <stdlib.h>
#include <string.h>

#include "tap.h"

static unsigned int tap_count;
static unsigned int tap_failed;

static bool tap_report(bool ok, const char *fmt, va_list ap)
{
	tap_count++;
	if (!ok)
		tap_failed++;
	printf("%sok %u - ", ok ? "" : "not ", tap_count);
	vprintf(fmt, ap);
	putchar('\n');
	return ok;
}

bool tap_ok(bool ok, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tap_report(ok, fmt, ap);
	va_end(ap);
	return ok;
}

/* Prints @s as a TAP comment, one line of it per line */
static void tap_diag(const char *label, const char *s)
{
	printf("#   %s:\n#     ", label);
	for (; *s; s++) {
		if (*s == '\n')
			fputs("$\n#     ", stdout);
		else
			putchar(*s);
	}
	putchar('\n');
}

bool tap_str(const char *got, const char *want, const char *fmt, ...)
{
	bool ok = got && !strcmp(got, want);
	va_list ap;

	va_start(ap, fmt);
	tap_report(ok, fmt, ap);
	va_end(ap);
	if (!ok) {
		tap_diag("got", got ? got : "(null)");
		tap_diag("want", want);
	}
	return ok;
}

bool tap_int(long long got, long long want, const char *fmt, ...)
{
	bool ok = got == want;
	va_list ap;

	va_start(ap, fmt);
	tap_report(ok, fmt, ap);
	va_end(ap);
	if (!ok)
		printf("#   got %lld, want %lld\n", got, want);
	return ok;
}

int tap_end(void)
{
	return tap_failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

FILE *tap_buf_open(struct tap_buf *b)
{
	b->data = NULL;
	b->size = 0;
	b->fp = open_memstream(&b->data, &b->size);
	if (!b->fp) {
		perror("open_memstream");
		exit(EXIT_FAILURE);
	}
	return b->fp;
}

const char *tap_buf_str(struct tap_buf *b)
{
	fflush(b->fp);
	return b->data;
}

void tap_buf_close(struct tap_buf *b)
{
	fclose(b->fp);
	free(b->data);
}
