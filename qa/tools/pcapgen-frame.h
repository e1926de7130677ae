/* Builds one Ethernet frame (optional 802.1Q tag, IPv4 or IPv6, then TCP, UDP
 * or ICMP echo) with valid checksums, from a small description of the packet. */
#ifndef VIGIL_QA_PCAPGEN_FRAME_H
#define VIGIL_QA_PCAPGEN_FRAME_H

#include <stddef.h>
#include <stdint.h>

/* Largest frame the generator builds: Ethernet + VLAN + IPv6 + TCP with MSS + payload. */
#define PCAPGEN_MAX_PAYLOAD 1400
#define PCAPGEN_MAX_FRAME (14 + 4 + 40 + 24 + PCAPGEN_MAX_PAYLOAD)

#define PCAPGEN_TCP_FIN 0x01
#define PCAPGEN_TCP_SYN 0x02
#define PCAPGEN_TCP_RST 0x04
#define PCAPGEN_TCP_PSH 0x08
#define PCAPGEN_TCP_ACK 0x10

struct pcapgen_endpoint {
    uint8_t mac[6];
    uint8_t addr[16]; /* IPv4 uses the first 4 bytes */
    uint16_t port;    /* unused for ICMP */
};

struct pcapgen_packet {
    const struct pcapgen_endpoint *src;
    const struct pcapgen_endpoint *dst;
    uint8_t family;    /* 4 or 6 */
    uint8_t proto;     /* 6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6 */
    uint16_t vlan_id;  /* 0: untagged */
    uint16_t ip_id;
    uint8_t ttl;
    uint8_t tcp_flags;
    uint8_t tcp_mss_option; /* SYN and SYN/ACK carry an MSS option */
    uint32_t seq, ack;
    uint8_t icmp_type;
    uint16_t icmp_id, icmp_seq;
    const uint8_t *payload;
    uint16_t payload_len; /* at most PCAPGEN_MAX_PAYLOAD */
};

/* Writes the frame into out (PCAPGEN_MAX_FRAME bytes) and returns its length. */
size_t pcapgen_frame_build(const struct pcapgen_packet *p, uint8_t *out);

#endif
