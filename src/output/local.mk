# src/output: files of this room.
libvigil_a_SOURCES += \
	src/output/json-builder.c src/output/json-builder.h \
	src/output/eve-time.c src/output/eve-time.h \
	src/output/eve-addr.c src/output/eve-addr.h \
	src/output/eve-proto.c src/output/eve-proto.h \
	src/output/eve-writer.c src/output/eve-writer.h \
	src/output/eve-flow.c src/output/eve-flow.h

UNIT_TESTS += qa/unit/test_json_builder
qa_unit_test_json_builder_SOURCES = qa/unit/test_json_builder.c
qa_unit_test_json_builder_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
qa_unit_test_json_builder_LDADD = $(VIGIL_TEST_LIBS)

UNIT_TESTS += qa/unit/test_output_eve_flow
qa_unit_test_output_eve_flow_SOURCES = qa/unit/test_output_eve_flow.c
qa_unit_test_output_eve_flow_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
qa_unit_test_output_eve_flow_LDADD = $(VIGIL_TEST_LIBS)

UNIT_TESTS += qa/unit/test_output_writer
qa_unit_test_output_writer_SOURCES = qa/unit/test_output_writer.c
qa_unit_test_output_writer_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
qa_unit_test_output_writer_LDADD = $(VIGIL_TEST_LIBS)

UNIT_TESTS += qa/unit/test_output_time
qa_unit_test_output_time_SOURCES = qa/unit/test_output_time.c
qa_unit_test_output_time_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
qa_unit_test_output_time_LDADD = $(VIGIL_TEST_LIBS)

noinst_PROGRAMS += qa/bench/eve-flow-bench
qa_bench_eve_flow_bench_SOURCES = qa/bench/eve-flow-bench.c
qa_bench_eve_flow_bench_LDADD = $(VIGIL_LIBS)
