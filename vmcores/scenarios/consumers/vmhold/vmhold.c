// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vmhold: a module that keeps vmalloc()ed memory of known sizes, allocated
 * from two named functions, so /proc/vmallocinfo's callers are known:
 * vmhold_keep_big() holds one area of big_mib MiB, vmhold_keep_small()
 * small_nr areas of small_kib KiB each.  Freed when unloaded.
 */
#include <linux/module.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

static unsigned int big_mib = 8;
module_param(big_mib, uint, 0444);
MODULE_PARM_DESC(big_mib, "MiB of the one big vmalloc area");
static unsigned int small_kib = 100;
module_param(small_kib, uint, 0444);
MODULE_PARM_DESC(small_kib, "KiB of each small area");
static unsigned int small_nr = 3;
module_param(small_nr, uint, 0444);
MODULE_PARM_DESC(small_nr, "how many small areas (at most 16)");

#define VMHOLD_MAX_SMALL 16
static void *big;
static void *small[VMHOLD_MAX_SMALL];

/* Not __init: the caller vmallocinfo names must stay in the module's text. */
static noinline void *vmhold_keep_big(unsigned long size)
{
	void *p = vmalloc(size);

	if (p)
		memset(p, 0x5a, size);
	return p;
}

static noinline void *vmhold_keep_small(unsigned long size)
{
	void *p = vzalloc(size);

	/* Not a tail call: the caller vmallocinfo names is this function, not
	 * vmhold_init(), whose text is freed once the module is loaded. */
	if (p)
		memset(p, 0x5b, 1);
	return p;
}

static void vmhold_release(void)
{
	unsigned int i;

	vfree(big);
	for (i = 0; i < VMHOLD_MAX_SMALL; i++)
		vfree(small[i]);
}

static int __init vmhold_init(void)
{
	unsigned int i;

	big = vmhold_keep_big((unsigned long)big_mib << 20);
	if (!big)
		return -ENOMEM;
	for (i = 0; i < small_nr && i < VMHOLD_MAX_SMALL; i++) {
		small[i] = vmhold_keep_small((unsigned long)small_kib << 10);
		if (!small[i]) {
			vmhold_release();
			return -ENOMEM;
		}
	}
	return 0;
}

static void __exit vmhold_exit(void)
{
	vmhold_release();
}

module_init(vmhold_init);
module_exit(vmhold_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("memscope test scenario: keeps vmalloc memory of known sizes and callers");
