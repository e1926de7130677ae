# src/decode: files of this room.

# IP defragmentation (defrag room).
libvigil_a_SOURCES += src/decode/defrag.c src/decode/defrag.h \
	src/decode/defrag-ctx.h src/decode/defrag-table.c src/decode/defrag-submit.c \
	src/decode/defrag-parse.c src/decode/defrag-parse.h \
	src/decode/defrag-pool.c src/decode/defrag-pool.h \
	src/decode/defrag-tracker.c src/decode/defrag-tracker.h src/decode/defrag-build.c \
	src/decode/defrag-stats.c
UNIT_TESTS += qa/unit/test_defrag
qa_unit_test_defrag_SOURCES = qa/unit/test_defrag.c qa/unit/test_defrag_frames.h
qa_unit_test_defrag_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
qa_unit_test_defrag_LDADD = $(VIGIL_TEST_LIBS)
FUZZ_TARGETS += qa/fuzz/fuzz_defrag
qa_fuzz_fuzz_defrag_SOURCES = qa/fuzz/fuzz_defrag.c
qa_fuzz_fuzz_defrag_LDADD = $(VIGIL_LIBS)
qa_fuzz_fuzz_defrag_LDFLAGS = -fsanitize=fuzzer
