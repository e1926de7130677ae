/* vigilctl: Vigil's control client. One command from the command line, or an
 * interactive prompt; exit 0 on OK, 1 on NOK or no connection, 2 on usage errors. */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "vigilctl/vctl-args.h"
#include "vigilctl/vctl-client.h"
#include "vigilctl/vctl-format.h"
#include "vigilctl/vctl-shell.h"

enum { EXIT_NOK = 1, EXIT_USAGE = 2 };

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: vigilctl [-s socket] [--json] [command [args...]]\n"
            "\n"
            "Sends a command to a running vigil over its control socket and prints the\n"
            "reply. Without a command: an interactive prompt.\n"
            "\n"
            "  -s, --socket <path>  control socket (default: $VIGIL_SOCKET, else\n"
            "                       " VCTL_DEFAULT_SOCKET ")\n"
            "  -j, --json           print the raw JSON reply\n"
            "  -h, --help           this help\n"
            "  -V, --version        vigilctl's version\n"
            "\n"
            "Arguments are key=value (digits only: an integer), or positional where\n"
            "suricatasc takes them: iface-stat <iface>, conf-get <variable>,\n"
            "memcap-show <config>, memcap-set <config> <memcap>, flow-show <flow_id>,\n"
            "pcap-file <filename> <output-dir>.\n"
            "Examples: vigilctl dump-counters; vigilctl flow-list src_ip=10.0.0.1 proto=TCP\n");
}

struct options {
    const char *socket;
    bool raw_json;
};

/* Returns the index of the command in argv, or -1 after a usage message. */
static int parse_options(int argc, char **argv, struct options *opt)
{
    static const struct option longopts[] = {
        {"socket", required_argument, NULL, 's'},
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    const char *env = getenv("VIGIL_SOCKET");
    opt->socket = env && *env ? env : VCTL_DEFAULT_SOCKET;
    opt->raw_json = false;
    for (int c; (c = getopt_long(argc, argv, "+s:jhV", longopts, NULL)) != -1;) {
        switch (c) {
        case 's':
            opt->socket = optarg;
            break;
        case 'j':
            opt->raw_json = true;
            break;
        case 'h':
            usage(stdout);
            exit(0);
        case 'V':
            printf("vigilctl %s\n", PACKAGE_VERSION);
            exit(0);
        default:
            fprintf(stderr, "vigilctl: see vigilctl --help\n");
            return -1;
        }
    }
    return optind;
}

static int run_command(struct vctl_conn *conn, const char *command, json_t *request,
                       bool raw_json)
{
    char err[512];
    json_t *reply = vctl_call(conn, request, err, sizeof(err));
    if (reply == NULL) {
        fprintf(stderr, "vigilctl: %s: %s\n", command, err);
        return EXIT_NOK;
    }
    int status = vctl_print_reply(stdout, stderr, command, reply, raw_json);
    json_decref(reply);
    return status;
}

int main(int argc, char **argv)
{
    struct options opt;
    int first = parse_options(argc, argv, &opt);
    if (first < 0)
        return EXIT_USAGE;
    char err[512];
    json_t *request = NULL;
    /* A usage error is reported before connecting. */
    if (first < argc &&
        (request = vctl_request_build(argc - first, argv + first, err, sizeof(err))) == NULL) {
        fprintf(stderr, "vigilctl: %s\n", err);
        return EXIT_USAGE;
    }
    struct vctl_conn conn;
    int status;
    if (vctl_connect(&conn, opt.socket, err, sizeof(err)) != 0) {
        fprintf(stderr, "vigilctl: %s\n", err);
        status = EXIT_NOK;
    } else {
        status = request ? run_command(&conn, argv[first], request, opt.raw_json)
                         : vctl_shell_run(&conn, opt.raw_json);
        vctl_disconnect(&conn);
    }
    json_decref(request);
    return status;
}
