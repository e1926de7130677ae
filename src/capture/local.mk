# src/capture: packet sources (pcap files; DPDK ports in issue 4).
libvigil_a_SOURCES += \
	src/capture/pcap-file.c src/capture/pcap-file.h
