/* libFuzzer target for pcap replay: the input is a capture file; Vigil's
 * reader (plain records read in place, the rest by libpcap) must deliver
 * exactly what libpcap alone delivers, with the same outcome. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "../unit/pcap_compare.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char path[64];
    if (!path[0])
        snprintf(path, sizeof(path), "/tmp/vigil-fuzz-pcap-%d", (int)getpid());
    FILE *fp = fopen(path, "wb");
    if (!fp || fwrite(data, 1, size, fp) != size || fclose(fp) != 0)
        abort();
    struct pcap_digest vigil, reference;
    pcap_digest_with_vigil(path, &vigil);
    pcap_digest_with_libpcap(path, &reference);
    if (!pcap_digests_equal(&vigil, &reference)) {
        fprintf(stderr, "records %llu/%llu unsupported %llu/%llu failed %d/%d hash %s\n",
                (unsigned long long)vigil.records, (unsigned long long)reference.records,
                (unsigned long long)vigil.unsupported, (unsigned long long)reference.unsupported,
                vigil.failed, reference.failed, vigil.hash == reference.hash ? "same" : "differs");
        abort();
    }
    return 0;
}
