/* engines: softlbd's module list (engines.c), part of the softlbd program
 * and not of libsoftlbd.a: the core knows no engine by name (it walks
 * struct softlbd's modules), so the engines' libraries depend on the
 * core and never the other way round, and a unit test links the engines
 * it starts with a list of its own.
 */
#ifndef SOFTLB_CORE_ENGINES_H
#define SOFTLB_CORE_ENGINES_H

#include <stddef.h>

struct module_ops;

/* Every engine of softlbd, in start order; stop runs in reverse. */
extern const struct module_ops *const softlbd_modules[];
extern const size_t softlbd_module_count;

#endif
