/* rc-test-browser.c: a scripted browser for the built-in simulator
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Plays the user of a browser sign-in against RcSim, over real HTTP: opens
 * the authorize address, signs in on the login page, answers the consent
 * page, and follows the final redirect to Reconnect's loopback listener.
 * Every request is asynchronous, so it works inside a GTK test whose
 * simulator, listener and widgets share the one main context.
 */

#include "config.h"

#include <libsoup/soup.h>

#include "rc-test-browser.h"

struct _RcTestBrowser
{
  SoupSession  *session;
  GCancellable *cancellable;
  char         *username;
  char         *decision;

  guint         launches;
  char         *uri;
  gboolean      done;
  guint         redirect_status;
  char         *redirect_body;
  char         *error;

  guint         pending;   /* walks under way, or waiting for their idle */
};

typedef enum
{
  STEP_AUTHORIZE,
  STEP_LOGIN,
  STEP_CONSENT,
  STEP_REDIRECT,
} Step;

/* One launch: the pages a user goes through, one request at a time. */
typedef struct
{
  RcTestBrowser *browser;
  char          *uri;
  char          *decision;
  char          *action;
  char          *request_id;
  SoupMessage   *msg;
  Step           step;
  guint          serial;   /* which launch */
} Walk;

static void
walk_free (Walk *walk)
{
  walk->browser->pending--;
  g_free (walk->uri);
  g_free (walk->decision);
  g_free (walk->action);
  g_free (walk->request_id);
  g_clear_object (&walk->msg);
  g_free (walk);
}

/* The walk ends: with what the loopback listener said, or why not. */
static void
walk_end (Walk       *walk,
          const char *error)
{
  RcTestBrowser *browser = walk->browser;

  if (error != NULL)
    {
      g_test_message ("scripted browser: %s", error);
      g_free (browser->error);
      browser->error = g_strdup (error);
    }
  if (walk->serial == browser->launches)
    browser->done = TRUE;
  walk_free (walk);
}

static char *
html_value (const char *html,
            const char *name)
{
  g_autofree char *pattern = g_strdup_printf ("name=\"%s\" value=\"([^\"]*)\"", name);
  g_autoptr(GRegex) regex = g_regex_new (pattern, 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;

  if (!g_regex_match (regex, html, 0, &match))
    return NULL;
  return g_match_info_fetch (match, 1);
}

static void on_reply (GObject *source, GAsyncResult *result, gpointer user_data);

static void
walk_send (Walk       *walk,
           const char *method,
           const char *url,
           GHashTable *form)
{
  g_clear_object (&walk->msg);
  walk->msg = form ? soup_message_new_from_encoded_form (method, url, soup_form_encode_hash (form))
                   : soup_message_new (method, url);
  if (walk->msg == NULL)
    {
      walk_end (walk, "an address the browser cannot open");
      return;
    }

  soup_message_add_flags (walk->msg, SOUP_MESSAGE_NO_REDIRECT);
  soup_session_send_and_read_async (walk->browser->session, walk->msg, G_PRIORITY_DEFAULT,
                                    walk->browser->cancellable, on_reply, walk);
}

static void
walk_post (Walk       *walk,
           const char *step,
           const char *name,
           const char *value)
{
  g_autoptr(GHashTable) form = g_hash_table_new (g_str_hash, g_str_equal);

  g_hash_table_insert (form, "request_id", walk->request_id);
  g_hash_table_insert (form, "step", (gpointer) step);
  if (g_str_equal (step, "login"))
    {
      g_hash_table_insert (form, "username", walk->browser->username);
      g_hash_table_insert (form, "password", "anything");
    }
  else
    g_hash_table_insert (form, (gpointer) name, (gpointer) value);
  walk_send (walk, "POST", walk->action, form);
}

static void
on_reply (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Walk *walk = user_data;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  guint status;

  bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      walk_free (walk);
      return;
    }

  if (bytes == NULL && walk->step == STEP_REDIRECT)
    {
      /* Nothing listens any more: a browser shows its own error page. */
      walk_end (walk, NULL);
      return;
    }
  if (bytes == NULL)
    {
      g_autofree char *message = g_strdup_printf ("step %d: %s", walk->step, error->message);

      walk_end (walk, message);
      return;
    }

  status = soup_message_get_status (walk->msg);
  body = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

  switch (walk->step)
    {
    case STEP_AUTHORIZE:
      {
        g_autoptr(GUri) authorize = g_uri_parse (walk->uri, G_URI_FLAGS_NONE, NULL);

        walk->request_id = html_value (body, "request_id");
        if (status != 200 || walk->request_id == NULL || authorize == NULL)
          {
            g_autofree char *message = g_strdup_printf ("the sign-in page answered %u without a login form", status);

            walk_end (walk, message);
            return;
          }
        walk->action = g_uri_join (G_URI_FLAGS_NONE, g_uri_get_scheme (authorize), NULL, g_uri_get_host (authorize),
                                   g_uri_get_port (authorize), g_uri_get_path (authorize), NULL, NULL);
        walk->step = STEP_LOGIN;
        walk_post (walk, "login", NULL, NULL);
        return;
      }

    case STEP_LOGIN:
      if (status != 200 || strstr (body, "name=\"decision\"") == NULL)
        {
          g_autofree char *message = g_strdup_printf ("the login page answered %u without a consent form", status);

          walk_end (walk, message);
          return;
        }
      walk->step = STEP_CONSENT;
      walk_post (walk, "consent", "decision", walk->decision);
      return;

    case STEP_CONSENT:
      {
        const char *location = soup_message_headers_get_one (soup_message_get_response_headers (walk->msg), "Location");
        g_autofree char *redirect = g_strdup (location);

        if (status != 302 || redirect == NULL)
          {
            g_autofree char *message = g_strdup_printf ("the consent page answered %u, not a redirect", status);

            walk_end (walk, message);
            return;
          }
        walk->step = STEP_REDIRECT;
        walk_send (walk, "GET", redirect, NULL);
        return;
      }

    case STEP_REDIRECT:
    default:
      if (walk->serial != walk->browser->launches)
        {
          walk_end (walk, NULL);
          return;
        }
      walk->browser->redirect_status = status;
      g_free (walk->browser->redirect_body);
      walk->browser->redirect_body = g_steal_pointer (&body);
      walk_end (walk, NULL);
      return;
    }
}

static gboolean
walk_start (gpointer user_data)
{
  Walk *walk = user_data;

  if (g_cancellable_is_cancelled (walk->browser->cancellable))
    walk_free (walk);
  else if (walk->decision == NULL)
    walk_end (walk, NULL);   /* a user who never comes back */
  else
    walk_send (walk, "GET", walk->uri, NULL);
  return G_SOURCE_REMOVE;
}

/**
 * rc_test_browser_new:
 * @username: (nullable): who signs in on the login page; %NULL for
 *   ada@reconnect.example, one of the simulator's users
 * @decision: (nullable): "allow" or "deny" on the consent page; %NULL for a
 *   user who opens the page and never comes back
 *
 * Returns: (transfer full): a browser; free it with rc_test_browser_free()
 */
RcTestBrowser *
rc_test_browser_new (const char *username,
                     const char *decision)
{
  RcTestBrowser *self = g_new0 (RcTestBrowser, 1);

  self->session = soup_session_new_with_options ("timeout", 10, NULL);
  self->cancellable = g_cancellable_new ();
  self->username = g_strdup (username ? username : "ada@reconnect.example");
  self->decision = g_strdup (decision);
  return self;
}

/**
 * rc_test_browser_free:
 * @self: a #RcTestBrowser
 *
 * Stops any walk under way and waits, turning the default main context,
 * until it has unwound.
 */
void
rc_test_browser_free (RcTestBrowser *self)
{
  if (self == NULL)
    return;

  g_cancellable_cancel (self->cancellable);
  while (self->pending > 0)
    g_main_context_iteration (NULL, TRUE);

  g_object_unref (self->session);
  g_object_unref (self->cancellable);
  g_free (self->username);
  g_free (self->decision);
  g_free (self->uri);
  g_free (self->redirect_body);
  g_free (self->error);
  g_free (self);
}

/* For the next launches: "allow", "deny" or NULL. */
void
rc_test_browser_set_decision (RcTestBrowser *self,
                              const char    *decision)
{
  g_free (self->decision);
  self->decision = g_strdup (decision);
}

/**
 * rc_test_browser_launch:
 * @uri: the authorize address
 * @browser: a #RcTestBrowser
 *
 * An #RcUriLauncher.  Returns at once; the user starts from an idle, as
 * one would once the sign-in waits for the browser.
 */
void
rc_test_browser_launch (const char *uri,
                        gpointer    browser)
{
  RcTestBrowser *self = browser;
  Walk *walk = g_new0 (Walk, 1);

  self->launches++;
  g_free (self->uri);
  self->uri = g_strdup (uri);
  self->done = FALSE;
  self->redirect_status = 0;
  g_clear_pointer (&self->redirect_body, g_free);

  walk->browser = self;
  walk->uri = g_strdup (uri);
  walk->decision = g_strdup (self->decision);
  walk->step = STEP_AUTHORIZE;
  walk->serial = self->launches;
  self->pending++;
  g_idle_add (walk_start, walk);
}

guint
rc_test_browser_get_launches (RcTestBrowser *self)
{
  return self->launches;
}

/* The address of the last launch. */
const char *
rc_test_browser_get_uri (RcTestBrowser *self)
{
  return self->uri;
}

/* Whether the last launch's walk has ended. */
gboolean
rc_test_browser_get_done (RcTestBrowser *self)
{
  return self->done;
}

/* What the loopback listener answered the final redirect: 0 if nothing did. */
guint
rc_test_browser_get_redirect_status (RcTestBrowser *self)
{
  return self->redirect_status;
}

const char *
rc_test_browser_get_redirect_body (RcTestBrowser *self)
{
  return self->redirect_body;
}

/* Why a walk stopped before the redirect, or NULL. */
const char *
rc_test_browser_get_error (RcTestBrowser *self)
{
  return self->error;
}
