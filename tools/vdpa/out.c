// SPDX-License-Identifier: GPL-2.0
/* Text and JSON output through one set of calls */
#include <inttypes.h>

#include "out.h"

void out_init(struct out *o, FILE *fp, bool is_json, bool pretty,
	      bool details)
{
	o->fp = fp;
	o->is_json = is_json;
	o->details = details;
	json_init(&o->json, fp, pretty);
}

void out_section_open(struct out *o, const char *name)
{
	if (!o->is_json)
		return;
	json_object_open(&o->json, NULL);
	json_object_open(&o->json, name);
}

void out_section_close(struct out *o)
{
	if (!o->is_json)
		return;
	json_object_close(&o->json);
	json_object_close(&o->json);
	json_finish(&o->json);
}

void out_entry_open(struct out *o, const char *name)
{
	if (o->is_json)
		json_object_open(&o->json, name);
	else
		fprintf(o->fp, "%s: ", name);
}

void out_newline(struct out *o)
{
	if (!o->is_json)
		fputc('\n', o->fp);
}

void out_entry_close(struct out *o)
{
	if (o->is_json)
		json_object_close(&o->json);
	out_newline(o);
}

void out_array_open(struct out *o, const char *key)
{
	if (o->is_json)
		json_array_open(&o->json, key);
	else
		fprintf(o->fp, "\n  %s", key);
}

void out_array_close(struct out *o)
{
	if (o->is_json)
		json_array_close(&o->json);
}

void out_string(struct out *o, const char *key, const char *fmt,
		const char *val)
{
	if (o->is_json)
		json_string(&o->json, key, val);
	else
		fprintf(o->fp, fmt, val);
}

void out_uint(struct out *o, const char *key, const char *fmt, uint64_t val)
{
	if (o->is_json)
		json_uint(&o->json, key, val);
	else
		fprintf(o->fp, fmt, val);
}

void out_bool(struct out *o, const char *key, const char *fmt, bool val)
{
	if (o->is_json)
		json_bool(&o->json, key, val);
	else
		fprintf(o->fp, fmt, val ? "true" : "false");
}

void out_pair(struct out *o, const char *key, uint64_t val)
{
	if (o->is_json)
		json_uint(&o->json, key, val);
	else
		fprintf(o->fp, "%s %" PRIu64 " ", key, val);
}
