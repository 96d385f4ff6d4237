/* libFuzzer target: the SNMP subagent's OID lookups (backend/snmp/
 * snmp_tree.c), which decode every request's OID -- any length, any
 * sub-identifier up to 2^64-1. The input is read as little-endian 64-bit
 * sub-identifiers; a tree shaped like the VRRP and SOFTLB tables
 * (fixed-length and length-prefixed string indexes) answers GET and
 * GETNEXT, and each answer is checked: GET returns exactly the name
 * asked, GETNEXT a name strictly after it with nothing stored between. */
#include "config.h"

#include "snmp/snmp_tree.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static struct snmp_tree tree;

static void build(void)
{
	static const char *const names[] = { "web", "w", "api", "a-very-long-proxy-name" };
	uint32_t idx[SNMP_SUFFIX_MAX];

	snmp_tree_init(&tree);
	snmp_tree_add_num(&tree, (const uint32_t[]){ 1, 1, 0 }, 3, NULL, 0, SNMP_V_INTEGER, 2);
	for (uint32_t col = 2; col <= 15; col++)
		for (uint32_t vrid = 1; vrid < 255; vrid += 37) {
			uint32_t i2[2] = { 2, vrid };

			snmp_tree_add_num(&tree, (const uint32_t[]){ 1, 3, 1, col }, 4, i2, 2,
					  SNMP_V_COUNTER32, vrid);
		}
	for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++)
		for (uint32_t col = 2; col <= 5; col++) {
			size_t n = 0;

			snmp_idx_str(idx, &n, names[k]);
			snmp_idx_str(idx, &n, "s1");
			snmp_tree_add_str(&tree, (const uint32_t[]){ 9, 1, col }, 3, idx, n,
					  SNMP_V_OCTETS, names[k], strlen(names[k]));
		}
	snmp_tree_sort(&tree);
}

static int cmp(const uint32_t *a, size_t na, const uint64_t *b, size_t nb)
{
	for (size_t i = 0; i < na && i < nb; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return na < nb ? -1 : na > nb;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t name[140];
	size_t n = size / 8 < 140 ? size / 8 : 140;
	const struct snmp_ent *e;

	if (!tree.n)
		build();
	for (size_t i = 0; i < n; i++) {
		uint64_t v = 0;

		for (int b = 7; b >= 0; b--)
			v = v << 8 | data[i * 8 + (size_t)b];
		/* Small values hit the stored names; the rest stay wild. */
		name[i] = (v >> 63) ? v : v % 300;
	}
	e = snmp_tree_get(&tree, name, n);
	if (e && cmp(snmp_ent_name(&tree, e), e->name_len, name, n) != 0)
		abort();
	e = snmp_tree_next(&tree, name, n);
	if (e && cmp(snmp_ent_name(&tree, e), e->name_len, name, n) <= 0)
		abort();
	/* Nothing stored between the request and the answer. */
	for (size_t i = 0; i < tree.n; i++) {
		const struct snmp_ent *x = &tree.ents[i];

		if (cmp(snmp_ent_name(&tree, x), x->name_len, name, n) > 0) {
			if (x != e)
				abort();
			break;
		}
	}
	return 0;
}
