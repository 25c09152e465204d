// SPDX-License-Identifier: GPL-2.0
/*
 * Streaming JSON writer: commas, quoting and, in pretty mode, the layout
 * iproute2 uses (members one per line, arrays kept on one line).
 */
#include <inttypes.h>

#include "json.h"

void json_init(struct json *j, FILE *fp, bool pretty)
{
	j->fp = fp;
	j->depth = 0;
	j->pretty = pretty;
	j->comma = false;
}

/* Ends the document with the newline iproute2 prints */
void json_finish(struct json *j)
{
	fputc('\n', j->fp);
}

static void json_separate(struct json *j)
{
	if (j->comma)
		fputc(',', j->fp);
	j->comma = true;
}

static void json_newline(struct json *j)
{
	unsigned int i;

	if (!j->pretty)
		return;
	fputc('\n', j->fp);
	for (i = 0; i < j->depth; i++)
		fputs("    ", j->fp);
}

static void json_escape(struct json *j, unsigned char c)
{
	static const char short_forms[] = "\bb\ff\nn\rr\tt\"\"\\\\";
	const char *p;

	for (p = short_forms; *p; p += 2) {
		if ((unsigned char)*p == c) {
			fprintf(j->fp, "\\%c", p[1]);
			return;
		}
	}
	if (c < 0x20)
		fprintf(j->fp, "\\u%04x", c);
	else
		fputc(c, j->fp);
}

static void json_quote(struct json *j, const char *s)
{
	fputc('"', j->fp);
	for (; *s; s++)
		json_escape(j, *s);
	fputc('"', j->fp);
}

/* Everything a value needs before it: its member name, or a comma */
static void json_lead(struct json *j, const char *key)
{
	if (key) {
		json_separate(j);
		json_newline(j);
		json_quote(j, key);
		fputs(j->pretty ? ": " : ":", j->fp);
		j->comma = false;
	}
	json_separate(j);
}

static void json_open(struct json *j, const char *key, char c)
{
	json_lead(j, key);
	fputc(c, j->fp);
	j->depth++;
	j->comma = false;
}

static void json_close(struct json *j, char c)
{
	j->depth--;
	if (j->comma)
		json_newline(j);
	fputc(c, j->fp);
	j->comma = true;
}

void json_object_open(struct json *j, const char *key)
{
	json_open(j, key, '{');
}

void json_object_close(struct json *j)
{
	json_close(j, '}');
}

void json_array_open(struct json *j, const char *key)
{
	json_open(j, key, '[');
	if (j->pretty)
		fputc(' ', j->fp);
}

/* Arrays stay on one line: "[ 1,2 ]" pretty, "[1,2]" compact */
void json_array_close(struct json *j)
{
	if (j->pretty && j->comma)
		fputc(' ', j->fp);
	j->comma = false;
	json_close(j, ']');
}

void json_string(struct json *j, const char *key, const char *val)
{
	json_lead(j, key);
	json_quote(j, val);
}

void json_uint(struct json *j, const char *key, uint64_t val)
{
	json_lead(j, key);
	fprintf(j->fp, "%" PRIu64, val);
}

void json_bool(struct json *j, const char *key, bool val)
{
	json_lead(j, key);
	fputs(val ? "true" : "false", j->fp);
}
