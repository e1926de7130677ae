# src/flow: the flow table, spare pool, timeouts, TCP state and manager.
libvigil_a_SOURCES += \
	src/flow/flow.h \
	src/flow/flow-engine.c src/flow/flow-engine.h \
	src/flow/flow-hash.c src/flow/flow-hash.h \
	src/flow/flow-manager.c \
	src/flow/flow-shutdown.c \
	src/flow/flow-packet.c \
	src/flow/flow-queue.h \
	src/flow/flow-recycler.c src/flow/flow-recycler.h \
	src/flow/flow-slab.c src/flow/flow-slab.h \
	src/flow/flow-spare.c src/flow/flow-spare.h \
	src/flow/flow-stats.c src/flow/flow-stats.h \
	src/flow/flow-table.c src/flow/flow-table.h \
	src/flow/flow-tcp.c src/flow/flow-tcp.h \
	src/flow/flow-timeout.c src/flow/flow-timeout.h

UNIT_TESTS += qa/unit/test_flow
qa_unit_test_flow_SOURCES = qa/unit/test_flow.c
qa_unit_test_flow_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
qa_unit_test_flow_LDADD = $(VIGIL_TEST_LIBS)

UNIT_TESTS += qa/unit/test_flow_spare
qa_unit_test_flow_spare_SOURCES = qa/unit/test_flow_spare.c
qa_unit_test_flow_spare_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
qa_unit_test_flow_spare_LDADD = $(VIGIL_TEST_LIBS)
