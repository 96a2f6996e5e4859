/* rc-cli-common.h: what the subcommands share
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "rc-account-store.h"
#include "rc-cli.h"
#include "rc-secret-store.h"

G_BEGIN_DECLS

/* A keyring that does not answer within this time is reported, not waited
 * for: over SSH nobody can answer its unlock prompt. */
#define RC_CLI_KEYRING_TIMEOUT 10

typedef struct _RcCliTable RcCliTable;

int             rc_cli_parse_options       (const char          *command,
                                            const char          *parameters,
                                            const char          *summary,
                                            const GOptionEntry  *entries,
                                            int                 *argc,
                                            char              ***argv,
                                            int                  min_args,
                                            int                  max_args);
int             rc_cli_usage_error         (const char          *command,
                                            const char          *message);

RcAccountStore *rc_cli_load_accounts       (void);
GPtrArray      *rc_cli_select_accounts     (RcAccountStore      *store,
                                            char               **ids,
                                            GError             **error);

gboolean        rc_cli_keyring_check       (GError             **error);
RcSecretStore  *rc_cli_secret_store_new    (void);
RcTokenSet     *rc_cli_keyring_load        (RcSecretStore      **secrets,
                                            RcAccount           *account,
                                            GError             **error);
GPtrArray      *rc_cli_keyring_load_all    (RcSecretStore      **secrets,
                                            GPtrArray           *accounts);

void            rc_cli_on_done             (GObject             *source,
                                            GAsyncResult        *result,
                                            gpointer             user_data);
void            rc_cli_wait                (GAsyncResult       **result);

GPtrArray      *rc_cli_tokens_array_new    (void);

char           *rc_cli_format_iso8601      (gint64               unix_time);
char           *rc_cli_format_local        (gint64               unix_time);

void            rc_cli_json_add_string     (JsonBuilder         *builder,
                                            const char          *member,
                                            const char          *value);
void            rc_cli_json_add_time       (JsonBuilder         *builder,
                                            const char          *member,
                                            gint64               unix_time);
void            rc_cli_json_add_account    (JsonBuilder         *builder,
                                            RcAccount           *account,
                                            RcTokenSet          *tokens);
void            rc_cli_json_add_account_members (JsonBuilder    *builder,
                                            RcAccount           *account,
                                            RcTokenSet          *tokens);
void            rc_cli_print_json          (JsonBuilder         *builder,
                                            gboolean             pretty);

char           *rc_cli_dup_next_step       (RcAccount           *account);
const char     *rc_cli_get_remedy_title    (RcAccount           *account);
RcCliExit       rc_cli_exit_for_account    (RcAccount           *account);
RcCliExit       rc_cli_exit_worse          (RcCliExit            a,
                                            RcCliExit            b);
RcCliExit       rc_cli_exit_for_error      (const GError        *error,
                                            RcAccount           *account);

RcCliTable     *rc_cli_table_new           (const char          *first_heading,
                                            ...) G_GNUC_NULL_TERMINATED;
void            rc_cli_table_add_row       (RcCliTable          *table,
                                            const char          *first_value,
                                            ...);
void            rc_cli_table_print         (RcCliTable          *table);
void            rc_cli_table_free          (RcCliTable          *table);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcCliTable, rc_cli_table_free)

G_END_DECLS
