/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One print call per field, for text and JSON alike, as iproute2 does:
 * the text format string is used in text mode, the key in JSON mode.
 */
#ifndef VDPA_OUT_H
#define VDPA_OUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "json.h"

struct out {
	FILE *fp;
	bool is_json;
	bool details;		/* -d: the suite's extra fields */
	struct json json;	/* used when is_json */
};

void out_init(struct out *o, FILE *fp, bool is_json, bool pretty,
	      bool details);

/* The whole output: {"NAME":{ ... }} in JSON, nothing in text */
void out_section_open(struct out *o, const char *name);
void out_section_close(struct out *o);

/* One object: "NAME: " ... "\n" in text, "NAME":{ ... } in JSON */
void out_entry_open(struct out *o, const char *name);
void out_entry_close(struct out *o);

/* Text only: a line break */
void out_newline(struct out *o);

/* Text: a new line, indented, starting with the key */
void out_array_open(struct out *o, const char *key);
void out_array_close(struct out *o);

/* @key is NULL for array elements; @fmt has one conversion for @val */
void out_string(struct out *o, const char *key, const char *fmt,
		const char *val);
void out_uint(struct out *o, const char *key, const char *fmt, uint64_t val);
void out_bool(struct out *o, const char *key, const char *fmt, bool val);

/* "KEY VALUE " in text, for keys only known at run time */
void out_pair(struct out *o, const char *key, uint64_t val);

#endif /* VDPA_OUT_H */
