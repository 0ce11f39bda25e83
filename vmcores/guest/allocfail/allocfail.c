// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * allocfail: the allocfail scenario's module.  Takes every free block of
 * `order` pages the allocator will give without reclaim, splits it and keeps
 * only its first page: the rest goes back, so free memory stays plentiful but
 * no block of that order (or above) can form again.  Then it asks for one
 * such block with GFP_KERNEL | __GFP_NORETRY and no __GFP_NOWARN, so that
 * warn_alloc() prints "page allocation failure" with the Mem-Info report.
 * The pages it keeps stay held until unloaded.  Every second it breaks the
 * order-N blocks that formed again since (insmod's copy of the module and
 * other memory in use while it first looked are freed afterwards), so the
 * dump still shows no such block.
 */
#include <linux/gfp.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/workqueue.h>

static unsigned int order = 9;
module_param(order, uint, 0444);
MODULE_PARM_DESC(order, "order of the blocks to break and then ask for");

static LIST_HEAD(held);
static unsigned long nheld;
static void refill_fn(struct work_struct *w);
static DECLARE_DELAYED_WORK(refill, refill_fn);

static void allocfail_release(void)
{
	struct page *page, *next;

	list_for_each_entry_safe(page, next, &held, lru) {
		list_del(&page->lru);
		__free_page(page);
	}
}

/* Take every free order-N block, keep its first page, give the rest back.
 * No reclaim, no kswapd, no warning: only what is free right now. */
static unsigned long break_blocks(void)
{
	struct page *page;
	unsigned long i, n = 0;

	while ((page = alloc_pages(__GFP_NOWARN, order))) {
		split_page(page, order);
		for (i = 1; i < (1UL << order); i++)
			__free_page(page + i);
		list_add(&page->lru, &held);
		nheld++;
		n++;
	}
	return n;
}

static void refill_fn(struct work_struct *w)
{
	break_blocks();
	schedule_delayed_work(&refill, HZ);
}

static int __init allocfail_init(void)
{
	struct page *page;

	if (order >= 11)
		return -EINVAL;
	break_blocks();
	pr_info("allocfail: holding one page of each of %lu order-%u blocks\n", nheld, order);

	page = alloc_pages(GFP_KERNEL | __GFP_NORETRY, order);
	if (page) {
		pr_info("allocfail: the order-%u allocation succeeded after all\n", order);
		__free_pages(page, order);
	} else {
		pr_info("allocfail: the order-%u allocation failed\n", order);
	}
	schedule_delayed_work(&refill, HZ);
	return 0;
}

static void __exit allocfail_exit(void)
{
	cancel_delayed_work_sync(&refill);
	allocfail_release();
}

module_init(allocfail_init);
module_exit(allocfail_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("memscope test scenario: free memory without a high-order block, and a failed allocation");
