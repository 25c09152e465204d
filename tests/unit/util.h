/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers shared by the unit tests: words, messages and rendering */
#ifndef VDPA_TEST_UTIL_H
#define VDPA_TEST_UTIL_H

#include <stdbool.h>
#include <stdint.h>
#include <netlink/msg.h>

#include "args.h"

#define UTIL_FAMILY	0x1f	/* a made-up id of the "vdpa" family */

/* Splits @line in place at spaces into @argv; '' stands for "" */
int util_split(char *line, char **argv, int max);

/* An empty reply of the "vdpa" family to @cmd */
struct nl_msg *util_reply(uint8_t cmd);

/*
 * What the tool prints for the replies @msgs (NULL-terminated) as a
 * @kind show, @how being a combination of 'j' (JSON), 'p' (pretty) and
 * 'd' (details), or "" for text. Frees the messages and empties @msgs.
 * NULL if a reply is refused as malformed.
 */
const char *util_render(enum args_show kind, const char *how,
			struct nl_msg **msgs);

/* A message's attributes as "TYPE:HEX TYPE:HEX ..." */
const char *util_attrs(struct nl_msg *msg);

#endif /* VDPA_TEST_UTIL_H */
