/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small streaming JSON writer. Its compact and pretty layouts are those
 * of iproute2's, so that scripts comparing the two tools' output see the
 * same bytes; unlike iproute2's, its strings are always valid JSON.
 */
#ifndef VDPA_JSON_H
#define VDPA_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct json {
	FILE *fp;
	unsigned int depth;	/* open objects and arrays */
	bool pretty;		/* newlines and 4-space indents */
	bool comma;		/* the next element needs a comma first */
};

void json_init(struct json *j, FILE *fp, bool pretty);
void json_finish(struct json *j);

/* @key is NULL inside arrays and for the outermost object */
void json_object_open(struct json *j, const char *key);
void json_object_close(struct json *j);
void json_array_open(struct json *j, const char *key);
void json_array_close(struct json *j);

void json_string(struct json *j, const char *key, const char *val);
void json_uint(struct json *j, const char *key, uint64_t val);
void json_bool(struct json *j, const char *key, bool val);

#endif /* VDPA_JSON_H */
