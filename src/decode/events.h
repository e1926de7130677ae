/* Decoder events: every malformation the decoder can report, with Suricata's
 * names so EVE stats and decode-event rules read the same as Suricata's. */
#ifndef VIGIL_DECODE_EVENTS_H
#define VIGIL_DECODE_EVENTS_H

/* One list drives the enum, the name table and the stats field table, so
 * they cannot drift apart. */
#define DECODE_EVENT_LIST(X) \
    X(DECODE_EV_AFPACKET_TRUNC_PKT, "afpacket.trunc_pkt") \
    X(DECODE_EV_ARP_INVALID_HARDWARE_SIZE, "arp.invalid_hardware_size") \
    X(DECODE_EV_ARP_INVALID_PKT, "arp.invalid_pkt") \
    X(DECODE_EV_ARP_INVALID_PROTOCOL_SIZE, "arp.invalid_protocol_size") \
    X(DECODE_EV_ARP_PKT_TOO_SMALL, "arp.pkt_too_small") \
    X(DECODE_EV_ARP_UNSUPPORTED_HARDWARE, "arp.unsupported_hardware") \
    X(DECODE_EV_ARP_UNSUPPORTED_OPCODE, "arp.unsupported_opcode") \
    X(DECODE_EV_ARP_UNSUPPORTED_PROTOCOL, "arp.unsupported_protocol") \
    X(DECODE_EV_CHDLC_PKT_TOO_SMALL, "chdlc.pkt_too_small") \
    X(DECODE_EV_DCE_PKT_TOO_SMALL, "dce.pkt_too_small") \
    X(DECODE_EV_ERSPAN_HEADER_TOO_SMALL, "erspan.header_too_small") \
    X(DECODE_EV_ERSPAN_TOO_MANY_VLAN_LAYERS, "erspan.too_many_vlan_layers") \
    X(DECODE_EV_ERSPAN_UNSUPPORTED_VERSION, "erspan.unsupported_version") \
    X(DECODE_EV_ESP_PKT_TOO_SMALL, "esp.pkt_too_small") \
    X(DECODE_EV_ETAG_HEADER_TOO_SMALL, "etag.header_too_small") \
    X(DECODE_EV_ETAG_UNKNOWN_TYPE, "etag.unknown_type") \
    X(DECODE_EV_ETHERNET_PKT_TOO_SMALL, "ethernet.pkt_too_small") \
    X(DECODE_EV_ETHERNET_UNKNOWN_ETHERTYPE, "ethernet.unknown_ethertype") \
    X(DECODE_EV_GENEVE_UNKNOWN_PAYLOAD_TYPE, "geneve.unknown_payload_type") \
    X(DECODE_EV_GRE_PKT_TOO_SMALL, "gre.pkt_too_small") \
    X(DECODE_EV_GRE_VERSION0_FLAGS, "gre.version0_flags") \
    X(DECODE_EV_GRE_VERSION0_HDR_TOO_BIG, "gre.version0_hdr_too_big") \
    X(DECODE_EV_GRE_VERSION0_MALFORMED_SRE_HDR, "gre.version0_malformed_sre_hdr") \
    X(DECODE_EV_GRE_VERSION0_RECUR, "gre.version0_recur") \
    X(DECODE_EV_GRE_VERSION1_CHKSUM, "gre.version1_chksum") \
    X(DECODE_EV_GRE_VERSION1_FLAGS, "gre.version1_flags") \
    X(DECODE_EV_GRE_VERSION1_HDR_TOO_BIG, "gre.version1_hdr_too_big") \
    X(DECODE_EV_GRE_VERSION1_MALFORMED_SRE_HDR, "gre.version1_malformed_sre_hdr") \
    X(DECODE_EV_GRE_VERSION1_NO_KEY, "gre.version1_no_key") \
    X(DECODE_EV_GRE_VERSION1_RECUR, "gre.version1_recur") \
    X(DECODE_EV_GRE_VERSION1_ROUTE, "gre.version1_route") \
    X(DECODE_EV_GRE_VERSION1_SSR, "gre.version1_ssr") \
    X(DECODE_EV_GRE_VERSION1_WRONG_PROTOCOL, "gre.version1_wrong_protocol") \
    X(DECODE_EV_GRE_WRONG_VERSION, "gre.wrong_version") \
    X(DECODE_EV_ICMPV4_IPV4_TRUNC_PKT, "icmpv4.ipv4_trunc_pkt") \
    X(DECODE_EV_ICMPV4_IPV4_UNKNOWN_VER, "icmpv4.ipv4_unknown_ver") \
    X(DECODE_EV_ICMPV4_PKT_TOO_SMALL, "icmpv4.pkt_too_small") \
    X(DECODE_EV_ICMPV4_UNKNOWN_CODE, "icmpv4.unknown_code") \
    X(DECODE_EV_ICMPV4_UNKNOWN_TYPE, "icmpv4.unknown_type") \
    X(DECODE_EV_ICMPV6_EXPERIMENTATION_TYPE, "icmpv6.experimentation_type") \
    X(DECODE_EV_ICMPV6_IPV6_TRUNC_PKT, "icmpv6.ipv6_trunc_pkt") \
    X(DECODE_EV_ICMPV6_IPV6_UNKNOWN_VERSION, "icmpv6.ipv6_unknown_version") \
    X(DECODE_EV_ICMPV6_MLD_MESSAGE_WITH_INVALID_HL, "icmpv6.mld_message_with_invalid_hl") \
    X(DECODE_EV_ICMPV6_PKT_TOO_SMALL, "icmpv6.pkt_too_small") \
    X(DECODE_EV_ICMPV6_UNASSIGNED_TYPE, "icmpv6.unassigned_type") \
    X(DECODE_EV_ICMPV6_UNKNOWN_CODE, "icmpv6.unknown_code") \
    X(DECODE_EV_ICMPV6_UNKNOWN_TYPE, "icmpv6.unknown_type") \
    X(DECODE_EV_IEEE8021AH_HEADER_TOO_SMALL, "ieee8021ah.header_too_small") \
    X(DECODE_EV_IGMP_MALFORMED, "igmp.malformed") \
    X(DECODE_EV_IGMP_PKT_TOO_SMALL, "igmp.pkt_too_small") \
    X(DECODE_EV_IGMP_V3_PKT_TOO_SMALL, "igmp.v3_pkt_too_small") \
    X(DECODE_EV_IPRAW_INVALID_IP_VERSION, "ipraw.invalid_ip_version") \
    X(DECODE_EV_IPV4_FRAG_IGNORED, "ipv4.frag_ignored") \
    X(DECODE_EV_IPV4_FRAG_OVERLAP, "ipv4.frag_overlap") \
    X(DECODE_EV_IPV4_FRAG_PKT_TOO_LARGE, "ipv4.frag_pkt_too_large") \
    X(DECODE_EV_IPV4_HLEN_TOO_SMALL, "ipv4.hlen_too_small") \
    X(DECODE_EV_IPV4_ICMPV6, "ipv4.icmpv6") \
    X(DECODE_EV_IPV4_IPLEN_SMALLER_THAN_HLEN, "ipv4.iplen_smaller_than_hlen") \
    X(DECODE_EV_IPV4_OPT_DUPLICATE, "ipv4.opt_duplicate") \
    X(DECODE_EV_IPV4_OPT_EOL_REQUIRED, "ipv4.opt_eol_required") \
    X(DECODE_EV_IPV4_OPT_INVALID, "ipv4.opt_invalid") \
    X(DECODE_EV_IPV4_OPT_INVALID_LEN, "ipv4.opt_invalid_len") \
    X(DECODE_EV_IPV4_OPT_MALFORMED, "ipv4.opt_malformed") \
    X(DECODE_EV_IPV4_OPT_PAD_REQUIRED, "ipv4.opt_pad_required") \
    X(DECODE_EV_IPV4_OPT_UNKNOWN, "ipv4.opt_unknown") \
    X(DECODE_EV_IPV4_PKT_TOO_SMALL, "ipv4.pkt_too_small") \
    X(DECODE_EV_IPV4_TRUNC_PKT, "ipv4.trunc_pkt") \
    X(DECODE_EV_IPV4_UNKNOWN_PROTOCOL, "ipv4.unknown_protocol") \
    X(DECODE_EV_IPV4_WRONG_IP_VERSION, "ipv4.wrong_ip_version") \
    X(DECODE_EV_IPV6_DATA_AFTER_NONE_HEADER, "ipv6.data_after_none_header") \
    X(DECODE_EV_IPV6_DSTOPTS_ONLY_PADDING, "ipv6.dstopts_only_padding") \
    X(DECODE_EV_IPV6_DSTOPTS_UNKNOWN_OPT, "ipv6.dstopts_unknown_opt") \
    X(DECODE_EV_IPV6_EXTHDR_AH_RES_NOT_NULL, "ipv6.exthdr_ah_res_not_null") \
    X(DECODE_EV_IPV6_EXTHDR_DUPL_AH, "ipv6.exthdr_dupl_ah") \
    X(DECODE_EV_IPV6_EXTHDR_DUPL_DH, "ipv6.exthdr_dupl_dh") \
    X(DECODE_EV_IPV6_EXTHDR_DUPL_EH, "ipv6.exthdr_dupl_eh") \
    X(DECODE_EV_IPV6_EXTHDR_DUPL_FH, "ipv6.exthdr_dupl_fh") \
    X(DECODE_EV_IPV6_EXTHDR_DUPL_HH, "ipv6.exthdr_dupl_hh") \
    X(DECODE_EV_IPV6_EXTHDR_DUPL_RH, "ipv6.exthdr_dupl_rh") \
    X(DECODE_EV_IPV6_EXTHDR_INVALID_OPTLEN, "ipv6.exthdr_invalid_optlen") \
    X(DECODE_EV_IPV6_EXTHDR_USELESS_FH, "ipv6.exthdr_useless_fh") \
    X(DECODE_EV_IPV6_FH_NON_ZERO_RESERVED_FIELD, "ipv6.fh_non_zero_reserved_field") \
    X(DECODE_EV_IPV6_FRAG_IGNORED, "ipv6.frag_ignored") \
    X(DECODE_EV_IPV6_FRAG_INVALID_LENGTH, "ipv6.frag_invalid_length") \
    X(DECODE_EV_IPV6_FRAG_OVERLAP, "ipv6.frag_overlap") \
    X(DECODE_EV_IPV6_FRAG_PKT_TOO_LARGE, "ipv6.frag_pkt_too_large") \
    X(DECODE_EV_IPV6_HOPOPTS_ONLY_PADDING, "ipv6.hopopts_only_padding") \
    X(DECODE_EV_IPV6_HOPOPTS_UNKNOWN_OPT, "ipv6.hopopts_unknown_opt") \
    X(DECODE_EV_IPV6_ICMPV4, "ipv6.icmpv4") \
    X(DECODE_EV_IPV6_IPV4_IN_IPV6_TOO_SMALL, "ipv6.ipv4_in_ipv6_too_small") \
    X(DECODE_EV_IPV6_IPV4_IN_IPV6_WRONG_VERSION, "ipv6.ipv4_in_ipv6_wrong_version") \
    X(DECODE_EV_IPV6_IPV6_IN_IPV6_TOO_SMALL, "ipv6.ipv6_in_ipv6_too_small") \
    X(DECODE_EV_IPV6_IPV6_IN_IPV6_WRONG_VERSION, "ipv6.ipv6_in_ipv6_wrong_version") \
    X(DECODE_EV_IPV6_PKT_TOO_SMALL, "ipv6.pkt_too_small") \
    X(DECODE_EV_IPV6_RH_TYPE_0, "ipv6.rh_type_0") \
    X(DECODE_EV_IPV6_TRUNC_EXTHDR, "ipv6.trunc_exthdr") \
    X(DECODE_EV_IPV6_TRUNC_PKT, "ipv6.trunc_pkt") \
    X(DECODE_EV_IPV6_UNKNOWN_NEXT_HEADER, "ipv6.unknown_next_header") \
    X(DECODE_EV_IPV6_WRONG_IP_VERSION, "ipv6.wrong_ip_version") \
    X(DECODE_EV_IPV6_ZERO_LEN_PADN, "ipv6.zero_len_padn") \
    X(DECODE_EV_LTNULL_PKT_TOO_SMALL, "ltnull.pkt_too_small") \
    X(DECODE_EV_LTNULL_UNSUPPORTED_TYPE, "ltnull.unsupported_type") \
    X(DECODE_EV_MPLS_BAD_LABEL_IMPLICIT_NULL, "mpls.bad_label_implicit_null") \
    X(DECODE_EV_MPLS_BAD_LABEL_RESERVED, "mpls.bad_label_reserved") \
    X(DECODE_EV_MPLS_BAD_LABEL_ROUTER_ALERT, "mpls.bad_label_router_alert") \
    X(DECODE_EV_MPLS_HEADER_TOO_SMALL, "mpls.header_too_small") \
    X(DECODE_EV_MPLS_PKT_TOO_SMALL, "mpls.pkt_too_small") \
    X(DECODE_EV_MPLS_UNKNOWN_PAYLOAD_TYPE, "mpls.unknown_payload_type") \
    X(DECODE_EV_NSH_BAD_HEADER_LENGTH, "nsh.bad_header_length") \
    X(DECODE_EV_NSH_HEADER_TOO_SMALL, "nsh.header_too_small") \
    X(DECODE_EV_NSH_RESERVED_TYPE, "nsh.reserved_type") \
    X(DECODE_EV_NSH_UNKNOWN_PAYLOAD, "nsh.unknown_payload") \
    X(DECODE_EV_NSH_UNSUPPORTED_TYPE, "nsh.unsupported_type") \
    X(DECODE_EV_NSH_UNSUPPORTED_VERSION, "nsh.unsupported_version") \
    X(DECODE_EV_PPP_IP4_PKT_TOO_SMALL, "ppp.ip4_pkt_too_small") \
    X(DECODE_EV_PPP_IP6_PKT_TOO_SMALL, "ppp.ip6_pkt_too_small") \
    X(DECODE_EV_PPP_PKT_TOO_SMALL, "ppp.pkt_too_small") \
    X(DECODE_EV_PPP_UNSUP_PROTO, "ppp.unsup_proto") \
    X(DECODE_EV_PPP_VJU_PKT_TOO_SMALL, "ppp.vju_pkt_too_small") \
    X(DECODE_EV_PPP_WRONG_TYPE, "ppp.wrong_type") \
    X(DECODE_EV_PPPOE_MALFORMED_TAGS, "pppoe.malformed_tags") \
    X(DECODE_EV_PPPOE_PKT_TOO_SMALL, "pppoe.pkt_too_small") \
    X(DECODE_EV_PPPOE_WRONG_CODE, "pppoe.wrong_code") \
    X(DECODE_EV_SCTP_CHUNK_LEN_INVALID, "sctp.chunk_len_invalid") \
    X(DECODE_EV_SCTP_CHUNK_TOO_SMALL, "sctp.chunk_too_small") \
    X(DECODE_EV_SCTP_DATA_WITH_ZERO_VTAG, "sctp.data_with_zero_vtag") \
    X(DECODE_EV_SCTP_INIT_CHUNK_BUNDLED, "sctp.init_chunk_bundled") \
    X(DECODE_EV_SCTP_INIT_WITH_NON_ZERO_VTAG, "sctp.init_with_non_zero_vtag") \
    X(DECODE_EV_SCTP_PKT_TOO_SMALL, "sctp.pkt_too_small") \
    X(DECODE_EV_SCTP_TOO_MANY_CHUNKS, "sctp.too_many_chunks") \
    X(DECODE_EV_SCTP_TOO_MANY_DATA_CHUNKS, "sctp.too_many_data_chunks") \
    X(DECODE_EV_SLL_PKT_TOO_SMALL, "sll.pkt_too_small") \
    X(DECODE_EV_SLL2_PKT_TOO_SMALL, "sll2.pkt_too_small") \
    X(DECODE_EV_TCP_HLEN_TOO_SMALL, "tcp.hlen_too_small") \
    X(DECODE_EV_TCP_INVALID_OPTLEN, "tcp.invalid_optlen") \
    X(DECODE_EV_TCP_OPT_DUPLICATE, "tcp.opt_duplicate") \
    X(DECODE_EV_TCP_OPT_INVALID_LEN, "tcp.opt_invalid_len") \
    X(DECODE_EV_TCP_PKT_TOO_SMALL, "tcp.pkt_too_small") \
    X(DECODE_EV_UDP_HLEN_INVALID, "udp.hlen_invalid") \
    X(DECODE_EV_UDP_HLEN_TOO_SMALL, "udp.hlen_too_small") \
    X(DECODE_EV_UDP_LEN_INVALID, "udp.len_invalid") \
    X(DECODE_EV_UDP_PKT_TOO_SMALL, "udp.pkt_too_small") \
    X(DECODE_EV_VLAN_HEADER_TOO_SMALL, "vlan.header_too_small") \
    X(DECODE_EV_VLAN_TOO_MANY_LAYERS, "vlan.too_many_layers") \
    X(DECODE_EV_VLAN_UNKNOWN_TYPE, "vlan.unknown_type") \
    X(DECODE_EV_VNTAG_HEADER_TOO_SMALL, "vntag.header_too_small") \
    X(DECODE_EV_VNTAG_UNKNOWN_TYPE, "vntag.unknown_type") \
    X(DECODE_EV_VXLAN_UNKNOWN_PAYLOAD_TYPE, "vxlan.unknown_payload_type")

enum decode_event {
#define DECODE_EVENT_ENUM(id, name) id,
    DECODE_EVENT_LIST(DECODE_EVENT_ENUM)
#undef DECODE_EVENT_ENUM
    DECODE_EVENT_COUNT
};

/* Suricata's name without the "decoder.event." prefix, e.g. "ipv4.trunc_pkt";
 * NULL for values outside the enum. */
const char *decode_event_name(enum decode_event ev);

#endif
