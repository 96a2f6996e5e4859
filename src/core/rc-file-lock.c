/* rc-file-lock.c: one process at a time, across processes
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An advisory flock(2) on a file.  The window, the command line and the
 * monitor each take it around what must not interleave between processes:
 * the renewal of one account's sign-in (read the keyring, renew, write the
 * rotated token back) and a change to accounts.ini (read, merge, write).
 * The kernel drops the lock when its holder exits or crashes, so a lock is
 * never left behind.  Waiting polls with LOCK_NB, in a worker thread for
 * the async form, so the caller can cancel and a deadline holds.
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "rc-file-lock.h"

#define POLL_INTERVAL_US (10 * 1000)

struct _RcFileLock
{
  int   fd;
  char *path;
};

/**
 * rc_file_lock_acquire:
 * @path: the lock file; its folder is made if need be
 * @timeout_ms: how long to wait for another holder
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Blocks, at most @timeout_ms; for the command line, a worker thread, or a
 * lock that is only ever held for the length of a file write.
 *
 * Returns: (transfer full) (nullable): the lock, held until released
 */
RcFileLock *
rc_file_lock_acquire (const char    *path,
                      guint          timeout_ms,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autofree char *dir = NULL;
  gint64 deadline;
  RcFileLock *lock;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);

  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not create the folder %s: %s"), dir, g_strerror (saved_errno));
      return NULL;
    }

  fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not open the lock file %s: %s"), path, g_strerror (saved_errno));
      return NULL;
    }

  deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  while (flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      int saved_errno = errno;

      if (saved_errno != EWOULDBLOCK && saved_errno != EINTR)
        {
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       _("Could not lock %s: %s"), path, g_strerror (saved_errno));
          close (fd);
          return NULL;
        }
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          close (fd);
          return NULL;
        }
      if (g_get_monotonic_time () >= deadline)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                       _("Another Reconnect (the window or a command) kept %s busy for too long. Try again."),
                       path);
          close (fd);
          return NULL;
        }
      g_usleep (POLL_INTERVAL_US);
    }

  lock = g_new0 (RcFileLock, 1);
  lock->fd = fd;
  lock->path = g_strdup (path);
  return lock;
}

typedef struct
{
  char  *path;
  guint  timeout_ms;
} Acquire;

static void
acquire_free (Acquire *acquire)
{
  g_free (acquire->path);
  g_free (acquire);
}

static void
acquire_in_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  Acquire *acquire = task_data;
  GError *error = NULL;
  RcFileLock *lock = rc_file_lock_acquire (acquire->path, acquire->timeout_ms, cancellable, &error);

  if (lock == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, lock, (GDestroyNotify) rc_file_lock_release);
}

/**
 * rc_file_lock_acquire_async:
 * @path: the lock file
 * @timeout_ms: how long to wait for another holder
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the lock
 * @user_data: data for @callback
 *
 * Waits for the lock in a worker thread: the main loop goes on meanwhile.
 */
void
rc_file_lock_acquire_async (const char          *path,
                            guint                timeout_ms,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  Acquire *acquire = g_new0 (Acquire, 1);

  g_return_if_fail (path != NULL);

  g_task_set_source_tag (task, rc_file_lock_acquire_async);
  acquire->path = g_strdup (path);
  acquire->timeout_ms = timeout_ms;
  g_task_set_task_data (task, acquire, (GDestroyNotify) acquire_free);
  g_task_run_in_thread (task, acquire_in_thread);
}

/**
 * rc_file_lock_acquire_finish:
 *
 * Returns: (transfer full) (nullable): the lock
 */
RcFileLock *
rc_file_lock_acquire_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * rc_file_lock_release:
 * @lock: (nullable): a lock
 *
 * Lets the next process in.  The file stays: removing it would let two
 * processes lock two different files of the same name.
 */
void
rc_file_lock_release (RcFileLock *lock)
{
  if (lock == NULL)
    return;

  flock (lock->fd, LOCK_UN);
  close (lock->fd);
  g_free (lock->path);
  g_free (lock);
}

/**
 * rc_file_lock_path_for_key:
 * @key: an account's keyring key
 *
 * The lock of one account's renewals, in the user's runtime folder.  The
 * name is a digest of @key, so no key, whatever it holds, names a path
 * outside that folder.
 *
 * Returns: (transfer full): the path
 */
char *
rc_file_lock_path_for_key (const char *key)
{
  g_autofree char *digest = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (key != NULL, NULL);

  digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, key, -1);
  name = g_strconcat (digest, ".lock", NULL);
  return g_build_filename (g_get_user_runtime_dir (), "reconnect", "renewals", name, NULL);
}
