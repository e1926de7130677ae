# src/vigilctl: the control client and its man pages.
noinst_LIBRARIES += libvigilctl.a
libvigilctl_a_SOURCES = \
	src/vigilctl/vctl-frame.c src/vigilctl/vctl-frame.h \
	src/vigilctl/vctl-args.c src/vigilctl/vctl-args.h \
	src/vigilctl/vctl-table.c src/vigilctl/vctl-table.h \
	src/vigilctl/vctl-format.c src/vigilctl/vctl-format.h \
	src/vigilctl/vctl-client.c src/vigilctl/vctl-client.h \
	src/vigilctl/vctl-prompt.c src/vigilctl/vctl-prompt.h \
	src/vigilctl/vctl-shell.c src/vigilctl/vctl-shell.h
libvigilctl_a_CFLAGS = $(AM_CFLAGS) $(READLINE_CFLAGS)

VIGILCTL_LIBS = libvigilctl.a $(JANSSON_LIBS) $(READLINE_LIBS)

bin_PROGRAMS += vigilctl
vigilctl_SOURCES = src/vigilctl/vigilctl.c
vigilctl_LDADD = $(VIGILCTL_LIBS)

man_MANS = doc/vigil.8 doc/vigilctl.8

UNIT_TESTS += qa/unit/test_vigilctl_frame
qa_unit_test_vigilctl_frame_SOURCES = qa/unit/test_vigilctl_frame.c
qa_unit_test_vigilctl_frame_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
qa_unit_test_vigilctl_frame_LDADD = $(VIGILCTL_LIBS) $(CMOCKA_LIBS)

UNIT_TESTS += qa/unit/test_vigilctl_args
qa_unit_test_vigilctl_args_SOURCES = qa/unit/test_vigilctl_args.c
qa_unit_test_vigilctl_args_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
qa_unit_test_vigilctl_args_LDADD = $(VIGILCTL_LIBS) $(CMOCKA_LIBS)

UNIT_TESTS += qa/unit/test_vigilctl_format
qa_unit_test_vigilctl_format_SOURCES = qa/unit/test_vigilctl_format.c
qa_unit_test_vigilctl_format_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
qa_unit_test_vigilctl_format_LDADD = $(VIGILCTL_LIBS) $(CMOCKA_LIBS)
