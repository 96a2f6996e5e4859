/* rc-sign-in-dialog.c: signing an account in, in the browser or with a code
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One dialog, four pages: "browser" while the sign-in page is open in the
 * browser, "device" while a code waits to be entered on any device, "done"
 * and "failed".  Every flow runs under its own GCancellable; starting
 * another flow, Cancel and closing the window cancel it, which also closes
 * the browser flow's loopback listener.  Callbacks hold no reference on
 * the dialog and ignore a result whose flow is no longer the current one.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "rc-device-authorization.h"
#include "rc-protocol-error.h"
#include "rc-secret-store.h"
#include "rc-sign-in-dialog.h"

typedef enum
{
  FLOW_BROWSER,
  FLOW_DEVICE,
} Flow;

struct _RcSignInDialog
{
  AdwWindow              parent_instance;

  AdwToastOverlay       *toast_overlay;
  AdwWindowTitle        *window_title;
  GtkButton             *cancel_button;
  GtkStack              *stack;
  AdwStatusPage         *browser_page;
  GtkSpinner            *browser_spinner;
  GtkLabel              *browser_status;
  GtkButton             *open_browser_button;
  GtkButton             *copy_link_button;
  GtkButton             *use_code_button;
  AdwStatusPage         *device_page;
  GtkStack              *device_stack;
  GtkLabel              *code_label;
  GtkLabel              *link_label;
  GtkLabel              *countdown_label;
  GtkButton             *copy_code_button;
  AdwStatusPage         *done_page;
  GtkButton             *close_done_button;
  AdwStatusPage         *failed_page;
  GtkButton             *retry_button;
  GtkButton             *failed_use_code_button;
  GtkButton             *close_failed_button;
  GtkExpander           *details_expander;
  GtkLabel              *details_label;

  RcMonitor             *monitor;
  RcAccount             *account;
  RcUriLauncher          launcher;
  gpointer               launcher_data;
  GDestroyNotify         launcher_destroy;

  /* The flow under way, or the one that ended last. */
  Flow                   flow;
  GCancellable          *cancellable;
  RcAuthorization       *authorization;
  RcDeviceAuthorization *device;
  char                  *uri;             /* the page the browser opened */
  gint64                 device_deadline; /* monotonic, microseconds */
  guint                  countdown_id;
  gboolean               saving;
  gboolean               signed_in;
  gboolean               finished;
};

G_DEFINE_FINAL_TYPE (RcSignInDialog, rc_sign_in_dialog, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_MONITOR,
  PROP_ACCOUNT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* One asynchronous step of a flow, or the browser flow's launcher.  It
 * holds no reference on the dialog, so closing or destroying the window
 * disposes it at once, and disposal cancels the flow; a step that returns
 * later finds the dialog gone, or its flow no longer the current one. */
typedef struct
{
  GWeakRef      self;
  GCancellable *cancellable;
} Step;

static Step *
step_new (RcSignInDialog *self)
{
  Step *step = g_new0 (Step, 1);

  g_weak_ref_init (&step->self, self);
  step->cancellable = g_object_ref (self->cancellable);
  return step;
}

/* Returns: (transfer full) (nullable): the dialog, if @step still counts */
static RcSignInDialog *
step_dup_dialog (Step *step)
{
  RcSignInDialog *self = g_weak_ref_get (&step->self);

  if (self != NULL && (step->cancellable != self->cancellable || g_cancellable_is_cancelled (step->cancellable)))
    g_clear_object (&self);
  return self;
}

static void
step_free (Step *step)
{
  g_weak_ref_clear (&step->self);
  g_object_unref (step->cancellable);
  g_free (step);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Step, step_free)

/* --------------------------------------------------------------- names -- */

/* What the user calls the account: its name, else the service. */
static char *
dup_account_name (RcAccount *account)
{
  const char *name = rc_account_get_display_name (account);
  const char *provider = rc_account_get_provider (account);
  g_autoptr(GUri) endpoint = NULL;

  if (name != NULL && *name != '\0')
    return g_strdup (name);
  if (g_strcmp0 (provider, "salesforce") == 0)
    return g_strdup (_("Salesforce"));
  if (g_strcmp0 (provider, "entra") == 0)
    return g_strdup (_("Microsoft Dynamics 365"));

  endpoint = g_uri_parse (rc_account_get_endpoint (account), G_URI_FLAGS_NONE, NULL);
  if (endpoint != NULL && g_uri_get_host (endpoint) != NULL)
    return g_strdup (g_uri_get_host (endpoint));
  return g_strdup (_("your account"));
}

/* Who runs the sign-in page: the one who says yes or no. */
static char *
dup_provider_name (RcAccount *account)
{
  const char *provider = rc_account_get_provider (account);
  g_autoptr(GUri) endpoint = NULL;

  if (g_strcmp0 (provider, "salesforce") == 0)
    return g_strdup (_("Salesforce"));
  if (g_strcmp0 (provider, "entra") == 0)
    return g_strdup (_("Microsoft"));

  endpoint = g_uri_parse (rc_account_get_endpoint (account), G_URI_FLAGS_NONE, NULL);
  if (endpoint != NULL && g_uri_get_host (endpoint) != NULL)
    return g_strdup (g_uri_get_host (endpoint));
  return g_strdup (_("The provider"));
}

/* -------------------------------------------------------------- pages -- */

static void
update_actions (RcSignInDialog *self)
{
  const char *page = gtk_stack_get_visible_child_name (self->stack);
  gboolean browser = g_strcmp0 (page, "browser") == 0;
  gboolean device = g_strcmp0 (page, "device") == 0;
  gboolean failed = g_strcmp0 (page, "failed") == 0;
  gboolean done = g_strcmp0 (page, "done") == 0;
  gboolean have_uri = self->flow == FLOW_BROWSER && self->uri != NULL;
  gboolean have_code = self->flow == FLOW_DEVICE && self->device != NULL &&
                       rc_device_authorization_get_user_code (self->device) != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sign-in.copy-link", browser && have_uri && !self->saving);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sign-in.open-browser", browser && have_uri && !self->saving);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sign-in.use-code",
                                 (browser && !self->saving) ||
                                 (failed && gtk_widget_get_visible (GTK_WIDGET (self->failed_use_code_button))));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sign-in.copy-code", device && have_code && !self->saving);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sign-in.cancel", browser || device);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sign-in.retry", failed);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sign-in.close", failed || done);
}

static void
show_page (RcSignInDialog *self,
           const char     *name)
{
  gboolean running = g_str_equal (name, "browser") || g_str_equal (name, "device");

  gtk_stack_set_visible_child_name (self->stack, name);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), running);
  update_actions (self);
}

/* @text is plain text; a toast's title is markup in libadwaita 1.2. */
static void
toast (RcSignInDialog *self,
       const char     *text)
{
  g_autofree char *markup = g_markup_escape_text (text, -1);
  AdwToast *toast = adw_toast_new (markup);

  adw_toast_set_timeout (toast, 3);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* ---------------------------------------------------------- countdown -- */

static void
update_countdown_label (RcSignInDialog *self)
{
  gint64 left = self->device_deadline - g_get_monotonic_time ();
  g_autofree char *text = NULL;

  /* Rounded up: "0:00" would read as already expired. */
  left = (left + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC;
  if (left <= 0)
    text = g_strdup (_("The code has expired"));
  else
    /* Translators: minutes and seconds left, as in "Code expires in 9:41" */
    text = g_strdup_printf (_("Code expires in %d:%02d"), (int) (left / 60), (int) (left % 60));
  gtk_label_set_label (self->countdown_label, text);
}

static gboolean
on_countdown (gpointer user_data)
{
  update_countdown_label (user_data);
  return G_SOURCE_CONTINUE;
}

/* The countdown ticks only while someone can see it. */
static void
update_countdown_timer (RcSignInDialog *self)
{
  gboolean shown = gtk_widget_get_mapped (GTK_WIDGET (self)) &&
                   g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "device") == 0 &&
                   g_strcmp0 (gtk_stack_get_visible_child_name (self->device_stack), "code") == 0 &&
                   self->device != NULL && !self->saving;

  if (!shown)
    {
      g_clear_handle_id (&self->countdown_id, g_source_remove);
      return;
    }

  update_countdown_label (self);
  if (self->countdown_id == 0)
    self->countdown_id = g_timeout_add (1000, on_countdown, self);
}

static void
on_page_changed (RcSignInDialog *self)
{
  update_countdown_timer (self);
}

/* --------------------------------------------------------- the flows -- */

static void
stop_flow (RcSignInDialog *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->authorization);
  g_clear_object (&self->device);
  g_clear_pointer (&self->uri, g_free);
  self->saving = FALSE;
  g_clear_handle_id (&self->countdown_id, g_source_remove);
}

static void
finish (RcSignInDialog *self)
{
  if (self->finished)
    return;

  self->finished = TRUE;
  g_signal_emit (self, signals[FINISHED], 0, self->signed_in);
}

static char *
dup_details (const GError *error)
{
  RcProtocolError *protocol = rc_oauth_error_get_protocol_error (error);
  GString *details = g_string_new (error->message);
  const gint64 *codes;
  guint n_codes = 0;

  g_string_append_printf (details, "\n(%s, %d)", g_quark_to_string (error->domain), error->code);
  if (protocol == NULL)
    return g_string_free (details, FALSE);

  if (rc_protocol_error_get_endpoint (protocol) != NULL)
    g_string_append_printf (details, "\nendpoint: %s", rc_protocol_error_get_endpoint (protocol));
  if (rc_protocol_error_get_http_status (protocol) != 0)
    g_string_append_printf (details, "\nHTTP %u", rc_protocol_error_get_http_status (protocol));
  if (rc_protocol_error_get_error (protocol) != NULL)
    g_string_append_printf (details, "\nerror: %s", rc_protocol_error_get_error (protocol));
  if (rc_protocol_error_get_description (protocol) != NULL)
    g_string_append_printf (details, "\nerror_description: %s", rc_protocol_error_get_description (protocol));
  codes = rc_protocol_error_get_error_codes (protocol, &n_codes);
  for (guint i = 0; i < n_codes; i++)
    g_string_append_printf (details, "%s%" G_GINT64_FORMAT, i == 0 ? "\nerror_codes: " : ", ", codes[i]);
  if (rc_protocol_error_get_suberror (protocol) != NULL)
    g_string_append_printf (details, "\nsuberror: %s", rc_protocol_error_get_suberror (protocol));
  if (rc_protocol_error_get_api_error_code (protocol) != NULL)
    g_string_append_printf (details, "\nerrorCode: %s", rc_protocol_error_get_api_error_code (protocol));
  if (rc_protocol_error_get_api_message (protocol) != NULL)
    g_string_append_printf (details, "\nmessage: %s", rc_protocol_error_get_api_message (protocol));
  if (rc_protocol_error_get_trace_id (protocol) != NULL)
    g_string_append_printf (details, "\ntrace_id: %s", rc_protocol_error_get_trace_id (protocol));
  if (rc_protocol_error_get_correlation_id (protocol) != NULL)
    g_string_append_printf (details, "\ncorrelation_id: %s", rc_protocol_error_get_correlation_id (protocol));
  if (rc_protocol_error_get_transport_error (protocol) != NULL)
    g_string_append_printf (details, "\n%s", rc_protocol_error_get_transport_error (protocol)->message);
  return g_string_free (details, FALSE);
}

/* The provider's own words about a refusal, when it gave any. */
static const char *
provider_reason (const GError *error)
{
  RcProtocolError *protocol = rc_oauth_error_get_protocol_error (error);
  const char *reason;

  if (protocol == NULL)
    return NULL;
  reason = rc_protocol_error_get_description (protocol);
  if (reason == NULL || *reason == '\0')
    reason = rc_protocol_error_get_api_message (protocol);
  if (reason == NULL || *reason == '\0')
    reason = rc_protocol_error_get_error (protocol);
  return reason != NULL && *reason != '\0' ? reason : NULL;
}

/* Turns @error into a title and a description (markup) that say what
 * happened and what to try next, in the user's words. */
static void
describe_failure (RcSignInDialog  *self,
                  const GError    *error,
                  const char     **icon_name,
                  char           **title,
                  char           **description,
                  gboolean        *offer_code)
{
  g_autofree char *provider = dup_provider_name (self->account);
  g_autofree char *provider_html = g_markup_escape_text (provider, -1);

  *icon_name = "dialog-warning-symbolic";
  *offer_code = FALSE;

  if (error->domain == RC_SECRET_ERROR)
    {
      *icon_name = "dialog-password-symbolic";
      switch ((RcSecretError) error->code)
        {
        case RC_SECRET_ERROR_LOCKED:
          *title = g_strdup (_("Keyring Locked"));
          *description = g_strdup (_("You signed in, but Reconnect could not save the sign-in because your keyring is "
                                     "locked. Unlock the keyring (it usually opens with your login password), then try again."));
          return;
        case RC_SECRET_ERROR_NO_SERVICE:
          *title = g_strdup (_("No Keyring"));
          *description = g_strdup (_("You signed in, but there is no keyring on this computer to keep the sign-in safe. "
                                     "Make sure GNOME Keyring or another password store is running, then try again."));
          return;
        case RC_SECRET_ERROR_TIMED_OUT:
          *title = g_strdup (_("Keyring Not Answering"));
          *description = g_strdup (_("You signed in, but the keyring did not answer in time. If it asks for a "
                                     "password, enter it to unlock the keyring, then try again."));
          return;
        case RC_SECRET_ERROR_CORRUPT:
        case RC_SECRET_ERROR_FAILED:
        default:
          *title = g_strdup (_("Sign-In Not Saved"));
          *description = g_strdup (_("You signed in, but the keyring would not save the sign-in. Unlock the keyring, "
                                     "or log out and back in to restart it, then try again."));
          return;
        }
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
    {
      *title = g_strdup (_("Codes Not Available"));
      /* Translators: %s is who runs the sign-in page, such as Salesforce */
      *description = g_strdup_printf (_("%s does not offer sign-in with a code for this account. "
                                        "Try again to sign in in your browser."), provider_html);
      return;
    }

  if (error->domain != RC_OAUTH_ERROR)
    {
      g_autofree char *message = g_markup_escape_text (error->message, -1);

      *title = g_strdup (_("Sign-In Failed"));
      /* Translators: %s is what went wrong, as the system said it */
      *description = g_strdup_printf (_("Something went wrong: %s. Try again."), message);
      return;
    }

  switch ((RcOAuthErrorEnum) error->code)
    {
    case RC_OAUTH_ERROR_PORT_BUSY:
      *title = g_strdup (_("Another App Is in the Way"));
      *description = g_strdup (_("Another app on this computer is using the port that receives your sign-in from the "
                                 "browser. Close that app and try again, or sign in with a code instead. If this "
                                 "keeps happening, ask your administrator."));
      *offer_code = TRUE;
      return;

    case RC_OAUTH_ERROR_TIMED_OUT:
      *title = g_strdup (_("Sign-In Timed Out"));
      *description = g_strdup (_("The sign-in in your browser was not finished in time. Try again, and finish "
                                 "signing in within a few minutes."));
      return;

    case RC_OAUTH_ERROR_EXPIRED:
      *title = g_strdup (_("Code Expired"));
      *description = g_strdup (_("The code was not entered in time. Try again to get a new code."));
      return;

    case RC_OAUTH_ERROR_DENIED:
      *icon_name = "action-unavailable-symbolic";
      *title = g_strdup (_("Access Not Allowed"));
      *description = g_strdup (_("You chose not to allow Reconnect to access your account, so you are not signed "
                                 "in. To stay connected, try again and choose Allow."));
      return;

    case RC_OAUTH_ERROR_REJECTED:
      {
        const char *reason = provider_reason (error);

        *title = g_strdup (_("Sign-In Refused"));
        if (reason != NULL)
          {
            g_autofree char *reason_html = g_markup_escape_text (reason, -1);

            /* Translators: the first %s is who runs the sign-in page, such as
             * Salesforce; the second is its reason, in its own words */
            *description = g_strdup_printf (_("%s refused the sign-in: “%s”. Try again. If the same message comes "
                                              "back, show it to your administrator."), provider_html, reason_html);
          }
        else
          *description = g_strdup_printf (_("%s refused the sign-in. Try again. If it happens again, ask your "
                                            "administrator."), provider_html);
        return;
      }

    case RC_OAUTH_ERROR_STATE_MISMATCH:
    case RC_OAUTH_ERROR_ISSUER_MISMATCH:
      *title = g_strdup (_("Sign-In Stopped"));
      *description = g_strdup (_("The answer that reached Reconnect did not belong to this sign-in, so it was not "
                                 "used. Try again. If it happens again, tell your administrator."));
      return;

    case RC_OAUTH_ERROR_TRANSPORT:
      *icon_name = "network-offline-symbolic";
      *title = g_strdup (_("No Connection"));
      /* Translators: %s is who runs the sign-in page, such as Salesforce */
      *description = g_strdup_printf (_("Reconnect could not reach %s. Check your internet connection, then try "
                                        "again."), provider_html);
      return;

    case RC_OAUTH_ERROR_INSECURE_URL:
      *title = g_strdup (_("Unsafe Sign-In Address"));
      *description = g_strdup (_("This account’s sign-in address does not use a secure connection, so Reconnect "
                                 "will not use it. Ask your administrator to check the account’s settings."));
      return;

    case RC_OAUTH_ERROR_HTTP:
    case RC_OAUTH_ERROR_MALFORMED:
    default:
      *title = g_strdup (_("Sign-In Failed"));
      /* Translators: %s is who runs the sign-in page, such as Salesforce */
      *description = g_strdup_printf (_("%s gave an answer Reconnect could not use. Try again later. If it keeps "
                                        "happening, tell your administrator."), provider_html);
      return;
    }
}

static void
show_failure_page (RcSignInDialog *self,
                   const char     *icon_name,
                   const char     *title,
                   const char     *description,
                   const char     *details,
                   gboolean        offer_code)
{
  self->saving = FALSE;
  g_clear_handle_id (&self->countdown_id, g_source_remove);

  adw_status_page_set_icon_name (self->failed_page, icon_name);
  adw_status_page_set_title (self->failed_page, title);
  adw_status_page_set_description (self->failed_page, description);
  gtk_label_set_label (self->details_label, details);
  gtk_expander_set_expanded (self->details_expander, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->failed_use_code_button), offer_code);
  show_page (self, "failed");
}

static void
show_failure (RcSignInDialog *self,
              const GError   *error)
{
  g_autofree char *title = NULL;
  g_autofree char *description = NULL;
  g_autofree char *details = dup_details (error);
  const char *icon_name;
  gboolean offer_code;

  /* The message may hold the provider's words, never a token. */
  g_debug ("Sign-in of account %s failed: %s", rc_account_get_id (self->account), error->message);

  describe_failure (self, error, &icon_name, &title, &description, &offer_code);
  /* A provider without codes: Try Again goes back to the browser. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
    self->flow = FLOW_BROWSER;
  show_failure_page (self, icon_name, title, description, details, offer_code);
}

/* The account cannot even start a sign-in: its settings are at fault. */
static void
show_settings_failure (RcSignInDialog *self,
                       const GError   *error)
{
  g_autofree char *message = g_markup_escape_text (error->message, -1);
  g_autofree char *description = NULL;
  g_autofree char *details = dup_details (error);

  g_debug ("Account %s cannot sign in: %s", rc_account_get_id (self->account), error->message);

  /* Translators: %s says what is wrong with the account's settings */
  description = g_strdup_printf (_("%s. Ask your administrator to check this account’s settings."), message);
  show_failure_page (self, "dialog-warning-symbolic", _("Account Settings Incomplete"), description, details, FALSE);
}

static void
show_done (RcSignInDialog *self)
{
  const char *user = rc_account_get_user (self->account);
  g_autofree char *name = dup_account_name (self->account);
  g_autofree char *description = NULL;

  self->saving = FALSE;
  self->signed_in = TRUE;
  g_clear_handle_id (&self->countdown_id, g_source_remove);

  if (user != NULL && *user != '\0')
    {
      g_autofree char *user_html = g_markup_escape_text (user, -1);

      /* Translators: %s is the user name or e-mail address signed in */
      description = g_strdup_printf (_("Connected as <b>%s</b>"), user_html);
    }
  else
    {
      g_autofree char *name_html = g_markup_escape_text (name, -1);

      /* Translators: %s is the account's name, such as Salesforce */
      description = g_strdup_printf (_("You’re connected to %s."), name_html);
    }
  adw_status_page_set_description (self->done_page, description);
  show_page (self, "done");
  finish (self);
}

static void
on_adopted (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(Step) step = user_data;
  g_autoptr(RcSignInDialog) self = step_dup_dialog (step);
  g_autoptr(GError) error = NULL;
  gboolean adopted = rc_monitor_adopt_finish (RC_MONITOR (source), result, &error);

  if (self == NULL)
    return;

  if (adopted)
    show_done (self);
  else
    show_failure (self, error);
}

/* Both flows end here: the keyring keeps the sign-in, the account learns
 * who signed in. */
static void
save_tokens (RcSignInDialog *self,
             RcTokenSet     *tokens)
{
  self->saving = TRUE;
  gtk_label_set_label (self->browser_status, _("Saving your sign-in…"));
  gtk_label_set_label (self->countdown_label, _("Saving your sign-in…"));
  g_clear_handle_id (&self->countdown_id, g_source_remove);
  update_actions (self);

  rc_monitor_adopt_async (self->monitor, self->account, tokens, self->cancellable, on_adopted, step_new (self));
}

static void
on_default_launched (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(RcSignInDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (g_app_info_launch_default_for_uri_finish (result, &error))
    return;

  g_debug ("No browser opened for the sign-in: %s", error->message);
  if (gtk_widget_get_visible (GTK_WIDGET (self)))
    toast (self, _("No browser could be opened: copy the link into one"));
}

static void
open_uri (RcSignInDialog *self,
          const char     *uri)
{
  g_autoptr(GdkAppLaunchContext) context = NULL;

  if (self->launcher != NULL)
    {
      self->launcher (uri, self->launcher_data);
      return;
    }

  context = gdk_display_get_app_launch_context (gtk_widget_get_display (GTK_WIDGET (self)));
  g_app_info_launch_default_for_uri_async (uri, G_APP_LAUNCH_CONTEXT (context), NULL,
                                           on_default_launched, g_object_ref (self));
}

/* The authorization has its listener up and its address ready. */
static void
on_launch (const char *uri,
           gpointer    user_data)
{
  g_autoptr(RcSignInDialog) self = step_dup_dialog (user_data);

  if (self == NULL)
    return;

  g_free (self->uri);
  self->uri = g_strdup (uri);
  gtk_label_set_label (self->browser_status, _("Waiting for you to sign in…"));
  update_actions (self);
  open_uri (self, uri);
}

static void
on_browser_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(Step) step = user_data;
  g_autoptr(RcSignInDialog) self = step_dup_dialog (step);
  g_autoptr(RcTokenSet) tokens = NULL;
  g_autoptr(GError) error = NULL;

  tokens = rc_authorization_run_finish (RC_AUTHORIZATION (source), result, &error);
  if (self == NULL)
    return;

  if (tokens == NULL)
    show_failure (self, error);
  else
    save_tokens (self, tokens);
}

static void
start_browser (RcSignInDialog *self)
{
  g_autoptr(GError) error = NULL;
  RcProvider *provider;

  stop_flow (self);
  self->flow = FLOW_BROWSER;
  gtk_label_set_label (self->browser_status, _("Opening your browser…"));
  show_page (self, "browser");

  provider = rc_monitor_get_provider (self->monitor, self->account, &error);
  if (provider == NULL)
    {
      show_settings_failure (self, error);
      return;
    }

  self->cancellable = g_cancellable_new ();
  self->authorization = rc_authorization_new (provider);
  rc_authorization_set_launcher (self->authorization, on_launch, step_new (self), (GDestroyNotify) step_free);
  rc_authorization_run_async (self->authorization, self->cancellable, on_browser_done, step_new (self));
}

static void
on_device_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(Step) step = user_data;
  g_autoptr(RcSignInDialog) self = step_dup_dialog (step);
  g_autoptr(RcTokenSet) tokens = NULL;
  g_autoptr(GError) error = NULL;

  tokens = rc_device_authorization_wait_finish (RC_DEVICE_AUTHORIZATION (source), result, &error);
  if (self == NULL)
    return;

  if (tokens == NULL)
    show_failure (self, error);
  else
    save_tokens (self, tokens);
}

static void
show_code (RcSignInDialog *self)
{
  const char *code = rc_device_authorization_get_user_code (self->device);
  const char *uri = rc_device_authorization_get_verification_uri (self->device);
  g_autofree char *uri_html = g_markup_escape_text (uri, -1);
  g_autofree char *link = g_strdup_printf ("<a href=\"%s\">%s</a>", uri_html, uri_html);
  g_autofree char *accessible = g_strdup_printf (_("Sign-in code: %s"), code);

  gtk_label_set_label (self->code_label, code);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->code_label),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);
  gtk_label_set_markup (self->link_label, link);
  self->device_deadline = g_get_monotonic_time () +
                          (gint64) rc_device_authorization_get_expires_in (self->device) * G_USEC_PER_SEC;
  gtk_stack_set_visible_child_name (self->device_stack, "code");
  update_countdown_timer (self);
  update_actions (self);
}

static void
on_device_started (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(Step) step = user_data;
  g_autoptr(RcSignInDialog) self = step_dup_dialog (step);
  g_autoptr(GError) error = NULL;
  gboolean started = rc_device_authorization_start_finish (RC_DEVICE_AUTHORIZATION (source), result, &error);

  if (self == NULL)
    return;

  if (!started)
    {
      show_failure (self, error);
      return;
    }

  show_code (self);
  rc_device_authorization_wait_async (self->device, self->cancellable, on_device_done, g_steal_pointer (&step));
}

static void
on_device_resolved (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(Step) step = user_data;
  g_autoptr(RcSignInDialog) self = step_dup_dialog (step);
  g_autoptr(GError) error = NULL;
  gboolean resolved = rc_provider_resolve_finish (RC_PROVIDER (source), result, &error);

  if (self == NULL)
    return;

  if (!resolved)
    {
      show_failure (self, error);
      return;
    }

  rc_device_authorization_start_async (self->device, self->cancellable, on_device_started, g_steal_pointer (&step));
}

static void
start_device (RcSignInDialog *self)
{
  g_autoptr(GError) error = NULL;
  RcProvider *provider;

  /* Cancelling the browser flow also closes its loopback listener. */
  stop_flow (self);
  self->flow = FLOW_DEVICE;
  gtk_label_set_label (self->code_label, "");
  gtk_label_set_label (self->countdown_label, "");
  gtk_stack_set_visible_child_name (self->device_stack, "loading");
  show_page (self, "device");

  provider = rc_monitor_get_provider (self->monitor, self->account, &error);
  if (provider == NULL)
    {
      show_settings_failure (self, error);
      return;
    }

  self->cancellable = g_cancellable_new ();
  self->device = rc_device_authorization_new (provider);
  /* Unlike RcAuthorization, the device flow needs its endpoints known. */
  rc_provider_resolve_async (provider, self->cancellable, on_device_resolved, step_new (self));
}

/* ------------------------------------------------------------ actions -- */

static void
copy_to_clipboard (RcSignInDialog *self,
                   const char     *text,
                   const char     *done)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
  toast (self, done);
}

static void
copy_link_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  RcSignInDialog *self = RC_SIGN_IN_DIALOG (widget);

  g_return_if_fail (self->uri != NULL);
  copy_to_clipboard (self, self->uri, _("Link copied"));
}

static void
open_browser_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  RcSignInDialog *self = RC_SIGN_IN_DIALOG (widget);

  g_return_if_fail (self->uri != NULL);
  open_uri (self, self->uri);
}

static void
use_code_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  start_device (RC_SIGN_IN_DIALOG (widget));
}

static void
copy_code_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  RcSignInDialog *self = RC_SIGN_IN_DIALOG (widget);

  g_return_if_fail (self->device != NULL);
  copy_to_clipboard (self, rc_device_authorization_get_user_code (self->device), _("Code copied"));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  gtk_window_close (GTK_WINDOW (widget));
}

static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  RcSignInDialog *self = RC_SIGN_IN_DIALOG (widget);

  if (self->flow == FLOW_DEVICE)
    start_device (self);
  else
    start_browser (self);
}

static void
close_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  gtk_window_close (GTK_WINDOW (widget));
}

static gboolean
on_activate_link (RcSignInDialog *self,
                  const char     *uri)
{
  const char *complete = self->device ? rc_device_authorization_get_verification_uri_complete (self->device) : NULL;
  g_autoptr(GdkAppLaunchContext) context = NULL;

  /* On this computer, the page can come with the code filled in. */
  context = gdk_display_get_app_launch_context (gtk_widget_get_display (GTK_WIDGET (self)));
  g_app_info_launch_default_for_uri_async (complete ? complete : uri, G_APP_LAUNCH_CONTEXT (context), NULL,
                                           on_default_launched, g_object_ref (self));
  return TRUE;
}

/* Closing the window, Escape and Cancel all end here: whatever runs stops,
 * and the caller hears that the dialog is done. */
static gboolean
rc_sign_in_dialog_close_request (GtkWindow *window)
{
  RcSignInDialog *self = RC_SIGN_IN_DIALOG (window);

  if (!self->signed_in)
    stop_flow (self);
  g_clear_handle_id (&self->countdown_id, g_source_remove);
  finish (self);

  return GTK_WINDOW_CLASS (rc_sign_in_dialog_parent_class)->close_request (window);
}

static void
rc_sign_in_dialog_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (rc_sign_in_dialog_parent_class)->map (widget);
  update_countdown_timer (RC_SIGN_IN_DIALOG (widget));
}

static void
rc_sign_in_dialog_unmap (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (rc_sign_in_dialog_parent_class)->unmap (widget);
  update_countdown_timer (RC_SIGN_IN_DIALOG (widget));
}

static void
rc_sign_in_dialog_constructed (GObject *object)
{
  RcSignInDialog *self = RC_SIGN_IN_DIALOG (object);
  g_autofree char *name = dup_account_name (self->account);
  g_autofree char *name_html = g_markup_escape_text (name, -1);
  g_autofree char *description = NULL;

  G_OBJECT_CLASS (rc_sign_in_dialog_parent_class)->constructed (object);

  adw_window_title_set_subtitle (self->window_title, name);
  /* Translators: %s is the account's name, such as Acme Sales or Salesforce */
  description = g_strdup_printf (_("The sign-in page for <b>%s</b> opens in your browser. "
                                   "Sign in there, then come back here."), name_html);
  adw_status_page_set_description (self->browser_page, description);
  adw_status_page_set_description (self->device_page,
                                   _("On this or any other device, open the address below and enter the code."));
  update_actions (self);
}

static void
rc_sign_in_dialog_dispose (GObject *object)
{
  RcSignInDialog *self = RC_SIGN_IN_DIALOG (object);

  stop_flow (self);
  g_clear_object (&self->monitor);
  g_clear_object (&self->account);
  if (self->launcher_destroy != NULL)
    self->launcher_destroy (self->launcher_data);
  self->launcher = NULL;
  self->launcher_data = NULL;
  self->launcher_destroy = NULL;

  gtk_widget_dispose_template (GTK_WIDGET (self), RC_TYPE_SIGN_IN_DIALOG);

  G_OBJECT_CLASS (rc_sign_in_dialog_parent_class)->dispose (object);
}

static void
rc_sign_in_dialog_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  RcSignInDialog *self = RC_SIGN_IN_DIALOG (object);

  switch (prop_id)
    {
    case PROP_MONITOR:
      g_value_set_object (value, self->monitor);
      break;
    case PROP_ACCOUNT:
      g_value_set_object (value, self->account);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rc_sign_in_dialog_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  RcSignInDialog *self = RC_SIGN_IN_DIALOG (object);

  switch (prop_id)
    {
    case PROP_MONITOR:
      self->monitor = g_value_dup_object (value);
      break;
    case PROP_ACCOUNT:
      self->account = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rc_sign_in_dialog_class_init (RcSignInDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = rc_sign_in_dialog_constructed;
  object_class->dispose = rc_sign_in_dialog_dispose;
  object_class->get_property = rc_sign_in_dialog_get_property;
  object_class->set_property = rc_sign_in_dialog_set_property;
  widget_class->map = rc_sign_in_dialog_map;
  widget_class->unmap = rc_sign_in_dialog_unmap;
  window_class->close_request = rc_sign_in_dialog_close_request;

  properties[PROP_MONITOR] =
    g_param_spec_object ("monitor", NULL, NULL,
                         RC_TYPE_MONITOR,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ACCOUNT] =
    g_param_spec_object ("account", NULL, NULL,
                         RC_TYPE_ACCOUNT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * RcSignInDialog::finished:
   * @self: the dialog
   * @signed_in: whether the account is signed in now
   *
   * Emitted once: as soon as the sign-in is saved, or when the user gives
   * up (Cancel, Close after a failure, or closing the window).
   */
  signals[FINISHED] =
    g_signal_new ("finished",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_BOOLEAN);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/rc-sign-in-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, RcSignInDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, RcSignInDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, RcSignInDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, RcSignInDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, RcSignInDialog, browser_page);
  gtk_widget_class_bind_template_child (widget_class, RcSignInDialog, browser_spinner);
  gtk_widget_class_bind_template_child (widget_class, RcSignInDialog, browser_status);
  gtk_widget_class_bind_template_child (widget_class, RcSignInDialog, device_page);
  gtk_widget_class_bind_template_child (widget_class, RcSignInDialog, device_stack);
  gtk_widget_class_bind_template_child (widget_class, RcSignInDialog, code_label);
  gtk_widget_class_bind_template_child (widget_class, RcSignInDialog, link_label);
  gtk_widget_class_bind_template_child (widget_class, RcSignInDialog, countdown_label);
  gtk_widget_class_bind_template_child (widget_class, RcSignInDialog, done_page);
  gtk_widget_class_bind_template_child (widget_class, RcSignInDialog, failed_page);
  gtk_widget_class_bind_template_child (widget_class, RcSignInDialog, failed_use_code_button);
  gtk_widget_class_bind_template_child (widget_class, RcSignInDialog, details_expander);
  gtk_widget_class_bind_template_child (widget_class, RcSignInDialog, details_label);
  gtk_widget_class_bind_template_child (widget_class, RcSignInDialog, open_browser_button);
  gtk_widget_class_bind_template_child (widget_class, RcSignInDialog, copy_link_button);
  gtk_widget_class_bind_template_child (widget_class, RcSignInDialog, use_code_button);
  gtk_widget_class_bind_template_child (widget_class, RcSignInDialog, copy_code_button);
  gtk_widget_class_bind_template_child (widget_class, RcSignInDialog, close_done_button);
  gtk_widget_class_bind_template_child (widget_class, RcSignInDialog, retry_button);
  gtk_widget_class_bind_template_child (widget_class, RcSignInDialog, close_failed_button);
  gtk_widget_class_bind_template_callback (widget_class, on_page_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_activate_link);

  gtk_widget_class_install_action (widget_class, "sign-in.copy-link", NULL, copy_link_action);
  gtk_widget_class_install_action (widget_class, "sign-in.open-browser", NULL, open_browser_action);
  gtk_widget_class_install_action (widget_class, "sign-in.use-code", NULL, use_code_action);
  gtk_widget_class_install_action (widget_class, "sign-in.copy-code", NULL, copy_code_action);
  gtk_widget_class_install_action (widget_class, "sign-in.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "sign-in.retry", NULL, retry_action);
  gtk_widget_class_install_action (widget_class, "sign-in.close", NULL, close_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
rc_sign_in_dialog_init (RcSignInDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * rc_sign_in_dialog_new:
 * @monitor: the #RcMonitor that keeps the account
 * @account: the account to sign in
 *
 * Returns: (transfer full): a new sign-in dialog; present it, then call
 *   rc_sign_in_dialog_start()
 */
RcSignInDialog *
rc_sign_in_dialog_new (RcMonitor *monitor,
                       RcAccount *account)
{
  g_return_val_if_fail (RC_IS_MONITOR (monitor), NULL);
  g_return_val_if_fail (RC_IS_ACCOUNT (account), NULL);

  return g_object_new (RC_TYPE_SIGN_IN_DIALOG,
                       "monitor", monitor,
                       "account", account,
                       NULL);
}

RcMonitor *
rc_sign_in_dialog_get_monitor (RcSignInDialog *self)
{
  g_return_val_if_fail (RC_IS_SIGN_IN_DIALOG (self), NULL);

  return self->monitor;
}

RcAccount *
rc_sign_in_dialog_get_account (RcSignInDialog *self)
{
  g_return_val_if_fail (RC_IS_SIGN_IN_DIALOG (self), NULL);

  return self->account;
}

/**
 * rc_sign_in_dialog_set_launcher:
 * @self: a #RcSignInDialog
 * @launcher: (nullable): opens the sign-in page; %NULL for the desktop's browser
 * @user_data: data for @launcher
 * @destroy: (nullable): frees @user_data when the dialog goes away
 *
 * For tests, which play the user in a scripted browser.  Set it before
 * rc_sign_in_dialog_start().
 */
void
rc_sign_in_dialog_set_launcher (RcSignInDialog *self,
                                RcUriLauncher   launcher,
                                gpointer        user_data,
                                GDestroyNotify  destroy)
{
  g_return_if_fail (RC_IS_SIGN_IN_DIALOG (self));

  if (self->launcher_destroy != NULL)
    self->launcher_destroy (self->launcher_data);
  self->launcher = launcher;
  self->launcher_data = user_data;
  self->launcher_destroy = destroy;
}

/**
 * rc_sign_in_dialog_start:
 * @self: a #RcSignInDialog
 *
 * Starts the sign-in in the browser.  The caller presents the dialog.
 */
void
rc_sign_in_dialog_start (RcSignInDialog *self)
{
  g_return_if_fail (RC_IS_SIGN_IN_DIALOG (self));
  g_return_if_fail (!self->finished);

  start_browser (self);
}
