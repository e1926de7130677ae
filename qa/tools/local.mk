# qa/tools: the project's own pcap generator (libc only, no libvigil) and the
# bare libpcap read loop the benchmark compares Vigil against.
noinst_PROGRAMS += qa/tools/vigil-pcapgen qa/bench/pcap-loop

qa_tools_vigil_pcapgen_SOURCES = \
	qa/tools/vigil-pcapgen.c \
	qa/tools/pcapgen-rand.h \
	qa/tools/pcapgen-frame.c qa/tools/pcapgen-frame.h \
	qa/tools/pcapgen-flow.c qa/tools/pcapgen-flow.h \
	qa/tools/pcapgen-gen.c qa/tools/pcapgen-gen.h \
	qa/tools/pcapgen-synflood.c qa/tools/pcapgen-synflood.h \
	qa/tools/pcapgen-probe.c qa/tools/pcapgen-probe.h \
	qa/tools/pcapgen-pcap.c qa/tools/pcapgen-pcap.h \
	qa/tools/pcapgen-reference.c qa/tools/pcapgen-reference.h
qa_tools_vigil_pcapgen_LDADD =

qa_bench_pcap_loop_SOURCES = qa/bench/pcap-loop.c
qa_bench_pcap_loop_LDADD = $(PCAP_LIBS)

# Flow table microbenchmark on the real engine (qa/bench/run.sh, BENCH_FLOW_TABLE=1).
noinst_PROGRAMS += qa/bench/flow-table-bench
qa_bench_flow_table_bench_SOURCES = qa/bench/flow-table-bench.c
qa_bench_flow_table_bench_LDADD = $(VIGIL_LIBS)

# The machine's random-read latency at the flow table bench's footprints.
noinst_PROGRAMS += qa/bench/mem-access-bench
qa_bench_mem_access_bench_SOURCES = qa/bench/mem-access-bench.c
qa_bench_mem_access_bench_LDADD =

# What CPUs 0 and 1 give at once on this host, next to autofp's ratios.
noinst_PROGRAMS += qa/bench/cpu-capacity
qa_bench_cpu_capacity_SOURCES = qa/bench/cpu-capacity.c
qa_bench_cpu_capacity_LDADD = -lpthread

# The bare DPDK RX loop qa/bench/dpdk-vs-offline.sh compares --dpdk against.
if HAVE_DPDK
noinst_PROGRAMS += qa/bench/dpdk-rx-loop
qa_bench_dpdk_rx_loop_SOURCES = qa/bench/dpdk-rx-loop.c
qa_bench_dpdk_rx_loop_LDADD = $(DPDK_LIBS)

# Vigil's live runmode on a net_ring port preloaded from a pcap (from memory).
noinst_PROGRAMS += qa/bench/dpdk-ring-replay
qa_bench_dpdk_ring_replay_SOURCES = qa/bench/dpdk-ring-replay.c
qa_bench_dpdk_ring_replay_LDADD = $(VIGIL_LIBS) -lrte_net_ring
endif
