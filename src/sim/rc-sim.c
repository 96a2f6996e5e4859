/* rc-sim.c: the built-in CRM simulator
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One SoupServer on 127.0.0.1 plays two identity providers at once: a
 * Salesforce org at the root and a Microsoft Entra tenant (with a Dataverse
 * environment for Dynamics 365) under /<tenant>/.  The same client code talks
 * to it as to the real services, so wire shapes follow
 * shared/reference/providers.md.  Time is virtual: the clock only moves when
 * asked, so a test can jump days ahead.  Nothing here is secret: the tokens
 * are random strings that only this process knows.
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "rc-authorization.h"
#include "rc-json.h"
#include "rc-sim.h"
#include "rc-sim-scenario.h"

#define ORG_ID              "00D5g00000ReCoNEAA"
#define TENANT_ID           "3f1c2a9e-7b4d-4c8e-9a51-0d6e2b7c4f10"
#define CLIENT_ID           "3MVG9Reconnect.Simulator.PublicClient"
#define ENTRA_ORG_ID        "9b2e6c41-0f3a-4d7b-8c5e-1a2b3c4d5e6f"
#define SF_SESSION_SECONDS  (2 * 60 * 60)      /* default session timeout, sliding */
#define ENTRA_TOKEN_SECONDS 3599
#define ENTRA_IDLE_SECONDS  (90 * 24 * 60 * 60)
#define IDLE_LIMIT_SECONDS  (30 * 24 * 60 * 60)
#define CODE_SECONDS        (10 * 60)
#define SF_DEVICE_SECONDS   (10 * 60)
#define ENTRA_DEVICE_SECONDS (15 * 60)
#define DEVICE_INTERVAL     5
#define APPROVAL_CAP        5
#define SKEW_SECONDS        (60 * 60)
#define MAX_BODY            (64 * 1024)

typedef enum
{
  DIALECT_SALESFORCE,
  DIALECT_ENTRA,
} Dialect;

typedef struct
{
  char *username;
  char *display_name;
  char *user_id;
} User;

typedef struct
{
  guint    id;
  Dialect  dialect;
  User    *user;
  char    *client_id;
  char    *scope;
  char    *refresh_token;
  gint64   created;
  gint64   last_used;
  guint    scenario_serial;
  gboolean revoked;
} Grant;

typedef struct
{
  Grant  *grant;
  gint64  issued;
  gint64  expires;
} AccessToken;

typedef struct
{
  Dialect  dialect;
  User    *user;
  char    *client_id;
  char    *redirect_uri;
  char    *challenge;
  char    *scope;
  gint64   expires;
} AuthCode;

typedef struct
{
  Dialect  dialect;
  char    *client_id;
  char    *redirect_uri;
  char    *state;
  char    *challenge;
  char    *scope;
  User    *user;
} Pending;

typedef struct
{
  Dialect  dialect;
  char    *client_id;
  char    *device_code;
  char    *user_code;
  char    *scope;
  gint64   expires;
  User    *approved_by;
  gboolean declined;
} DeviceCode;

struct _RcSim
{
  GObject              parent_instance;

  SoupServer          *server;
  GSocketService      *service;
  guint                port;

  GPtrArray           *users;           /* User */
  GPtrArray           *clients;         /* client id */
  GPtrArray           *redirect_uris;   /* char * */
  GPtrArray           *grants;          /* Grant, in order of creation */
  GHashTable          *access_tokens;   /* token -> AccessToken */
  GHashTable          *refresh_tokens;  /* current token -> Grant */
  GHashTable          *rotated_tokens;  /* retired token -> Grant */
  GHashTable          *codes;           /* code -> AuthCode */
  GHashTable          *pending;         /* request id -> Pending */
  GHashTable          *device_codes;    /* device code -> DeviceCode */
  GHashTable          *request_counts;  /* endpoint -> count */

  const RcSimScenario *scenario;
  guint                scenario_serial;
  gint64               clock_offset;
  guint                next_grant_id;
  guint                latency_ms;
  guint                device_interval;
  guint                slow_downs;

  RcSimRefreshPolicy   refresh_policy;
  gint64               refresh_policy_seconds;
  gboolean             idle_limit;
  gboolean             rotation;
  gboolean             autopilot;
};

G_DEFINE_FINAL_TYPE (RcSim, rc_sim, G_TYPE_OBJECT)

G_DEFINE_QUARK (rc-sim-error-quark, rc_sim_error)

/* ---------------------------------------------------------------- model -- */

static void
user_free (User *user)
{
  g_free (user->username);
  g_free (user->display_name);
  g_free (user->user_id);
  g_free (user);
}

static void
grant_free (Grant *grant)
{
  g_free (grant->client_id);
  g_free (grant->scope);
  g_free (grant->refresh_token);
  g_free (grant);
}

static void
auth_code_free (AuthCode *code)
{
  g_free (code->client_id);
  g_free (code->redirect_uri);
  g_free (code->challenge);
  g_free (code->scope);
  g_free (code);
}

static void
pending_free (Pending *pending)
{
  g_free (pending->client_id);
  g_free (pending->redirect_uri);
  g_free (pending->state);
  g_free (pending->challenge);
  g_free (pending->scope);
  g_free (pending);
}

static void
device_code_free (DeviceCode *device)
{
  g_free (device->client_id);
  g_free (device->device_code);
  g_free (device->user_code);
  g_free (device->scope);
  g_free (device);
}

static char *
random_string (guint n_bytes)
{
  g_autoptr(GString) out = g_string_new (NULL);
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

  for (guint i = 0; i < n_bytes; i++)
    g_string_append_c (out, alphabet[g_random_int_range (0, 64)]);

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
user_code_new (Dialect dialect)
{
  /* Letters and digits that cannot be mistaken for each other. */
  static const char alphabet[] = "BCDFGHJKLMNPQRSTVWXZ23456789";
  guint length = dialect == DIALECT_SALESFORCE ? 8 : 9;
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < length; i++)
    g_string_append_c (out, alphabet[g_random_int_range (0, sizeof alphabet - 1)]);

  return g_string_free (g_steal_pointer (&out), FALSE);
}

gint64
rc_sim_get_now (RcSim *self)
{
  g_return_val_if_fail (RC_IS_SIM (self), 0);

  return g_get_real_time () / G_USEC_PER_SEC + self->clock_offset;
}

static User *
find_user (RcSim      *self,
           const char *username)
{
  for (guint i = 0; i < self->users->len; i++)
    {
      User *user = g_ptr_array_index (self->users, i);

      if (username != NULL && g_ascii_strcasecmp (user->username, username) == 0)
        return user;
    }

  return NULL;
}

static gboolean
client_known (RcSim      *self,
              const char *client_id)
{
  for (guint i = 0; i < self->clients->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->clients, i), client_id) == 0)
      return TRUE;

  return FALSE;
}

static void
count_request (RcSim      *self,
               const char *endpoint)
{
  guint count = GPOINTER_TO_UINT (g_hash_table_lookup (self->request_counts, endpoint));

  g_hash_table_replace (self->request_counts, g_strdup (endpoint), GUINT_TO_POINTER (count + 1));
}

static void
revoke_grant (RcSim *self,
              Grant *grant)
{
  GHashTableIter iter;
  AccessToken *token;

  grant->revoked = TRUE;
  g_hash_table_iter_init (&iter, self->access_tokens);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &token))
    if (token->grant == grant)
      g_hash_table_iter_remove (&iter);
}

static char *
issue_access_token (RcSim *self,
                    Grant *grant)
{
  AccessToken *token = g_new0 (AccessToken, 1);
  g_autofree char *random = random_string (grant->dialect == DIALECT_SALESFORCE ? 96 : 180);
  char *value;

  token->grant = grant;
  token->issued = rc_sim_get_now (self);
  token->expires = token->issued + (grant->dialect == DIALECT_SALESFORCE ? SF_SESSION_SECONDS : ENTRA_TOKEN_SECONDS);

  if (grant->dialect == DIALECT_SALESFORCE)
    value = g_strconcat (ORG_ID "!", random, NULL);
  else
    value = g_strconcat ("eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.", random, NULL);

  g_hash_table_insert (self->access_tokens, g_strdup (value), token);
  return value;
}

static void
set_refresh_token (RcSim *self,
                   Grant *grant)
{
  g_autofree char *random = random_string (grant->dialect == DIALECT_SALESFORCE ? 80 : 300);

  if (grant->refresh_token != NULL)
    {
      g_hash_table_insert (self->rotated_tokens, g_strdup (grant->refresh_token), grant);
      g_hash_table_remove (self->refresh_tokens, grant->refresh_token);
      g_free (grant->refresh_token);
    }

  grant->refresh_token = grant->dialect == DIALECT_SALESFORCE
    ? g_strconcat ("5Aep861", random, NULL)
    : g_strconcat ("0.AXoA", random, NULL);
  g_hash_table_insert (self->refresh_tokens, g_strdup (grant->refresh_token), grant);
}

static Grant *
create_grant (RcSim      *self,
              Dialect     dialect,
              const char *client_id,
              User       *user,
              const char *scope)
{
  Grant *grant = g_new0 (Grant, 1);

  if (dialect == DIALECT_SALESFORCE)
    {
      /* A connected app keeps five approvals per user; a sixth revokes the
       * oldest, which is how re-signing in on one machine logs out another. */
      Grant *oldest = NULL;
      guint live = 0;

      for (guint i = 0; i < self->grants->len; i++)
        {
          Grant *other = g_ptr_array_index (self->grants, i);

          if (other->dialect == dialect && other->user == user && !other->revoked &&
              g_strcmp0 (other->client_id, client_id) == 0)
            {
              live++;
              if (oldest == NULL)
                oldest = other;
            }
        }
      if (live >= APPROVAL_CAP)
        revoke_grant (self, oldest);
    }

  grant->id = ++self->next_grant_id;
  grant->dialect = dialect;
  grant->user = user;
  grant->client_id = g_strdup (client_id);
  grant->scope = g_strdup (scope ? scope : "");
  grant->created = grant->last_used = rc_sim_get_now (self);
  grant->scenario_serial = self->scenario_serial;
  g_ptr_array_add (self->grants, grant);
  set_refresh_token (self, grant);
  return grant;
}

static gboolean
redirect_is_registered (RcSim      *self,
                        Dialect     dialect,
                        const char *redirect_uri)
{
  g_autoptr(GUri) asked = NULL;

  if (redirect_uri == NULL || (self->scenario->effects & RC_SIM_EFFECT_BAD_REDIRECT))
    return FALSE;

  asked = g_uri_parse (redirect_uri, G_URI_FLAGS_NONE, NULL);
  if (asked == NULL)
    return FALSE;

  for (guint i = 0; i < self->redirect_uris->len; i++)
    {
      const char *registered = g_ptr_array_index (self->redirect_uris, i);
      g_autoptr(GUri) known = NULL;

      if (dialect == DIALECT_SALESFORCE)
        {
          /* Salesforce matches the callback URL exactly, port included. */
          if (g_strcmp0 (registered, redirect_uri) == 0)
            return TRUE;
          continue;
        }

      /* Entra ignores the port of a loopback redirect (RFC 8252 7.3). */
      known = g_uri_parse (registered, G_URI_FLAGS_NONE, NULL);
      if (known != NULL &&
          g_strcmp0 (g_uri_get_scheme (known), g_uri_get_scheme (asked)) == 0 &&
          g_strcmp0 (g_uri_get_host (known), g_uri_get_host (asked)) == 0 &&
          g_strcmp0 (g_uri_get_path (known), g_uri_get_path (asked)) == 0 &&
          (g_uri_get_port (known) == g_uri_get_port (asked) ||
           g_strcmp0 (g_uri_get_host (asked), "127.0.0.1") == 0 ||
           g_strcmp0 (g_uri_get_host (asked), "localhost") == 0))
        return TRUE;
    }

  return FALSE;
}

/* ------------------------------------------------------------ responses -- */

static char *
base_url (RcSim *self)
{
  return g_strdup_printf ("http://127.0.0.1:%u", self->port);
}

static char *
entra_base (RcSim *self)
{
  return g_strdup_printf ("http://127.0.0.1:%u/" TENANT_ID, self->port);
}

static void
respond (SoupServerMessage *msg,
         guint              status,
         const char        *content_type,
         const char        *body)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, body, strlen (body));
}

static void
respond_json (SoupServerMessage *msg,
              guint              status,
              JsonBuilder       *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *body = json_to_string (root, FALSE);

  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Cache-Control", "no-store");
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Pragma", "no-cache");
  respond (msg, status, "application/json;charset=UTF-8", body);
}

/* The simulator signs no ID tokens, so its key sets are empty. */
static void
respond_json_text (SoupServerMessage *msg,
                   const char        *json)
{
  respond (msg, 200, "application/json;charset=UTF-8", json);
}

static void
respond_oauth_error (SoupServerMessage *msg,
                     guint              status,
                     const char        *error,
                     const char        *description)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_add_string_value (builder, error);
  json_builder_set_member_name (builder, "error_description");
  json_builder_add_string_value (builder, description);
  json_builder_end_object (builder);
  respond_json (msg, status, builder);
}

static char *
format_entra_time (gint64 unix_seconds)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (unix_seconds);

  return g_date_time_format (time, "%Y-%m-%d %H:%M:%SZ");
}

static char *
fill_placeholders (RcSim       *self,
                   const char  *text,
                   Grant       *grant)
{
  g_autofree char *issued = format_entra_time (grant ? grant->created : rc_sim_get_now (self));
  g_autofree char *valid_from = format_entra_time (rc_sim_get_now (self));
  g_autoptr(GString) out = g_string_new (text);

  g_string_replace (out, "{issued}", issued, 0);
  g_string_replace (out, "{valid_from}", valid_from, 0);
  g_string_replace (out, "{client}", grant ? grant->client_id : CLIENT_ID, 0);
  g_string_replace (out, "{tenant}", TENANT_ID, 0);
  g_string_replace (out, "{resource}", "Dynamics CRM", 0);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Entra's token-endpoint error: the description starts with the AADSTS code
 * and ends with the trace and correlation ids and a timestamp, which are
 * also given as fields of their own. */
static void
respond_entra_error (RcSim             *self,
                     SoupServerMessage *msg,
                     guint              status,
                     const char        *error,
                     guint              aadsts,
                     const char        *text,
                     const char        *suberror,
                     gboolean           claims,
                     Grant             *grant)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *filled = fill_placeholders (self, text, grant);
  g_autofree char *timestamp = format_entra_time (rc_sim_get_now (self));
  g_autofree char *trace_id = g_uuid_string_random ();
  g_autofree char *correlation_id = g_uuid_string_random ();
  g_autofree char *description = g_strdup_printf ("AADSTS%u: %s\r\nTrace ID: %s\r\nCorrelation ID: %s\r\nTimestamp: %s",
                                                  aadsts, filled, trace_id, correlation_id, timestamp);
  g_autofree char *error_uri = g_strdup_printf ("https://login.microsoftonline.com/error?code=%u", aadsts);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_add_string_value (builder, error);
  json_builder_set_member_name (builder, "error_description");
  json_builder_add_string_value (builder, description);
  json_builder_set_member_name (builder, "error_codes");
  json_builder_begin_array (builder);
  json_builder_add_int_value (builder, aadsts);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "timestamp");
  json_builder_add_string_value (builder, timestamp);
  json_builder_set_member_name (builder, "trace_id");
  json_builder_add_string_value (builder, trace_id);
  json_builder_set_member_name (builder, "correlation_id");
  json_builder_add_string_value (builder, correlation_id);
  json_builder_set_member_name (builder, "error_uri");
  json_builder_add_string_value (builder, error_uri);
  if (suberror != NULL)
    {
      json_builder_set_member_name (builder, "suberror");
      json_builder_add_string_value (builder, suberror);
    }
  if (claims)
    {
      json_builder_set_member_name (builder, "claims");
      json_builder_add_string_value (builder, "{\"access_token\":{\"capolids\":{\"essential\":true,\"values\":[\"c2a2b6a4-0b7e-4c5d-9f3e-7a1d2e3f4a5b\"]}}}");
    }
  json_builder_end_object (builder);
  respond_json (msg, status, builder);
}

static void
respond_answer (RcSim             *self,
                SoupServerMessage *msg,
                Dialect            dialect,
                const RcSimAnswer *answer,
                Grant             *grant)
{
  if (dialect == DIALECT_SALESFORCE)
    respond_oauth_error (msg, answer->status, answer->error, answer->description);
  else
    respond_entra_error (self, msg, answer->status, answer->error, answer->aadsts,
                         answer->description, answer->suberror, answer->claims, grant);
}

static void
respond_page (SoupServerMessage *msg,
              guint              status,
              const char        *title,
              const char        *body_html)
{
  g_autofree char *page = g_strdup_printf (
    "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    "<title>%s · Reconnect simulator</title><style>"
    "body{font-family:Cantarell,'Noto Sans',sans-serif;background:#f6f5f4;color:#241f31;margin:0}"
    "main{max-width:26rem;margin:3rem auto;background:#fff;border-radius:12px;padding:2rem;"
    "box-shadow:0 1px 3px rgba(0,0,0,.15)}h1{font-size:1.4rem;margin-top:0}"
    ".note{background:#fdf6d8;border-radius:8px;padding:.6rem .8rem;font-size:.9rem}"
    "label{display:block;margin:.8rem 0 .3rem;font-weight:bold}"
    "input[type=text],input[type=password]{width:100%%;box-sizing:border-box;padding:.5rem;"
    "border:1px solid #c0bfbc;border-radius:6px;font-size:1rem}"
    "button{margin:1.2rem .5rem 0 0;padding:.5rem 1.2rem;border:0;border-radius:6px;font-size:1rem;"
    "background:#3584e4;color:#fff;cursor:pointer}button.secondary{background:#deddda;color:#241f31}"
    ".error{color:#c01c28;font-weight:bold}"
    "@media (prefers-color-scheme:dark){body{background:#242424;color:#fff}main{background:#303030}"
    ".note{background:#5c4b10}input[type=text],input[type=password]{background:#1e1e1e;color:#fff;"
    "border-color:#5e5c64}button.secondary{background:#5e5c64;color:#fff}.error{color:#ff7b63}}"
    "</style></head><body><main>"
    "<p class=\"note\">This is the <strong>Reconnect simulator</strong>, not a real CRM. "
    "Any password works for a known user.</p><h1>%s</h1>%s</main></body></html>\n",
    title, title, body_html);

  respond (msg, status, "text/html;charset=utf-8", page);
}

static GHashTable *
read_form (SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  g_autofree char *text = NULL;

  if (g_bytes_get_size (bytes) > MAX_BODY)
    return NULL;

  text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  return soup_form_decode (text);
}

static JsonNode *
read_json (SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (g_bytes_get_size (bytes) > MAX_BODY ||
      !json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;

  return json_node_copy (json_parser_get_root (parser));
}

/* --------------------------------------------------------- token replies -- */

static void
respond_tokens (RcSim             *self,
                SoupServerMessage *msg,
                Grant             *grant,
                gboolean           with_refresh_token)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *access_token = issue_access_token (self, grant);

  if (self->scenario->effects & RC_SIM_EFFECT_MALFORMED)
    {
      respond (msg, 200, "application/json;charset=UTF-8", "{\"access_token\":\"00D!trunc");
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "access_token");
  json_builder_add_string_value (builder, access_token);
  if (with_refresh_token && grant->refresh_token != NULL)
    {
      json_builder_set_member_name (builder, "refresh_token");
      json_builder_add_string_value (builder, grant->refresh_token);
    }

  if (grant->dialect == DIALECT_SALESFORCE)
    {
      /* No expires_in: the access token lives as long as the session does. */
      g_autofree char *base = base_url (self);
      g_autofree char *id = g_strdup_printf ("%s/id/" ORG_ID "/%s", base, grant->user->user_id);
      g_autofree char *issued_at = g_strdup_printf ("%" G_GINT64_FORMAT, rc_sim_get_now (self) * 1000);
      g_autofree char *to_sign = g_strconcat (id, issued_at, NULL);
      /* Salesforce keys it with the consumer secret; a public client has
       * none, so the simulator keys it with the client id. */
      g_autofree char *hmac = g_compute_hmac_for_string (G_CHECKSUM_SHA256, (const guchar *) grant->client_id,
                                                         strlen (grant->client_id), to_sign, -1);
      g_autofree guchar *raw = NULL;
      g_autofree char *signature = NULL;
      gsize raw_len = strlen (hmac) / 2;

      raw = g_malloc (raw_len);
      for (gsize i = 0; i < raw_len; i++)
        raw[i] = (g_ascii_xdigit_value (hmac[2 * i]) << 4) | g_ascii_xdigit_value (hmac[2 * i + 1]);
      signature = g_base64_encode (raw, raw_len);

      json_builder_set_member_name (builder, "signature");
      json_builder_add_string_value (builder, signature);
      json_builder_set_member_name (builder, "scope");
      json_builder_add_string_value (builder, grant->scope);
      json_builder_set_member_name (builder, "instance_url");
      json_builder_add_string_value (builder, base);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, id);
      json_builder_set_member_name (builder, "token_type");
      json_builder_add_string_value (builder, "Bearer");
      json_builder_set_member_name (builder, "issued_at");
      json_builder_add_string_value (builder, issued_at);
    }
  else
    {
      json_builder_set_member_name (builder, "token_type");
      json_builder_add_string_value (builder, "Bearer");
      json_builder_set_member_name (builder, "scope");
      json_builder_add_string_value (builder, grant->scope);
      json_builder_set_member_name (builder, "expires_in");
      json_builder_add_int_value (builder, ENTRA_TOKEN_SECONDS);
      json_builder_set_member_name (builder, "ext_expires_in");
      json_builder_add_int_value (builder, ENTRA_TOKEN_SECONDS);
    }
  json_builder_end_object (builder);
  respond_json (msg, 200, builder);
}

/* The scenario's answer at the token endpoint, if it has one for @grant. */
static const RcSimAnswer *
scenario_answer (RcSim   *self,
                 Dialect  dialect,
                 Grant   *grant)
{
  const RcSimAnswer *answer = dialect == DIALECT_SALESFORCE ? &self->scenario->salesforce : &self->scenario->entra;

  if (answer->status == 0)
    return NULL;

  if ((self->scenario->effects & RC_SIM_EFFECT_OLD_GRANTS_ONLY) &&
      (grant == NULL || grant->scenario_serial == self->scenario_serial))
    return NULL;

  return answer;
}

/* Why Salesforce's policy says this refresh token no longer works, if so. */
static gboolean
salesforce_refresh_expired (RcSim *self,
                            Grant *grant)
{
  gint64 now = rc_sim_get_now (self);

  switch (self->refresh_policy)
    {
    case RC_SIM_REFRESH_IMMEDIATELY_EXPIRE:
      return TRUE;
    case RC_SIM_REFRESH_EXPIRE_IF_NOT_USED:
      if (now - grant->last_used > self->refresh_policy_seconds)
        return TRUE;
      break;
    case RC_SIM_REFRESH_EXPIRE_AFTER:
      if (now - grant->created > self->refresh_policy_seconds)
        return TRUE;
      break;
    case RC_SIM_REFRESH_VALID_UNTIL_REVOKED:
    default:
      break;
    }

  return self->idle_limit && now - grant->last_used > IDLE_LIMIT_SECONDS;
}

static void
token_refresh (RcSim             *self,
               SoupServerMessage *msg,
               Dialect            dialect,
               const char        *refresh_token)
{
  Grant *grant = refresh_token ? g_hash_table_lookup (self->refresh_tokens, refresh_token) : NULL;
  Grant *rotated = refresh_token ? g_hash_table_lookup (self->rotated_tokens, refresh_token) : NULL;
  const RcSimAnswer *answer;

  if (grant != NULL && grant->dialect != dialect)
    grant = NULL;

  /* The scenario speaks first: a cause that also revoked the grant (a
   * password change) still answers with its own words. */
  answer = scenario_answer (self, dialect, grant ? grant : rotated);
  if (answer != NULL && (grant != NULL || (rotated != NULL && rotated->dialect == dialect)))
    {
      respond_answer (self, msg, dialect, answer, grant ? grant : rotated);
      return;
    }

  if (dialect == DIALECT_SALESFORCE)
    {
      if (grant == NULL && rotated != NULL && rotated->dialect == dialect && self->rotation)
        {
          /* Reuse of a rotated token: the whole grant goes. */
          revoke_grant (self, rotated);
          respond_oauth_error (msg, 400, "invalid_grant", "expired access/refresh token");
          return;
        }
      if (grant == NULL || grant->revoked || salesforce_refresh_expired (self, grant))
        {
          respond_oauth_error (msg, 400, "invalid_grant", "expired access/refresh token");
          return;
        }
    }
  else
    {
      /* Entra rotates on every use but does not revoke the old token. */
      if (grant == NULL && rotated != NULL && rotated->dialect == dialect)
        grant = rotated;
      if (grant == NULL)
        {
          respond_entra_error (self, msg, 400, "invalid_grant", 9002313,
                               "Invalid request. Request is malformed or invalid.", NULL, FALSE, NULL);
          return;
        }
      if (grant->revoked)
        {
          const RcSimScenario *revoked = rc_sim_scenario_lookup ("token-revoked");

          respond_answer (self, msg, dialect, &revoked->entra, grant);
          return;
        }
      if (rc_sim_get_now (self) - grant->last_used > ENTRA_IDLE_SECONDS)
        {
          const RcSimScenario *expired = rc_sim_scenario_lookup ("refresh-token-expired");

          respond_answer (self, msg, dialect, &expired->entra, grant);
          return;
        }
    }

  grant->last_used = rc_sim_get_now (self);
  if (dialect == DIALECT_ENTRA || self->rotation)
    set_refresh_token (self, grant);

  respond_tokens (self, msg, grant, dialect == DIALECT_ENTRA || self->rotation);
}

static void
token_code (RcSim             *self,
            SoupServerMessage *msg,
            Dialect            dialect,
            GHashTable        *form)
{
  const char *code_value = g_hash_table_lookup (form, "code");
  const char *verifier = g_hash_table_lookup (form, "code_verifier");
  const char *redirect_uri = g_hash_table_lookup (form, "redirect_uri");
  AuthCode *code = code_value ? g_hash_table_lookup (self->codes, code_value) : NULL;
  const RcSimAnswer *answer;
  Grant *grant;

  if (code == NULL || code->dialect != dialect || code->expires < rc_sim_get_now (self) ||
      g_strcmp0 (code->client_id, g_hash_table_lookup (form, "client_id")) != 0)
    {
      if (code != NULL)
        g_hash_table_remove (self->codes, code_value);
      if (dialect == DIALECT_SALESFORCE)
        respond_oauth_error (msg, 400, "invalid_grant", "invalid authorization code");
      else
        respond_entra_error (self, msg, 400, "invalid_grant", 70008,
                             "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.",
                             NULL, FALSE, NULL);
      return;
    }

  if (g_strcmp0 (redirect_uri, code->redirect_uri) != 0)
    {
      g_hash_table_remove (self->codes, code_value);
      if (dialect == DIALECT_SALESFORCE)
        respond_oauth_error (msg, 400, "invalid_grant", "redirect_uri must match configuration");
      else
        respond_entra_error (self, msg, 400, "invalid_grant", 50011,
                             "The redirect URI specified in the request does not match the redirect URIs configured for the application '{client}'.",
                             NULL, FALSE, NULL);
      return;
    }

  if (code->challenge != NULL)
    {
      g_autofree char *expected = verifier ? rc_authorization_pkce_challenge (verifier) : NULL;

      if (verifier == NULL || strlen (verifier) < 43 || strlen (verifier) > 128 ||
          g_strcmp0 (expected, code->challenge) != 0)
        {
          g_hash_table_remove (self->codes, code_value);
          if (dialect == DIALECT_SALESFORCE)
            {
              /* Salesforce: a missing verifier is invalid_grant, a wrong one invalid_request. */
              if (verifier == NULL)
                respond_oauth_error (msg, 400, "invalid_grant", "invalid code verifier");
              else
                respond_oauth_error (msg, 400, "invalid_request", "invalid code verifier");
            }
          else
            respond_entra_error (self, msg, 400, "invalid_grant", 501481,
                                 "The Code_Verifier does not match the code_challenge supplied in the authorization request.",
                                 NULL, FALSE, NULL);
          return;
        }
    }

  answer = scenario_answer (self, dialect, NULL);
  if (answer != NULL)
    {
      g_hash_table_remove (self->codes, code_value);
      respond_answer (self, msg, dialect, answer, NULL);
      return;
    }

  grant = create_grant (self, dialect, code->client_id, code->user, code->scope);
  g_hash_table_remove (self->codes, code_value);
  respond_tokens (self, msg, grant, TRUE);
}

static void
device_start (RcSim             *self,
              SoupServerMessage *msg,
              Dialect            dialect,
              const char        *client_id,
              const char        *scope)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  DeviceCode *device = g_new0 (DeviceCode, 1);
  g_autofree char *verification_uri = NULL;

  device->dialect = dialect;
  device->client_id = g_strdup (client_id);
  device->device_code = random_string (dialect == DIALECT_SALESFORCE ? 48 : 120);
  device->user_code = user_code_new (dialect);
  device->scope = g_strdup (scope ? scope : "");
  device->expires = rc_sim_get_now (self) + (dialect == DIALECT_SALESFORCE ? SF_DEVICE_SECONDS : ENTRA_DEVICE_SECONDS);
  g_hash_table_insert (self->device_codes, g_strdup (device->device_code), device);

  if (dialect == DIALECT_SALESFORCE)
    {
      g_autofree char *base = base_url (self);

      verification_uri = g_strconcat (base, "/setup/connect", NULL);
    }
  else
    {
      g_autofree char *base = entra_base (self);

      verification_uri = g_strconcat (base, "/devicelogin", NULL);
    }

  json_builder_begin_object (builder);
  if (dialect == DIALECT_ENTRA)
    {
      g_autofree char *message = g_strdup_printf ("To sign in, use a web browser to open the page %s and enter the code %s to authenticate.",
                                                  verification_uri, device->user_code);

      json_builder_set_member_name (builder, "user_code");
      json_builder_add_string_value (builder, device->user_code);
      json_builder_set_member_name (builder, "device_code");
      json_builder_add_string_value (builder, device->device_code);
      json_builder_set_member_name (builder, "verification_uri");
      json_builder_add_string_value (builder, verification_uri);
      json_builder_set_member_name (builder, "expires_in");
      json_builder_add_int_value (builder, ENTRA_DEVICE_SECONDS);
      json_builder_set_member_name (builder, "interval");
      json_builder_add_int_value (builder, self->device_interval);
      json_builder_set_member_name (builder, "message");
      json_builder_add_string_value (builder, message);
    }
  else
    {
      json_builder_set_member_name (builder, "device_code");
      json_builder_add_string_value (builder, device->device_code);
      json_builder_set_member_name (builder, "user_code");
      json_builder_add_string_value (builder, device->user_code);
      json_builder_set_member_name (builder, "verification_uri");
      json_builder_add_string_value (builder, verification_uri);
      json_builder_set_member_name (builder, "interval");
      json_builder_add_int_value (builder, self->device_interval);
    }
  json_builder_end_object (builder);
  respond_json (msg, 200, builder);
}

static void
device_poll (RcSim             *self,
             SoupServerMessage *msg,
             Dialect            dialect,
             const char        *device_code)
{
  DeviceCode *device = device_code ? g_hash_table_lookup (self->device_codes, device_code) : NULL;
  const RcSimAnswer *answer;
  Grant *grant;

  if (device == NULL || device->dialect != dialect)
    {
      if (dialect == DIALECT_SALESFORCE)
        respond_oauth_error (msg, 400, "invalid_grant", "invalid device code");
      else
        respond_entra_error (self, msg, 400, "invalid_grant", 70018,
                             "Invalid verification code. The user entered a wrong user code for the device code flow.",
                             NULL, FALSE, NULL);
      return;
    }

  if (device->expires < rc_sim_get_now (self))
    {
      g_hash_table_remove (self->device_codes, device_code);
      if (dialect == DIALECT_SALESFORCE)
        respond_oauth_error (msg, 400, "expired_token", "device code expired");
      else
        respond_entra_error (self, msg, 400, "expired_token", 70019,
                             "Verification code expired.", NULL, FALSE, NULL);
      return;
    }

  if (device->declined)
    {
      g_hash_table_remove (self->device_codes, device_code);
      if (dialect == DIALECT_SALESFORCE)
        respond_oauth_error (msg, 400, "access_denied", "end-user denied authorization");
      else
        respond_entra_error (self, msg, 400, "authorization_declined", 70000,
                             "The user declined the authorization request.", NULL, FALSE, NULL);
      return;
    }

  if (self->slow_downs > 0)
    {
      /* RFC 8628 3.5: the client must add five seconds to its interval. */
      self->slow_downs--;
      if (dialect == DIALECT_SALESFORCE)
        respond_oauth_error (msg, 400, "slow_down", "polling too fast");
      else
        respond_entra_error (self, msg, 400, "slow_down", 70000, "Polling too fast. Slow down.", NULL, FALSE, NULL);
      return;
    }

  if (device->approved_by == NULL)
    {
      if (dialect == DIALECT_SALESFORCE)
        respond_oauth_error (msg, 400, "authorization_pending", "authorization pending");
      else
        respond_entra_error (self, msg, 400, "authorization_pending", 70016,
                             "OAuth 2.0 device flow error. Authorization is pending. Continue polling.",
                             NULL, FALSE, NULL);
      return;
    }

  answer = scenario_answer (self, dialect, NULL);
  if (answer != NULL)
    {
      g_hash_table_remove (self->device_codes, device_code);
      respond_answer (self, msg, dialect, answer, NULL);
      return;
    }

  grant = create_grant (self, dialect, device->client_id, device->approved_by, device->scope);
  g_hash_table_remove (self->device_codes, device_code);
  respond_tokens (self, msg, grant, TRUE);
}

static void
handle_token (RcSim             *self,
              SoupServerMessage *msg,
              Dialect            dialect)
{
  g_autoptr(GHashTable) form = NULL;
  const char *grant_type;
  const char *client_id;

  if (soup_server_message_get_method (msg) != SOUP_METHOD_POST)
    {
      respond_oauth_error (msg, 405, "invalid_request", "Must use HTTP POST");
      return;
    }

  form = read_form (msg);
  if (form == NULL)
    {
      respond_oauth_error (msg, 400, "invalid_request", "request body too large");
      return;
    }

  client_id = g_hash_table_lookup (form, "client_id");
  grant_type = g_hash_table_lookup (form, "grant_type");

  if (!client_known (self, client_id))
    {
      if (dialect == DIALECT_SALESFORCE)
        respond_oauth_error (msg, 400, "invalid_client_id", "client identifier invalid");
      else
        respond_answer (self, msg, dialect, &rc_sim_scenario_lookup ("client-invalid")->entra, NULL);
      return;
    }

  if (dialect == DIALECT_SALESFORCE && g_strcmp0 (g_hash_table_lookup (form, "response_type"), "device_code") == 0)
    device_start (self, msg, dialect, client_id, g_hash_table_lookup (form, "scope"));
  else if (g_strcmp0 (grant_type, "authorization_code") == 0)
    token_code (self, msg, dialect, form);
  else if (g_strcmp0 (grant_type, "refresh_token") == 0)
    token_refresh (self, msg, dialect, g_hash_table_lookup (form, "refresh_token"));
  else if (dialect == DIALECT_SALESFORCE && g_strcmp0 (grant_type, "device") == 0)
    device_poll (self, msg, dialect, g_hash_table_lookup (form, "code"));
  else if (dialect == DIALECT_ENTRA && g_strcmp0 (grant_type, "urn:ietf:params:oauth:grant-type:device_code") == 0)
    device_poll (self, msg, dialect, g_hash_table_lookup (form, "device_code"));
  else if (dialect == DIALECT_SALESFORCE)
    respond_oauth_error (msg, 400, "unsupported_grant_type", "grant type not supported");
  else
    respond_entra_error (self, msg, 400, "unsupported_grant_type", 70003,
                         "The app requested an unsupported grant type.", NULL, FALSE, NULL);
}

/* -------------------------------------------------- interactive sign-in -- */

static char *
html_escape (const char *text)
{
  return g_markup_escape_text (text ? text : "", -1);
}

/* The autopilot plays the demo's user: it presses the page's button after a
 * moment, so a real browser completes the sign-in with nobody at the
 * keyboard, yet each page stays on screen long enough to be seen. */
#define AUTOPILOT_LOG_IN \
  "<script>setTimeout(function(){document.querySelector('button[type=submit]').click();},500);</script>"
#define AUTOPILOT_ALLOW \
  "<script>setTimeout(function(){document.querySelector('button[value=allow]').click();},500);</script>"

static void
page_login (RcSim             *self,
            SoupServerMessage *msg,
            const char        *action,
            const char        *request_id,
            const char        *provider,
            const char        *error)
{
  const char *username = self->users->len > 0
    ? ((User *) g_ptr_array_index (self->users, 0))->username : "";
  g_autofree char *action_html = html_escape (action);
  g_autofree char *id_html = html_escape (request_id);
  g_autofree char *error_html = html_escape (error);
  g_autofree char *username_html = html_escape (username);
  /* After a refusal the autopilot stops: submitting again would only loop. */
  gboolean submit = self->autopilot && error == NULL;
  g_autofree char *body = g_strdup_printf (
    "%s%s%s<form method=\"post\" action=\"%s\">"
    "<input type=\"hidden\" name=\"request_id\" value=\"%s\">"
    "<input type=\"hidden\" name=\"step\" value=\"login\">"
    "<label for=\"username\">Username</label>"
    "<input type=\"text\" id=\"username\" name=\"username\" value=\"%s\" autocomplete=\"username\" autofocus>"
    "<label for=\"password\">Password</label>"
    "<input type=\"password\" id=\"password\" name=\"password\" autocomplete=\"current-password\">"
    "<button type=\"submit\">Log In</button></form>%s",
    error ? "<p class=\"error\">" : "", error ? error_html : "", error ? "</p>" : "",
    action_html, id_html, username_html, submit ? AUTOPILOT_LOG_IN : "");
  g_autofree char *title = g_strdup_printf ("Log in to %s", provider);

  respond_page (msg, error ? 401 : 200, title, body);
}

static void
page_approve (RcSim             *self,
              SoupServerMessage *msg,
              const char        *action,
              const char        *request_id,
              User              *user,
              const char        *scope)
{
  g_autofree char *action_html = html_escape (action);
  g_autofree char *id_html = html_escape (request_id);
  g_autofree char *user_html = html_escape (user->display_name);
  g_autofree char *scope_html = html_escape (scope);
  g_autofree char *body = g_strdup_printf (
    "<p><strong>Reconnect</strong> asks to use your account, %s, with access to: %s</p>"
    "<form method=\"post\" action=\"%s\">"
    "<input type=\"hidden\" name=\"request_id\" value=\"%s\">"
    "<input type=\"hidden\" name=\"step\" value=\"consent\">"
    "<button type=\"submit\" name=\"decision\" value=\"allow\">Allow</button>"
    "<button type=\"submit\" name=\"decision\" value=\"deny\" class=\"secondary\">Deny</button></form>%s",
    user_html, scope_html, action_html, id_html, self->autopilot ? AUTOPILOT_ALLOW : "");

  respond_page (msg, 200, "Allow Access?", body);
}

static void
redirect_with (SoupServerMessage *msg,
               const char        *redirect_uri,
               const char        *first_key,
               ...)
{
  g_autoptr(GString) location = g_string_new (redirect_uri);
  const char *key = first_key;
  va_list ap;

  g_string_append_c (location, strchr (redirect_uri, '?') ? '&' : '?');
  va_start (ap, first_key);
  for (gboolean first = TRUE; key != NULL; key = va_arg (ap, const char *), first = FALSE)
    {
      const char *value = va_arg (ap, const char *);

      if (value == NULL)
        continue;
      if (!first)
        g_string_append_c (location, '&');
      g_string_append_uri_escaped (location, key, NULL, FALSE);
      g_string_append_c (location, '=');
      g_string_append_uri_escaped (location, value, NULL, FALSE);
    }
  va_end (ap);

  soup_server_message_set_redirect (msg, 302, location->str);
}

static void
handle_authorize_get (RcSim             *self,
                      SoupServerMessage *msg,
                      Dialect            dialect,
                      GHashTable        *query,
                      const char        *action)
{
  const char *client_id = query ? g_hash_table_lookup (query, "client_id") : NULL;
  const char *redirect_uri = query ? g_hash_table_lookup (query, "redirect_uri") : NULL;
  const char *response_type = query ? g_hash_table_lookup (query, "response_type") : NULL;
  const char *challenge = query ? g_hash_table_lookup (query, "code_challenge") : NULL;
  const char *method = query ? g_hash_table_lookup (query, "code_challenge_method") : NULL;
  const char *provider = dialect == DIALECT_SALESFORCE ? "Salesforce" : "Microsoft";
  g_autofree char *request_id = NULL;
  Pending *pending;

  /* A bad client or redirect is shown to the user, never redirected: the
   * redirect target is not trusted. */
  if (!client_known (self, client_id))
    {
      respond_page (msg, 400, "Sign-In Failed",
                    dialect == DIALECT_SALESFORCE
                      ? "<p class=\"error\">error=invalid_client_id</p><p>client identifier invalid</p>"
                      : "<p class=\"error\">AADSTS700016</p><p>Application with identifier was not found in the directory.</p>");
      return;
    }
  if (!redirect_is_registered (self, dialect, redirect_uri))
    {
      respond_page (msg, 400, "Sign-In Failed",
                    dialect == DIALECT_SALESFORCE
                      ? "<p class=\"error\">error=redirect_uri_mismatch</p><p>redirect_uri must match configuration</p>"
                      : "<p class=\"error\">AADSTS50011</p><p>The redirect URI specified in the request does not match the redirect URIs configured for the application.</p>");
      return;
    }
  if (g_strcmp0 (response_type, "code") != 0)
    {
      redirect_with (msg, redirect_uri, "error", "unsupported_response_type",
                     "error_description", "response type not supported",
                     "state", g_hash_table_lookup (query, "state"), NULL);
      return;
    }
  if (challenge != NULL && g_strcmp0 (method, "S256") != 0)
    {
      redirect_with (msg, redirect_uri, "error", "invalid_request",
                     "error_description", "code_challenge_method must be S256",
                     "state", g_hash_table_lookup (query, "state"), NULL);
      return;
    }

  pending = g_new0 (Pending, 1);
  pending->dialect = dialect;
  pending->client_id = g_strdup (client_id);
  pending->redirect_uri = g_strdup (redirect_uri);
  pending->state = g_strdup (g_hash_table_lookup (query, "state"));
  pending->challenge = g_strdup (challenge);
  pending->scope = g_strdup (g_hash_table_lookup (query, "scope"));
  request_id = random_string (24);
  g_hash_table_insert (self->pending, g_strdup (request_id), pending);

  page_login (self, msg, action, request_id, provider, NULL);
}

static void
handle_authorize_post (RcSim             *self,
                       SoupServerMessage *msg,
                       Dialect            dialect,
                       const char        *action)
{
  g_autoptr(GHashTable) form = read_form (msg);
  const char *request_id = form ? g_hash_table_lookup (form, "request_id") : NULL;
  const char *step = form ? g_hash_table_lookup (form, "step") : NULL;
  const char *provider = dialect == DIALECT_SALESFORCE ? "Salesforce" : "Microsoft";
  Pending *pending = request_id ? g_hash_table_lookup (self->pending, request_id) : NULL;

  if (pending == NULL || pending->dialect != dialect)
    {
      respond_page (msg, 400, "Sign-In Expired", "<p>This sign-in page has expired. Start again from Reconnect.</p>");
      return;
    }

  if (g_strcmp0 (step, "login") == 0)
    {
      User *user = find_user (self, g_hash_table_lookup (form, "username"));

      if (user == NULL)
        page_login (self, msg, action, request_id, provider,
                    "Please check your username and password. If you still can't log in, contact your administrator.");
      else if (self->scenario->effects & RC_SIM_EFFECT_REFUSE_LOGIN)
        page_login (self, msg, action, request_id, provider,
                    dialect == DIALECT_SALESFORCE ? self->scenario->salesforce.description
                                                  : self->scenario->entra.description);
      else
        {
          pending->user = user;
          page_approve (self, msg, action, request_id, user, pending->scope);
        }
      return;
    }

  if (g_strcmp0 (step, "consent") == 0 && pending->user != NULL)
    {
      gboolean allowed = g_strcmp0 (g_hash_table_lookup (form, "decision"), "allow") == 0 &&
                         !(self->scenario->effects & RC_SIM_EFFECT_DENY_CONSENT);

      if (allowed)
        {
          AuthCode *code = g_new0 (AuthCode, 1);
          g_autofree char *value = random_string (dialect == DIALECT_SALESFORCE ? 60 : 200);

          code->dialect = dialect;
          code->user = pending->user;
          code->client_id = g_strdup (pending->client_id);
          code->redirect_uri = g_strdup (pending->redirect_uri);
          code->challenge = g_strdup (pending->challenge);
          code->scope = g_strdup (pending->scope);
          code->expires = rc_sim_get_now (self) + CODE_SECONDS;
          g_hash_table_insert (self->codes, g_strdup (value), code);
          redirect_with (msg, pending->redirect_uri, "code", value, "state", pending->state, NULL);
        }
      else if (dialect == DIALECT_SALESFORCE)
        redirect_with (msg, pending->redirect_uri, "error", "access_denied",
                       "error_description", "end-user denied authorization", "state", pending->state, NULL);
      else
        redirect_with (msg, pending->redirect_uri, "error", "access_denied",
                       "error_subcode", "cancel",
                       "error_description", "AADSTS65004: User declined to consent to access the app.",
                       "state", pending->state, NULL);

      g_hash_table_remove (self->pending, request_id);
      return;
    }

  respond_page (msg, 400, "Sign-In Failed", "<p>Start again from Reconnect.</p>");
}

gboolean
rc_sim_approve_device (RcSim       *self,
                       const char  *user_code,
                       const char  *username,
                       GError     **error)
{
  GHashTableIter iter;
  DeviceCode *device;
  User *user;

  g_return_val_if_fail (RC_IS_SIM (self), FALSE);

  user = find_user (self, username);
  if (user == NULL)
    {
      g_set_error (error, RC_SIM_ERROR, RC_SIM_ERROR_UNKNOWN_USER, "No user “%s” in the simulator", username);
      return FALSE;
    }

  g_hash_table_iter_init (&iter, self->device_codes);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &device))
    if (user_code != NULL && g_ascii_strcasecmp (device->user_code, user_code) == 0 &&
        device->expires >= rc_sim_get_now (self))
      {
        if (self->scenario->effects & RC_SIM_EFFECT_DENY_CONSENT)
          device->declined = TRUE;
        else
          device->approved_by = user;
        return TRUE;
      }

  g_set_error (error, RC_SIM_ERROR, RC_SIM_ERROR_UNKNOWN_CODE, "No pending sign-in has the code “%s”", user_code);
  return FALSE;
}

/* The device page: enter the code, then log in as the user who approves. */
static void
handle_device_page (RcSim             *self,
                    SoupServerMessage *msg,
                    GHashTable        *query,
                    const char        *action)
{
  g_autoptr(GHashTable) form = NULL;
  g_autofree char *action_html = html_escape (action);
  const char *prefill = query ? g_hash_table_lookup (query, "user_code") : NULL;
  g_autofree char *prefill_html = html_escape (prefill);
  g_autofree char *body = NULL;
  g_autoptr(GError) error = NULL;

  if (soup_server_message_get_method (msg) == SOUP_METHOD_POST)
    {
      form = read_form (msg);
      if (form != NULL && rc_sim_approve_device (self, g_hash_table_lookup (form, "user_code"),
                                                 g_hash_table_lookup (form, "username"), &error))
        {
          respond_page (msg, 200, "You’re Signed In",
                        (self->scenario->effects & RC_SIM_EFFECT_DENY_CONSENT)
                          ? "<p>You declined the request. You can close this window.</p>"
                          : "<p>Return to your device. You can close this window.</p>");
          return;
        }
    }

  body = g_strdup_printf ("%s%s%s<form method=\"post\" action=\"%s\">"
                          "<label for=\"user_code\">Code</label>"
                          "<input type=\"text\" id=\"user_code\" name=\"user_code\" value=\"%s\" autofocus>"
                          "<label for=\"username\">Username</label>"
                          "<input type=\"text\" id=\"username\" name=\"username\" autocomplete=\"username\">"
                          "<label for=\"password\">Password</label>"
                          "<input type=\"password\" id=\"password\" name=\"password\">"
                          "<button type=\"submit\">Connect</button></form>",
                          error ? "<p class=\"error\">" : "", error ? error->message : "", error ? "</p>" : "",
                          action_html, prefill_html);
  respond_page (msg, error ? 400 : 200, "Connect a Device", body);
}

/* ------------------------------------------------------------- probes -- */

static AccessToken *
bearer_token (RcSim             *self,
              SoupServerMessage *msg,
              Dialect            dialect)
{
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Authorization");
  AccessToken *token;

  if (header == NULL || g_ascii_strncasecmp (header, "Bearer ", 7) != 0)
    return NULL;

  token = g_hash_table_lookup (self->access_tokens, header + 7);
  if (token == NULL || token->grant->dialect != dialect || token->grant->revoked ||
      token->expires <= rc_sim_get_now (self))
    return NULL;

  /* Salesforce sessions time out after inactivity: each use extends them. */
  if (dialect == DIALECT_SALESFORCE)
    token->expires = rc_sim_get_now (self) + SF_SESSION_SECONDS;

  return token;
}

static void
add_user_fields (RcSim       *self,
                 JsonBuilder *builder,
                 User        *user)
{
  g_autofree char *base = base_url (self);
  g_autofree char *id = g_strdup_printf ("%s/id/" ORG_ID "/%s", base, user->user_id);

  json_builder_set_member_name (builder, "sub");
  json_builder_add_string_value (builder, id);
  json_builder_set_member_name (builder, "user_id");
  json_builder_add_string_value (builder, user->user_id);
  json_builder_set_member_name (builder, "organization_id");
  json_builder_add_string_value (builder, ORG_ID);
  json_builder_set_member_name (builder, "preferred_username");
  json_builder_add_string_value (builder, user->username);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, user->display_name);
  json_builder_set_member_name (builder, "email");
  json_builder_add_string_value (builder, user->username);
}

static void
handle_salesforce_identity (RcSim             *self,
                            SoupServerMessage *msg,
                            gboolean           is_userinfo)
{
  AccessToken *token = bearer_token (self, msg, DIALECT_SALESFORCE);
  g_autoptr(JsonBuilder) builder = NULL;
  g_autofree char *base = NULL;

  if (token == NULL)
    {
      /* Salesforce's identity endpoints answer a dead token in plain text. */
      respond (msg, 403, "text/plain;charset=UTF-8", "Bad_OAuth_Token");
      return;
    }

  builder = json_builder_new ();
  base = base_url (self);
  json_builder_begin_object (builder);
  add_user_fields (self, builder, token->grant->user);
  if (!is_userinfo)
    {
      json_builder_set_member_name (builder, "username");
      json_builder_add_string_value (builder, token->grant->user->username);
      json_builder_set_member_name (builder, "display_name");
      json_builder_add_string_value (builder, token->grant->user->display_name);
      json_builder_set_member_name (builder, "active");
      json_builder_add_boolean_value (builder, TRUE);
    }
  json_builder_set_member_name (builder, "urls");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "rest");
  json_builder_add_string_value (builder, base);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  respond_json (msg, 200, builder);
}

static void
handle_salesforce_rest (RcSim             *self,
                        SoupServerMessage *msg)
{
  AccessToken *token = bearer_token (self, msg, DIALECT_SALESFORCE);

  if (self->scenario->effects & RC_SIM_EFFECT_RATE_LIMITED)
    {
      respond (msg, 403, "application/json;charset=UTF-8",
               "[{\"message\":\"TotalRequests Limit exceeded.\",\"errorCode\":\"REQUEST_LIMIT_EXCEEDED\"}]");
      return;
    }
  if (token == NULL)
    {
      respond (msg, 401, "application/json;charset=UTF-8",
               "[{\"message\":\"Session expired or invalid\",\"errorCode\":\"INVALID_SESSION_ID\"}]");
      return;
    }

  respond (msg, 200, "application/json;charset=UTF-8",
           "{\"tooling\":\"/services/data/v60.0/tooling\",\"sobjects\":\"/services/data/v60.0/sobjects\","
           "\"query\":\"/services/data/v60.0/query\",\"limits\":\"/services/data/v60.0/limits\"}");
}

static void
handle_revoke (RcSim             *self,
               SoupServerMessage *msg)
{
  g_autoptr(GHashTable) form = read_form (msg);
  const char *value = form ? g_hash_table_lookup (form, "token") : NULL;
  Grant *grant;
  AccessToken *token;

  if (value == NULL)
    {
      respond_oauth_error (msg, 400, "unsupported_token_type", "this token type is not supported");
      return;
    }

  /* A refresh token takes its access tokens with it; an access token only itself. */
  grant = g_hash_table_lookup (self->refresh_tokens, value);
  token = g_hash_table_lookup (self->access_tokens, value);
  if (grant != NULL && grant->dialect == DIALECT_SALESFORCE)
    revoke_grant (self, grant);
  else if (token != NULL && token->grant->dialect == DIALECT_SALESFORCE)
    g_hash_table_remove (self->access_tokens, value);
  else
    {
      respond_oauth_error (msg, 400, "invalid_token", "invalid token");
      return;
    }

  respond (msg, 200, "text/plain", "");
}

static void
handle_introspect (RcSim             *self,
                   SoupServerMessage *msg)
{
  g_autoptr(GHashTable) form = read_form (msg);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const char *value = form ? g_hash_table_lookup (form, "token") : NULL;
  AccessToken *token = value ? g_hash_table_lookup (self->access_tokens, value) : NULL;
  Grant *grant = value ? g_hash_table_lookup (self->refresh_tokens, value) : NULL;
  gboolean active;

  if (form == NULL || !client_known (self, g_hash_table_lookup (form, "client_id")))
    {
      respond_oauth_error (msg, 401, "invalid_client", "invalid client credentials");
      return;
    }

  active = (token != NULL && token->grant->dialect == DIALECT_SALESFORCE && !token->grant->revoked &&
            token->expires > rc_sim_get_now (self)) ||
           (grant != NULL && grant->dialect == DIALECT_SALESFORCE && !grant->revoked &&
            !salesforce_refresh_expired (self, grant));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "active");
  json_builder_add_boolean_value (builder, active);
  if (active)
    {
      Grant *owner = token ? token->grant : grant;

      json_builder_set_member_name (builder, "scope");
      json_builder_add_string_value (builder, owner->scope);
      json_builder_set_member_name (builder, "client_id");
      json_builder_add_string_value (builder, owner->client_id);
      json_builder_set_member_name (builder, "username");
      json_builder_add_string_value (builder, owner->user->username);
      json_builder_set_member_name (builder, "sub");
      json_builder_add_string_value (builder, owner->user->user_id);
      json_builder_set_member_name (builder, "token_type");
      json_builder_add_string_value (builder, token ? "access_token" : "refresh_token");
      if (token != NULL)
        {
          json_builder_set_member_name (builder, "exp");
          json_builder_add_int_value (builder, token->expires);
          json_builder_set_member_name (builder, "iat");
          json_builder_add_int_value (builder, token->issued);
        }
    }
  json_builder_end_object (builder);
  respond_json (msg, 200, builder);
}

static void
handle_whoami (RcSim             *self,
               SoupServerMessage *msg)
{
  AccessToken *token = bearer_token (self, msg, DIALECT_ENTRA);
  g_autoptr(JsonBuilder) builder = NULL;
  g_autofree char *base = base_url (self);

  if (token == NULL)
    {
      g_autofree char *challenge = g_strdup_printf ("Bearer authorization_uri=%s/" TENANT_ID "/oauth2/authorize, resource_id=%s/",
                                                    base, base);

      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "WWW-Authenticate", challenge);
      respond (msg, 401, "text/plain", "");
      return;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "@odata.context");
  json_builder_add_string_value (builder, "http://127.0.0.1/api/data/v9.2/$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse");
  json_builder_set_member_name (builder, "BusinessUnitId");
  json_builder_add_string_value (builder, "1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9");
  json_builder_set_member_name (builder, "UserId");
  json_builder_add_string_value (builder, token->grant->user->user_id);
  json_builder_set_member_name (builder, "OrganizationId");
  json_builder_add_string_value (builder, ENTRA_ORG_ID);
  json_builder_end_object (builder);
  respond_json (msg, 200, builder);
}

static void
handle_entra_userinfo (RcSim             *self,
                       SoupServerMessage *msg)
{
  AccessToken *token = bearer_token (self, msg, DIALECT_ENTRA);
  g_autoptr(JsonBuilder) builder = NULL;

  if (token == NULL)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "WWW-Authenticate",
                                    "Bearer error=\"invalid_token\", error_description=\"The access token is invalid or expired\"");
      respond (msg, 401, "text/plain", "");
      return;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "sub");
  json_builder_add_string_value (builder, token->grant->user->user_id);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, token->grant->user->display_name);
  json_builder_set_member_name (builder, "email");
  json_builder_add_string_value (builder, token->grant->user->username);
  json_builder_end_object (builder);
  respond_json (msg, 200, builder);
}

static void
add_string_array (JsonBuilder *builder,
                  const char  *name,
                  const char  *first,
                  ...)
{
  va_list ap;

  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  va_start (ap, first);
  for (const char *value = first; value != NULL; value = va_arg (ap, const char *))
    json_builder_add_string_value (builder, value);
  va_end (ap);
  json_builder_end_array (builder);
}

static void
add_url (JsonBuilder *builder,
         const char  *name,
         const char  *base,
         const char  *path)
{
  g_autofree char *url = g_strconcat (base, path, NULL);

  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, url);
}

static void
handle_discovery (RcSim             *self,
                  SoupServerMessage *msg,
                  Dialect            dialect)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *base = base_url (self);

  json_builder_begin_object (builder);
  if (dialect == DIALECT_SALESFORCE)
    {
      add_url (builder, "issuer", base, "");
      add_url (builder, "authorization_endpoint", base, "/services/oauth2/authorize");
      add_url (builder, "token_endpoint", base, "/services/oauth2/token");
      add_url (builder, "revocation_endpoint", base, "/services/oauth2/revoke");
      add_url (builder, "userinfo_endpoint", base, "/services/oauth2/userinfo");
      add_url (builder, "introspection_endpoint", base, "/services/oauth2/introspect");
      add_url (builder, "jwks_uri", base, "/id/keys");
      add_string_array (builder, "response_types_supported", "code", "token", "token id_token", NULL);
      add_string_array (builder, "scopes_supported", "id", "api", "web", "full", "openid",
                        "refresh_token", "offline_access", NULL);
    }
  else
    {
      g_autofree char *tenant = entra_base (self);

      add_url (builder, "issuer", tenant, "/v2.0");
      add_url (builder, "authorization_endpoint", tenant, "/oauth2/v2.0/authorize");
      add_url (builder, "token_endpoint", tenant, "/oauth2/v2.0/token");
      add_url (builder, "device_authorization_endpoint", tenant, "/oauth2/v2.0/devicecode");
      add_url (builder, "end_session_endpoint", tenant, "/oauth2/v2.0/logout");
      add_url (builder, "userinfo_endpoint", base, "/oidc/userinfo");
      add_url (builder, "jwks_uri", tenant, "/discovery/v2.0/keys");
      add_string_array (builder, "response_types_supported", "code", "id_token", "code id_token", NULL);
      add_string_array (builder, "scopes_supported", "openid", "profile", "email", "offline_access", NULL);
    }
  add_string_array (builder, "code_challenge_methods_supported", "S256", NULL);
  add_string_array (builder, "grant_types_supported", "authorization_code", "refresh_token",
                    dialect == DIALECT_SALESFORCE ? "device" : "urn:ietf:params:oauth:grant-type:device_code",
                    NULL);
  json_builder_end_object (builder);
  respond_json (msg, 200, builder);
}

/* ------------------------------------------------------------ control -- */

static void
handle_control (RcSim             *self,
                SoupServerMessage *msg,
                const char        *what)
{
  g_autoptr(JsonNode) request = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;

  if (g_str_equal (what, "state") && soup_server_message_get_method (msg) == SOUP_METHOD_GET)
    {
      g_autofree char *state = rc_sim_dup_state_json (self);

      respond (msg, 200, "application/json", state);
      return;
    }

  if (soup_server_message_get_method (msg) != SOUP_METHOD_POST ||
      (request = read_json (msg)) == NULL)
    {
      respond (msg, 400, "application/json", "{\"error\":\"expected a POST with a JSON object\"}");
      return;
    }

  object = json_node_get_object (request);
  if (g_str_equal (what, "scenario"))
    {
      const char *name = rc_json_get_string (object, "name");

      if (name == NULL)
        g_set_error_literal (&error, RC_SIM_ERROR, RC_SIM_ERROR_BAD_REQUEST, "name must be a string");
      else
        rc_sim_set_scenario (self, name, &error);
    }
  else if (g_str_equal (what, "clock"))
    {
      JsonNode *node = json_object_get_member (object, "advance_seconds");

      if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
          json_node_get_int (node) < 0)
        g_set_error_literal (&error, RC_SIM_ERROR, RC_SIM_ERROR_BAD_REQUEST,
                             "advance_seconds must be a whole number of seconds, 0 or more");
      else
        rc_sim_advance_clock (self, json_node_get_int (node));
    }
  else if (g_str_equal (what, "rotation"))
    {
      /* Salesforce's rotation with reuse detection, for tests of renewals
       * from several processes at once. */
      JsonNode *node = json_object_get_member (object, "enabled");

      if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
        g_set_error_literal (&error, RC_SIM_ERROR, RC_SIM_ERROR_BAD_REQUEST, "enabled must be true or false");
      else
        rc_sim_set_rotation (self, json_node_get_boolean (node));
    }
  else if (g_str_equal (what, "approve"))
    {
      const char *user_code = rc_json_get_string (object, "user_code");
      const char *user = rc_json_get_string (object, "user");

      if (user_code == NULL || user == NULL)
        g_set_error_literal (&error, RC_SIM_ERROR, RC_SIM_ERROR_BAD_REQUEST, "user_code and user must be strings");
      else
        rc_sim_approve_device (self, user_code, user, &error);
    }
  else
    {
      respond (msg, 404, "application/json", "{\"error\":\"no such control\"}");
      return;
    }

  if (error != NULL)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "error");
      json_builder_add_string_value (builder, error->message);
      json_builder_end_object (builder);
      respond_json (msg, 400, builder);
      return;
    }

  respond (msg, 200, "application/json", "{\"ok\":true}");
}

/* ----------------------------------------------------------- dispatch -- */

/* Answers that stand in for the whole service: an outage, a throttle, a
 * proxy in the way.  Returns TRUE when one was sent. */
static gboolean
respond_service_condition (RcSim             *self,
                           SoupServerMessage *msg,
                           Dialect            dialect,
                           gboolean           is_token_endpoint)
{
  guint effects = self->scenario->effects;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  if (effects & RC_SIM_EFFECT_PORTAL)
    {
      respond (msg, 200, "text/html; charset=utf-8",
               "<!DOCTYPE html><html><head><title>Guest Wi-Fi</title></head><body><h1>Welcome to Guest Wi-Fi</h1>"
               "<form method=\"post\" action=\"/portal/accept\"><label><input type=\"checkbox\" name=\"terms\"> "
               "I accept the terms of use</label><button>Connect</button></form></body></html>");
      return TRUE;
    }

  if (effects & RC_SIM_EFFECT_PROXY_AUTH)
    {
      soup_message_headers_replace (headers, "Proxy-Authenticate", "Basic realm=\"Corporate proxy\"");
      respond (msg, 407, "text/html", "<html><body><h1>407 Proxy Authentication Required</h1></body></html>");
      return TRUE;
    }

  if (effects & RC_SIM_EFFECT_UNAVAILABLE)
    {
      soup_message_headers_replace (headers, "Retry-After", "120");
      if (dialect == DIALECT_SALESFORCE)
        respond (msg, 503, "text/html",
                 "<html><body><h1>Service Unavailable</h1><p>Salesforce is down for maintenance.</p></body></html>");
      else
        respond_entra_error (self, msg, 503, "temporarily_unavailable", 90033,
                             "A transient error has occurred. Please try again.", NULL, FALSE, NULL);
      return TRUE;
    }

  if (effects & RC_SIM_EFFECT_RATE_LIMITED)
    {
      if (dialect == DIALECT_SALESFORCE && is_token_endpoint)
        {
          respond_oauth_error (msg, 400, "rate_limit_exceeded", "Number of logins exceeded");
          return TRUE;
        }
      if (dialect == DIALECT_ENTRA)
        {
          soup_message_headers_replace (headers, "Retry-After", "30");
          respond_entra_error (self, msg, 429, "temporarily_unavailable", 50196,
                               "The server terminated an operation because it encountered a client request loop. Please contact your app vendor.",
                               NULL, FALSE, NULL);
          return TRUE;
        }
    }

  return FALSE;
}

static void
dispatch (RcSim             *self,
          SoupServerMessage *msg)
{
  GUri *uri = soup_server_message_get_uri (msg);
  const char *path = g_uri_get_path (uri);
  const char *query_string = g_uri_get_query (uri);
  g_autoptr(GHashTable) query = query_string ? soup_form_decode (query_string) : NULL;
  const char *entra_path = NULL;
  Dialect dialect = DIALECT_SALESFORCE;
  g_autofree char *endpoint = NULL;

  if (g_str_has_prefix (path, "/" TENANT_ID "/"))
    {
      dialect = DIALECT_ENTRA;
      entra_path = path + strlen ("/" TENANT_ID);
    }
  else if (g_str_equal (path, "/api/data/v9.2/WhoAmI") || g_str_equal (path, "/oidc/userinfo"))
    dialect = DIALECT_ENTRA;

  endpoint = g_strdup_printf ("%s%s", dialect == DIALECT_SALESFORCE ? "salesforce" : "entra",
                              entra_path ? entra_path : path);
  count_request (self, endpoint);

  if (self->scenario->effects & RC_SIM_EFFECT_DROP)
    {
      /* Like a network that went away: the connection closes unanswered. */
      g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);

      g_io_stream_close (stream, NULL, NULL);
      return;
    }

  if (respond_service_condition (self, msg, dialect,
                                 g_str_has_suffix (path, "/token")))
    return;

  if (dialect == DIALECT_ENTRA && entra_path != NULL)
    {
      g_autofree char *action = g_strconcat ("/" TENANT_ID, entra_path, NULL);

      if (g_str_equal (entra_path, "/v2.0/.well-known/openid-configuration"))
        handle_discovery (self, msg, dialect);
      else if (g_str_equal (entra_path, "/oauth2/v2.0/authorize"))
        {
          if (soup_server_message_get_method (msg) == SOUP_METHOD_POST)
            handle_authorize_post (self, msg, dialect, action);
          else
            handle_authorize_get (self, msg, dialect, query, action);
        }
      else if (g_str_equal (entra_path, "/oauth2/v2.0/token"))
        handle_token (self, msg, dialect);
      else if (g_str_equal (entra_path, "/oauth2/v2.0/devicecode"))
        {
          g_autoptr(GHashTable) form = read_form (msg);

          if (form == NULL || !client_known (self, g_hash_table_lookup (form, "client_id")))
            respond_answer (self, msg, dialect, &rc_sim_scenario_lookup ("client-invalid")->entra, NULL);
          else
            device_start (self, msg, dialect, g_hash_table_lookup (form, "client_id"),
                          g_hash_table_lookup (form, "scope"));
        }
      else if (g_str_equal (entra_path, "/discovery/v2.0/keys"))
        respond_json_text (msg, "{\"keys\":[]}");
      else if (g_str_equal (entra_path, "/devicelogin"))
        handle_device_page (self, msg, query, action);
      else
        respond (msg, 404, "text/plain", "Not Found");
      return;
    }

  if (g_str_equal (path, "/api/data/v9.2/WhoAmI"))
    handle_whoami (self, msg);
  else if (g_str_equal (path, "/oidc/userinfo"))
    handle_entra_userinfo (self, msg);
  else if (g_str_equal (path, "/.well-known/openid-configuration"))
    handle_discovery (self, msg, dialect);
  else if (g_str_equal (path, "/services/oauth2/authorize"))
    {
      if (soup_server_message_get_method (msg) == SOUP_METHOD_POST)
        handle_authorize_post (self, msg, dialect, path);
      else
        handle_authorize_get (self, msg, dialect, query, path);
    }
  else if (g_str_equal (path, "/services/oauth2/token"))
    handle_token (self, msg, dialect);
  else if (g_str_equal (path, "/services/oauth2/revoke"))
    handle_revoke (self, msg);
  else if (g_str_equal (path, "/services/oauth2/introspect"))
    handle_introspect (self, msg);
  else if (g_str_equal (path, "/services/oauth2/userinfo"))
    handle_salesforce_identity (self, msg, TRUE);
  else if (g_str_has_prefix (path, "/id/" ORG_ID "/"))
    handle_salesforce_identity (self, msg, FALSE);
  else if (g_str_equal (path, "/id/keys"))
    respond_json_text (msg, "{\"keys\":[]}");
  else if (g_str_equal (path, "/setup/connect"))
    handle_device_page (self, msg, query, path);
  else if (g_str_has_prefix (path, "/services/data/"))
    handle_salesforce_rest (self, msg);
  else
    respond (msg, 404, "text/plain", "Not Found");
}

static void
finish_response (RcSim             *self,
                 SoupServerMessage *msg)
{
  if (self->scenario->effects & RC_SIM_EFFECT_SKEW_DATE)
    {
      g_autoptr(GDateTime) skewed = g_date_time_new_from_unix_utc (rc_sim_get_now (self) + SKEW_SECONDS);
      g_autofree char *date = g_date_time_format (skewed, "%a, %d %b %Y %H:%M:%S GMT");

      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Date", date);
    }
}

typedef struct
{
  RcSim             *self;
  SoupServerMessage *msg;
} Delayed;

static gboolean
on_delay_done (gpointer user_data)
{
  Delayed *delayed = user_data;

  dispatch (delayed->self, delayed->msg);
  finish_response (delayed->self, delayed->msg);
  soup_server_message_unpause (delayed->msg);
  g_object_unref (delayed->msg);
  g_object_unref (delayed->self);
  g_free (delayed);
  return G_SOURCE_REMOVE;
}

static void
on_request (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  RcSim *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  guint delay = self->latency_ms;

  /* The control API is the test's hand, not part of the service: no
   * scenario, latency or outage reaches it. */
  if (g_str_has_prefix (path, "/control/"))
    {
      handle_control (self, msg, path + strlen ("/control/"));
      return;
    }

  if (method != SOUP_METHOD_GET && method != SOUP_METHOD_POST)
    {
      respond (msg, 405, "text/plain", "Method Not Allowed");
      return;
    }

  if (self->scenario->effects & RC_SIM_EFFECT_SLOW)
    delay = MAX (delay, 8000);

  if (delay > 0)
    {
      Delayed *delayed = g_new0 (Delayed, 1);

      delayed->self = g_object_ref (self);
      delayed->msg = g_object_ref (msg);
      soup_server_message_pause (msg);
      g_timeout_add (delay, on_delay_done, delayed);
      return;
    }

  dispatch (self, msg);
  finish_response (self, msg);
}

static gboolean
on_incoming (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source_object,
             gpointer           user_data)
{
  RcSim *self = user_data;
  g_autoptr(GSocketAddress) local = g_socket_connection_get_local_address (connection, NULL);
  g_autoptr(GSocketAddress) remote = g_socket_connection_get_remote_address (connection, NULL);
  g_autoptr(GError) error = NULL;

  if (!soup_server_accept_iostream (self->server, G_IO_STREAM (connection), local, remote, &error))
    g_debug ("Simulator could not take a connection: %s", error->message);

  return TRUE;
}

/* ---------------------------------------------------------- lifecycle -- */

static void
rc_sim_finalize (GObject *object)
{
  RcSim *self = RC_SIM (object);

  rc_sim_stop (self);
  g_clear_pointer (&self->access_tokens, g_hash_table_unref);
  g_clear_pointer (&self->refresh_tokens, g_hash_table_unref);
  g_clear_pointer (&self->rotated_tokens, g_hash_table_unref);
  g_clear_pointer (&self->codes, g_hash_table_unref);
  g_clear_pointer (&self->pending, g_hash_table_unref);
  g_clear_pointer (&self->device_codes, g_hash_table_unref);
  g_clear_pointer (&self->request_counts, g_hash_table_unref);
  g_clear_pointer (&self->grants, g_ptr_array_unref);
  g_clear_pointer (&self->redirect_uris, g_ptr_array_unref);
  g_clear_pointer (&self->users, g_ptr_array_unref);
  g_clear_pointer (&self->clients, g_ptr_array_unref);

  G_OBJECT_CLASS (rc_sim_parent_class)->finalize (object);
}

static void
rc_sim_class_init (RcSimClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rc_sim_finalize;
}

static void
rc_sim_init (RcSim *self)
{
  self->users = g_ptr_array_new_with_free_func ((GDestroyNotify) user_free);
  self->clients = g_ptr_array_new_with_free_func (g_free);
  self->redirect_uris = g_ptr_array_new_with_free_func (g_free);
  self->grants = g_ptr_array_new_with_free_func ((GDestroyNotify) grant_free);
  self->access_tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->refresh_tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->rotated_tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->codes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) auth_code_free);
  self->pending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) pending_free);
  self->device_codes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) device_code_free);
  self->request_counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->scenario = rc_sim_scenario_lookup ("healthy");
  self->refresh_policy = RC_SIM_REFRESH_VALID_UNTIL_REVOKED;
  self->device_interval = DEVICE_INTERVAL;
}

/* ------------------------------------------------------------- public -- */

/**
 * rc_sim_new:
 *
 * A simulator with one Salesforce org and one Entra tenant, one public
 * client, two users (ada@reconnect.example and grace@reconnect.example) and
 * the redirect URIs Reconnect registers.  It serves nothing until
 * rc_sim_listen().
 *
 * Returns: (transfer full): a new #RcSim
 */
RcSim *
rc_sim_new (void)
{
  RcSim *self = g_object_new (RC_TYPE_SIM, NULL);

  rc_sim_add_client (self, CLIENT_ID);
  rc_sim_add_user (self, "ada@reconnect.example", "Ada Lovelace");
  rc_sim_add_user (self, "grace@reconnect.example", "Grace Hopper");
  rc_sim_add_redirect_uri (self, "http://localhost:1717/OauthRedirect");
  rc_sim_add_redirect_uri (self, "http://127.0.0.1:1717/OauthRedirect");
  rc_sim_add_redirect_uri (self, "http://127.0.0.1/reconnect/entra");
  rc_sim_add_redirect_uri (self, "http://127.0.0.1/reconnect/oidc");
  return self;
}

/**
 * rc_sim_listen:
 * @self: a #RcSim
 * @port: the port on 127.0.0.1, or 0 for any free one
 * @error: return location for a #GError
 *
 * Starts serving on the loopback interface only.
 *
 * Returns: %TRUE on success
 */
gboolean
rc_sim_listen (RcSim   *self,
               guint    port,
               GError **error)
{
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocketAddress) bound = NULL;

  g_return_val_if_fail (RC_IS_SIM (self), FALSE);
  g_return_val_if_fail (self->server == NULL, FALSE);

  self->server = soup_server_new ("server-header", "Reconnect-Simulator", NULL);
  soup_server_add_handler (self->server, NULL, on_request, self, NULL);

  /* Connections are accepted here and handed to the server, rather than by
   * soup_server_listen(): libsoup 3.2's own listener leaks every socket it
   * accepts, and the simulator serves thousands in a benchmark. */
  address = g_inet_socket_address_new_from_string ("127.0.0.1", port);
  self->service = g_socket_service_new ();
  g_signal_connect_object (self->service, "incoming", G_CALLBACK (on_incoming), self, 0);
  if (!g_socket_listener_add_address (G_SOCKET_LISTENER (self->service), address,
                                      G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                      NULL, &bound, error))
    {
      rc_sim_stop (self);
      return FALSE;
    }

  self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_service_start (self->service);
  return TRUE;
}

void
rc_sim_stop (RcSim *self)
{
  g_return_if_fail (RC_IS_SIM (self));

  if (self->service != NULL)
    {
      g_socket_service_stop (self->service);
      g_socket_listener_close (G_SOCKET_LISTENER (self->service));
    }
  g_clear_object (&self->service);

  if (self->server != NULL)
    soup_server_disconnect (self->server);
  g_clear_object (&self->server);
}

guint
rc_sim_get_port (RcSim *self)
{
  g_return_val_if_fail (RC_IS_SIM (self), 0);

  return self->port;
}

char *
rc_sim_get_salesforce_url (RcSim *self)
{
  g_return_val_if_fail (RC_IS_SIM (self), NULL);

  return g_strdup_printf ("http://127.0.0.1:%u/", self->port);
}

char *
rc_sim_get_entra_url (RcSim *self)
{
  g_return_val_if_fail (RC_IS_SIM (self), NULL);

  return g_strdup_printf ("http://127.0.0.1:%u/" TENANT_ID "/", self->port);
}

char *
rc_sim_get_control_url (RcSim *self)
{
  g_return_val_if_fail (RC_IS_SIM (self), NULL);

  return g_strdup_printf ("http://127.0.0.1:%u/control/", self->port);
}

const char *
rc_sim_get_client_id (RcSim *self)
{
  g_return_val_if_fail (RC_IS_SIM (self), NULL);

  return CLIENT_ID;
}

const char *
rc_sim_get_tenant (RcSim *self)
{
  g_return_val_if_fail (RC_IS_SIM (self), NULL);

  return TENANT_ID;
}

/**
 * rc_sim_get_ready_line:
 * @self: a listening #RcSim
 *
 * The one JSON line `reconnect simulate` prints once it listens.
 *
 * Returns: (transfer full): the line, without a newline
 */
char *
rc_sim_get_ready_line (RcSim *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *salesforce = rc_sim_get_salesforce_url (self);
  g_autofree char *entra = rc_sim_get_entra_url (self);
  g_autofree char *control = rc_sim_get_control_url (self);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "salesforce");
  json_builder_add_string_value (builder, salesforce);
  json_builder_set_member_name (builder, "entra");
  json_builder_add_string_value (builder, entra);
  json_builder_set_member_name (builder, "control");
  json_builder_add_string_value (builder, control);
  json_builder_set_member_name (builder, "client_id");
  json_builder_add_string_value (builder, CLIENT_ID);
  json_builder_set_member_name (builder, "users");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->users->len; i++)
    json_builder_add_string_value (builder, ((User *) g_ptr_array_index (self->users, i))->username);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

void
rc_sim_add_user (RcSim      *self,
                 const char *username,
                 const char *display_name)
{
  User *user;

  g_return_if_fail (RC_IS_SIM (self));
  g_return_if_fail (username != NULL);

  user = g_new0 (User, 1);
  user->username = g_strdup (username);
  user->display_name = g_strdup (display_name ? display_name : username);
  user->user_id = g_strdup_printf ("0055g00000ReC%05u", self->users->len + 1);
  g_ptr_array_add (self->users, user);
}

GStrv
rc_sim_dup_usernames (RcSim *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (RC_IS_SIM (self), NULL);

  for (guint i = 0; i < self->users->len; i++)
    g_strv_builder_add (builder, ((User *) g_ptr_array_index (self->users, i))->username);

  return g_strv_builder_end (builder);
}

/**
 * rc_sim_add_client:
 * @self: a #RcSim
 * @client_id: the client id (Salesforce's consumer key, Entra's application id)
 *
 * Registers another public client with both providers.
 */
void
rc_sim_add_client (RcSim      *self,
                   const char *client_id)
{
  g_return_if_fail (RC_IS_SIM (self));
  g_return_if_fail (client_id != NULL);

  g_ptr_array_add (self->clients, g_strdup (client_id));
}

void
rc_sim_add_redirect_uri (RcSim      *self,
                         const char *redirect_uri)
{
  g_return_if_fail (RC_IS_SIM (self));
  g_return_if_fail (redirect_uri != NULL);

  g_ptr_array_add (self->redirect_uris, g_strdup (redirect_uri));
}

const char * const *
rc_sim_list_scenarios (void)
{
  return rc_sim_scenario_names ();
}

/**
 * rc_sim_set_scenario:
 * @self: a #RcSim
 * @name: a cause id from shared/DESIGN.md, `healthy`, `slow` or `malformed-json`
 * @error: return location for a #GError
 *
 * From now on the simulator answers as the real providers do for @name.
 * Entering a scenario may end sessions or revoke grants, as the cause would.
 *
 * Returns: %TRUE if @name is a known scenario
 */
gboolean
rc_sim_set_scenario (RcSim       *self,
                     const char  *name,
                     GError     **error)
{
  const RcSimScenario *scenario;

  g_return_val_if_fail (RC_IS_SIM (self), FALSE);

  scenario = rc_sim_scenario_lookup (name);
  if (scenario == NULL)
    {
      g_set_error (error, RC_SIM_ERROR, RC_SIM_ERROR_UNKNOWN_SCENARIO, "No scenario called “%s”", name);
      return FALSE;
    }

  self->scenario = scenario;
  self->scenario_serial++;

  if (scenario->effects & RC_SIM_EFFECT_EXPIRE_SESSIONS)
    g_hash_table_remove_all (self->access_tokens);

  if (scenario->effects & RC_SIM_EFFECT_REVOKE_GRANTS)
    for (guint i = 0; i < self->grants->len; i++)
      revoke_grant (self, g_ptr_array_index (self->grants, i));

  return TRUE;
}

const char *
rc_sim_get_scenario (RcSim *self)
{
  g_return_val_if_fail (RC_IS_SIM (self), NULL);

  return self->scenario->name;
}

void
rc_sim_set_refresh_policy (RcSim              *self,
                           RcSimRefreshPolicy  policy,
                           gint64              seconds)
{
  g_return_if_fail (RC_IS_SIM (self));

  self->refresh_policy = policy;
  self->refresh_policy_seconds = seconds;
}

void
rc_sim_set_idle_limit (RcSim    *self,
                       gboolean  enabled)
{
  g_return_if_fail (RC_IS_SIM (self));

  self->idle_limit = !!enabled;
}

void
rc_sim_set_rotation (RcSim    *self,
                     gboolean  enabled)
{
  g_return_if_fail (RC_IS_SIM (self));

  self->rotation = !!enabled;
}

/**
 * rc_sim_set_autopilot:
 * @self: a #RcSim
 * @enabled: whether the simulated user signs in by itself
 *
 * With the autopilot on, the browser sign-in pages play the user: the login
 * page, filled in with the first known user, and the consent page each
 * submit themselves (Log In, then Allow) half a second after they load.  The
 * demo turns it on so a real browser can finish a sign-in unattended.  A
 * login page that shows an error never submits itself.
 */
void
rc_sim_set_autopilot (RcSim    *self,
                      gboolean  enabled)
{
  g_return_if_fail (RC_IS_SIM (self));

  self->autopilot = !!enabled;
}

void
rc_sim_set_latency (RcSim *self,
                    guint  milliseconds)
{
  g_return_if_fail (RC_IS_SIM (self));

  self->latency_ms = milliseconds;
}

/**
 * rc_sim_set_device_interval:
 * @self: a #RcSim
 * @seconds: the polling interval the device flows announce (default 5)
 *
 * Lets a test poll faster than a real provider allows.
 */
void
rc_sim_set_device_interval (RcSim *self,
                            guint  seconds)
{
  g_return_if_fail (RC_IS_SIM (self));
  g_return_if_fail (seconds > 0);

  self->device_interval = seconds;
}

/**
 * rc_sim_set_slow_downs:
 * @self: a #RcSim
 * @count: how many of the next device-flow polls answer slow_down
 */
void
rc_sim_set_slow_downs (RcSim *self,
                       guint  count)
{
  g_return_if_fail (RC_IS_SIM (self));

  self->slow_downs = count;
}

void
rc_sim_advance_clock (RcSim  *self,
                      gint64  seconds)
{
  g_return_if_fail (RC_IS_SIM (self));
  g_return_if_fail (seconds >= 0);

  self->clock_offset += seconds;
}

guint
rc_sim_get_request_count (RcSim      *self,
                          const char *endpoint)
{
  g_return_val_if_fail (RC_IS_SIM (self), 0);

  return GPOINTER_TO_UINT (g_hash_table_lookup (self->request_counts, endpoint));
}

guint
rc_sim_get_live_grants (RcSim *self)
{
  guint live = 0;

  g_return_val_if_fail (RC_IS_SIM (self), 0);

  for (guint i = 0; i < self->grants->len; i++)
    if (!((Grant *) g_ptr_array_index (self->grants, i))->revoked)
      live++;

  return live;
}

char *
rc_sim_dup_state_json (RcSim *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GList) endpoints = NULL;

  g_return_val_if_fail (RC_IS_SIM (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "scenario");
  json_builder_add_string_value (builder, self->scenario->name);
  json_builder_set_member_name (builder, "now");
  json_builder_add_int_value (builder, rc_sim_get_now (self));
  json_builder_set_member_name (builder, "live_grants");
  json_builder_add_int_value (builder, rc_sim_get_live_grants (self));
  json_builder_set_member_name (builder, "requests");
  json_builder_begin_object (builder);
  endpoints = g_list_sort (g_hash_table_get_keys (self->request_counts), (GCompareFunc) g_strcmp0);
  for (GList *l = endpoints; l != NULL; l = l->next)
    {
      json_builder_set_member_name (builder, l->data);
      json_builder_add_int_value (builder, rc_sim_get_request_count (self, l->data));
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}
