/* rc-authorization.h
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "rc-provider.h"

G_BEGIN_DECLS

#define RC_AUTHORIZATION_DEFAULT_TIMEOUT (5 * 60)

/* Opens @uri in the user's browser.  Without one, the desktop's default
 * handler is asked; the GUI may pass GTK's, tests play the user. */
typedef void (*RcUriLauncher) (const char *uri,
                               gpointer    user_data);

/* What a request to the loopback listener turned out to be. */
typedef enum
{
  RC_REDIRECT_NOT_OURS,       /* another path or method: 404 */
  RC_REDIRECT_FOREIGN_STATE,  /* not this run's state: ignored */
  RC_REDIRECT_WRONG_ISSUER,   /* the sign-in ends: a mix-up */
  RC_REDIRECT_ERROR,          /* the sign-in ends: the server's error */
  RC_REDIRECT_CODE,           /* a code to exchange */
} RcRedirectVerdict;

typedef struct
{
  const char *path;
  const char *state;
  const char *issuer;
  gboolean    requires_iss;
} RcRedirectExpected;

#define RC_TYPE_AUTHORIZATION (rc_authorization_get_type ())

G_DECLARE_FINAL_TYPE (RcAuthorization, rc_authorization, RC, AUTHORIZATION, GObject)

RcAuthorization *rc_authorization_new              (RcProvider           *provider);
void             rc_authorization_set_launcher     (RcAuthorization      *self,
                                                    RcUriLauncher         launcher,
                                                    gpointer              user_data,
                                                    GDestroyNotify        destroy);
void             rc_authorization_set_timeout      (RcAuthorization      *self,
                                                    guint                 seconds);
const char      *rc_authorization_get_uri          (RcAuthorization      *self);
const char      *rc_authorization_get_redirect_uri (RcAuthorization      *self);
void             rc_authorization_run_async        (RcAuthorization      *self,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
RcTokenSet      *rc_authorization_run_finish       (RcAuthorization      *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);

RcRedirectVerdict rc_authorization_judge_redirect (const RcRedirectExpected  *expected,
                                                   const char                *path,
                                                   const char                *method,
                                                   GHashTable                *query,
                                                   const char               **code,
                                                   GError                   **error);
char            *rc_authorization_random_string    (guint                 n_bytes);
char            *rc_authorization_pkce_challenge   (const char           *verifier);

G_END_DECLS
