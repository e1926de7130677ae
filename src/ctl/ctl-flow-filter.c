/* flow-list's filter: addresses by inet_pton, ports and limits range
 * checked, proto by EVE name or number. */
#include "ctl/ctl-flow-filter.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "output/eve-proto.h"

static bool parse_addr(json_t *value, const char *key, union vigil_addr *addr,
                       uint8_t *version, char *err, size_t errlen)
{
    if (!json_is_string(value)) {
        snprintf(err, errlen, "%s is not a string", key);
        return false;
    }
    memset(addr, 0, sizeof(*addr));
    if (inet_pton(AF_INET, json_string_value(value), addr->b) == 1) {
        *version = 4;
        return true;
    }
    if (inet_pton(AF_INET6, json_string_value(value), addr->b) == 1) {
        *version = 6;
        return true;
    }
    snprintf(err, errlen, "%s is not an IPv4 or IPv6 address", key);
    return false;
}

static bool parse_uint(json_t *value, const char *key, json_int_t min, json_int_t max,
                       json_int_t *out, char *err, size_t errlen)
{
    if (!json_is_integer(value) || json_integer_value(value) < min ||
        json_integer_value(value) > max) {
        snprintf(err, errlen, "%s is not an integer from %lld to %lld", key, (long long)min,
                 (long long)max);
        return false;
    }
    *out = json_integer_value(value);
    return true;
}

static bool parse_proto(json_t *value, uint8_t *proto, char *err, size_t errlen)
{
    json_int_t number;
    if (json_is_integer(value))
        return parse_uint(value, "proto", 0, 255, &number, err, errlen) &&
               (*proto = (uint8_t)number, true);
    if (json_is_string(value)) {
        for (unsigned p = 0; p <= 255; p++) {
            char numbuf[4];
            if (strcasecmp(eve_proto_name((uint8_t)p, numbuf), json_string_value(value)) == 0) {
                *proto = (uint8_t)p;
                return true;
            }
        }
    }
    snprintf(err, errlen, "proto is not a protocol name (TCP, UDP, ICMP...) or number");
    return false;
}

static bool parse_port(json_t *args, const char *key, bool *has, uint16_t *port, char *err,
                       size_t errlen)
{
    json_t *value = json_object_get(args, key);
    json_int_t number;
    if (value == NULL)
        return true;
    if (!parse_uint(value, key, 0, 65535, &number, err, errlen))
        return false;
    *has = true;
    *port = (uint16_t)number;
    return true;
}

bool ctl_flow_filter_parse(json_t *args, struct ctl_flow_filter *f, char *err, size_t errlen)
{
    memset(f, 0, sizeof(*f));
    f->limit = CTL_FLOW_LIST_DEFAULT;
    json_t *value;
    json_int_t number;
    if ((value = json_object_get(args, "src_ip")) != NULL &&
        !(f->has_src = parse_addr(value, "src_ip", &f->src, &f->src_version, err, errlen)))
        return false;
    if ((value = json_object_get(args, "dest_ip")) != NULL &&
        !(f->has_dst = parse_addr(value, "dest_ip", &f->dst, &f->dst_version, err, errlen)))
        return false;
    if (!parse_port(args, "src_port", &f->has_sp, &f->sp, err, errlen) ||
        !parse_port(args, "dest_port", &f->has_dp, &f->dp, err, errlen))
        return false;
    if ((value = json_object_get(args, "proto")) != NULL &&
        !(f->has_proto = parse_proto(value, &f->proto, err, errlen)))
        return false;
    if ((value = json_object_get(args, "limit")) != NULL) {
        if (!parse_uint(value, "limit", 1, CTL_FLOW_LIST_MAX, &number, err, errlen))
            return false;
        f->limit = (size_t)number;
    }
    return true;
}

static bool addr_equal(const union vigil_addr *a, uint8_t a_version, const union vigil_addr *b,
                       uint8_t b_version)
{
    return a_version == b_version && memcmp(a, b, sizeof(*a)) == 0;
}

bool ctl_flow_filter_match(const struct ctl_flow_filter *f, const struct flow_key *key)
{
    return (!f->has_src || addr_equal(&f->src, f->src_version, &key->src, key->ip_version)) &&
           (!f->has_dst || addr_equal(&f->dst, f->dst_version, &key->dst, key->ip_version)) &&
           (!f->has_sp || f->sp == key->sp) && (!f->has_dp || f->dp == key->dp) &&
           (!f->has_proto || f->proto == key->proto);
}
