# src/output: files of this room.
libvigil_a_SOURCES += \
	src/output/json-builder.c src/output/json-builder.h \
	src/output/eve-time.c src/output/eve-time.h

UNIT_TESTS += qa/unit/test_json_builder
qa_unit_test_json_builder_SOURCES = qa/unit/test_json_builder.c
qa_unit_test_json_builder_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
qa_unit_test_json_builder_LDADD = $(VIGIL_TEST_LIBS)

UNIT_TESTS += qa/unit/test_output_time
qa_unit_test_output_time_SOURCES = qa/unit/test_output_time.c
qa_unit_test_output_time_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
qa_unit_test_output_time_LDADD = $(VIGIL_TEST_LIBS)
