// SPDX-License-Identifier: GPL-2.0
/* Helpers shared by the unit tests */
#include <string.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "msg.h"
#include "out.h"
#include "show.h"
#include "tap.h"
#include "util.h"

int util_split(char *line, char **argv, int max)
{
	static char empty[1];
	int argc = 0;
	char *w;

	for (w = strtok(line, " "); w && argc < max; w = strtok(NULL, " "))
		argv[argc++] = strcmp(w, "''") ? w : empty;
	return argc;
}

struct nl_msg *util_reply(uint8_t cmd)
{
	struct nl_msg *msg = nlmsg_alloc();

	genlmsg_put(msg, 0, 0, UTIL_FAMILY, 0, 0, cmd, VDPA_GENL_VERSION);
	return msg;
}

const char *util_render(enum args_show kind, const char *how,
			struct nl_msg **msgs)
{
	static char *last;
	struct vdpa_reply reply;
	struct tap_buf b;
	struct out o;
	bool ok = true;

	free(last);
	last = NULL;
	out_init(&o, tap_buf_open(&b), strchr(how, 'j'), strchr(how, 'p'),
		 strchr(how, 'd'));
	out_section_open(&o, show_section(kind));
	for (; *msgs; msgs++) {
		if (msg_parse_reply(&reply, nlmsg_hdr(*msgs)) ||
		    show_reply(&o, kind, &reply))
			ok = false;
		nlmsg_free(*msgs);
		*msgs = NULL;
	}
	out_section_close(&o);
	if (ok)
		last = strdup(tap_buf_str(&b));
	tap_buf_close(&b);
	return last;
}

const char *util_attrs(struct nl_msg *msg)
{
	static char s[1024];
	struct nlattr *attr;
	int rem, i, n = 0;

	s[0] = '\0';
	nlmsg_for_each_attr(attr, nlmsg_hdr(msg), GENL_HDRLEN, rem) {
		n += snprintf(s + n, sizeof(s) - n, "%s%d:", n ? " " : "",
			      nla_type(attr));
		for (i = 0; i < nla_len(attr); i++)
			n += snprintf(s + n, sizeof(s) - n, "%02x",
				      ((uint8_t *)nla_data(attr))[i]);
	}
	return s;
}
