/* Vigil's entry point: the command line (Suricata's options where they
 * exist), configuration, start-up and shutdown order, and exit codes. */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <pcap/pcap.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "config.h"
#include "ctl/ctl-server.h"
#include "output/output-reopen.h"
#include "runtime/config.h"
#include "runtime/engine.h"
#include "runtime/pcap-service.h"
#include "runtime/runmode-autofp.h"
#ifdef HAVE_DPDK
#include "runtime/runmode-dpdk.h"
#endif
#include "runtime/runmode-single.h"
#include "util/cpu-affinity.h"
#include "util/log.h"

enum exit_code { EXIT_OK = 0, EXIT_USAGE = 1, EXIT_RUNTIME = 2 };

enum long_only_option {
    OPT_RUNMODE = 0x100,
    OPT_SET,
    OPT_BUILD_INFO,
    OPT_DPDK,
    OPT_UNIX_SOCKET,
};

struct cli {
    const char *config_file;
    const char *pcap_input;
    const char *log_dir;
    const char *runmode;
    char **sets;
    size_t set_count;
    bool test_config;
    bool dpdk;
    bool unix_socket;           /* --unix-socket: the pcap-service runmode */
    const char *unix_socket_path;
    int verbosity;
};

/* VIGIL_STOP_* bits. Lock-free, so safe to set from the handler and to
 * read from the capture thread. */
static atomic_int stop_requested;

static void on_stop_signal(int sig)
{
    (void)sig;
    if (atomic_fetch_or(&stop_requested, VIGIL_STOP_SHUTDOWN) & VIGIL_STOP_SHUTDOWN)
        _exit(EXIT_RUNTIME);
}

static void on_reopen_signal(int sig)
{
    (void)sig;
    output_request_reopen();
}

/* The control socket's shutdown: the same stop as one SIGTERM. */
static void request_stop(void *arg)
{
    (void)arg;
    atomic_fetch_or(&stop_requested, VIGIL_STOP_SHUTDOWN);
}

/* The control socket and the run it reports on; engines attach through the
 * engine observer whichever runmode opens them. */
struct control {
    struct ctl_server *server;
    struct ctl_run_info run;
};

static void control_opened(void *arg, struct vigil_engine *ve)
{
    struct control *c = arg;
    ctl_server_attach_engine(c->server, ve, &c->run);
}

static void control_closing(void *arg, struct vigil_engine *ve)
{
    struct control *c = arg;
    ctl_server_detach_engine(c->server, ve);
}

/* unix-command.enabled: auto serves live capture only. */
static bool control_wanted(const struct vigil_config *cfg, bool live)
{
    enum vigil_unix_command_mode mode = cfg->unix_command.enabled;
    return mode == VIGIL_UNIX_COMMAND_YES || (mode == VIGIL_UNIX_COMMAND_AUTO && live);
}

/* Starts the server; queue is pcap-service mode's (NULL otherwise). Returns
 * 0, or -1 after saying why. */
static int control_start(struct control *c, const struct vigil_config *cfg,
                         struct pcap_queue *queue)
{
    char path[4096], err[512];
    if (ctl_server_socket_path(cfg, path, sizeof(path), err, sizeof(err)) != 0) {
        fprintf(stderr, "vigil: unix-command: %s\n", err);
        return -1;
    }
    struct ctl_server_config sc = {
        .path = path,
        .cfg = cfg,
        .request_stop = request_stop,
        .pcap_queue = queue,
        .idle_run = queue ? &c->run : NULL,
    };
    c->server = ctl_server_start(&sc, err, sizeof(err));
    if (c->server == NULL) {
        fprintf(stderr, "vigil: unix-command: %s\n", err);
        return -1;
    }
    struct vigil_engine_observer observer = {control_opened, control_closing, c};
    vigil_engine_set_observer(&observer);
    log_info("unix-command: listening on %s", path);
    return 0;
}

static void control_stop(struct control *c)
{
    if (c->server == NULL)
        return;
    vigil_engine_set_observer(NULL);
    ctl_server_stop(c->server);
    c->server = NULL;
}

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: vigil [options]\n"
            "\n"
            "  -c <file>                 configuration file (default %s/vigil.yaml if present)\n"
            "  -r <path>                 replay a pcap/pcapng file, or every file of a directory\n"
            "                            in name order, offline\n"
            "  -l <dir>                  log directory (overrides default-log-dir)\n"
            "  --dpdk                    live capture from the DPDK ports of the dpdk: section\n"
            "  --unix-socket[=<file>]    pcap-service mode: replay the pcap files queued over\n"
            "                            the control socket (default unix-command.filename)\n"
            "  --runmode <mode>          single, autofp or workers (overrides runmode:)\n"
            "  --set <key>=<value>       override a configuration value (repeatable),\n"
            "                            e.g. --set flow.memcap=256mb\n"
            "  -T                        test the configuration and exit\n"
            "  -v                        more log output (repeat for more)\n"
            "  -V                        print the version and exit\n"
            "  --build-info              print the build configuration and exit\n"
            "  -h, --help                this help\n"
            "\n"
            "Exit codes: 0 success, 1 usage or configuration error, 2 runtime failure.\n",
            VIGIL_SYSCONFDIR);
}

static void print_build_info(void)
{
    printf("This is Vigil version %s\n", PACKAGE_VERSION);
    printf("Features: pcap-file%s%s\n",
#ifdef HAVE_DPDK
           " dpdk",
#else
           "",
#endif
#ifdef HAVE_HYPERSCAN
           " hyperscan"
#else
           ""
#endif
    );
    printf("Compiler: %s\n", __VERSION__);
    printf("libpcap: %s\n", pcap_lib_version());
    printf("libyaml: %s\n", yaml_get_version_string());
    printf("jansson: %s\n", JANSSON_VERSION);
    printf("pcre2: %d.%d\n", PCRE2_MAJOR, PCRE2_MINOR);
    printf("Default configuration: %s/vigil.yaml\n", VIGIL_SYSCONFDIR);
}

static int add_set(struct cli *cli, const char *arg)
{
    if (!strchr(arg, '=')) {
        fprintf(stderr, "vigil: --set %s: expected key=value\n", arg);
        return -1;
    }
    char **grown = realloc(cli->sets, (cli->set_count + 1) * sizeof(*grown));
    if (!grown)
        return -1;
    cli->sets = grown;
    cli->sets[cli->set_count++] = (char *)arg;
    return 0;
}

/* Returns -1 to continue, else the exit code to leave with. */
static int parse_args(int argc, char **argv, struct cli *cli)
{
    static const struct option options[] = {
        { "runmode", required_argument, NULL, OPT_RUNMODE },
        { "set", required_argument, NULL, OPT_SET },
        { "build-info", no_argument, NULL, OPT_BUILD_INFO },
        { "dpdk", no_argument, NULL, OPT_DPDK },
        { "unix-socket", optional_argument, NULL, OPT_UNIX_SOCKET },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int opt;
    while ((opt = getopt_long(argc, argv, "c:r:l:TvVh", options, NULL)) != -1) {
        switch (opt) {
        case 'c': cli->config_file = optarg; break;
        case 'r': cli->pcap_input = optarg; break;
        case 'l': cli->log_dir = optarg; break;
        case 'T': cli->test_config = true; break;
        case 'v': cli->verbosity++; break;
        case 'V': printf("This is Vigil version %s\n", PACKAGE_VERSION); return EXIT_OK;
        case OPT_BUILD_INFO: print_build_info(); return EXIT_OK;
        case 'h': usage(stdout); return EXIT_OK;
        case OPT_RUNMODE: cli->runmode = optarg; break;
        case OPT_DPDK: cli->dpdk = true; break;
        case OPT_UNIX_SOCKET:
            cli->unix_socket = true;
            cli->unix_socket_path = optarg;
            break;
        case OPT_SET:
            if (add_set(cli, optarg) != 0)
                return EXIT_USAGE;
            break;
        default: usage(stderr); return EXIT_USAGE;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "vigil: unexpected argument '%s' (see vigil -h)\n", argv[optind]);
        return EXIT_USAGE;
    }
    return -1;
}

/* --unix-socket=<file> names the socket as unix-command.filename would. */
static int set_socket_path(struct vigil_config *cfg, const char *path)
{
    char *copy = strdup(path);
    if (copy == NULL) {
        fprintf(stderr, "vigil: --unix-socket: out of memory\n");
        return -1;
    }
    free(cfg->unix_command.filename);
    cfg->unix_command.filename = copy;
    return 0;
}

static const char *default_config_file(void)
{
    static const char path[] = VIGIL_SYSCONFDIR "/vigil.yaml";
    return access(path, R_OK) == 0 ? path : NULL;
}

static int check_runmode(const char *runmode)
{
    if (strcmp(runmode, "single") == 0 || strcmp(runmode, "autofp") == 0 ||
        strcmp(runmode, "workers") == 0)
        return 0;
    fprintf(stderr, "vigil: --runmode %s: expected single, autofp or workers\n", runmode);
    return -1;
}

static int check_log_dir(const char *dir, bool from_cli)
{
    struct stat st;
    if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
        return 0;
    fprintf(stderr, "vigil: log directory %s%s: %s\n", dir, from_cli ? " (-l)" : " (default-log-dir)",
            errno ? strerror(errno) : "not a directory");
    return -1;
}

static void install_signal_handlers(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    /* SA_RESTART: logrotate's SIGHUP must not fail a pcap read with EINTR. */
    sa.sa_handler = on_reopen_signal;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGHUP, &sa, NULL);
}

static int run_live(const struct vigil_config *cfg, const char *runmode, const char *log_dir)
{
#ifdef HAVE_DPDK
    struct live_run live = { .log_dir = log_dir, .stop = &stop_requested };
    struct control control = {.run = {runmode, "DPDK"}};
    if (control_wanted(cfg, true) && control_start(&control, cfg, NULL) != 0)
        return EXIT_USAGE;
    int code = runmode_dpdk(cfg, &live, runmode);
    control_stop(&control);
    return code;
#else
    (void)cfg; (void)runmode; (void)log_dir;
    fprintf(stderr, "vigil: --dpdk: this build has no DPDK support (configure found no "
                    "libdpdk-dev); use -r for offline replay\n");
    return EXIT_USAGE;
#endif
}

static int run_pcap_service(const struct vigil_config *cfg, const char *runmode, unsigned workers)
{
    struct pcap_queue *queue = pcap_queue_create(&stop_requested);
    if (queue == NULL) {
        fprintf(stderr, "vigil: --unix-socket: out of memory\n");
        return EXIT_RUNTIME;
    }
    struct control control = {.run = {runmode_offline_name(runmode), "UNIX_SOCKET"}};
    if (control_start(&control, cfg, queue) != 0) {
        pcap_queue_destroy(queue);
        return EXIT_USAGE;
    }
    struct pcap_service_options opt = {
        .cfg = cfg,
        .runmode = control.run.running_mode,
        .workers = workers,
        .stop = &stop_requested,
    };
    int code = pcap_service_run(queue, &opt);
    control_stop(&control);
    pcap_queue_destroy(queue);
    return code;
}

static int check_sources(const struct cli *cli)
{
    int sources = (cli->dpdk ? 1 : 0) + (cli->pcap_input ? 1 : 0) + (cli->unix_socket ? 1 : 0);
    if (sources > 1) {
        fprintf(stderr, "vigil: -r, --dpdk and --unix-socket: give one capture source\n");
        return -1;
    }
    if (sources == 0) {
        fprintf(stderr, "vigil: no capture source: give -r <pcap file or directory>, "
                        "--dpdk or --unix-socket (see vigil -h)\n");
        return -1;
    }
    return 0;
}

static int run_offline(const struct cli *cli, const struct vigil_config *cfg,
                       const char *runmode, const char *log_dir, unsigned workers)
{
    struct offline_run offline = {
        .input = cli->pcap_input,
        .log_dir = log_dir,
        .show_progress = isatty(STDERR_FILENO),
        .stop = &stop_requested,
    };
    struct control control = {.run = {runmode_offline_name(runmode), "PCAP_FILE"}};
    if (control_wanted(cfg, false) && control_start(&control, cfg, NULL) != 0)
        return EXIT_USAGE;
    int code = runmode_offline(cfg, &offline, runmode, workers);
    control_stop(&control);
    return code;
}

static int run(const struct cli *cli, struct vigil_config *cfg)
{
    const char *runmode = cli->runmode ? cli->runmode : cfg->runmode;
    if (check_runmode(runmode) != 0 || check_sources(cli) != 0)
        return EXIT_USAGE;
    unsigned workers = runmode_flow_workers(cfg->threading.flow_workers);
    if (workers == 0) {
        fprintf(stderr, "vigil: threading.flow-workers: \"%s\" is not auto or a number "
                        "from 1 to 1024\n",
                cfg->threading.flow_workers);
        return EXIT_USAGE;
    }
    /* Before any thread starts: each pins itself as it begins. */
    cpu_affinity_configure(&cfg->threading.affinity);
    if (cli->unix_socket) {
        install_signal_handlers();
        return run_pcap_service(cfg, runmode, workers);
    }
    /* pcap-service runs write to each file's output-dir instead. */
    const char *log_dir = cli->log_dir ? cli->log_dir : cfg->default_log_dir;
    if (check_log_dir(log_dir, cli->log_dir != NULL) != 0)
        return EXIT_USAGE;
    install_signal_handlers();
    if (cli->dpdk)
        return run_live(cfg, runmode, log_dir);
    return run_offline(cli, cfg, runmode, log_dir, workers);
}

int main(int argc, char **argv)
{
    struct cli cli = { 0 };
    int code = parse_args(argc, argv, &cli);
    if (code >= 0) {
        free(cli.sets);
        return code;
    }
    log_set_level((enum log_level)(LOG_LEVEL_NOTICE + (cli.verbosity > 2 ? 2 : cli.verbosity)));

    const char *config_file = cli.config_file ? cli.config_file : default_config_file();
    struct vigil_config cfg;
    struct config_error err;
    if (config_load(&cfg, config_file, cli.sets, cli.set_count, &err) != 0) {
        fprintf(stderr, "vigil: %s\n", err.message);
        free(cli.sets);
        return EXIT_USAGE;
    }
    if (!config_file) {
        /* Without any configuration file a replay should still leave its flows
         * somewhere useful: the built-in defaults log them to eve.json. */
        cfg.eve.enabled = true;
        cfg.eve.log_flow = true;
        log_info("no configuration file: built-in defaults, EVE flow records to eve.json");
    }
    if (cli.unix_socket_path != NULL && set_socket_path(&cfg, cli.unix_socket_path) != 0) {
        config_free(&cfg);
        free(cli.sets);
        return EXIT_RUNTIME;
    }
    if (cli.test_config) {
        printf("Configuration provided was successfully loaded%s%s. Exiting.\n",
               config_file ? " from " : "", config_file ? config_file : "");
        code = EXIT_OK;
    } else {
        code = run(&cli, &cfg);
    }
    config_free(&cfg);
    free(cli.sets);
    return code;
}
