/* rc-remedy.c: what to do about each cause, for the user and for the admin
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Setup paths and labels are Salesforce's and Microsoft's own, from
 * shared/reference/providers.md; they are quoted so an admin can search
 * for them.  Steps for one provider are left out for an account of another.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "rc-entra-provider.h"
#include "rc-remedy.h"

#define ANY   0
#define SF    (1 << 0)
#define ENTRA (1 << 1)
#define OIDC  (1 << 2)

#define MAX_STEPS 6
#define MAX_LINKS 5

typedef struct
{
  guint       providers;  /* ANY, or the providers the step is about */
  const char *text;
} Step;

typedef enum
{
  LINK_NONE,
  LINK_SF_CONNECTED_APPS,
  LINK_SF_LOGIN_HISTORY,
  LINK_SF_USERS,
  LINK_SF_MY_CONNECTED_APPS,
  LINK_SF_NETWORK_ACCESS,
  LINK_SF_COMPANY,
  LINK_SF_STATUS,
  LINK_ENTRA_SIGN_INS,
  LINK_ENTRA_CONDITIONAL_ACCESS,
  LINK_ENTRA_APP_REGISTRATIONS,
  LINK_ENTRA_ENTERPRISE_APPS,
  LINK_ENTRA_DEVICES,
  LINK_ENTRA_USERS,
  LINK_M365_SUBSCRIPTIONS,
  LINK_MY_SECURITY_INFO,
  LINK_PASSWORD_RESET,
} LinkId;

struct _RcRemedy
{
  const char *cause;
  const char *title;
  const char *what_happened;
  Step        user[MAX_STEPS];
  Step        admin[MAX_STEPS];
  LinkId      links[MAX_LINKS];
};

/* Reused steps: one translation each. */
#define SIGN_IN_AGAIN { ANY, N_("Click Sign In Again and sign in with your usual account.") }
#define SF_LOGIN_HISTORY { SF, N_("In Salesforce Setup, open Login History and look at the failed attempts " \
                                  "of this user at the time shown below: the Status column says why.") }
#define ENTRA_SIGN_INS { ENTRA, N_("In the Microsoft Entra admin center, open Entra ID › Monitoring & health › " \
                                   "Sign-in logs, or Diagnose & solve problems › Sign-in Diagnostic, and search " \
                                   "by the correlation ID and the time shown below (within 48 hours).") }
#define SF_REFRESH_POLICY { SF, N_("In Salesforce Setup, open Apps › Connected Apps › Manage Connected Apps (or " \
                                   "External Client App Manager), click Edit Policies for this app, and under OAuth " \
                                   "Policies set Refresh Token Policy to “Refresh token is valid until revoked”. If " \
                                   "the org limits idle refresh tokens, that option is hidden: choose “Expire refresh " \
                                   "token if not used for” with the longest period allowed.") }
#define SF_USER_REVOKE { SF, N_("In Salesforce, open the user’s Advanced User Details and, under OAuth Connected " \
                                "Apps, check whether this app’s access was revoked; each app allows five approvals " \
                                "per user, and a sixth revokes the oldest.") }
#define WAIT_RETRY { ANY, N_("Wait: Reconnect tries again on its own and shows when the connection is back.") }
#define ASK_ADMIN { ANY, N_("Send your admin the message from What to Tell Your Admin; only they can change this.") }

static const RcRemedy remedies[] = {
  { "session-expired",
    N_("Session Ended"),
    N_("The short-lived session the app uses ended, usually after a period without use. Reconnect renews it "
       "on its own; it shows this only when renewing did not work."),
    { { ANY, N_("Click Try Again. If it still fails, click Sign In Again.") },
      { ANY, N_("In other apps that show “Connection lost”, sign out and sign in again.") } },
    { SF_LOGIN_HISTORY,
      { SF, N_("If it happens often, check the session timeout in Setup › Session Settings and the user’s "
               "profile, and whether “Lock sessions to the IP address from which they originated” is on.") } },
    { LINK_SF_LOGIN_HISTORY } },

  { "refresh-token-expired",
    N_("Sign-In Expired"),
    N_("The saved sign-in expired because it was not used for a while, or because your organization lets it "
       "last only for a set time."),
    { SIGN_IN_AGAIN,
      { ANY, N_("If this happens every few days, ask your admin about the refresh token policy.") } },
    { SF_REFRESH_POLICY,
      { SF, N_("If the policy is “Expire refresh token after” a fixed time, users have to sign in again when it "
               "ends; lengthen it or switch to an inactivity limit.") },
      { ENTRA, N_("Microsoft Entra refresh tokens expire after 90 days without use (AADSTS700082); check Conditional "
                  "Access sign-in frequency settings if users must sign in more often.") },
      ENTRA_SIGN_INS },
    { LINK_SF_CONNECTED_APPS, LINK_ENTRA_CONDITIONAL_ACCESS, LINK_ENTRA_SIGN_INS } },

  { "refresh-token-policy-immediate",
    N_("Organization Ends Every Sign-In"),
    N_("Your organization’s security settings end each sign-in as soon as it is used: the app is logged out "
       "again right after you sign in."),
    { ASK_ADMIN,
      { ANY, N_("Once your admin has changed the policy, restart the app and sign in again.") } },
    { { SF, N_("In Salesforce Setup, open Apps › Connected Apps › Manage Connected Apps (or External Client App "
               "Manager), click Edit Policies for this app: under OAuth Policies the Refresh Token Policy is "
               "“Immediately expire refresh token”.") },
      SF_REFRESH_POLICY,
      { SF, N_("Save, then ask users to restart the app and sign in again.") } },
    { LINK_SF_CONNECTED_APPS } },

  { "token-revoked",
    N_("Sign-In Revoked"),
    N_("The saved sign-in was revoked: by you or an admin, because the app was approved on too many devices, "
       "or because a reused sign-in was detected."),
    { SIGN_IN_AGAIN,
      { SF, N_("In Salesforce, open Settings › Advanced User Details › OAuth Connected Apps to see which devices "
               "hold access; signing in on a sixth device revokes the oldest.") } },
    { SF_USER_REVOKE, SF_LOGIN_HISTORY,
      { ENTRA, N_("In the Microsoft Entra admin center, check the user’s sign-in logs and whether sessions were "
                  "revoked (Revoke sessions) or the password was reset.") } },
    { LINK_SF_MY_CONNECTED_APPS, LINK_SF_USERS, LINK_ENTRA_SIGN_INS } },

  { "bad-token",
    N_("Saved Sign-In Not Accepted"),
    N_("The service did not accept the saved sign-in: it is damaged, was issued for another place, or was "
       "replaced by a newer one."),
    { SIGN_IN_AGAIN,
      { ANY, N_("If it happens again, remove the account and add it again.") } },
    { SF_LOGIN_HISTORY, ENTRA_SIGN_INS },
    { LINK_SF_LOGIN_HISTORY, LINK_ENTRA_SIGN_INS } },

  { "mfa-required",
    N_("Second Sign-In Step Required"),
    N_("Your organization now asks for multi-factor authentication, so the saved sign-in cannot be renewed "
       "without you."),
    { SIGN_IN_AGAIN,
      { ANY, N_("Complete the second step (an authenticator app, a text message or a security key) when asked.") },
      { ENTRA, N_("If you have not set up a second step yet, add one at My Sign-Ins › Security info.") } },
    { ENTRA_SIGN_INS,
      { ENTRA, N_("If users cannot complete it, check the Conditional Access policy or security defaults that "
                  "require MFA, and the user’s registered methods.") },
      { SF, N_("In Salesforce, check whether the app or the profile requires a High Assurance session.") } },
    { LINK_MY_SECURITY_INFO, LINK_ENTRA_SIGN_INS, LINK_ENTRA_CONDITIONAL_ACCESS } },

  { "conditional-access",
    N_("Blocked by an Access Policy"),
    N_("A Conditional Access policy of your organization does not allow this sign-in, for example from this "
       "device, app or location."),
    { ASK_ADMIN,
      { ANY, N_("If you can, try from a device or network your organization allows.") } },
    { ENTRA_SIGN_INS,
      { ENTRA, N_("In Entra ID › Conditional Access › Policies, find the policy the sign-in log names under "
                  "Conditional Access, and allow the user, app or device, or exclude it.") } },
    { LINK_ENTRA_SIGN_INS, LINK_ENTRA_CONDITIONAL_ACCESS } },

  { "device-not-registered",
    N_("Computer Not Registered"),
    N_("Your organization requires a registered device, and this computer’s registration is missing or was "
       "removed."),
    { ASK_ADMIN,
      { ANY, N_("Your admin may ask you to register this computer again, then sign in again.") } },
    { ENTRA_SIGN_INS,
      { ENTRA, N_("In Entra ID › Devices › All devices, check whether the device object was deleted or disabled "
                  "(AADSTS700003, 135011); re-register or re-join the device, then ask the user to sign in "
                  "again.") } },
    { LINK_ENTRA_DEVICES, LINK_ENTRA_SIGN_INS } },

  { "client-secret-expired",
    N_("App Secret Expired"),
    N_("The secret the app registration uses to prove who it is has expired or is wrong. Signing in again does "
       "not help."),
    { ASK_ADMIN },
    { { ENTRA, N_("In Entra ID › App registrations › this app › Certificates & secrets, add a new client secret "
                  "or certificate, and update the connector with it before the old one is removed.") },
      { SF, N_("In Salesforce Setup, open the app in App Manager › Manage Consumer Details and check the consumer "
               "key and secret the connector uses; staged consumer details must be applied.") } },
    { LINK_ENTRA_APP_REGISTRATIONS, LINK_SF_CONNECTED_APPS } },

  { "app-not-approved",
    N_("App Not Approved"),
    N_("The app is not approved for your account: it needs an admin’s approval or consent."),
    { ASK_ADMIN },
    { { SF, N_("In Salesforce Setup, Manage Connected Apps › this app › Edit Policies: if Permitted Users is "
               "“Admin approved users are pre-authorized”, add the user’s profile or permission set to the "
               "app.") },
      { ENTRA, N_("In Entra ID › Enterprise applications › this app › Permissions, grant admin consent, or let "
                  "users consent to it.") } },
    { LINK_SF_CONNECTED_APPS, LINK_ENTRA_ENTERPRISE_APPS } },

  { "user-deactivated",
    N_("User Account Deactivated"),
    N_("The user account this connection signs in with is deactivated, disabled or no longer exists."),
    { ASK_ADMIN },
    { { SF, N_("In Salesforce Setup › Users, check that the user is Active and not frozen; reactivate it, or "
               "reconnect with an active user.") },
      { ENTRA, N_("In Entra ID › Users, check that the account exists and “Account enabled” is Yes.") },
      ENTRA_SIGN_INS },
    { LINK_SF_USERS, LINK_ENTRA_USERS } },

  { "password-changed",
    N_("Password Changed"),
    N_("Your password was changed or reset, which ends saved sign-ins."),
    { SIGN_IN_AGAIN,
      { ANY, N_("Use your new password.") } },
    { SF_LOGIN_HISTORY, ENTRA_SIGN_INS },
    { LINK_SF_LOGIN_HISTORY, LINK_ENTRA_SIGN_INS } },

  { "password-expired",
    N_("Password Expired"),
    N_("Your password has expired and must be changed before you can sign in."),
    { { ANY, N_("Change your password, then click Sign In Again.") },
      { ENTRA, N_("You can change it at the Microsoft password reset page.") } },
    { { ANY, N_("If the user cannot change it, reset the password for them.") } },
    { LINK_PASSWORD_RESET, LINK_SF_USERS, LINK_ENTRA_USERS } },

  { "account-locked",
    N_("Account Locked"),
    N_("Your account is locked after too many sign-in attempts with a wrong password."),
    { { ANY, N_("Wait for the lockout to end (often 15 to 30 minutes), then sign in with the right password.") },
      { ANY, N_("Update the password in other apps that still use the old one.") } },
    { { SF, N_("In Salesforce Setup › Users, open the user and click Unlock.") },
      { ENTRA, N_("Check the sign-in logs for the failed attempts (AADSTS50053): Smart Lockout or a risky "
                  "address may be the reason.") } },
    { LINK_SF_USERS, LINK_ENTRA_SIGN_INS } },

  { "ip-restricted",
    N_("Not Allowed From This Network"),
    N_("Sign-in is not allowed from this network or at this time of day."),
    { { ANY, N_("Try again from your office network or VPN, or during working hours.") },
      ASK_ADMIN },
    { { SF, N_("In Salesforce Setup, check the profile’s Login IP Ranges and Login Hours, and Network Access.") },
      { SF, N_("In Manage Connected Apps › this app › Edit Policies, IP Relaxation can be “Enforce IP "
               "restrictions, but relax for refresh tokens” or “Relax IP restrictions”.") },
      SF_LOGIN_HISTORY,
      { ENTRA, N_("Check the Conditional Access policies that use named locations.") } },
    { LINK_SF_NETWORK_ACCESS, LINK_SF_CONNECTED_APPS, LINK_SF_LOGIN_HISTORY } },

  { "org-inactive",
    N_("Subscription Not Active"),
    N_("Your organization’s CRM or its subscription is not active: it is locked, suspended, expired, or the "
       "service is not enabled."),
    { ASK_ADMIN },
    { { SF, N_("In Salesforce Setup › Company Information, check the org’s status and licences; a locked, closed "
               "or suspended org needs Salesforce’s help.") },
      { ENTRA, N_("In the Microsoft 365 admin center › Billing › Your products, and the Power Platform admin "
                  "center, check that the Dynamics 365 subscription and environment are active.") } },
    { LINK_SF_COMPANY, LINK_M365_SUBSCRIPTIONS } },

  { "client-invalid",
    N_("App Not Known"),
    N_("Your organization does not know the app this connection uses: its client ID is wrong, or the app was "
       "removed or disabled."),
    { ASK_ADMIN },
    { { SF, N_("In Salesforce Setup › App Manager, check that the connected app or external client app exists "
               "and that its consumer key matches the client ID shown below.") },
      { ENTRA, N_("In Entra ID › App registrations and Enterprise applications, check that the application ID "
                  "exists in this tenant and is enabled for users to sign in.") } },
    { LINK_SF_CONNECTED_APPS, LINK_ENTRA_APP_REGISTRATIONS } },

  { "redirect-mismatch",
    N_("Callback Address Not Registered"),
    N_("The address the sign-in returns to is not registered for the app, so the sign-in cannot finish."),
    { ASK_ADMIN },
    { { SF, N_("In Salesforce App Manager › this app › Edit, add the exact Callback URL shown below, "
               "including its port and path.") },
      { ENTRA, N_("In Entra ID › App registrations › this app › Authentication, add the redirect URI shown below "
                  "under Mobile and desktop applications.") } },
    { LINK_SF_CONNECTED_APPS, LINK_ENTRA_APP_REGISTRATIONS } },

  { "access-denied",
    N_("Access Not Allowed"),
    N_("The sign-in was declined: the permission request was denied, or the consent page was closed."),
    { { ANY, N_("Click Sign In Again and choose Allow when asked for access.") } },
    { { ANY, N_("If users are not allowed to approve the app themselves, approve it for them.") } },
    { LINK_SF_CONNECTED_APPS, LINK_ENTRA_ENTERPRISE_APPS } },

  { "rate-limited",
    N_("Too Many Requests"),
    N_("The service asked to slow down: too many requests or sign-ins in a short time."),
    { WAIT_RETRY },
    { { SF, N_("In Salesforce Setup › Company Information, check API Requests, Last 24 Hours against the "
               "limit.") },
      { ENTRA, N_("AADSTS50196 means a client asked for tokens in a loop; find it in the sign-in logs.") } },
    { LINK_SF_COMPANY } },

  { "service-unavailable",
    N_("Service Unavailable"),
    N_("The service is down or under maintenance. Your sign-in is not affected."),
    { WAIT_RETRY },
    { { SF, N_("Check Salesforce Trust for maintenance and incidents on the org’s instance.") },
      { ENTRA, N_("Check the Microsoft 365 Service health page.") } },
    { LINK_SF_STATUS } },

  { "network-offline",
    N_("Service Not Reachable"),
    N_("This computer cannot reach the service: no network, a name that does not resolve, or a firewall. "
       "Your sign-in is not affected."),
    { { ANY, N_("Check that you are connected to the internet or your VPN.") },
      WAIT_RETRY },
    { { ANY, N_("Check that the firewall and proxy allow the service’s addresses.") } },
    { LINK_NONE } },

  { "tls-error",
    N_("Connection Not Trusted"),
    N_("The service’s certificate is not trusted by this computer, often because a network device inspects "
       "encrypted traffic. Reconnect never turns that check off."),
    { ASK_ADMIN },
    { { ANY, N_("If a proxy inspects TLS, install its root certificate in the system’s trust store, or exempt "
                "the service’s addresses from inspection.") } },
    { LINK_NONE } },

  { "captive-portal",
    N_("Network Sign-In Required"),
    N_("The network this computer is on answered in place of the service with a web page, as hotel, "
       "airport and guest networks do until you sign in to them. Your sign-in to the service is not affected."),
    { { ANY, N_("Open any web page in your browser and sign in to the network or accept its terms.") },
      WAIT_RETRY },
    { { ANY, N_("If this happens on the organization’s own network, exempt the service’s addresses from the "
                "network’s sign-in page or web filter.") } },
    { LINK_NONE } },

  { "proxy-auth-required",
    N_("Proxy Sign-In Required"),
    N_("The network proxy asks you to sign in before it lets connections through."),
    { { ANY, N_("Open a web page in your browser and sign in to the proxy, or set the proxy credentials in the "
                "system’s network settings.") } },
    { { ANY, N_("Exempt the service’s addresses from proxy authentication, or configure the proxy for this "
                "computer.") } },
    { LINK_NONE } },

  { "clock-skew",
    N_("Clock Is Wrong"),
    N_("This computer’s clock differs from the service’s by more than five minutes, so sign-ins look expired "
       "or not yet valid."),
    { { ANY, N_("In Settings › System › Date & Time, turn on Automatic Date & Time, then click Try Again.") } },
    { { ANY, N_("Check that the computer can reach a time server (NTP).") } },
    { LINK_NONE } },

  { "keyring-unavailable",
    N_("Keyring Not Available"),
    N_("Reconnect keeps sign-ins in your keyring, and the keyring is locked or not running."),
    { { ANY, N_("Unlock the keyring when asked (it uses your login password), then click Try Again.") },
      { ANY, N_("If it is never asked, check in Passwords and Keys that a Login keyring exists.") } },
    { { ANY, N_("Make sure a Secret Service (GNOME Keyring or KWallet) runs in the user’s session; in a sandbox, "
                "the Secret portal must be available.") } },
    { LINK_NONE } },

  { "unknown",
    N_("Cause Not Known"),
    N_("Reconnect could not tell why from what the service said. It does not guess."),
    { { ANY, N_("Click Try Again; if it still fails, click Sign In Again.") },
      { ANY, N_("If it keeps failing, send your admin the message from What to Tell Your Admin.") } },
    { SF_LOGIN_HISTORY, ENTRA_SIGN_INS },
    { LINK_SF_LOGIN_HISTORY, LINK_ENTRA_SIGN_INS } },
};

typedef struct
{
  guint       provider;
  const char *label;
  const char *path;  /* after the My Domain, or the portal's fragment */
} Link;

static const Link links[] = {
  [LINK_SF_CONNECTED_APPS] = { SF, N_("Manage Connected Apps"), "/lightning/setup/ConnectedApplication/home" },
  [LINK_SF_LOGIN_HISTORY] = { SF, N_("Login History"), "/lightning/setup/OrgLoginHistory/home" },
  [LINK_SF_USERS] = { SF, N_("Users"), "/lightning/setup/ManageUsers/home" },
  [LINK_SF_MY_CONNECTED_APPS] = { SF, N_("Your OAuth Connected Apps"), "/lightning/settings/personal/AdvancedUserDetails/home" },
  [LINK_SF_NETWORK_ACCESS] = { SF, N_("Network Access"), "/lightning/setup/NetworkAccess/home" },
  [LINK_SF_COMPANY] = { SF, N_("Company Information"), "/lightning/setup/CompanyProfileInfo/home" },
  [LINK_SF_STATUS] = { SF, N_("Salesforce Trust"), "https://status.salesforce.com/" },
  [LINK_ENTRA_SIGN_INS] = { ENTRA, N_("Sign-in logs"), "view/Microsoft_AAD_IAM/ActiveDirectoryMenuBlade/~/SignIns" },
  [LINK_ENTRA_CONDITIONAL_ACCESS] = { ENTRA, N_("Conditional Access policies"),
                                      "view/Microsoft_AAD_ConditionalAccess/ConditionalAccessBlade/~/Policies" },
  [LINK_ENTRA_APP_REGISTRATIONS] = { ENTRA, N_("App registrations"),
                                     "view/Microsoft_AAD_IAM/ActiveDirectoryMenuBlade/~/RegisteredApps" },
  [LINK_ENTRA_ENTERPRISE_APPS] = { ENTRA, N_("Enterprise applications"),
                                   "view/Microsoft_AAD_IAM/StartboardApplicationsMenuBlade/~/AppAppsPreview" },
  [LINK_ENTRA_DEVICES] = { ENTRA, N_("Devices"), "view/Microsoft_AAD_Devices/DevicesMenuBlade/~/Devices" },
  [LINK_ENTRA_USERS] = { ENTRA, N_("Users"), "view/Microsoft_AAD_UsersAndTenants/UserManagementMenuBlade/~/AllUsers" },
  [LINK_M365_SUBSCRIPTIONS] = { ENTRA, N_("Your products (Microsoft 365 admin center)"),
                                "https://admin.microsoft.com/#/subscriptions" },
  [LINK_MY_SECURITY_INFO] = { ENTRA, N_("Security info (My Sign-Ins)"), "https://mysignins.microsoft.com/security-info" },
  [LINK_PASSWORD_RESET] = { ENTRA, N_("Change or reset your password"), "https://passwordreset.microsoftonline.com/" },
};

static guint
provider_bit (const char *provider)
{
  if (g_strcmp0 (provider, "salesforce") == 0)
    return SF;
  if (g_strcmp0 (provider, "entra") == 0)
    return ENTRA;
  if (g_strcmp0 (provider, "oidc") == 0)
    return OIDC;
  return ANY;
}

/**
 * rc_remedy_lookup:
 * @cause: a cause id
 *
 * Returns: (transfer none): the remedy for @cause; "unknown"'s for an id
 *   that is not a cause
 */
const RcRemedy *
rc_remedy_lookup (const char *cause)
{
  for (guint i = 0; i < G_N_ELEMENTS (remedies); i++)
    if (g_strcmp0 (remedies[i].cause, cause) == 0)
      return &remedies[i];
  return &remedies[G_N_ELEMENTS (remedies) - 1];
}

const char *
rc_remedy_get_cause (const RcRemedy *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->cause;
}

/**
 * rc_remedy_get_title:
 * @self: a remedy
 *
 * Returns: a translated heading, in title case
 */
const char *
rc_remedy_get_title (const RcRemedy *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return _(self->title);
}

/**
 * rc_remedy_get_what_happened:
 * @self: a remedy
 *
 * Returns: a translated paragraph, in plain words
 */
const char *
rc_remedy_get_what_happened (const RcRemedy *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return _(self->what_happened);
}

static char **
dup_steps (const Step *steps,
           const char *provider)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  guint bit = provider_bit (provider);
  char **result;

  for (guint i = 0; i < MAX_STEPS && steps[i].text != NULL; i++)
    if (steps[i].providers == ANY || bit == ANY || (steps[i].providers & bit) != 0)
      g_strv_builder_add (builder, _(steps[i].text));

  result = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return result;
}

/**
 * rc_remedy_dup_user_steps:
 * @self: a remedy
 * @provider: (nullable): "salesforce", "entra" or "oidc"; %NULL for every
 *   provider's steps
 *
 * Returns: (transfer full): the translated steps the user can take, in order
 */
char **
rc_remedy_dup_user_steps (const RcRemedy *self,
                          const char     *provider)
{
  g_return_val_if_fail (self != NULL, NULL);

  return dup_steps (self->user, provider);
}

/**
 * rc_remedy_dup_admin_steps:
 * @self: a remedy
 * @provider: (nullable): "salesforce", "entra" or "oidc"; %NULL for every
 *   provider's steps
 *
 * Returns: (transfer full): the translated steps for the admin, with the
 *   exact Setup paths and labels
 */
char **
rc_remedy_dup_admin_steps (const RcRemedy *self,
                           const char     *provider)
{
  g_return_val_if_fail (self != NULL, NULL);

  return dup_steps (self->admin, provider);
}

void
rc_remedy_link_free (RcRemedyLink *link)
{
  if (link == NULL)
    return;
  g_free (link->label);
  g_free (link->uri);
  g_free (link);
}

/* https://host of a Salesforce login URL, the org's My Domain when the
 * account was added with it. */
static char *
salesforce_base (RcAccount *account)
{
  const char *endpoint = account ? rc_account_get_endpoint (account) : NULL;
  g_autoptr(GUri) uri = endpoint ? g_uri_parse (endpoint, G_URI_FLAGS_NONE, NULL) : NULL;

  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return g_strdup ("https://login.salesforce.com");
  return g_uri_join (G_URI_FLAGS_NONE, g_uri_get_scheme (uri), NULL, g_uri_get_host (uri),
                     g_uri_get_port (uri), "", NULL, NULL);
}

/* The Azure portal, in the account's tenant when it names one. */
static char *
entra_portal (RcAccount  *account,
              const char *fragment)
{
  const char *tenant = account ? rc_account_get_endpoint (account) : NULL;

  if (tenant != NULL && rc_entra_tenant_is_valid (tenant) &&
      g_strcmp0 (tenant, "common") != 0 && g_strcmp0 (tenant, "organizations") != 0 &&
      g_strcmp0 (tenant, "consumers") != 0)
    {
      g_autofree char *escaped = g_uri_escape_string (tenant, NULL, FALSE);

      return g_strdup_printf ("https://portal.azure.com/#@%s/%s", escaped, fragment);
    }
  return g_strdup_printf ("https://portal.azure.com/#%s", fragment);
}

/**
 * rc_remedy_dup_links:
 * @self: a remedy
 * @account: (nullable): the account, for its My Domain or tenant; %NULL for
 *   every provider's links with generic addresses
 *
 * Returns: (transfer full) (element-type RcRemedyLink): where to look
 */
GPtrArray *
rc_remedy_dup_links (const RcRemedy *self,
                     RcAccount      *account)
{
  GPtrArray *result = g_ptr_array_new_with_free_func ((GDestroyNotify) rc_remedy_link_free);
  guint bit = account ? provider_bit (rc_account_get_provider (account)) : ANY;

  g_return_val_if_fail (self != NULL, result);

  for (guint i = 0; i < MAX_LINKS && self->links[i] != LINK_NONE; i++)
    {
      const Link *link = &links[self->links[i]];
      RcRemedyLink *out;

      if (bit != ANY && (link->provider & bit) == 0)
        continue;

      out = g_new0 (RcRemedyLink, 1);
      out->label = g_strdup (_(link->label));
      if (g_str_has_prefix (link->path, "https://"))
        out->uri = g_strdup (link->path);
      else if (link->provider == SF)
        {
          g_autofree char *base = salesforce_base (bit == SF ? account : NULL);

          out->uri = g_strconcat (base, link->path, NULL);
        }
      else
        out->uri = entra_portal (bit == ENTRA ? account : NULL, link->path);
      g_ptr_array_add (result, out);
    }
  return result;
}

static const char *
provider_name (const char *provider)
{
  switch (provider_bit (provider))
    {
    case SF:    return "Salesforce";
    case ENTRA: return "Microsoft Entra ID (Dynamics 365)";
    case OIDC:  return "OpenID Connect";
    default:    return provider;
    }
}

static void
append_time (GString    *text,
             const char *label,
             gint64      when)
{
  g_autoptr(GDateTime) time = NULL;
  g_autofree char *iso = NULL;

  if (when <= 0)
    return;
  time = g_date_time_new_from_unix_utc (when);
  iso = g_date_time_format_iso8601 (time);
  g_string_append_printf (text, "%s %s\n", label, iso);
}

static void
append_finding (GString         *text,
                const RcFinding *finding)
{
  const char * const *evidence = rc_finding_get_evidence (finding);
  GDateTime *first = rc_finding_get_first_seen (finding);
  GDateTime *last = rc_finding_get_last_seen (finding);

  /* TRANSLATORS: the cause id, then how sure Reconnect is (high, medium, low) */
  g_string_append_printf (text, _("Cause: %s (confidence: %s)"), rc_finding_get_cause (finding),
                          rc_confidence_to_string (rc_finding_get_confidence (finding)));
  g_string_append_c (text, '\n');
  if (rc_finding_get_count (finding) > 1)
    {
      g_string_append_printf (text, _("Seen %" G_GUINT64_FORMAT " times"), rc_finding_get_count (finding));
      g_string_append_c (text, '\n');
    }
  if (first != NULL && last != NULL)
    {
      g_autofree char *from = g_date_time_format_iso8601 (first);
      g_autofree char *to = g_date_time_format_iso8601 (last);

      /* TRANSLATORS: two ISO 8601 times */
      g_string_append_printf (text, _("First seen %s, last seen %s"), from, to);
      g_string_append_c (text, '\n');
    }
  for (guint i = 0; evidence[i] != NULL; i++)
    g_string_append_printf (text, "  %s\n", evidence[i]);
}

/**
 * rc_remedy_dup_admin_message:
 * @cause: the cause id
 * @account: (nullable): the account it happened to
 * @diagnosis: (nullable): the evidence
 *
 * The text behind Copy Message for Your Admin: what happened, on which
 * account, the evidence (HTTP status, codes, trace and correlation ids,
 * times) and what to check.  Never a token: evidence lines are redacted.
 *
 * Returns: (transfer full): the translated message
 */
char *
rc_remedy_dup_admin_message (const char  *cause,
                             RcAccount   *account,
                             RcDiagnosis *diagnosis)
{
  const RcRemedy *remedy = rc_remedy_lookup (cause);
  const char *provider = account ? rc_account_get_provider (account) : NULL;
  g_auto(GStrv) steps = rc_remedy_dup_admin_steps (remedy, provider);
  GString *text = g_string_new (NULL);

  g_string_append (text, _("Hello,"));
  g_string_append (text, "\n\n");
  if (account != NULL)
    g_string_append_printf (text, _("My connection to %s stopped working: %s"), provider_name (provider),
                            rc_remedy_get_title (remedy));
  else
    g_string_append_printf (text, _("My CRM connection stopped working: %s"), rc_remedy_get_title (remedy));
  g_string_append (text, "\n");
  g_string_append (text, rc_remedy_get_what_happened (remedy));
  g_string_append (text, "\n\n");

  if (account != NULL)
    {
      g_string_append_printf (text, "%s %s\n", _("Account:"),
                              rc_account_get_user (account) ? rc_account_get_user (account)
                                                            : rc_account_get_display_name (account));
      g_string_append_printf (text, "%s %s\n", provider_bit (provider) == ENTRA ? _("Tenant:") : _("Sign-in address:"),
                              rc_account_get_endpoint (account));
      g_string_append_printf (text, "%s %s\n", _("App (client ID):"), rc_account_get_client_id (account));
      append_time (text, _("Signed in:"), rc_account_get_signed_in_at (account));
      append_time (text, _("First failure:"), rc_account_get_first_failure (account));
      append_time (text, _("Last checked:"), rc_account_get_checked_at (account));
      g_string_append_c (text, '\n');
    }

  if (diagnosis != NULL && rc_diagnosis_get_n_findings (diagnosis) > 0)
    {
      const RcFinding *finding = rc_diagnosis_lookup_finding (diagnosis, cause);

      g_string_append (text, _("What Reconnect found:"));
      g_string_append_c (text, '\n');
      append_finding (text, finding ? finding : rc_diagnosis_get_finding (diagnosis, 0));
      for (guint i = 0; i < rc_diagnosis_get_n_findings (diagnosis); i++)
        {
          const RcFinding *other = rc_diagnosis_get_finding (diagnosis, i);

          if (other != finding && g_strcmp0 (rc_finding_get_cause (other), cause) != 0)
            {
              /* TRANSLATORS: a cause id and how sure Reconnect is of it */
              g_string_append_printf (text, _("Also possible: %s (confidence: %s)"), rc_finding_get_cause (other),
                                      rc_confidence_to_string (rc_finding_get_confidence (other)));
              g_string_append_c (text, '\n');
            }
        }
      g_string_append_c (text, '\n');
    }

  if (steps[0] != NULL)
    {
      g_string_append (text, _("Could you please check:"));
      g_string_append_c (text, '\n');
      for (guint i = 0; steps[i] != NULL; i++)
        g_string_append_printf (text, "%u. %s\n", i + 1, steps[i]);
      g_string_append_c (text, '\n');
    }

  g_string_append (text, _("Thank you."));
  g_string_append_c (text, '\n');
  return g_string_free (text, FALSE);
}
