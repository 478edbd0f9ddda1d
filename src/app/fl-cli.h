/* fl-cli.h — the command line: options, headless commands, then the GUI
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit statuses: 0 success, 1 invalid input or failure, 2 usage error. */
#define FL_CLI_EXIT_FAILURE 1
#define FL_CLI_EXIT_USAGE   2

/* Monotonic time (µs) at which this process started (from /proc/self/stat
 * when available, else "now"). Call it first thing in main(). */
gint64  fl_cli_get_process_start_time (void);

/* Parses @argv and runs: headless commands without initialising GTK, else the
 * window. Returns the exit status. */
int     fl_cli_run                    (int     argc,
                                       char  **argv,
                                       gint64  start_us);

G_END_DECLS
