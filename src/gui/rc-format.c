/* rc-format.c: the words the window uses for states and times
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "rc-format.h"

#define MINUTE 60
#define HOUR   (60 * MINUTE)
#define DAY    (24 * HOUR)

/**
 * rc_format_relative:
 * @when: a past time, unix seconds
 * @now: the present, unix seconds
 *
 * Returns: (transfer full): "just now", "2 minutes ago", "3 hours ago", …
 */
char *
rc_format_relative (gint64 when,
                    gint64 now)
{
  gint64 ago = MAX (now - when, 0);

  if (ago < MINUTE)
    return g_strdup (_("just now"));
  if (ago < HOUR)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute ago", "%d minutes ago", ago / MINUTE),
                            (int) (ago / MINUTE));
  if (ago < DAY)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d hour ago", "%d hours ago", ago / HOUR),
                            (int) (ago / HOUR));
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day ago", "%d days ago", ago / DAY),
                          (int) (ago / DAY));
}

/**
 * rc_format_duration:
 * @seconds: a length of time
 *
 * Returns: (transfer full): "1 minute", "2 days 4 hours", …: the two
 *   largest units, rounded down
 */
char *
rc_format_duration (gint64 seconds)
{
  gint64 days = seconds / DAY;
  gint64 hours = (seconds % DAY) / HOUR;
  gint64 minutes = MAX ((seconds % HOUR) / MINUTE, seconds < MINUTE ? 1 : 0);
  g_autofree char *d = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day", "%d days", days), (int) days);
  g_autofree char *h = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d hour", "%d hours", hours), (int) hours);
  g_autofree char *m = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute", "%d minutes", minutes),
                                        (int) minutes);

  if (days > 0)
    /* Translators: a length of time such as "2 days 4 hours" */
    return hours > 0 ? g_strdup_printf (C_("duration", "%s %s"), d, h) : g_steal_pointer (&d);
  if (hours > 0)
    return minutes > 0 ? g_strdup_printf (C_("duration", "%s %s"), h, m) : g_steal_pointer (&h);
  return g_steal_pointer (&m);
}

/**
 * rc_format_date:
 * @when: unix seconds
 *
 * Returns: (transfer full): the local date and time, as the user's locale
 *   writes it
 */
char *
rc_format_date (gint64 when)
{
  g_autoptr(GDateTime) date = g_date_time_new_from_unix_local (when);

  if (date == NULL)
    return g_strdup ("");
  return g_date_time_format (date, "%x %X");
}

const char *
rc_format_state_title (RcConnectionState state)
{
  switch (state)
    {
    case RC_CONNECTION_CONNECTED:     return _("Connected");
    case RC_CONNECTION_CHECKING:      return _("Checking");
    case RC_CONNECTION_OFFLINE:       return _("Offline");
    case RC_CONNECTION_NEEDS_SIGN_IN: return _("Connection lost");
    case RC_CONNECTION_NEEDS_ADMIN:   return _("Blocked by your organization");
    case RC_CONNECTION_SIGNED_OUT:
    default:                          return _("Not signed in");
    }
}

const char *
rc_format_state_icon (RcConnectionState state)
{
  switch (state)
    {
    case RC_CONNECTION_CONNECTED:     return "emblem-ok-symbolic";
    case RC_CONNECTION_CHECKING:      return "content-loading-symbolic";
    case RC_CONNECTION_OFFLINE:       return "network-offline-symbolic";
    case RC_CONNECTION_NEEDS_SIGN_IN: return "dialog-warning-symbolic";
    case RC_CONNECTION_NEEDS_ADMIN:   return "action-unavailable-symbolic";
    case RC_CONNECTION_SIGNED_OUT:
    default:                          return "system-log-out-symbolic";
    }
}

const char *
rc_format_provider_name (const char *provider)
{
  if (g_strcmp0 (provider, "salesforce") == 0)
    return "Salesforce";
  if (g_strcmp0 (provider, "entra") == 0)
    return "Microsoft Dynamics 365";
  return _("OpenID Connect");
}

/**
 * rc_format_account_subtitle:
 * @account: an account
 * @checking: whether a check of it is under way
 * @next_check: when the next check is planned, 0 for none
 * @now: the present
 *
 * Returns: (transfer full): "Connected · checked 2 minutes ago",
 *   "Connection lost · 3 hours ago", "Offline · will retry in 1 minute", …
 */
char *
rc_format_account_subtitle (RcAccount *account,
                            gboolean   checking,
                            gint64     next_check,
                            gint64     now)
{
  RcConnectionState state = rc_account_get_state (account);
  const char *title = rc_format_state_title (state);
  g_autofree char *when = NULL;

  /* Signed out, but the keyring kept the saved sign-in: say so until it
   * is really gone (the monitor retries). */
  if (rc_account_get_forget_pending (account))
    return g_strdup (_("Signed out · saved sign-in not removed yet"));

  if (checking && state != RC_CONNECTION_CONNECTED)
    /* Translators: "Connection lost · checking…" */
    return g_strdup_printf (_("%s · checking…"), title);

  switch (state)
    {
    case RC_CONNECTION_CONNECTED:
      if (rc_account_get_checked_at (account) <= 0)
        return g_strdup (title);
      when = rc_format_relative (rc_account_get_checked_at (account), now);
      /* Translators: "Connected · checked 2 minutes ago" */
      return g_strdup_printf (_("%s · checked %s"), title, when);

    case RC_CONNECTION_OFFLINE:
      if (next_check <= 0)
        return g_strdup (title);
      when = rc_format_duration (MAX (next_check - now, 1));
      /* Translators: "Offline · will retry in 1 minute" */
      return g_strdup_printf (_("%s · will retry in %s"), title, when);

    case RC_CONNECTION_NEEDS_SIGN_IN:
    case RC_CONNECTION_NEEDS_ADMIN:
      if (rc_account_get_first_failure (account) <= 0)
        return g_strdup (title);
      when = rc_format_relative (rc_account_get_first_failure (account), now);
      /* Translators: "Connection lost · 3 hours ago" */
      return g_strdup_printf (_("%s · %s"), title, when);

    case RC_CONNECTION_CHECKING:
    case RC_CONNECTION_SIGNED_OUT:
    default:
      return g_strdup (title);
    }
}

/**
 * rc_format_grace:
 * @account: an account
 * @grace_days: how long a CRM sync waits before it drops a connection
 * @now: the present
 *
 * Returns: (transfer full) (nullable): the countdown of the buffer window
 *   from the first failure, or %NULL while nothing fails
 */
char *
rc_format_grace (RcAccount *account,
                 guint      grace_days,
                 gint64     now)
{
  gint64 first = rc_account_get_first_failure (account);
  RcConnectionState state = rc_account_get_state (account);
  gint64 deadline = first + (gint64) grace_days * DAY;
  g_autofree char *left = NULL;
  g_autofree char *since = NULL;

  if (first <= 0 || state == RC_CONNECTION_CONNECTED || state == RC_CONNECTION_SIGNED_OUT)
    return NULL;

  if (now < deadline)
    {
      left = rc_format_duration (deadline - now);
      return g_strdup_printf (_("Sync may be disconnected in %s unless this is fixed."), left);
    }
  since = rc_format_date (deadline);
  return g_strdup_printf (_("Sync may have been disconnected since %s."), since);
}
