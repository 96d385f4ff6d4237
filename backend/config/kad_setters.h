/* kad_setters: macros that write the one-line setters of the keepalived
 * keyword tables, typed per field so the compiler sees every write
 * (nginx's offset setters hide the type; these do not). Internal.
 */
#ifndef SOFTLB_CONFIG_KAD_SETTERS_H
#define SOFTLB_CONFIG_KAD_SETTERS_H

#include "config/kad_parse.h"

#define KAD_SETTER(fn) \
	static bool fn(struct kad_parser *p, const struct kad_stmt *st, \
		       void *obj, void **child)

/* An integer in [min, max]. */
#define KAD_SET_INT(fn, type, field, min, max) \
	KAD_SETTER(fn) \
	{ \
		type *o = obj; \
		(void)child; \
		return kad_arg_int(p, st, 1, (min), (max), &o->field); \
	}

/* A time in seconds, at most max_ms. */
#define KAD_SET_SECONDS(fn, type, field, max_ms) \
	KAD_SETTER(fn) \
	{ \
		type *o = obj; \
		(void)child; \
		return kad_arg_seconds(p, st, 1, (max_ms), &o->field); \
	}

/* The rest of the line as one string. */
#define KAD_SET_STR(fn, type, field) \
	KAD_SETTER(fn) \
	{ \
		type *o = obj; \
		(void)p; (void)child; \
		kad_arg_join(st, 1, &o->field); \
		return true; \
	}

/* A keyword with no argument that switches something on. */
#define KAD_SET_FLAG(fn, type, field) \
	KAD_SETTER(fn) \
	{ \
		type *o = obj; \
		(void)p; (void)st; (void)child; \
		o->field = 1; \
		return true; \
	}

/* An address of either family. */
#define KAD_SET_ADDR(fn, type, field) \
	KAD_SETTER(fn) \
	{ \
		type *o = obj; \
		(void)child; \
		return kad_arg_addr(p, st, 1, &o->field); \
	}

/* A keyword that opens a block on the same object. */
#define KAD_SET_SAME(fn) \
	KAD_SETTER(fn) \
	{ \
		(void)p; (void)st; \
		*child = obj; \
		return true; \
	}

/* A row for a keyword softlb accepts and ignores, with one warning:
 * ignoring it changes no traffic. */
#define KAD_NOTIMPL(name, ctx) \
	{ name, ctx, 0, KAD_MANY, KAD_BODY_SKIP, 0, NULL, NULL, \
	  "anything (accepted, not implemented)", NULL }
/* A row for a keyword softlb does not implement and whose absence would
 * change traffic: loading it is an error (fail closed). what is a
 * CONFIG_CHANGES_ string. */
#define KAD_REFUSE(name, ctx, what) \
	{ name, ctx, 0, KAD_MANY, KAD_BODY_SKIP, 0, NULL, NULL, \
	  "anything (not implemented)", what }

#endif
