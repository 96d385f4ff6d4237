/* xalloc: allocation that cannot return NULL.
 *
 * softlbd's allocations are small and bounded by configuration and client
 * limits; when the system cannot satisfy one, there is no sensible partial
 * recovery, so these log to stderr and abort instead of handing NULL back
 * to a hundred call sites that would each have to invent a recovery.
 */
#ifndef SOFTLB_UTIL_XALLOC_H
#define SOFTLB_UTIL_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
/* Grows an array of nmemb elements of size bytes, checking for overflow. */
void *xreallocarray(void *p, size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
