/* Line input for the interactive prompt; the readline calls are the only
 * part that depends on the build. */
#include "config.h"

#include "vigilctl/vctl-prompt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef HAVE_READLINE
#include <readline/history.h>
#include <readline/readline.h>

static const char *const *completion_names;

static char *next_command_name(const char *text, int state)
{
    static size_t index;
    if (state == 0)
        index = 0;
    for (size_t len = strlen(text); completion_names[index] != NULL;) {
        const char *name = completion_names[index++];
        if (strncmp(name, text, len) == 0)
            return strdup(name);
    }
    return NULL;
}

/* Only the first word is a command name; arguments complete to nothing. */
static char **complete(const char *text, int start, int end)
{
    (void)end;
    rl_attempted_completion_over = 1;
    return start == 0 ? rl_completion_matches(text, next_command_name) : NULL;
}

void vctl_prompt_init(const char *const *commands)
{
    completion_names = commands;
    rl_readline_name = "vigilctl";
    rl_attempted_completion_function = complete;
}

char *vctl_prompt_read(const char *prompt)
{
    return readline(prompt);
}

void vctl_prompt_remember(const char *line)
{
    if (*line)
        add_history(line);
}

#else

void vctl_prompt_init(const char *const *commands)
{
    (void)commands;
}

char *vctl_prompt_read(const char *prompt)
{
    fputs(prompt, stdout);
    fflush(stdout);
    char *line = NULL;
    size_t cap = 0;
    ssize_t len = getline(&line, &cap, stdin);
    if (len < 0) {
        free(line);
        return NULL;
    }
    if (len > 0 && line[len - 1] == '\n')
        line[len - 1] = '\0';
    return line;
}

void vctl_prompt_remember(const char *line)
{
    (void)line;
}

#endif
