/* Engine logging: one formatted line per message on stderr, filtered by level.
 * A single write per line keeps lines from different threads whole. */
#include "util/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

static enum log_level current_level = LOG_LEVEL_NOTICE;

static const char *const level_names[] = {
    [LOG_LEVEL_ERROR] = "Error",
    [LOG_LEVEL_WARNING] = "Warning",
    [LOG_LEVEL_NOTICE] = "Notice",
    [LOG_LEVEL_INFO] = "Info",
    [LOG_LEVEL_DEBUG] = "Debug",
};

void log_set_level(enum log_level level)
{
    current_level = level;
}

enum log_level log_get_level(void)
{
    return current_level;
}

void log_message(enum log_level level, const char *fmt, ...)
{
    if (level > current_level)
        return;
    char line[1024];
    int n = snprintf(line, sizeof(line), "vigil: %s: ", level_names[level]);
    va_list ap;
    va_start(ap, fmt);
    int m = vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
    va_end(ap);
    size_t len = (size_t)n + (m < 0 ? 0 : (size_t)m);
    if (len > sizeof(line) - 2)
        len = sizeof(line) - 2;
    line[len++] = '\n';
    ssize_t ignored = write(STDERR_FILENO, line, len);
    (void)ignored;
}
