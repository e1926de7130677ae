# src/ctl: the control socket (Suricata's unix-socket protocol) and its commands.

libvigil_a_SOURCES += \
	src/ctl/ctl-buffer.c src/ctl/ctl-buffer.h \
	src/ctl/ctl-protocol.c src/ctl/ctl-protocol.h \
	src/ctl/ctl-command.h src/ctl/ctl-commands.c \
	src/ctl/ctl-cmd-conf.c src/ctl/ctl-cmd-counters.c src/ctl/ctl-cmd-iface.c \
	src/ctl/ctl-iface.h src/ctl/ctl-cmd-memcap.c src/ctl/ctl-cmd-flows.c src/ctl/ctl-cmd-pcap.c \
	src/ctl/ctl-flow-filter.c src/ctl/ctl-flow-filter.h \
	src/ctl/ctl-server.c src/ctl/ctl-server.h

UNIT_TESTS += qa/unit/test_ctl_protocol
qa_unit_test_ctl_protocol_SOURCES = qa/unit/test_ctl_protocol.c
qa_unit_test_ctl_protocol_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
qa_unit_test_ctl_protocol_LDADD = $(VIGIL_TEST_LIBS)

UNIT_TESTS += qa/unit/test_ctl_commands
qa_unit_test_ctl_commands_SOURCES = qa/unit/test_ctl_commands.c
qa_unit_test_ctl_commands_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
qa_unit_test_ctl_commands_LDADD = $(VIGIL_TEST_LIBS)

FUZZ_TARGETS += qa/fuzz/fuzz_ctl_command
qa_fuzz_fuzz_ctl_command_SOURCES = qa/fuzz/fuzz_ctl_command.c
qa_fuzz_fuzz_ctl_command_LDADD = $(VIGIL_LIBS)
qa_fuzz_fuzz_ctl_command_LDFLAGS = -fsanitize=fuzzer
