/* rc-diagnosis.c: what went wrong, from an error, pasted text or a log
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Structure first: an error from a check goes to the classifier; JSON and
 * OAuth query strings found in text are parsed (rc_json_parse, then the
 * same RcProtocolError readers the HTTP code uses) and classified the same
 * way; only what is left is matched against the phrases other CRM clients
 * print.  Logs are read one line at a time through a fixed buffer, so a
 * file of any size takes the same memory: per cause a count, the first and
 * last time seen and a few evidence lines, every one of them redacted.
 */

#include "config.h"

#include <string.h>

#include "rc-diagnosis.h"
#include "rc-json.h"
#include "rc-local-file.h"

#define READ_CHUNK  (64 * 1024)
#define MAX_GUESSES 12

struct _RcFinding
{
  const char   *cause;       /* static: from rc_cause_list() */
  RcConfidence  confidence;
  GPtrArray    *evidence;    /* NULL-terminated array of char * */
  guint64       count;
  GDateTime    *first_seen;
  GDateTime    *last_seen;
  guint64       order;       /* ranks equal findings: the one noted first first */
};

struct _RcDiagnosis
{
  gatomicrefcount  ref_count;
  GPtrArray       *findings;  /* of RcFinding *, the likeliest first */
  guint64          lines_read;
  gboolean         truncated;
};

struct _RcExplainer
{
  RcFinding   *findings;    /* one slot per cause id, in rc_cause_list() order */
  guint        n_causes;
  guint64      lines_read;
  guint64      notes;
  gboolean     truncated;
  GTimeZone   *local;
  GString     *valid;       /* the line as UTF-8, reused from line to line */
};

G_DEFINE_BOXED_TYPE (RcDiagnosis, rc_diagnosis, rc_diagnosis_ref, rc_diagnosis_unref)

typedef struct
{
  const char   *pattern;
  const char   *cause;
  RcConfidence  confidence;
  const char   *also;   /* causes the same words allow as well, at low confidence */
  const char   *also2;
} TextRule;

#define H RC_CONFIDENCE_HIGH
#define M RC_CONFIDENCE_MEDIUM
#define L RC_CONFIDENCE_LOW
#define APOS "['\xe2\x80\x99]"

/* The messages of shared/DESIGN.md's four scenarios and of
 * shared/reference/providers.md, then the transport and keyring errors GLib,
 * libsoup, libsecret and curl print.  Case-insensitive.  A rule names a
 * cause only where the words do; where they allow several, all are listed. */
static const TextRule text_rules[] = {
  /* Salesforce for Outlook: side panel, Trace.log, AddinTrace.log */
  { "logged out of salesforce (based on|due to) (your )?organi[sz]ation" APOS "?s? security settings",
    "refresh-token-policy-immediate", H, "refresh-token-expired", NULL },
  { "logged out of salesforce due to security settings",
    "refresh-token-policy-immediate", H, "refresh-token-expired", NULL },
  { "token validity expired", "refresh-token-policy-immediate", H, "refresh-token-expired", NULL },
  { "unknown label:\\s*(loginbutton|loggedout|oauthpolicy)",
    "refresh-token-policy-immediate", M, "refresh-token-expired", NULL },
  { "salesforcecredentialsinvalid", "refresh-token-expired", L, "refresh-token-policy-immediate", NULL },
  /* a hosted connector; Sales Navigator; GNOME Online Accounts' old words */
  { "\\bconnection expired\\b", "refresh-token-expired", M, "refresh-token-policy-immediate", NULL },
  { "credentials have expired", "refresh-token-expired", M, "refresh-token-policy-immediate", NULL },
  { "refresh token has expired due to inactivity", "refresh-token-expired", H, NULL, NULL },
  { "expired access/refresh token", "refresh-token-expired", M, "token-revoked", "refresh-token-policy-immediate" },
  { "refreshtokenautherror", "refresh-token-expired", M, "token-revoked", NULL },
  /* Sales app in Outlook and the REST API */
  { "\\bconnection lost\\b", "session-expired", M, "bad-token", NULL },
  { "session expired or invalid", "session-expired", H, "bad-token", NULL },
  { "\\binvalid_session_id\\b", "session-expired", H, "bad-token", NULL },
  { "\\byour session (has )?(expired|timed out)", "session-expired", M, NULL, NULL },
  { "\\bbad[ _]oauth[ _]token\\b|\\binvalid_auth_header\\b", "bad-token", H, NULL, NULL },
  { "grant is invalid or malformed", "bad-token", H, NULL, NULL },
  /* Sales Navigator's "Oops, …" rows and Entra's descriptions */
  { "multi-?factor authentication|\\bmfa\\b (is )?required|strong authentication (is )?required",
    "mfa-required", M, NULL, NULL },
  { "\\binteraction_required\\b", "mfa-required", M, NULL, NULL },
  { "conditional access", "conditional-access", M, NULL, NULL },
  { "device object was not found|organi[sz]ation has deleted this device|device is not (registered|workplace joined)",
    "device-not-registered", H, NULL, NULL },
  { "client secret( keys)?\\b.{0,60}\\b(expired|invalid)|secret keys .{0,40}are expired",
    "client-secret-expired", H, NULL, NULL },
  { "invalid client credentials", "client-secret-expired", M, "client-invalid", NULL },
  { "user hasn" APOS "?t approved this consumer|not admin approved|\\binvalid_app_access\\b|\\bconsent_required\\b|ha(s|ve) not consented",
    "app-not-approved", H, NULL, NULL },
  { "no longer an active user|user is inactive|\\binactive_user\\b|user account is disabled|"
    "\\b(user|account)\\b.{0,40}\\b(has been|was|is) (deactivated|disabled|frozen)",
    "user-deactivated", H, NULL, NULL },
  { "invalid_grant.{0,60}authentication failure", "password-changed", M, "user-deactivated", NULL },
  { "recent password change|password (was |has been )?(changed|reset)\\b|due to (a )?password change|changed (your|their) password",
    "password-changed", M, "token-revoked", NULL },
  { "password (is |has )?expired|expired password|\\buser_password_expired\\b",
    "password-expired", H, NULL, NULL },
  { "\\blocked out\\b|account is locked|password lockout", "account-locked", M, NULL, NULL },
  { "ip restricted|invalid login hours|ip address not allowed", "ip-restricted", H, NULL, NULL },
  { "org is locked, closed, or suspended|\\binactive_org\\b|crm is inactive|"
    "(not|n" APOS "t) subscribed to|subscription (has )?(lapsed|expired|ended|is not active)|"
    "does not appear to exist\\. likely cause is that the org was deleted",
    "org-inactive", M, NULL, NULL },
  { "client identifier invalid|\\binvalid_client_id\\b|application with identifier .{0,80} was not found",
    "client-invalid", H, NULL, NULL },
  { "\\bredirect_uri_mismatch\\b|redirect[_ ]uri mismatch|reply url .{0,80}does not match",
    "redirect-mismatch", H, NULL, NULL },
  { "\\baccess_denied\\b|end-user denied|user denied|declined (the )?consent|\\bauthorization_declined\\b",
    "access-denied", M, NULL, NULL },
  { "\\brequest_limit_exceeded\\b|\\brate_limit_exceeded\\b|too many requests|number of logins exceeded",
    "rate-limited", H, NULL, NULL },
  { "\\btemporarily_unavailable\\b|\\bserver_unavailable\\b|service unavailable|down for maintenance|"
    "down \\(maintenance\\)|under maintenance|bad gateway|gateway time-?out",
    "service-unavailable", M, NULL, NULL },
  { "proxy authentication required", "proxy-auth-required", H, NULL, NULL },
  /* GLib, libsoup, curl, browsers: TLS */
  { "unacceptable tls certificate|certificate verif(y|ication) failed|ssl certificate problem|"
    "self[- ]signed certificate|unable to get local issuer certificate|certificate is not trusted|"
    "untrusted certificate|tls handshake fail|curl: \\((35|51|58|60)\\)|err_cert_|sec_error_unknown_issuer|"
    "g-tls-error",
    "tls-error", H, NULL, NULL },
  /* … and the network */
  { "could not resolve (host|proxy)|name or service not known|temporary failure in name resolution|"
    "error resolving|no address associated with hostname|connection refused|network is unreachable|"
    "no route to host|connection timed out|operation timed out|timeout was reached|socket i/o timed out|"
    "connection reset by peer|could not connect to|failed to connect to|network is down|"
    "curl: \\((6|7|28|56)\\)|err_internet_disconnected|err_name_not_resolved|domainnotfounderror",
    "network-offline", H, NULL, NULL },
  { "clock skew|clock is (wrong|off)|clock (is )?out of sync|issued in the future|used before (its )?nbf",
    "clock-skew", M, NULL, NULL },
  /* libsecret and the Secret Service */
  { "org\\.freedesktop\\.secrets? was not provided|org\\.freedesktop\\.secret\\.error|locked collection|"
    "no such secret collection|keyring (is )?locked|(access|unlock) the keyring|cannot autolaunch d-bus|"
    "secret service (is )?not available|no secret service",
    "keyring-unavailable", M, NULL, NULL },
};

#undef APOS

/* Lines that read as errors; matched only when no rule did, for "unknown". */
#define ERRORISH "\\b(error|exception|fail(ed|ure)?|denied|refused|unauthori[sz]ed|forbidden|invalid|cannot|can" \
                 "['\xe2\x80\x99]?t|could not|couldn['\xe2\x80\x99]?t|unable to)\\b"

/* What the cheap scan of a line reports: one bit per text rule, then one
 * per other way a line can be explained.  A bit that is clear means the
 * regexes behind it cannot match the line. */
enum
{
  HIT_ERRORISH = G_N_ELEMENTS (text_rules),
  HIT_AADSTS,
  HIT_QUERY,
  HIT_STATUS,   /* the words of the status regex */
  HIT_CODE,     /* a status it turns into a cause */
  HIT_JSON,
  N_HITS
};

G_STATIC_ASSERT (N_HITS <= 64);

#define HIT(bit) (G_GUINT64_CONSTANT (1) << (bit))
#define HIT_RULES (HIT (G_N_ELEMENTS (text_rules)) - 1)
#define HIT_ALL (HIT (N_HITS) - 1)

/* A literal that every match of a regex holds, ASCII case folded. */
typedef struct
{
  char     *text;
  guint     length;
  guint     anchor;       /* offset of the two bytes it is looked up by */
  guint     key;          /* those two bytes, folded */
  guint     hit;
  gboolean  left_bound;   /* a \b before a word character: none precedes it */
  gboolean  right_bound;
  gboolean  at_start;     /* first of its branch: a \b before the group binds it */
  gboolean  at_end;
} Word;

typedef struct
{
  Word    *words;        /* sorted by key */
  guint    n_words;
  guint64  always;       /* hits of regexes no word stands for */
  guint8   pairs[65536 / 8];  /* the keys, in any case, one bit each */
} Words;

typedef struct
{
  GRegex  *rules[G_N_ELEMENTS (text_rules)];
  Words    words;
  GRegex  *prefilter;
  GRegex  *aadsts;
  GRegex  *query;
  GRegex  *status;
  GRegex  *errorish;
  GRegex  *iso_time;
  GRegex  *us_time;
  GRegex  *redact_pairs;
  GRegex  *redact_bearer;
  GRegex  *redact_tokens;
} Patterns;

/* ---- words: what a line must hold for a regex to match it -------------- */

/* A pattern read for its literals.  Every match of a sequence holds each
 * literal run in it and one word of each group that must occur; of those
 * the reader keeps the set whose shortest word is longest.  A \b next to a
 * run's word character is kept: then a word character beside the word
 * rules that place out ("errors" is no match for \berror\b). */
typedef struct
{
  const char *p;
  gboolean    unknown;   /* syntax this reader does not know: no words */
} Reader;

static void
word_clear (gpointer data)
{
  Word *word = data;

  g_free (word->text);
}

static GArray *
word_set_new (void)
{
  GArray *set = g_array_new (FALSE, TRUE, sizeof (Word));

  g_array_set_clear_func (set, word_clear);
  return set;
}

/* Moves the words of @from to the end of @to. */
static void
word_set_take (GArray *to,
               GArray *from)
{
  g_array_append_vals (to, from->data, from->len);
  g_array_set_clear_func (from, NULL);
  g_array_unref (from);
}

static gboolean
is_word_byte (guchar c)
{
  return g_ascii_isalnum (c) || c == '_';
}

static guint
shortest (GArray *set)
{
  guint length = G_MAXUINT;

  for (guint i = 0; i < set->len; i++)
    length = MIN (length, g_array_index (set, Word, i).length);
  return length;
}

/* Keeps the better of *@best and @set (taken): a set of longer words is
 * rarer in a log, and rarity is what makes the scan cheap. */
static void
consider (GArray **best,
          GArray  *set)
{
  if (set == NULL)
    return;
  if (*best == NULL || shortest (set) > shortest (*best) ||
      (shortest (set) == shortest (*best) && set->len < (*best)->len))
    {
      g_clear_pointer (best, g_array_unref);
      *best = set;
    }
  else
    g_array_unref (set);
}

/* Ends the literal run being read; one byte is no word to look for. */
static void
end_run (GArray  **best,
         GString  *run,
         gboolean  left,
         gboolean  right,
         gboolean  at_start,
         gboolean  at_end)
{
  GArray *set;
  Word word;

  if (run->len >= 2)
    {
      word = (Word) {
        .text = g_ascii_strdown (run->str, run->len),
        .length = run->len,
        .left_bound = left && is_word_byte (run->str[0]),
        .right_bound = right && is_word_byte (run->str[run->len - 1]),
        .at_start = at_start,
        .at_end = at_end,
      };
      set = word_set_new ();
      g_array_append_val (set, word);
      consider (best, set);
    }
  g_string_truncate (run, 0);
}

/* Reads a quantifier, if one follows; returns the fewest times it allows. */
static guint
read_quantifier (Reader   *reader,
                 gboolean *quantified)
{
  const char *p = reader->p;
  guint64 least = 1;

  *quantified = TRUE;
  if (*p == '?' || *p == '*')
    {
      least = 0;
      p++;
    }
  else if (*p == '+')
    p++;
  else if (*p == '{' && g_ascii_isdigit (p[1]))
    {
      least = g_ascii_strtoull (p + 1, NULL, 10);
      p = strchr (p, '}');
      if (p == NULL)
        {
          reader->unknown = TRUE;
          return 0;
        }
      p++;
    }
  else
    {
      *quantified = FALSE;
      return 1;
    }
  if (*p == '?' || *p == '+')  /* lazy, possessive */
    p++;
  reader->p = p;
  return (guint) MIN (least, 1);
}

static GArray *read_alternation (Reader *reader);

typedef enum
{
  TOKEN_END,       /* '|', ')' or the end of the pattern */
  TOKEN_LITERAL,
  TOKEN_BOUNDARY,  /* \b */
  TOKEN_ZERO,      /* another assertion */
  TOKEN_ANY,       /* one character of a set: a class, '.', \d, … */
  TOKEN_GROUP,
} Token;

/* Reads one token; a literal byte goes to *@literal. */
static Token
read_token (Reader *reader,
            char   *literal)
{
  const char *p = reader->p;

  switch (*p)
    {
    case '\0':
    case '|':
    case ')':
      return TOKEN_END;

    case '\\':
      reader->p = p + 2;
      if (p[1] == 'b')
        return TOKEN_BOUNDARY;
      if (p[1] != '\0' && strchr ("BAzZG", p[1]) != NULL)
        return TOKEN_ZERO;
      if (p[1] != '\0' && strchr ("dDwWsShHvVNR", p[1]) != NULL)
        return TOKEN_ANY;
      if (p[1] == '\0' || g_ascii_isalnum (p[1]) || (guchar) p[1] >= 0x80)
        {
          reader->unknown = TRUE;
          return TOKEN_END;
        }
      *literal = p[1];
      return TOKEN_LITERAL;

    case '[':
      p++;
      if (*p == '^')
        p++;
      if (*p == ']')
        p++;
      for (; *p != ']'; p++)
        if (*p == '\0' || (*p == '[' && p[1] == ':'))
          {
            reader->unknown = TRUE;
            return TOKEN_END;
          }
        else if (*p == '\\' && p[1] != '\0')
          p++;
      reader->p = p + 1;
      return TOKEN_ANY;

    case '(':
      reader->p = p + 1;
      if (p[1] == '?' && p[2] == ':')
        reader->p = p + 3;
      else if (p[1] == '?')
        {
          reader->unknown = TRUE;
          return TOKEN_END;
        }
      return TOKEN_GROUP;

    case '.':
      reader->p = p + 1;
      return TOKEN_ANY;

    case '^':
    case '$':
      reader->p = p + 1;
      return TOKEN_ZERO;

    case '*':
    case '+':
    case '?':
      reader->unknown = TRUE;
      return TOKEN_END;

    default:
      if (*p == '{' && g_ascii_isdigit (p[1]))
        {
          reader->unknown = TRUE;
          return TOKEN_END;
        }
      if ((guchar) *p >= 0x80)
        {
          /* one character, whose other cases this reader does not know */
          reader->p = g_utf8_next_char (p);
          return TOKEN_ANY;
        }
      reader->p = p + 1;
      *literal = *p;
      return TOKEN_LITERAL;
    }
}

/* The words of a group, as its sequence sees them: a \b around the group
 * binds the words at the group's ends. */
static GArray *
read_group (Reader   *reader,
            gboolean  bound_before,
            gboolean  first)
{
  GArray *set = read_alternation (reader);
  gboolean quantified, bound_after, last;
  guint least;

  if (*reader->p != ')')
    {
      reader->unknown = TRUE;
      g_clear_pointer (&set, g_array_unref);
      return NULL;
    }
  reader->p++;
  least = read_quantifier (reader, &quantified);
  if (set == NULL || least == 0)
    {
      g_clear_pointer (&set, g_array_unref);
      return NULL;
    }
  bound_after = !quantified && g_str_has_prefix (reader->p, "\\b");
  last = !quantified && (*reader->p == '\0' || *reader->p == '|' || *reader->p == ')');
  for (guint i = 0; i < set->len; i++)
    {
      Word *word = &g_array_index (set, Word, i);

      word->left_bound |= !quantified && bound_before && word->at_start && is_word_byte (word->text[0]);
      word->right_bound |= bound_after && word->at_end && is_word_byte (word->text[word->length - 1]);
      word->at_start &= first && !quantified;
      word->at_end &= last;
    }
  return set;
}

static GArray *
read_sequence (Reader *reader)
{
  g_autoptr(GString) run = g_string_new (NULL);
  GArray *best = NULL;
  gboolean run_left = FALSE, run_at_start = FALSE;
  gboolean bound = FALSE;   /* the token before was \b */
  gboolean first = TRUE;    /* nothing read yet */

  for (;;)
    {
      char literal = '\0';
      gboolean quantified;
      Token token = read_token (reader, &literal);

      switch (token)
        {
        case TOKEN_END:
          end_run (&best, run, run_left, FALSE, run_at_start, TRUE);
          if (reader->unknown)
            g_clear_pointer (&best, g_array_unref);
          return best;

        case TOKEN_BOUNDARY:
          end_run (&best, run, run_left, TRUE, run_at_start, FALSE);
          break;

        case TOKEN_LITERAL:
          if (run->len == 0)
            {
              run_left = bound;
              run_at_start = first;
            }
          g_string_append_c (run, literal);
          if (read_quantifier (reader, &quantified) == 0)
            g_string_truncate (run, run->len - 1);
          if (quantified)
            end_run (&best, run, run_left, FALSE, run_at_start, FALSE);
          break;

        case TOKEN_GROUP:
          end_run (&best, run, run_left, FALSE, run_at_start, FALSE);
          consider (&best, read_group (reader, bound, first));
          break;

        case TOKEN_ZERO:
        case TOKEN_ANY:
          end_run (&best, run, run_left, FALSE, run_at_start, FALSE);
          if (token == TOKEN_ANY)
            read_quantifier (reader, &quantified);
          break;
        }
      bound = token == TOKEN_BOUNDARY;
      first = FALSE;
    }
}

/* The union of the branches' words; none when a branch has none. */
static GArray *
read_alternation (Reader *reader)
{
  GArray *all = read_sequence (reader);

  while (*reader->p == '|' && !reader->unknown)
    {
      GArray *more;

      reader->p++;
      more = read_sequence (reader);
      if (all != NULL && more != NULL)
        word_set_take (all, more);
      else
        {
          g_clear_pointer (&all, g_array_unref);
          g_clear_pointer (&more, g_array_unref);
        }
    }
  return all;
}

/* Adds the words every match of @pattern holds, reported as @hit. */
static void
add_words (GArray     *words,
           guint64    *always,
           const char *pattern,
           guint       hit)
{
  Reader reader = { pattern, FALSE };
  GArray *set = read_alternation (&reader);

  if (set == NULL || reader.unknown || *reader.p != '\0')
    {
      g_warning ("No words found in the pattern “%s”: every line is matched against it", pattern);
      g_clear_pointer (&set, g_array_unref);
      *always |= HIT (hit);
      return;
    }
  for (guint i = 0; i < set->len; i++)
    g_array_index (set, Word, i).hit = hit;
  word_set_take (words, set);
}

/* How rare a byte is in a log: by the frequency of letters in English;
 * spaces and digits are everywhere. */
static guint
rarity (guchar c)
{
  static const char common[] = " etaoinsrhldcumfpgwybvkxjqz";
  const char *at = c != '\0' ? strchr (common, c) : NULL;

  if (g_ascii_isdigit (c))
    return 0;
  return at != NULL ? (guint) (at - common) : G_N_ELEMENTS (common);
}

static gint
compare_words (gconstpointer a,
               gconstpointer b)
{
  const Word *x = a;
  const Word *y = b;

  return x->key < y->key ? -1 : x->key > y->key;
}

/* Looks each word up by its rarest two bytes. */
static void
index_words (Words  *self,
             GArray *words)
{
  for (guint i = 0; i < words->len; i++)
    {
      Word *word = &g_array_index (words, Word, i);
      guint best = 0;

      for (guint j = 0; j + 1 < word->length; j++)
        if (rarity (word->text[j]) + rarity (word->text[j + 1]) >
            rarity (word->text[best]) + rarity (word->text[best + 1]))
          best = j;
      word->anchor = best;
      word->key = (guint) (guchar) word->text[best] << 8 | (guchar) word->text[best + 1];
      /* the scan looks bytes up as they are, in either case */
      for (guint upper = 0; upper < 4; upper++)
        {
          guint first = (guchar) word->text[best];
          guint second = (guchar) word->text[best + 1];
          guint pair;

          first = upper & 1 ? (guchar) g_ascii_toupper (first) : first;
          second = upper & 2 ? (guchar) g_ascii_toupper (second) : second;
          pair = first << 8 | second;
          self->pairs[pair >> 3] |= 1u << (pair & 7);
        }
    }
  g_array_sort (words, compare_words);
  self->n_words = words->len;
  self->words = (Word *) (gpointer) g_array_free (words, FALSE);
}

static inline guchar
fold (guchar c)
{
  return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

static gboolean
word_at (const Word   *word,
         const guchar *text,
         gsize         length,
         gsize         start)
{
  if (start + word->length > length)
    return FALSE;
  for (guint k = 0; k < word->length; k++)
    if (fold (text[start + k]) != (guchar) word->text[k])
      return FALSE;
  if (word->left_bound && start > 0 && is_word_byte (text[start - 1]))
    return FALSE;
  if (word->right_bound && start + word->length < length && is_word_byte (text[start + word->length]))
    return FALSE;
  return TRUE;
}

/* The words whose two bytes @key are at @at. */
static guint64
check_words (const Words  *self,
             guint         key,
             const guchar *text,
             gsize         length,
             gsize         at,
             guint64       hits)
{
  guint low = 0, high = self->n_words;

  while (low < high)
    {
      guint middle = (low + high) / 2;

      if (self->words[middle].key < key)
        low = middle + 1;
      else
        high = middle;
    }
  for (guint i = low; i < self->n_words && self->words[i].key == key; i++)
    {
      const Word *word = &self->words[i];
      guint64 bit = word->hit == N_HITS ? HIT_ALL : HIT (word->hit);

      if ((hits & bit) != bit && at >= word->anchor && word_at (word, text, length, at - word->anchor))
        hits |= bit;
    }
  return hits;
}

/* Which regexes can match @line: most lines hold no word at all, and cost
 * no copy and no regex. */
static guint64
scan_words (const Words *self,
            const char  *line,
            gsize        length)
{
  const guchar *text = (const guchar *) line;
  guint64 hits = self->always;

  for (gsize i = 0; i + 1 < length; i++)
    {
      guint pair = (guint) text[i] << 8 | text[i + 1];

      if (G_UNLIKELY (self->pairs[pair >> 3] & (1u << (pair & 7))))
        hits = check_words (self, (guint) fold (text[i]) << 8 | fold (text[i + 1]), text, length, i, hits);
    }
  if (memchr (line, '{', length) != NULL)
    hits |= HIT (HIT_JSON);
  return hits;
}

static GRegex *
compile (const char *pattern,
         gboolean    caseless)
{
  g_autoptr(GError) error = NULL;
  GRegex *regex = g_regex_new (pattern, G_REGEX_OPTIMIZE | (caseless ? G_REGEX_CASELESS : 0), 0, &error);

  g_assert_no_error (error);
  return regex;
}

static const Patterns *
get_patterns (void)
{
  static gsize once = 0;
  static Patterns patterns;

  if (g_once_init_enter (&once))
    {
      const char *aadsts = "\\bAADSTS(\\d{4,8})\\b";
      const char *query = "(?:^|[?&#\\s])(error=[A-Za-z0-9_.-]+(?:&[^\\s#\"'<>]*)?)";
      const char *status = "\\bHTTP(?:/\\d(?:\\.\\d)?)?\\s+(\\d{3})\\b|\\bstatus(?:[ _]code)?\\s*[:=]?\\s*(\\d{3})\\b|"
                           "\\b(\\d{3})\\s+(?:unauthorized|too many requests|internal server error|"
                           "bad gateway|service unavailable|gateway time-?out)\\b";
      /* KELVIN SIGN and LATIN SMALL LETTER LONG S match "k" and "s"
       * caselessly: a line with either may match any regex */
      const char * const other_cases[] = { "\xe2\x84\xaa", "\xc5\xbf" };
      GArray *words = word_set_new ();
      GString *any = g_string_new (NULL);

      for (guint i = 0; i < G_N_ELEMENTS (text_rules); i++)
        {
          patterns.rules[i] = compile (text_rules[i].pattern, TRUE);
          g_string_append_printf (any, "(?:%s)|", text_rules[i].pattern);
          add_words (words, &patterns.words.always, text_rules[i].pattern, i);
        }
      g_string_append (any, "aadsts|[{\\[]|error=|\\b(401|407|429|50[0-4])\\b|" ERRORISH);
      patterns.prefilter = compile (any->str, TRUE);
      g_string_free (any, TRUE);

      add_words (words, &patterns.words.always, ERRORISH, HIT_ERRORISH);
      add_words (words, &patterns.words.always, aadsts, HIT_AADSTS);
      add_words (words, &patterns.words.always, query, HIT_QUERY);
      add_words (words, &patterns.words.always, status, HIT_STATUS);
      /* the statuses candidates_from_status() turns into causes */
      add_words (words, &patterns.words.always, "(401|407|429|500|501|502|503|504)\\b", HIT_CODE);
      for (guint i = 0; i < G_N_ELEMENTS (other_cases); i++)
        {
          Word word = { .text = g_strdup (other_cases[i]), .length = strlen (other_cases[i]), .hit = N_HITS };

          g_array_append_val (words, word);
        }
      index_words (&patterns.words, words);

      patterns.aadsts = compile (aadsts, TRUE);
      patterns.query = compile (query, FALSE);
      patterns.status = compile (status, TRUE);
      patterns.errorish = compile (ERRORISH, TRUE);
      patterns.iso_time = compile ("(\\d{4})-(\\d{2})-(\\d{2})[T ](\\d{2}):(\\d{2}):(\\d{2})(?:[.,](\\d{1,6}))?"
                                   "\\s?(Z|[+-]\\d{2}:?\\d{2})?", FALSE);
      patterns.us_time = compile ("\\b(\\d{1,2})/(\\d{1,2})/(\\d{4})[ ,]+(\\d{1,2}):(\\d{2}):(\\d{2})\\s*([AP]M)?", TRUE);
      patterns.redact_pairs = compile ("\\b(access_token|refresh_token|id_token|client_secret|code_verifier|assertion|"
                                       "password|passwd|code|token|sid|device_code|user_code)(\"?\\s*[:=]\\s*\"?)"
                                       /* numbers are codes (error?code=700082), not secrets */
                                       "(?=[^\"'&\\s,;}<>]*[A-Za-z])([^\"'&\\s,;}<>]{6,})", TRUE);
      patterns.redact_bearer = compile ("\\b(Bearer|OAuth)\\s+[A-Za-z0-9._~+/!=-]{8,}", FALSE);
      patterns.redact_tokens = compile ("\\beyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]*|"
                                        "\\b00D[A-Za-z0-9]{12,15}![A-Za-z0-9._]+|"
                                        "\\b5Aep[A-Za-z0-9._]{20,}|"
                                        "[A-Za-z0-9+_-]{48,}={0,2}", FALSE);
      g_once_init_leave (&once, 1);
    }

  return &patterns;
}

#undef ERRORISH

/* ---- evidence ---------------------------------------------------------- */

/**
 * rc_diagnosis_redact:
 * @text: text from outside
 * @length: its length, or -1 if nul-terminated
 *
 * Replaces everything that looks like a token, a secret or a password with
 * "[redacted]": `name=value` pairs for the OAuth and Salesforce names,
 * bearer credentials, JWTs, Salesforce session ids and refresh tokens, and
 * any long run of base64 characters.  The result is valid UTF-8.
 *
 * Returns: (transfer full): the redacted text
 */
char *
rc_diagnosis_redact (const char *text,
                     gssize      length)
{
  const Patterns *patterns = get_patterns ();
  g_autofree char *valid = NULL;
  g_autofree char *pairs = NULL;
  g_autofree char *bearer = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  valid = g_utf8_make_valid (text, length);
  pairs = g_regex_replace (patterns->redact_pairs, valid, -1, 0, "\\1\\2[redacted]", 0, NULL);
  bearer = g_regex_replace (patterns->redact_bearer, pairs ? pairs : "", -1, 0, "\\1 [redacted]", 0, NULL);
  return g_regex_replace_literal (patterns->redact_tokens, bearer ? bearer : "", -1, 0, "[redacted]", 0, NULL);
}

/* Redacted, stripped, cut to RC_DIAGNOSIS_MAX_EVIDENCE_CHARS characters. */
static char *
evidence_line (const char *text,
               gssize      length)
{
  g_autofree char *redacted = rc_diagnosis_redact (text, length);
  char *line = g_strstrip (redacted);

  for (char *p = line; *p; p++)
    if (*p == '\t' || *p == '\r' || *p == '\n')
      *p = ' ';

  if (g_utf8_strlen (line, -1) > RC_DIAGNOSIS_MAX_EVIDENCE_CHARS)
    {
      g_autofree char *cut = g_utf8_substring (line, 0, RC_DIAGNOSIS_MAX_EVIDENCE_CHARS - 1);

      return g_strconcat (cut, "…", NULL);
    }
  return g_strdup (line);
}

static void
add_evidence (RcFinding  *finding,
              const char *line,
              guint       limit)
{
  if (finding->evidence->len >= limit || *line == '\0')
    return;
  for (guint i = 0; i < finding->evidence->len; i++)
    if (g_str_equal (g_ptr_array_index (finding->evidence, i), line))
      return;
  g_ptr_array_add (finding->evidence, g_strdup (line));
}

static char *
format_time (gint64 unix_time)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (unix_time);

  return time ? g_date_time_format_iso8601 (time) : g_strdup ("?");
}

/* What a server said, one "name: value" per line, never a token: the
 * protocol error keeps no token, and each value is redacted anyway. */
static GPtrArray *
protocol_evidence (const RcProtocolError *problem)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
  const GError *transport = rc_protocol_error_get_transport_error (problem);
  const gint64 *codes;
  guint n_codes = 0;
  /* the search keys first, the prose last */
  struct { const char *name; const char *value; } fields[] = {
    { "error", rc_protocol_error_get_error (problem) },
    { "suberror", rc_protocol_error_get_suberror (problem) },
    { "errorCode", rc_protocol_error_get_api_error_code (problem) },
    { "Correlation ID", rc_protocol_error_get_correlation_id (problem) },
    { "Trace ID", rc_protocol_error_get_trace_id (problem) },
    { "message", rc_protocol_error_get_api_message (problem) },
    { "error_description", rc_protocol_error_get_description (problem) },
  };

  if (rc_protocol_error_get_http_status (problem) != 0)
    g_ptr_array_add (lines, g_strdup_printf ("HTTP %u (%s)", rc_protocol_error_get_http_status (problem),
                                             rc_protocol_error_get_endpoint (problem)));
  if (transport != NULL)
    {
      g_autofree char *message = g_strdup_printf ("%s: %s", g_quark_to_string (transport->domain), transport->message);

      g_ptr_array_add (lines, evidence_line (message, -1));
    }

  codes = rc_protocol_error_get_error_codes (problem, &n_codes);
  if (n_codes > 0)
    {
      GString *text = g_string_new ("AADSTS:");

      for (guint i = 0; i < n_codes; i++)
        g_string_append_printf (text, " %" G_GINT64_FORMAT, codes[i]);
      g_ptr_array_add (lines, g_string_free (text, FALSE));
    }

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (fields[i].value != NULL)
      {
        g_autofree char *line = g_strdup_printf ("%s: %s", fields[i].name, fields[i].value);

        g_ptr_array_add (lines, evidence_line (line, -1));
      }

  return lines;
}

/* ---- the explainer: findings per cause -------------------------------- */

/**
 * rc_explainer_new:
 *
 * Starts explaining text or a log fed one line at a time.  Its memory does
 * not grow with the number of lines.
 *
 * Returns: (transfer full): a new #RcExplainer
 */
RcExplainer *
rc_explainer_new (void)
{
  RcExplainer *self = g_new0 (RcExplainer, 1);
  const char * const *causes = rc_cause_list ();

  get_patterns ();
  self->n_causes = g_strv_length ((char **) causes);
  self->findings = g_new0 (RcFinding, self->n_causes);
  for (guint i = 0; i < self->n_causes; i++)
    self->findings[i].cause = causes[i];
  self->local = g_time_zone_new_local ();
  self->valid = g_string_new (NULL);

  return self;
}

static void
finding_clear (RcFinding *finding)
{
  g_clear_pointer (&finding->evidence, g_ptr_array_unref);
  g_clear_pointer (&finding->first_seen, g_date_time_unref);
  g_clear_pointer (&finding->last_seen, g_date_time_unref);
}

void
rc_explainer_free (RcExplainer *self)
{
  if (self == NULL)
    return;

  for (guint i = 0; i < self->n_causes; i++)
    finding_clear (&self->findings[i]);
  g_free (self->findings);
  g_time_zone_unref (self->local);
  g_string_free (self->valid, TRUE);
  g_free (self);
}

static RcFinding *
slot (RcExplainer *self,
      const char  *cause)
{
  for (guint i = 0; i < self->n_causes; i++)
    if (g_str_equal (self->findings[i].cause, cause))
      return &self->findings[i];
  g_return_val_if_reached (&self->findings[self->n_causes - 1]);
}

/* One more sighting of @cause: @evidence lines, at @when (nullable). */
static void
note (RcExplainer  *self,
      const char   *cause,
      RcConfidence  confidence,
      GPtrArray    *evidence,
      GDateTime    *when)
{
  RcFinding *finding = slot (self, cause);

  if (finding->count == 0)
    {
      finding->evidence = g_ptr_array_new_null_terminated (RC_DIAGNOSIS_MAX_EVIDENCE, g_free, TRUE);
      finding->confidence = confidence;
      finding->order = self->notes++;
    }
  finding->confidence = MAX (finding->confidence, confidence);
  finding->count++;

  /* one error's fields all count; of a log, the first lines do */
  for (guint i = 0; i < evidence->len; i++)
    add_evidence (finding, g_ptr_array_index (evidence, i),
                  MAX (RC_DIAGNOSIS_MAX_EVIDENCE, evidence->len));

  if (when != NULL)
    {
      if (finding->first_seen == NULL)
        finding->first_seen = g_date_time_ref (when);
      g_clear_pointer (&finding->last_seen, g_date_time_unref);
      finding->last_seen = g_date_time_ref (when);
    }
}

static gint
fetch_int (GMatchInfo *match,
           int         group)
{
  g_autofree char *text = g_match_info_fetch (match, group);

  return text && *text ? (gint) g_ascii_strtoll (text, NULL, 10) : 0;
}

/* The first timestamp in @line: ISO 8601 or a log4net-like "2015-04-24
 * 15:17:11,290", or a US "4/24/2015 3:17:11 PM"; local time when it names no
 * zone. */
static GDateTime *
line_time (RcExplainer *self,
           const char  *line)
{
  const Patterns *patterns = get_patterns ();
  g_autoptr(GMatchInfo) match = NULL;
  g_autoptr(GTimeZone) zone = NULL;

  if (g_regex_match (patterns->iso_time, line, 0, &match))
    {
      g_autofree char *offset = g_match_info_fetch (match, 8);
      g_autofree char *fraction = g_match_info_fetch (match, 7);
      gdouble seconds = fetch_int (match, 6);

      if (fraction && *fraction)
        {
          g_autofree char *decimal = g_strconcat ("0.", fraction, NULL);

          seconds += g_ascii_strtod (decimal, NULL);
        }
      zone = offset && *offset ? g_time_zone_new_identifier (offset) : g_time_zone_ref (self->local);
      if (zone == NULL)
        zone = g_time_zone_new_utc ();
      return g_date_time_new (zone, fetch_int (match, 1), fetch_int (match, 2), fetch_int (match, 3),
                              fetch_int (match, 4), fetch_int (match, 5), seconds);
    }
  g_clear_pointer (&match, g_match_info_free);

  if (g_regex_match (patterns->us_time, line, 0, &match))
    {
      g_autofree char *meridiem = g_match_info_fetch (match, 7);
      gint hour = fetch_int (match, 4);

      if (meridiem && g_ascii_strcasecmp (meridiem, "PM") == 0 && hour < 12)
        hour += 12;
      else if (meridiem && g_ascii_strcasecmp (meridiem, "AM") == 0 && hour == 12)
        hour = 0;
      return g_date_time_new (self->local, fetch_int (match, 3), fetch_int (match, 1), fetch_int (match, 2),
                              hour, fetch_int (match, 5), fetch_int (match, 6));
    }

  return NULL;
}

typedef struct
{
  RcClassifierGuess guesses[MAX_GUESSES];
  guint             n;
} Candidates;

static void
candidate (Candidates   *out,
           const char   *cause,
           RcConfidence  confidence)
{
  if (cause == NULL)
    return;
  for (guint i = 0; i < out->n; i++)
    if (g_str_equal (out->guesses[i].cause, cause))
      {
        out->guesses[i].confidence = MAX (out->guesses[i].confidence, confidence);
        return;
      }
  if (out->n < MAX_GUESSES)
    out->guesses[out->n++] = (RcClassifierGuess) { cause, confidence };
}

static void
candidates_from_problem (Candidates      *out,
                         RcProtocolError *problem)
{
  RcClassifierGuess guesses[RC_CLASSIFIER_MAX_GUESSES];
  guint n = rc_classifier_classify_protocol_error (problem, NULL, guesses);

  for (guint i = 0; i < n; i++)
    candidate (out, guesses[i].cause, guesses[i].confidence);
}

/* A JSON error body read the way the HTTP code reads one; %NULL when the
 * bytes are not one JSON document. */
static RcProtocolError *
problem_from_json (const char *data,
                   gsize       size)
{
  g_autoptr(JsonNode) root = rc_json_parse (data, size, NULL);
  g_autoptr(GBytes) body = NULL;

  if (root == NULL)
    return NULL;
  body = g_bytes_new (data, size);
  return rc_protocol_error_new_from_response ("text", 0, "application/json", body, 0);
}

/* A JSON error body inside a line: from the first '{' (or "[{") to the last
 * '}' (or "}]"), parsed, never searched. */
static void
candidates_from_json (Candidates *out,
                      const char *line,
                      gsize       length)
{
  const char *open = memchr (line, '{', length);
  const char *close = NULL;
  g_autoptr(RcProtocolError) problem = NULL;

  if (open == NULL)
    return;
  for (const char *p = line + length; p > open; p--)
    if (p[-1] == '}')
      {
        close = p;
        break;
      }
  if (close == NULL)
    return;
  if (open > line && open[-1] == '[' && close < line + length && *close == ']')
    {
      open--;
      close++;
    }

  problem = problem_from_json (open, close - open);
  if (problem != NULL)
    candidates_from_problem (out, problem);
}

/* error=…&error_description=… as in an OAuth redirect. */
static void
candidates_from_query (Candidates *out,
                       const char *line)
{
  const Patterns *patterns = get_patterns ();
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *query = NULL;
  g_autoptr(GHashTable) params = NULL;
  g_autoptr(RcProtocolError) problem = NULL;

  if (!g_regex_match (patterns->query, line, 0, &match))
    return;
  query = g_match_info_fetch (match, 1);
  params = g_uri_parse_params (query, -1, "&", G_URI_PARAMS_WWW_FORM, NULL);
  if (params == NULL || g_hash_table_lookup (params, "error") == NULL)
    return;
  problem = rc_protocol_error_new_from_redirect ("text", params);
  candidates_from_problem (out, problem);
}

static void
candidates_from_aadsts (Candidates *out,
                        const char *line)
{
  const Patterns *patterns = get_patterns ();
  g_autoptr(GMatchInfo) match = NULL;

  g_regex_match (patterns->aadsts, line, 0, &match);
  while (g_match_info_matches (match))
    {
      g_autofree char *digits = g_match_info_fetch (match, 1);

      candidate (out, rc_classifier_cause_for_entra_code (g_ascii_strtoll (digits, NULL, 10)), RC_CONFIDENCE_HIGH);
      g_match_info_next (match, NULL);
    }
}

static void
candidates_from_status (Candidates *out,
                        const char *line)
{
  const Patterns *patterns = get_patterns ();
  g_autoptr(GMatchInfo) match = NULL;
  guint status = 0;

  if (!g_regex_match (patterns->status, line, 0, &match))
    return;
  for (int group = 1; group <= 3 && status == 0; group++)
    status = (guint) fetch_int (match, group);

  if (status == 407)
    candidate (out, "proxy-auth-required", RC_CONFIDENCE_HIGH);
  else if (status == 429)
    candidate (out, "rate-limited", RC_CONFIDENCE_HIGH);
  else if (status >= 500 && status <= 504)
    candidate (out, "service-unavailable", RC_CONFIDENCE_MEDIUM);
  else if (status == 401)
    {
      candidate (out, "session-expired", RC_CONFIDENCE_LOW);
      candidate (out, "bad-token", RC_CONFIDENCE_LOW);
    }
}

/* Whether the status regex may find a status it turns into a cause. */
static gboolean
status_possible (guint64 hits)
{
  return (hits & HIT (HIT_CODE)) && (hits & HIT (HIT_STATUS));
}

/* Runs only the regexes whose words @hits says the line holds: the others
 * cannot match. */
static void
classify_line (Candidates *out,
               const char *line,
               gsize       length,
               guint64     hits)
{
  const Patterns *patterns = get_patterns ();

  if (hits & HIT (HIT_JSON))
    candidates_from_json (out, line, length);
  if ((hits & HIT (HIT_QUERY)) && strstr (line, "error=") != NULL)
    candidates_from_query (out, line);
  if (hits & HIT (HIT_AADSTS))
    candidates_from_aadsts (out, line);

  for (guint i = 0; i < G_N_ELEMENTS (text_rules); i++)
    if ((hits & HIT (i)) && g_regex_match (patterns->rules[i], line, 0, NULL))
      {
        candidate (out, text_rules[i].cause, text_rules[i].confidence);
        candidate (out, text_rules[i].also, RC_CONFIDENCE_LOW);
        candidate (out, text_rules[i].also2, RC_CONFIDENCE_LOW);
      }

  /* A status says less than the words around it.  Every other cause above
   * rests on a part of the prefilter; a status does not ("status401" is no
   * \b401\b), and a line the prefilter turns down is not explained. */
  if (out->n == 0 && status_possible (hits))
    {
      candidates_from_status (out, line);
      if (out->n > 0 && !g_regex_match (patterns->prefilter, line, 0, NULL))
        out->n = 0;
    }
}

/* g_utf8_make_valid() into a buffer kept from line to line. */
static void
make_valid (GString    *out,
            const char *text,
            gsize       length)
{
  const char *invalid;

  g_string_truncate (out, 0);
  while (!g_utf8_validate_len (text, length, &invalid))
    {
      gsize valid = invalid - text;

      g_string_append_len (out, text, valid);
      g_string_append (out, "\357\277\275");
      text = invalid + 1;
      length -= valid + 1;
    }
  g_string_append_len (out, text, length);
}

/* Whether a line's evidence can still be kept: a long log fills each
 * finding's evidence early, and redacting costs three regexes. */
static gboolean
wants_evidence (RcExplainer      *self,
                const Candidates *out)
{
  for (guint i = 0; i < out->n; i++)
    {
      const RcFinding *finding = slot (self, out->guesses[i].cause);

      if (finding->count == 0 || finding->evidence->len < RC_DIAGNOSIS_MAX_EVIDENCE)
        return TRUE;
    }
  return FALSE;
}

/**
 * rc_explainer_feed_line:
 * @self: a #RcExplainer
 * @line: (array length=length): one line, without its line break; any bytes
 * @length: its length; only the first %RC_DIAGNOSIS_MAX_LINE bytes are read
 */
void
rc_explainer_feed_line (RcExplainer *self,
                        const char  *line,
                        gsize        length)
{
  const Patterns *patterns = get_patterns ();
  g_autoptr(GPtrArray) evidence = NULL;
  g_autoptr(GDateTime) when = NULL;
  Candidates out = { .n = 0 };
  const char *valid;
  guint64 hits;

  g_return_if_fail (self != NULL);
  g_return_if_fail (line != NULL || length == 0);

  self->lines_read++;
  if (length > RC_DIAGNOSIS_MAX_LINE)
    {
      length = RC_DIAGNOSIS_MAX_LINE;
      self->truncated = TRUE;
    }
  if (length == 0)
    return;

  hits = scan_words (&patterns->words, line, length);
  if ((hits & ~(HIT (HIT_STATUS) | HIT (HIT_CODE))) == 0 && !status_possible (hits))
    return;

  /* GRegex wants UTF-8 without nul bytes */
  make_valid (self->valid, line, length);
  valid = self->valid->str;
  length = self->valid->len;

  classify_line (&out, valid, length, hits);
  if (out.n == 0 && (hits & HIT (HIT_ERRORISH)) && g_regex_match (patterns->errorish, valid, 0, NULL))
    candidate (&out, "unknown", RC_CONFIDENCE_LOW);
  if (out.n == 0)
    return;

  evidence = g_ptr_array_new_with_free_func (g_free);
  if (wants_evidence (self, &out))
    g_ptr_array_add (evidence, evidence_line (valid, (gssize) length));
  when = line_time (self, valid);
  for (guint i = 0; i < out.n; i++)
    note (self, out.guesses[i].cause, out.guesses[i].confidence, evidence, when);
}

static gint
compare_findings (gconstpointer a,
                  gconstpointer b)
{
  const RcFinding *x = *(const RcFinding **) a;
  const RcFinding *y = *(const RcFinding **) b;
  gboolean x_unknown = g_str_equal (x->cause, "unknown");
  gboolean y_unknown = g_str_equal (y->cause, "unknown");

  if (x_unknown != y_unknown)
    return x_unknown ? 1 : -1;
  if (x->confidence != y->confidence)
    return x->confidence > y->confidence ? -1 : 1;
  if (x->count != y->count)
    return x->count > y->count ? -1 : 1;
  return x->order < y->order ? -1 : x->order > y->order;
}

static void
finding_free (RcFinding *finding)
{
  finding_clear (finding);
  g_free (finding);
}

static RcDiagnosis *
diagnosis_new (void)
{
  RcDiagnosis *self = g_new0 (RcDiagnosis, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->findings = g_ptr_array_new_with_free_func ((GDestroyNotify) finding_free);
  return self;
}

/**
 * rc_explainer_finish:
 * @self: a #RcExplainer
 *
 * Returns: (transfer full): what the lines fed so far show, the likeliest
 *   cause first; @self is left empty
 */
RcDiagnosis *
rc_explainer_finish (RcExplainer *self)
{
  RcDiagnosis *diagnosis;

  g_return_val_if_fail (self != NULL, NULL);

  diagnosis = diagnosis_new ();
  diagnosis->lines_read = self->lines_read;
  diagnosis->truncated = self->truncated;
  for (guint i = 0; i < self->n_causes; i++)
    if (self->findings[i].count > 0)
      {
        RcFinding *finding = g_new (RcFinding, 1);

        *finding = self->findings[i];
        memset (&self->findings[i], 0, sizeof self->findings[i]);
        self->findings[i].cause = finding->cause;
        g_ptr_array_add (diagnosis->findings, finding);
      }
  g_ptr_array_sort (diagnosis->findings, compare_findings);
  self->lines_read = 0;
  self->notes = 0;
  self->truncated = FALSE;

  return diagnosis;
}

/* ---- from an error ---------------------------------------------------- */

/**
 * rc_diagnosis_new_from_error:
 * @error: what a check, a refresh or a sign-in failed with
 * @context: (nullable): what is known about the account
 *
 * The classifier's causes for @error, with the evidence an admin searches
 * by: HTTP status, error, codes, trace and correlation ids, the time, and
 * the sign-in and refresh times the decision rested on.  Never a token.
 *
 * Returns: (transfer full): a new #RcDiagnosis
 */
RcDiagnosis *
rc_diagnosis_new_from_error (const GError              *error,
                             const RcClassifierContext *context)
{
  g_autoptr(RcExplainer) explainer = NULL;
  g_autoptr(GPtrArray) evidence = NULL;
  g_autoptr(GDateTime) when = NULL;
  RcClassifierGuess guesses[RC_CLASSIFIER_MAX_GUESSES];
  RcProtocolError *problem;
  gint64 now;
  guint n;

  g_return_val_if_fail (error != NULL, NULL);

  now = context && context->now > 0 ? context->now : g_get_real_time () / G_USEC_PER_SEC;
  when = g_date_time_new_from_unix_utc (now);
  problem = rc_oauth_error_get_protocol_error (error);
  if (problem != NULL)
    {
      gint64 server_date = rc_protocol_error_get_server_date (problem);

      evidence = protocol_evidence (problem);
      if (server_date > 0 && ABS (server_date - now) > RC_CLASSIFIER_CLOCK_SKEW_LIMIT)
        g_ptr_array_add (evidence, g_strdup_printf ("Server clock differs by %" G_GINT64_FORMAT " s",
                                                    server_date - now));
    }
  else
    {
      g_autofree char *line = g_strdup_printf ("%s %d: %s", g_quark_to_string (error->domain), error->code,
                                               error->message);

      evidence = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (evidence, evidence_line (line, -1));
    }

  /* the times the dead-grant rule decides by */
  if (context != NULL && context->signed_in_at > 0)
    {
      g_autofree char *signed_in = format_time (context->signed_in_at);
      g_autofree char *refreshed = context->last_refresh_at > 0 ? format_time (context->last_refresh_at)
                                                                : g_strdup ("never");

      g_ptr_array_add (evidence, g_strdup_printf ("Signed in: %s", signed_in));
      g_ptr_array_add (evidence, g_strdup_printf ("Last successful refresh: %s", refreshed));
    }
  {
    g_autofree char *at = format_time (now);

    g_ptr_array_add (evidence, g_strdup_printf ("Time: %s", at));
  }

  explainer = rc_explainer_new ();
  explainer->lines_read = 1;
  n = rc_classifier_classify_error_full (error, context, guesses);
  for (guint i = 0; i < n; i++)
    note (explainer, guesses[i].cause, guesses[i].confidence, evidence, when);
  if (n == 0)
    note (explainer, "unknown", RC_CONFIDENCE_LOW, evidence, when);

  return rc_explainer_finish (explainer);
}

/* ---- from text and streams -------------------------------------------- */

/* The whole paste as one JSON document, e.g. a pretty-printed Entra body;
 * %NULL when it is not one. */
static RcDiagnosis *
diagnosis_from_json (const char *text,
                     gsize       length)
{
  g_autoptr(RcProtocolError) problem = NULL;
  g_autoptr(RcExplainer) explainer = NULL;
  g_autoptr(GPtrArray) evidence = NULL;
  Candidates out = { .n = 0 };

  while (length > 0 && g_ascii_isspace (*text))
    {
      text++;
      length--;
    }
  while (length > 0 && g_ascii_isspace (text[length - 1]))
    length--;
  if (length == 0 || (*text != '{' && *text != '['))
    return NULL;
  problem = problem_from_json (text, length);
  if (problem == NULL)
    return NULL;

  candidates_from_problem (&out, problem);
  evidence = protocol_evidence (problem);

  explainer = rc_explainer_new ();
  explainer->lines_read = 1;
  for (guint i = 0; i < out.n; i++)
    note (explainer, out.guesses[i].cause, out.guesses[i].confidence, evidence, NULL);
  return rc_explainer_finish (explainer);
}

/**
 * rc_diagnosis_new_from_text:
 * @text: (array length=length): what the user pasted
 * @length: its length, or -1 if nul-terminated
 *
 * Explains an error message, an error body, a redirect URL or a few log
 * lines.  Only the first %RC_DIAGNOSIS_MAX_TEXT bytes are read.
 *
 * Returns: (transfer full): a new #RcDiagnosis; no findings when nothing in
 *   @text is an error Reconnect knows
 */
RcDiagnosis *
rc_diagnosis_new_from_text (const char *text,
                            gssize      length)
{
  g_autoptr(RcExplainer) explainer = NULL;
  RcDiagnosis *diagnosis;
  gboolean cut = FALSE;
  const char *start, *end, *p;
  gsize size;

  g_return_val_if_fail (text != NULL || length == 0, NULL);

  if (text == NULL)
    text = "";
  size = length < 0 ? strlen (text) : (gsize) length;
  if (size > RC_DIAGNOSIS_MAX_TEXT)
    {
      size = RC_DIAGNOSIS_MAX_TEXT;
      cut = TRUE;
    }

  start = text;
  end = text + size;
  if (size >= 3 && memcmp (start, "\xef\xbb\xbf", 3) == 0)
    start += 3;

  if ((diagnosis = diagnosis_from_json (start, end - start)) != NULL)
    {
      diagnosis->truncated = cut;
      return diagnosis;
    }

  explainer = rc_explainer_new ();
  for (p = start; p < end;)
    {
      const char *newline = memchr (p, '\n', end - p);
      const char *stop = newline ? newline : end;
      gsize line_length = stop - p;

      if (line_length > 0 && p[line_length - 1] == '\r')
        line_length--;
      rc_explainer_feed_line (explainer, p, line_length);
      p = newline ? newline + 1 : end;
    }
  diagnosis = rc_explainer_finish (explainer);
  diagnosis->truncated |= cut;
  return diagnosis;
}

/* Windows tools (Salesforce for Outlook among them) may write UTF-16. */
static GInputStream *
decoded_stream (GInputStream  *stream,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autoptr(GInputStream) buffered = g_buffered_input_stream_new (stream);
  g_autoptr(GConverter) converter = NULL;
  const guchar *head;
  gsize available = 0;

  if (g_buffered_input_stream_fill (G_BUFFERED_INPUT_STREAM (buffered), 4, cancellable, error) < 0)
    return NULL;
  head = g_buffered_input_stream_peek_buffer (G_BUFFERED_INPUT_STREAM (buffered), &available);
  if (available >= 2 && head[0] == 0xff && head[1] == 0xfe)
    converter = G_CONVERTER (g_charset_converter_new ("UTF-8", "UTF-16LE", NULL));
  else if (available >= 2 && head[0] == 0xfe && head[1] == 0xff)
    converter = G_CONVERTER (g_charset_converter_new ("UTF-8", "UTF-16BE", NULL));

  if (converter == NULL)
    return g_steal_pointer (&buffered);
  /* unconvertible bytes become U+FFFD rather than an error */
  g_charset_converter_set_use_fallback (G_CHARSET_CONVERTER (converter), TRUE);
  return g_converter_input_stream_new (buffered, converter);
}

typedef struct
{
  RcExplainer *explainer;
  char        *line;         /* RC_DIAGNOSIS_MAX_LINE + 1 bytes */
  gsize        line_length;
  gboolean     overlong;
} Splitter;

/* Cuts @data into lines for the explainer, keeping at most one line's cap
 * in memory; one byte past the cap marks a line as too long. */
static void
splitter_feed (Splitter   *self,
               const char *data,
               gsize       size)
{
  gsize i = 0;

  while (i < size)
    {
      const char *newline = memchr (data + i, '\n', size - i);
      gsize take = (newline ? (gsize) (newline - data) : size) - i;
      gsize room = RC_DIAGNOSIS_MAX_LINE + 1 - self->line_length;

      memcpy (self->line + self->line_length, data + i, MIN (take, room));
      self->line_length += MIN (take, room);
      self->overlong |= take > room;
      i += take;

      if (newline != NULL)
        {
          if (self->line_length > 0 && self->line[self->line_length - 1] == '\r' && !self->overlong)
            self->line_length--;
          rc_explainer_feed_line (self->explainer, self->line, self->line_length);
          self->line_length = 0;
          self->overlong = FALSE;
          i++;
        }
    }
}

static gboolean
starts_like_json (const char *data,
                  gsize       size)
{
  for (gsize i = 0; i < size; i++)
    if (!g_ascii_isspace (data[i]))
      return data[i] == '{' || data[i] == '[';
  return FALSE;
}

/**
 * rc_diagnosis_new_from_stream:
 * @stream: a log, read to its end
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a read error
 *
 * Explains a log one line at a time, in fixed memory, up to
 * %RC_DIAGNOSIS_MAX_INPUT bytes: lines longer than %RC_DIAGNOSIS_MAX_LINE
 * are read only up to it.  A stream that is one JSON document of at most
 * %RC_DIAGNOSIS_MAX_TEXT bytes (a saved error body) is parsed whole.  UTF-8, or UTF-16 with a byte order mark.
 * Blocks: call it from a thread.
 *
 * Returns: (transfer full): a new #RcDiagnosis, or %NULL on a read error
 */
RcDiagnosis *
rc_diagnosis_new_from_stream (GInputStream  *stream,
                              GCancellable  *cancellable,
                              GError       **error)
{
  g_autoptr(RcExplainer) explainer = NULL;
  g_autoptr(GInputStream) input = NULL;
  g_autoptr(GByteArray) head = NULL;
  g_autofree char *chunk = NULL;
  g_autofree char *line = NULL;
  Splitter splitter;
  gboolean first = TRUE;
  guint64 total = 0;

  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  input = decoded_stream (stream, cancellable, error);
  if (input == NULL)
    return NULL;

  explainer = rc_explainer_new ();
  chunk = g_malloc (READ_CHUNK);
  line = g_malloc (RC_DIAGNOSIS_MAX_LINE + 1);
  splitter = (Splitter) { explainer, line, 0, FALSE };

  for (;;)
    {
      g_autoptr(GError) local_error = NULL;
      gssize n = g_input_stream_read (input, chunk, READ_CHUNK, cancellable, &local_error);
      const char *data = chunk;

      /* UTF-16 that does not decode: what came before it is explained */
      if (n < 0 && G_IS_CONVERTER_INPUT_STREAM (input) &&
          (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA) ||
           g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT)))
        {
          explainer->truncated = TRUE;
          break;
        }
      if (n < 0)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      if (n == 0)
        break;
      total += n;
      if (total > RC_DIAGNOSIS_MAX_INPUT)
        {
          explainer->truncated = TRUE;
          break;
        }

      if (first && n >= 3 && memcmp (chunk, "\xef\xbb\xbf", 3) == 0)
        {
          data += 3;
          n -= 3;
        }
      if (first && starts_like_json (data, n))
        head = g_byte_array_new ();
      first = FALSE;

      /* a JSON document is kept whole while it is small enough to parse */
      if (head != NULL && head->len + n <= RC_DIAGNOSIS_MAX_TEXT)
        {
          g_byte_array_append (head, (const guint8 *) data, n);
          continue;
        }
      if (head != NULL)
        {
          splitter_feed (&splitter, (const char *) head->data, head->len);
          g_clear_pointer (&head, g_byte_array_unref);
        }
      splitter_feed (&splitter, data, n);
    }

  if (head != NULL)
    {
      RcDiagnosis *diagnosis = diagnosis_from_json ((const char *) head->data, head->len);

      if (diagnosis != NULL)
        return diagnosis;
      splitter_feed (&splitter, (const char *) head->data, head->len);
    }
  if (splitter.line_length > 0)
    rc_explainer_feed_line (explainer, line, splitter.line_length);

  return rc_explainer_finish (explainer);
}

static void
read_file_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  g_autoptr(GInputStream) stream = NULL;
  g_autofree char *path = g_file_get_path (task_data);
  RcDiagnosis *diagnosis;
  GError *error = NULL;

  /* A local FIFO or device would block or never end: regular files only. */
  if (path != NULL)
    {
      stream = rc_local_file_open (path, &error);
      /* Said of which file, as GIO's own messages are. */
      if (stream == NULL)
        g_prefix_error (&error, "%s: ", path);
    }
  else
    stream = G_INPUT_STREAM (g_file_read (task_data, cancellable, &error));
  if (stream == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  diagnosis = rc_diagnosis_new_from_stream (G_INPUT_STREAM (stream), cancellable, &error);
  if (diagnosis == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, diagnosis, (GDestroyNotify) rc_diagnosis_unref);
}

/**
 * rc_diagnosis_new_from_file_async:
 * @file: a log file
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * rc_diagnosis_new_from_stream() on @file, in a thread.
 */
void
rc_diagnosis_new_from_file_async (GFile               *file,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (G_IS_FILE (file));

  get_patterns ();
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, rc_diagnosis_new_from_file_async);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, read_file_thread);
}

/**
 * rc_diagnosis_new_from_file_finish:
 * @result: the result
 * @error: return location for a read error
 *
 * Returns: (transfer full): a new #RcDiagnosis, or %NULL on error
 */
RcDiagnosis *
rc_diagnosis_new_from_file_finish (GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == rc_diagnosis_new_from_file_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- accessors -------------------------------------------------------- */

RcDiagnosis *
rc_diagnosis_ref (RcDiagnosis *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
rc_diagnosis_unref (RcDiagnosis *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_ptr_array_unref (self->findings);
  g_free (self);
}

/**
 * rc_diagnosis_get_cause:
 * @self: a #RcDiagnosis
 *
 * Returns: the likeliest cause, "unknown" when nothing matched
 */
const char *
rc_diagnosis_get_cause (const RcDiagnosis *self)
{
  g_return_val_if_fail (self != NULL, "unknown");

  if (self->findings->len == 0)
    return "unknown";
  return rc_finding_get_cause (g_ptr_array_index (self->findings, 0));
}

RcAudience
rc_diagnosis_get_audience (const RcDiagnosis *self)
{
  g_return_val_if_fail (self != NULL, RC_AUDIENCE_NONE);

  return rc_cause_get_audience (rc_diagnosis_get_cause (self));
}

guint
rc_diagnosis_get_n_findings (const RcDiagnosis *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->findings->len;
}

/**
 * rc_diagnosis_get_finding:
 * @self: a #RcDiagnosis
 * @index: 0 for the likeliest
 *
 * Returns: (transfer none): the finding; it lives as long as @self
 */
const RcFinding *
rc_diagnosis_get_finding (const RcDiagnosis *self,
                          guint              index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->findings->len, NULL);

  return g_ptr_array_index (self->findings, index);
}

/**
 * rc_diagnosis_lookup_finding:
 * @self: a #RcDiagnosis
 * @cause: a cause id
 *
 * Returns: (transfer none) (nullable): the finding for @cause, if any
 */
const RcFinding *
rc_diagnosis_lookup_finding (const RcDiagnosis *self,
                             const char        *cause)
{
  g_return_val_if_fail (self != NULL, NULL);

  for (guint i = 0; i < self->findings->len; i++)
    {
      const RcFinding *finding = g_ptr_array_index (self->findings, i);

      if (g_strcmp0 (finding->cause, cause) == 0)
        return finding;
    }
  return NULL;
}

/**
 * rc_diagnosis_get_lines_read:
 * @self: a #RcDiagnosis
 *
 * Returns: how many lines of text or log were read
 */
guint64
rc_diagnosis_get_lines_read (const RcDiagnosis *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->lines_read;
}

/**
 * rc_diagnosis_get_truncated:
 * @self: a #RcDiagnosis
 *
 * Returns: whether part of the input was not read: text past
 *   %RC_DIAGNOSIS_MAX_TEXT, or the ends of lines past %RC_DIAGNOSIS_MAX_LINE
 */
gboolean
rc_diagnosis_get_truncated (const RcDiagnosis *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->truncated;
}

const char *
rc_finding_get_cause (const RcFinding *finding)
{
  g_return_val_if_fail (finding != NULL, "unknown");

  return finding->cause;
}

RcAudience
rc_finding_get_audience (const RcFinding *finding)
{
  g_return_val_if_fail (finding != NULL, RC_AUDIENCE_NONE);

  return rc_cause_get_audience (finding->cause);
}

RcConfidence
rc_finding_get_confidence (const RcFinding *finding)
{
  g_return_val_if_fail (finding != NULL, RC_CONFIDENCE_LOW);

  return finding->confidence;
}

/**
 * rc_finding_get_evidence:
 * @finding: a finding
 *
 * Returns: (transfer none) (array zero-terminated=1): up to
 *   %RC_DIAGNOSIS_MAX_EVIDENCE redacted lines, the first seen first
 */
const char * const *
rc_finding_get_evidence (const RcFinding *finding)
{
  g_return_val_if_fail (finding != NULL, NULL);

  return (const char * const *) finding->evidence->pdata;
}

/**
 * rc_finding_get_count:
 * @finding: a finding
 *
 * Returns: how many lines (or errors) showed the cause
 */
guint64
rc_finding_get_count (const RcFinding *finding)
{
  g_return_val_if_fail (finding != NULL, 0);

  return finding->count;
}

/**
 * rc_finding_get_first_seen:
 * @finding: a finding
 *
 * Returns: (transfer none) (nullable): the time of the first line that
 *   showed the cause, when the line had one
 */
GDateTime *
rc_finding_get_first_seen (const RcFinding *finding)
{
  g_return_val_if_fail (finding != NULL, NULL);

  return finding->first_seen;
}

/**
 * rc_finding_get_last_seen:
 * @finding: a finding
 *
 * Returns: (transfer none) (nullable): the time of the last line that
 *   showed the cause, when the line had one
 */
GDateTime *
rc_finding_get_last_seen (const RcFinding *finding)
{
  g_return_val_if_fail (finding != NULL, NULL);

  return finding->last_seen;
}
