/* Reads YAML files (and their include: / !include files) into one config
 * tree with libyaml's event API, so later stages never see libyaml. */
#ifndef VIGIL_RUNTIME_CONFIG_YAML_H
#define VIGIL_RUNTIME_CONFIG_YAML_H

#include <stddef.h>
#include <sys/types.h>

#include "runtime/config-node.h"
#include "runtime/config.h"

#define CONFIG_INCLUDE_DEPTH 16

/* State of one load: the file names its nodes point at, and the files being
 * read right now (by device and inode) to refuse include cycles. */
struct config_loader {
    struct config_files files;
    struct {
        dev_t dev;
        ino_t ino;
    } open_files[CONFIG_INCLUDE_DEPTH];
    size_t depth;
    struct config_error *err;
};

/* Each returns 0 and a root mapping (empty for an empty document) that the
 * caller frees, or -1 with loader->err set. path is used as given. */
int config_yaml_load_file(struct config_loader *loader, const char *path,
                          struct config_node **root);
int config_yaml_load_buffer(struct config_loader *loader, const char *name,
                            const char *data, size_t len, struct config_node **root);

#endif
