/* The interactive prompt's line input: GNU readline (history, completion of
 * command names) when configure found it, else a plain prompt. */
#ifndef VIGIL_VIGILCTL_PROMPT_H
#define VIGIL_VIGILCTL_PROMPT_H

/* commands: NULL-terminated names offered for completion; must outlive the prompt. */
void vctl_prompt_init(const char *const *commands);

/* One line without its newline (the caller frees it); NULL at end of input. */
char *vctl_prompt_read(const char *prompt);

/* Adds a non-empty line to the history. */
void vctl_prompt_remember(const char *line);

#endif
