/* edit_int: what the files of configure mode's model editing share
 * (edit.c: clone, validation and marks; edit_keys.c: addresses and
 * virtual-server keys; edit_lvs.c, edit_proxy.c, edit_vrrp.c: each kind
 * of object). edit.h is the interface; nothing outside backend/config/
 * edit*.c includes this.
 */
#ifndef SOFTLB_CONFIG_EDIT_INT_H
#define SOFTLB_CONFIG_EDIT_INT_H

#include <stdbool.h>
#include <string.h>

#include "config/edit.h"
#include "config/model-t.h"
#include "util/strbuf.h"
#include "util/strvec.h"

/* Removes element i of an array of len elements and zeroes the slot
 * freed at the end: CFG_APPEND reuses spare capacity without zeroing. */
#define CFG_REMOVE(arr, len, i) \
	do { \
		memmove(&(arr)[(i)], &(arr)[(i) + 1], \
			((len) - (i) - 1) * sizeof(*(arr))); \
		(len)--; \
		memset(&(arr)[(len)], 0, sizeof(*(arr))); \
	} while (0)

/* Marking what an edit touched, for config_edit_finish(): each public
 * edit function marks its object (or, when something may refer to what
 * went, the whole model) before it edits. */
void edit_mark(struct strvec *v, const char *name);
void edit_mark_vs(struct config *cfg, const struct config_vs_key *key);
#define MARK(cfg, list, name) \
	do { if ((cfg)->edit_marks) edit_mark(&(cfg)->edit_marks->list, (name)); } while (0)
#define MARK_ALL(cfg) \
	do { if ((cfg)->edit_marks) (cfg)->edit_marks->all = true; } while (0)

/* The position of the virtual server key names in cfg, or -1. */
long edit_vs_at(const struct config *cfg, const struct config_vs_key *key);
/* The error for a word that is not ADDR:PORT; returns -1. */
int edit_bad_endpoint(struct strbuf *err, const char *what, const char *s,
		      int min_port);
/* Checks an object name (HAProxy's name characters); -1 with err. */
int edit_check_name(const char *what, const char *name, struct strbuf *err);

#endif
