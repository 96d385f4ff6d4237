/* strvec: a growable vector of owned, NUL-terminated strings.
 *
 * Used for completion candidates, help lists and tokenised lines. The
 * vector owns every string in it; strvec_free() releases them all.
 * items[len] is always NULL, so items can be handed to code that expects
 * a NULL-terminated array.
 */
#ifndef SOFTLB_UTIL_STRVEC_H
#define SOFTLB_UTIL_STRVEC_H

#include <stdbool.h>
#include <stddef.h>

struct strvec {
	char **items;	/* NULL-terminated once anything was pushed */
	size_t len;
	size_t cap;
};

#define STRVEC_INIT { NULL, 0, 0 }

void strvec_init(struct strvec *v);
void strvec_free(struct strvec *v);
/* Copies s into the vector. */
void strvec_push(struct strvec *v, const char *s);
/* Takes ownership of s (which must come from malloc). */
void strvec_push_owned(struct strvec *v, char *s);
bool strvec_contains(const struct strvec *v, const char *s);
/* Sorts with strcmp and removes duplicates. */
void strvec_sort_unique(struct strvec *v);

#endif
