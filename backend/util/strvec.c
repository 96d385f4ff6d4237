#include "config.h"

#include "util/strvec.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

void strvec_init(struct strvec *v)
{
	v->items = NULL;
	v->len = 0;
	v->cap = 0;
}

void strvec_free(struct strvec *v)
{
	for (size_t i = 0; i < v->len; i++)
		free(v->items[i]);
	free(v->items);
	strvec_init(v);
}

void strvec_push_owned(struct strvec *v, char *s)
{
	if (v->len + 1 >= v->cap) {
		v->cap = v->cap ? v->cap * 2 : 8;
		v->items = xreallocarray(v->items, v->cap, sizeof(*v->items));
	}
	v->items[v->len++] = s;
	v->items[v->len] = NULL;
}

void strvec_push(struct strvec *v, const char *s)
{
	strvec_push_owned(v, xstrdup(s));
}

bool strvec_contains(const struct strvec *v, const char *s)
{
	for (size_t i = 0; i < v->len; i++)
		if (strcmp(v->items[i], s) == 0)
			return true;
	return false;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void strvec_sort_unique(struct strvec *v)
{
	size_t out = 0;

	if (v->len < 2)
		return;
	qsort(v->items, v->len, sizeof(*v->items), cmp_str);
	for (size_t i = 0; i < v->len; i++) {
		if (out && strcmp(v->items[out - 1], v->items[i]) == 0) {
			free(v->items[i]);
			continue;
		}
		v->items[out++] = v->items[i];
	}
	v->len = out;
	v->items[out] = NULL;
}
