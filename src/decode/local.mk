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

# Packet decoder (decode room).
libvigil_a_SOURCES += src/decode/decode.c src/decode/decode.h src/decode/packet.h \
	src/decode/events.c src/decode/events.h src/decode/stats.c src/decode/layers.h \
	src/decode/ethernet.c src/decode/vlan.c src/decode/pppoe.c src/decode/ppp.c \
	src/decode/sll.c src/decode/sll2.c src/decode/null.c src/decode/raw.c \
	src/decode/arp.c src/decode/mpls.c \
	src/decode/ipv4.c src/decode/ipv4_options.c src/decode/ipv4_options.h \
	src/decode/ipv6.c src/decode/ipv6_exthdr.c src/decode/ipv6_exthdr.h \
	src/decode/ip_payload.c src/decode/tcp.c src/decode/udp.c \
	src/decode/icmpv4.c src/decode/icmpv6.c src/decode/sctp.c src/decode/esp.c \
	src/decode/gre.c src/decode/erspan.c src/decode/erspan.h \
	src/decode/vxlan.c src/decode/geneve.c src/decode/teredo.c
UNIT_TESTS += qa/unit/test_decode_events
qa_unit_test_decode_events_SOURCES = qa/unit/test_decode_events.c qa/unit/test_decode_frames.h
qa_unit_test_decode_events_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
qa_unit_test_decode_events_LDADD = $(VIGIL_TEST_LIBS)
FUZZ_TARGETS += qa/fuzz/fuzz_decode
qa_fuzz_fuzz_decode_SOURCES = qa/fuzz/fuzz_decode.c
qa_fuzz_fuzz_decode_LDADD = $(VIGIL_LIBS)
qa_fuzz_fuzz_decode_LDFLAGS = -fsanitize=fuzzer
UNIT_TESTS += qa/unit/test_decode
qa_unit_test_decode_SOURCES = qa/unit/test_decode.c qa/unit/test_decode_frames.h
qa_unit_test_decode_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
qa_unit_test_decode_LDADD = $(VIGIL_TEST_LIBS)
