# src/util: small helpers shared by every room.
libvigil_a_SOURCES += \
	src/util/hash.c src/util/hash.h \
	src/util/log.c src/util/log.h \
	src/util/spinlock.h
libvigil_a_SOURCES += src/util/spsc-ring.c src/util/spsc-ring.h
libvigil_a_SOURCES += src/util/toeplitz.c src/util/toeplitz.h
libvigil_a_SOURCES += src/util/idle-wait.c src/util/idle-wait.h
libvigil_a_SOURCES += src/util/huge-alloc.c src/util/huge-alloc.h

UNIT_TESTS += qa/unit/test_huge_alloc
qa_unit_test_huge_alloc_SOURCES = qa/unit/test_huge_alloc.c
qa_unit_test_huge_alloc_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
qa_unit_test_huge_alloc_LDADD = $(VIGIL_TEST_LIBS)

UNIT_TESTS += qa/unit/test_idle_wait
qa_unit_test_idle_wait_SOURCES = qa/unit/test_idle_wait.c
qa_unit_test_idle_wait_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
qa_unit_test_idle_wait_LDADD = $(VIGIL_TEST_LIBS)
libvigil_a_SOURCES += src/util/prefetch.c src/util/prefetch.h

UNIT_TESTS += qa/unit/test_prefetch
qa_unit_test_prefetch_SOURCES = qa/unit/test_prefetch.c
qa_unit_test_prefetch_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
qa_unit_test_prefetch_LDADD = $(VIGIL_TEST_LIBS)
libvigil_a_SOURCES += src/util/cpu-affinity.c src/util/cpu-affinity.h

UNIT_TESTS += qa/unit/test_cpu_affinity
qa_unit_test_cpu_affinity_SOURCES = qa/unit/test_cpu_affinity.c
qa_unit_test_cpu_affinity_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
qa_unit_test_cpu_affinity_LDADD = $(VIGIL_TEST_LIBS)

libvigil_a_SOURCES += src/util/stop-wait.c src/util/stop-wait.h

UNIT_TESTS += qa/unit/test_spsc_ring
qa_unit_test_spsc_ring_SOURCES = qa/unit/test_spsc_ring.c
qa_unit_test_spsc_ring_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
qa_unit_test_spsc_ring_LDADD = $(VIGIL_TEST_LIBS)

# rte_softrss is inline in rte_thash.h: the DPDK comparison needs only its
# headers, and AM_CFLAGS already carries DPDK_CFLAGS.
UNIT_TESTS += qa/unit/test_toeplitz
qa_unit_test_toeplitz_SOURCES = qa/unit/test_toeplitz.c
qa_unit_test_toeplitz_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
qa_unit_test_toeplitz_LDADD = $(VIGIL_TEST_LIBS)

noinst_PROGRAMS += qa/bench/ring-bench
qa_bench_ring_bench_SOURCES = qa/bench/ring-bench.c
qa_bench_ring_bench_LDADD = $(VIGIL_LIBS)
