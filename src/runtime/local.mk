# src/runtime: files of this room.

# Runtime: the packet path, runmodes and the run summary.
libvigil_a_SOURCES += \
	src/runtime/engine.c src/runtime/engine.h \
	src/runtime/flow-output.c src/runtime/flow-output.h \
	src/runtime/packet-path.c src/runtime/packet-path.h \
	src/runtime/runmode-single.c src/runtime/runmode-single.h \
	src/runtime/runmode-autofp.c src/runtime/runmode-autofp.h src/runtime/autofp-internal.h \
	src/runtime/autofp-source.h \
	src/runtime/autofp-capture.c src/runtime/autofp-worker.c src/runtime/autofp-manager.c \
	src/runtime/summary.c src/runtime/summary.h \
	src/runtime/pcap-queue.c src/runtime/pcap-queue.h \
	src/runtime/pcap-service.c src/runtime/pcap-service.h

UNIT_TESTS += qa/unit/test_packet_path
qa_unit_test_packet_path_SOURCES = qa/unit/test_packet_path.c qa/unit/test_decode_frames.h
qa_unit_test_packet_path_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
qa_unit_test_packet_path_LDADD = $(VIGIL_TEST_LIBS)

# Live capture from DPDK ports (issue 4).
if HAVE_DPDK
libvigil_a_SOURCES += src/runtime/runmode-dpdk.c src/runtime/runmode-dpdk.h \
	src/runtime/dpdk-live.h src/runtime/dpdk-autofp.c src/runtime/dpdk-workers.c \
	src/runtime/dpdk-ctl-iface.c
endif

# Configuration: vigil.yaml through libyaml, include:, --set.
libvigil_a_SOURCES += src/runtime/config.c src/runtime/config.h \
	src/runtime/config-node.c src/runtime/config-node.h \
	src/runtime/config-value.c src/runtime/config-value.h \
	src/runtime/config-yaml.c src/runtime/config-yaml.h \
	src/runtime/config-set.c src/runtime/config-apply.c src/runtime/config-apply.h \
	src/runtime/config-outputs.c src/runtime/config-timeouts.c src/runtime/config-decoder.c \
	src/runtime/config-dpdk.c src/runtime/config-affinity.c

UNIT_TESTS += qa/unit/test_pcap_queue
qa_unit_test_pcap_queue_SOURCES = qa/unit/test_pcap_queue.c
qa_unit_test_pcap_queue_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) -DVIGIL_SRCDIR=\"$(abs_top_srcdir)\"
qa_unit_test_pcap_queue_LDADD = $(VIGIL_TEST_LIBS)

UNIT_TESTS += qa/unit/test_config
qa_unit_test_config_SOURCES = qa/unit/test_config.c
qa_unit_test_config_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) -DVIGIL_SRCDIR=\"$(abs_top_srcdir)\"
qa_unit_test_config_LDADD = $(VIGIL_TEST_LIBS)

FUZZ_TARGETS += qa/fuzz/fuzz_config
qa_fuzz_fuzz_config_SOURCES = qa/fuzz/fuzz_config.c
qa_fuzz_fuzz_config_LDADD = $(VIGIL_LIBS)
qa_fuzz_fuzz_config_LDFLAGS = -fsanitize=fuzzer

# Counters and stats: registry, sampling, reports and the stats thread.
libvigil_a_SOURCES += src/runtime/counters.c src/runtime/counters.h \
	src/runtime/stats-sample.c src/runtime/stats-sample.h \
	src/runtime/stats-report.c src/runtime/stats-report.h \
	src/runtime/stats-thread.c src/runtime/stats-thread.h

UNIT_TESTS += qa/unit/test_counters
qa_unit_test_counters_SOURCES = qa/unit/test_counters.c
qa_unit_test_counters_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
qa_unit_test_counters_LDADD = $(VIGIL_TEST_LIBS)

UNIT_TESTS += qa/unit/test_stats_thread
qa_unit_test_stats_thread_SOURCES = qa/unit/test_stats_thread.c
qa_unit_test_stats_thread_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
qa_unit_test_stats_thread_LDADD = $(VIGIL_TEST_LIBS)
