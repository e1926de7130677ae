/* Address formatting for EVE by hand: no inet_ntop/snprintf per record, and
 * IPv6 kept uncompressed because that is what Suricata writes by default. */
#include "output/eve-addr.h"

#include "output/json-builder.h"

static const char hex_digits[] = "0123456789abcdef";

static size_t format_ipv4(char *out, const uint8_t *b)
{
    size_t n = 0;
    for (int i = 0; i < 4; i++) {
        if (i)
            out[n++] = '.';
        n += jb_format_uint(out + n, b[i]);
    }
    return n;
}

static size_t format_ipv6(char *out, const uint8_t *b)
{
    size_t n = 0;
    for (int i = 0; i < 16; i += 2) {
        if (i)
            out[n++] = ':';
        out[n++] = hex_digits[b[i] >> 4];
        out[n++] = hex_digits[b[i] & 0xf];
        out[n++] = hex_digits[b[i + 1] >> 4];
        out[n++] = hex_digits[b[i + 1] & 0xf];
    }
    return n;
}

size_t eve_addr_format(char *out, const union vigil_addr *a, uint8_t ip_version)
{
    return ip_version == 6 ? format_ipv6(out, a->b) : format_ipv4(out, a->b);
}
