/* SPDX-License-Identifier: GPL-2.0 */
/* Minimal TAP for the unit tests: one "ok N - name" line per check */
#ifndef VDPA_TAP_H
#define VDPA_TAP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

/* A FILE that writes to memory, to capture what is printed */
struct tap_buf {
	FILE *fp;
	char *data;
	size_t size;
};

bool tap_ok(bool ok, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Passes when the strings are equal; shows both when they are not */
bool tap_str(const char *got, const char *want, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
bool tap_int(long long got, long long want, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The exit status: 0 if every check passed */
int tap_end(void);

FILE *tap_buf_open(struct tap_buf *b);
/* What was written so far, valid until the next write or the close */
const char *tap_buf_str(struct tap_buf *b);
void tap_buf_close(struct tap_buf *b);

#endif /* VDPA_TAP_H */
