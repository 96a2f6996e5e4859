/* rc-local-file.c: reading a file that someone else may have made
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Accounts files, an administrator's provisioning files and logs dropped on
 * Explain come from outside the program.  What is read must be a regular
 * file (a FIFO without a writer would block for ever, /dev/zero never
 * ends) and, where it is read whole, of a bounded size.  The file is
 * opened without blocking and checked on the descriptor, so what is
 * checked is what is read.
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gio/gunixinputstream.h>

#include "rc-local-file.h"

static int
open_regular (const char  *path,
              struct stat *info,
              GError     **error)
{
  int fd = g_open (path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0);
  int saved_errno = errno;

  if (fd < 0)
    {
      g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved_errno), g_strerror (saved_errno));
      return -1;
    }
  if (fstat (fd, info) != 0)
    {
      saved_errno = errno;
      close (fd);
      g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved_errno), g_strerror (saved_errno));
      return -1;
    }
  if (!S_ISREG (info->st_mode))
    {
      close (fd);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                           _("it is not a regular file"));
      return -1;
    }
  /* Regular files never block; reads are plain from here on. */
  fcntl (fd, F_SETFL, fcntl (fd, F_GETFL) & ~O_NONBLOCK);
  return fd;
}

/**
 * rc_local_file_open:
 * @path: a file name
 * @error: return location for a #GError
 *
 * Opens @path for reading if it is a regular file: a FIFO, a device or a
 * directory is %G_IO_ERROR_NOT_REGULAR_FILE, and opening never blocks.
 *
 * Returns: (transfer full): a stream, or %NULL
 */
GInputStream *
rc_local_file_open (const char  *path,
                    GError     **error)
{
  struct stat info;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);

  fd = open_regular (path, &info, error);
  if (fd < 0)
    return NULL;
  return g_unix_input_stream_new (fd, TRUE);
}

/**
 * rc_local_file_read:
 * @path: a file name
 * @max_size: the largest size accepted
 * @length: (out) (optional): where to store the length read
 * @error: return location for a #GError
 *
 * Reads a regular file of at most @max_size bytes whole (a file that grows
 * past it while it is read is refused too).  A missing file is
 * %G_IO_ERROR_NOT_FOUND, a larger one %G_IO_ERROR_MESSAGE_TOO_LARGE.
 *
 * Returns: (transfer full): the contents, nul-terminated, or %NULL
 */
char *
rc_local_file_read (const char  *path,
                    gsize        max_size,
                    gsize       *length,
                    GError     **error)
{
  g_autofree char *data = NULL;
  struct stat info;
  gsize size = 0;
  gsize allocated;
  int saved_errno = 0;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);

  fd = open_regular (path, &info, error);
  if (fd < 0)
    return NULL;

  /* One byte more than allowed, to see a file that grew past it. */
  allocated = MIN ((gsize) MAX (info.st_size, 0), max_size) + 1;
  data = g_malloc (allocated + 1);
  while (size <= max_size)
    {
      gssize n;

      if (size == allocated)
        {
          allocated = MIN (allocated * 2, max_size + 1);
          data = g_realloc (data, allocated + 1);
        }
      n = read (fd, data + size, allocated - size);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        saved_errno = errno;
      if (n <= 0)
        break;
      size += n;
    }
  close (fd);

  if (saved_errno != 0)
    {
      g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved_errno), g_strerror (saved_errno));
      return NULL;
    }
  if (size > max_size)
    {
      g_autofree char *limit = g_format_size_full (max_size, G_FORMAT_SIZE_IEC_UNITS);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE, _("it is larger than %s"), limit);
      return NULL;
    }
  data[size] = '\0';
  if (length != NULL)
    *length = size;
  return g_steal_pointer (&data);
}
