/* Unit tests for the spare pool's slabs: blocks bounded by flow.memcap,
 * flows zeroed and linked, given back flows reused and empty slabs
 * unmapped, and the slab made ready ahead. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "flow/flow-spare.h"

#define TABLE_BYTES 4096u
#define NO_MEMCAP (UINT64_MAX / 2)

static int compare_pointers(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t)*(void *const *)a, y = (uintptr_t)*(void *const *)b;
    return x < y ? -1 : x > y;
}

/* The flows of q in address order; q holds len distinct, unused flows
 * whose links end at its tail. */
static struct flow **fresh_queue_flows(const struct flow_queue *q, uint32_t len)
{
    struct flow **seen = calloc(len ? len : 1, sizeof(*seen));
    assert_non_null(seen);
    uint32_t n = 0;
    for (struct flow *f = q->head; f; f = f->queue_next) {
        assert_true(n < len);
        assert_int_equal(f->pkts_toserver + f->bytes_toclient + f->last_us, 0);
        assert_null(f->hash_next);
        assert_int_equal(f->key.proto, 0);
        seen[n++] = f;
        if (!f->queue_next)
            assert_ptr_equal(f, q->tail);
    }
    assert_int_equal(n, len);
    assert_int_equal(q->len, len);
    qsort(seen, n, sizeof(*seen), compare_pointers);
    for (uint32_t i = 0; i + 1 < n; i++)
        assert_true((char *)seen[i + 1] - (char *)seen[i] >= (ptrdiff_t)FLOW_MEMORY_SIZE);
    return seen;
}

static void assert_fresh_queue(const struct flow_queue *q, uint32_t len)
{
    free(fresh_queue_flows(q, len));
}

static uint64_t memuse_of(struct flow_spare_pool *pool)
{
    return atomic_load(&pool->memuse);
}

static void test_block_stops_at_memcap(void **state)
{
    (void)state;
    struct flow_spare_pool pool;
    uint64_t memcap = TABLE_BYTES + 150 * FLOW_MEMORY_SIZE + FLOW_MEMORY_SIZE / 2;
    assert_int_equal(flow_spare_pool_init(&pool, memcap, TABLE_BYTES, 0), 0);
    struct flow_queue q;
    flow_queue_init(&q);
    assert_int_equal(flow_spare_alloc_block(&pool, &q, 100), 100);
    assert_int_equal(flow_spare_alloc_block(&pool, &q, 100), 50);
    assert_int_equal(flow_spare_alloc_block(&pool, &q, 100), 0);
    assert_fresh_queue(&q, 150);
    assert_int_equal(memuse_of(&pool), TABLE_BYTES + 150 * FLOW_MEMORY_SIZE);
    flow_spare_pool_destroy(&pool);
}

/* A block that runs past the end of one slab continues in the next. */
static void test_block_spans_slabs(void **state)
{
    (void)state;
    struct flow_spare_pool pool;
    assert_int_equal(flow_spare_pool_init(&pool, NO_MEMCAP, TABLE_BYTES, FLOW_SLAB_FLOWS - 30), 0);
    assert_fresh_queue(&pool.spares, FLOW_SLAB_FLOWS - 30);
    assert_int_equal(pool.slabs.count, 1);
    struct flow_queue q;
    flow_queue_init(&q);
    assert_int_equal(flow_spare_alloc_block(&pool, &q, 100), 100);
    assert_fresh_queue(&q, 100);
    assert_int_equal(pool.slabs.count, 2);
    flow_spare_pool_destroy(&pool);
}

/* Flows given back cost no flow.memcap and are the next ones carved. */
static void test_given_back_flows_are_reused_first(void **state)
{
    (void)state;
    struct flow_spare_pool pool;
    assert_int_equal(flow_spare_pool_init(&pool, NO_MEMCAP, TABLE_BYTES, 0), 0);
    struct flow_queue kept, back;
    flow_queue_init(&kept);
    flow_queue_init(&back);
    assert_int_equal(flow_spare_alloc_block(&pool, &kept, 50), 50);
    assert_int_equal(flow_spare_alloc_block(&pool, &back, 50), 50);
    struct flow **before = fresh_queue_flows(&back, 50);
    flow_spare_free_block(&pool, &back);
    assert_int_equal(back.len, 0);
    assert_int_equal(memuse_of(&pool), TABLE_BYTES + 50 * FLOW_MEMORY_SIZE);
    assert_int_equal(flow_spare_alloc_block(&pool, &back, 50), 50);
    struct flow **after = fresh_queue_flows(&back, 50);
    for (unsigned i = 0; i < 50; i++)
        assert_ptr_equal(before[i], after[i]);
    assert_int_equal(memuse_of(&pool), TABLE_BYTES + 100 * FLOW_MEMORY_SIZE);
    free(before);
    free(after);
    flow_spare_pool_destroy(&pool);
}

/* A slab all of whose flows are back is unmapped, but not the newest. */
static void test_empty_slab_is_unmapped(void **state)
{
    (void)state;
    struct flow_spare_pool pool;
    assert_int_equal(flow_spare_pool_init(&pool, NO_MEMCAP, TABLE_BYTES, FLOW_SLAB_FLOWS), 0);
    struct flow_queue newest;
    flow_queue_init(&newest);
    assert_int_equal(flow_spare_alloc_block(&pool, &newest, 10), 10);
    assert_int_equal(pool.slabs.count, 2);
    flow_spare_free_block(&pool, &pool.spares);
    assert_int_equal(pool.slabs.count, 1);
    assert_int_equal(memuse_of(&pool), TABLE_BYTES + 10 * FLOW_MEMORY_SIZE);
    flow_spare_free_block(&pool, &newest);
    assert_int_equal(pool.slabs.count, 1);
    assert_int_equal(memuse_of(&pool), TABLE_BYTES);
    flow_spare_pool_destroy(&pool);
}

/* The ready slab costs no flow.memcap until carved, is taken by the
 * carve that needs a new slab, and its flows come out like any other. */
static void test_prepared_slab_is_carved_next(void **state)
{
    (void)state;
    struct flow_spare_pool pool;
    assert_int_equal(flow_spare_pool_init(&pool, NO_MEMCAP, TABLE_BYTES, FLOW_SLAB_FLOWS - 10), 0);
    uint64_t memuse = memuse_of(&pool);
    flow_spare_pool_prepare_slab(&pool);
    assert_non_null(pool.slabs.ready);
    assert_int_equal(memuse_of(&pool), memuse);
    struct flow_queue q;
    flow_queue_init(&q);
    assert_int_equal(flow_spare_alloc_block(&pool, &q, 10), 10);
    assert_non_null(pool.slabs.ready);
    assert_int_equal(flow_spare_alloc_block(&pool, &q, 100), 100);
    assert_null(pool.slabs.ready);
    assert_true(pool.slabs.newest_linked);
    assert_int_equal(flow_spare_alloc_block(&pool, &q, 100), 100);
    assert_fresh_queue(&q, 210);
    flow_spare_pool_destroy(&pool);
}

/* No slab is made ready while the present slabs hold every flow that
 * flow.memcap still allows, never-used or given back. */
static void test_no_slab_prepared_without_room(void **state)
{
    (void)state;
    struct flow_spare_pool pool;
    uint64_t memcap = TABLE_BYTES + (FLOW_SLAB_FLOWS + 100) * FLOW_MEMORY_SIZE;
    assert_int_equal(flow_spare_pool_init(&pool, memcap, TABLE_BYTES, FLOW_SLAB_FLOWS - 100), 0);
    flow_spare_pool_prepare_slab(&pool);
    assert_non_null(pool.slabs.ready);
    flow_spare_pool_destroy(&pool);

    memcap = TABLE_BYTES + FLOW_SLAB_FLOWS * FLOW_MEMORY_SIZE;
    assert_int_equal(flow_spare_pool_init(&pool, memcap, TABLE_BYTES, FLOW_SLAB_FLOWS), 0);
    struct flow_queue back;
    flow_queue_init(&back);
    assert_int_equal(flow_spare_pool_get_block(&pool, &back), FLOW_SPARE_BLOCK_SIZE);
    flow_spare_free_block(&pool, &back);
    flow_spare_pool_prepare_slab(&pool);
    assert_null(pool.slabs.ready);
    flow_spare_pool_destroy(&pool);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_block_stops_at_memcap),
        cmocka_unit_test(test_block_spans_slabs),
        cmocka_unit_test(test_given_back_flows_are_reused_first),
        cmocka_unit_test(test_empty_slab_is_unmapped),
        cmocka_unit_test(test_prepared_slab_is_carved_next),
        cmocka_unit_test(test_no_slab_prepared_without_room),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
