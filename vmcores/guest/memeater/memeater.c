// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * memeater: the seed case of a driver eating pages.  Allocates mib MiB of
 * order-0 pages with alloc_pages() and keeps them on a private list until
 * unloaded.  No counter of /proc/meminfo accounts for them: they are neither
 * slab, nor cache, nor anon, nor vmalloc.
 */
#include <linux/gfp.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/module.h>

static unsigned int mib = 100;
module_param(mib, uint, 0444);
MODULE_PARM_DESC(mib, "MiB of pages to allocate and keep");

static LIST_HEAD(eaten);

static void memeater_release(void)
{
	struct page *page, *next;

	list_for_each_entry_safe(page, next, &eaten, lru) {
		list_del(&page->lru);
		__free_page(page);
	}
}

static int __init memeater_init(void)
{
	unsigned long n = (unsigned long)mib << (20 - PAGE_SHIFT);

	while (n--) {
		struct page *page = alloc_pages(GFP_KERNEL, 0);

		if (!page) {
			memeater_release();
			return -ENOMEM;
		}
		list_add(&page->lru, &eaten);
	}
	return 0;
}

static void __exit memeater_exit(void)
{
	memeater_release();
}

module_init(memeater_init);
module_exit(memeater_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("memscope test scenario: keeps pages no counter accounts for");
