# src/capture: packet sources (pcap files; DPDK ports in issue 4).
libvigil_a_SOURCES += \
	src/capture/pcap-file.c src/capture/pcap-file.h \
	src/capture/pcap-records.c src/capture/pcap-records.h
libvigil_a_SOURCES += src/capture/packet-pool.c src/capture/packet-pool.h

UNIT_TESTS += qa/unit/test_pcap_file
qa_unit_test_pcap_file_SOURCES = qa/unit/test_pcap_file.c qa/unit/pcap_compare.h
qa_unit_test_pcap_file_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
qa_unit_test_pcap_file_LDADD = $(VIGIL_TEST_LIBS)

FUZZ_TARGETS += qa/fuzz/fuzz_pcap_file
qa_fuzz_fuzz_pcap_file_SOURCES = qa/fuzz/fuzz_pcap_file.c qa/unit/pcap_compare.h
qa_fuzz_fuzz_pcap_file_LDADD = $(VIGIL_LIBS)
qa_fuzz_fuzz_pcap_file_LDFLAGS = -fsanitize=fuzzer

UNIT_TESTS += qa/unit/test_packet_pool
qa_unit_test_packet_pool_SOURCES = qa/unit/test_packet_pool.c
qa_unit_test_packet_pool_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
qa_unit_test_packet_pool_LDADD = $(VIGIL_TEST_LIBS)

# Live capture from DPDK ports (issue 4): EAL, port set-up, counters.
if HAVE_DPDK
libvigil_a_SOURCES += src/capture/dpdk-eal.c src/capture/dpdk-eal.h \
	src/capture/dpdk-port.c src/capture/dpdk-port.h \
	src/capture/dpdk-rx.c src/capture/dpdk-rx.h
endif
