/* wire: the messages between softlbd and its script helper (internal to
 * backend/script). One SOCK_SEQPACKET message per request or reply, so no
 * framing beyond a fixed header; both ends are the same binary, so the
 * structs go as they are in host order.
 *
 *   RUN     header, then user_len bytes of user name, then argc strings
 *           each with its NUL
 *   CANCEL  header only (id)
 *   DONE    struct script_wire_done
 */
#ifndef SOFTLB_SCRIPT_WIRE_H
#define SOFTLB_SCRIPT_WIRE_H

#include <stdint.h>

#include "script/runner-t.h"

enum script_msg {
	SCRIPT_MSG_RUN = 0x52554e31,	/* "RUN1" */
	SCRIPT_MSG_CANCEL = 0x434e4c31,	/* "CNL1" */
	SCRIPT_MSG_DONE = 0x444f4e31,	/* "DON1" */
};

struct script_wire_req {
	uint32_t type;
	uint32_t timeout_ms;	/* 0: none */
	uint64_t id;
	uint32_t grace_ms;	/* SIGTERM to SIGKILL */
	uint16_t argc;
	uint16_t user_len;	/* 0: no user */
	uint32_t flags;		/* SCRIPT_REQ_* */
};

/* Request flags. */
enum {
	/* enable_script_security: refuse a script that runs with root's
	 * privileges from a path others can write (secure.h). Without it
	 * such a script runs and the reply says it is unsafe. */
	SCRIPT_REQ_SECURE = 1u << 0,
};

/* How safe a script was (script_wire_done.security). */
enum {
	SCRIPT_SEC_OK = 0,
	SCRIPT_SEC_REFUSED = 1,	/* not run; unsafe says why */
	SCRIPT_SEC_WARNED = 2,	/* run although unsafe; unsafe says why */
};

struct script_wire_done {
	uint32_t type;
	int32_t wstatus;	/* as waitpid() gives it, when started */
	uint64_t id;
	uint32_t duration_ms;
	uint8_t started;
	uint8_t timed_out;
	uint16_t line_len;
	char line[SCRIPT_LINE_MAX];
	uint32_t security;	/* SCRIPT_SEC_* */
	char unsafe[SCRIPT_LINE_MAX];	/* "PATH: REASON" unless SCRIPT_SEC_OK */
};

/* Largest request message. */
#define SCRIPT_WIRE_REQ_MAX (sizeof(struct script_wire_req) + 256 + SCRIPT_ARGV_MAX)

/* The helper's main: serves requests on fd until it closes, then exits.
 * Never returns. */
void script_helper_main(int fd) __attribute__((noreturn));

#endif
