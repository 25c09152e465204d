// SPDX-License-Identifier: GPL-2.0
/*
 * The JSON writer: escaping (always valid JSON), commas, nesting, and the
 * compact and pretty layouts of iproute2's writer.
 */
#include <stdint.h>

#include "json.h"
#include "tap.h"

static struct tap_buf buf;

static struct json *start(bool pretty)
{
	static struct json j;

	json_init(&j, tap_buf_open(&buf), pretty);
	json_object_open(&j, NULL);
	return &j;
}

static void end(struct json *j, const char *want, const char *what)
{
	json_object_close(j);
	json_finish(j);
	tap_str(tap_buf_str(&buf), want, "json: %s", what);
	tap_int(j->depth, 0, "json: %s: every level closed", what);
	tap_buf_close(&buf);
}

static void test_escapes(void)
{
	struct json *j = start(false);

	json_string(j, "quote\"", "a\"b");
	json_string(j, "back\\slash", "c:\\d");
	json_string(j, "short", "\b\f\n\r\t");
	json_string(j, "control", "\x01\x1f");
	json_string(j, "plain", "it's / 100% ok");
	end(j, "{\"quote\\\"\":\"a\\\"b\",\"back\\\\slash\":\"c:\\\\d\","
	       "\"short\":\"\\b\\f\\n\\r\\t\",\"control\":\"\\u0001\\u001f\","
	       "\"plain\":\"it's / 100% ok\"}\n",
	    "strings and keys are escaped");
}

static void test_values(void)
{
	struct json *j = start(false);

	json_uint(j, "zero", 0);
	json_uint(j, "max", UINT64_MAX);
	json_bool(j, "yes", true);
	json_bool(j, "no", false);
	json_array_open(j, "list");
	json_uint(j, NULL, 1);
	json_string(j, NULL, "two");
	json_array_close(j);
	json_array_open(j, "empty");
	json_array_close(j);
	json_object_open(j, "nested");
	json_object_close(j);
	end(j, "{\"zero\":0,\"max\":18446744073709551615,\"yes\":true,"
	       "\"no\":false,\"list\":[1,\"two\"],\"empty\":[],\"nested\":{}}\n",
	    "numbers, booleans, arrays, objects");
}

static void test_pretty(void)
{
	struct json *j = start(true);

	json_object_open(j, "dev");
	json_object_open(j, "vdpa0");
	json_string(j, "type", "network");
	json_array_open(j, "features");
	json_string(j, NULL, "MTU");
	json_uint(j, NULL, 56);
	json_array_close(j);
	json_array_open(j, "none");
	json_array_close(j);
	json_object_close(j);
	json_object_open(j, "empty");
	json_object_close(j);
	json_object_close(j);
	end(j, "{\n"
	       "    \"dev\": {\n"
	       "        \"vdpa0\": {\n"
	       "            \"type\": \"network\",\n"
	       "            \"features\": [ \"MTU\",56 ],\n"
	       "            \"none\": [ ]\n"
	       "        },\n"
	       "        \"empty\": {}\n"
	       "    }\n"
	       "}\n",
	    "pretty: 4 spaces, arrays on one line");
}

int main(void)
{
	test_escapes();
	test_values();
	test_pretty();
	return tap_end();
}
