/* measure.c: run one command and say what it cost
 *
 * Copyright 2026 The Reconnect developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   measure [--ready LINE] [--settle S] [--idle S [--samples N]] [--timeout S] -- COMMAND [ARG...]
 *
 * Without --ready: the wall time from fork to exit and the peak RSS
 * (ru_maxrss from wait4).  With --ready: the wall time until COMMAND prints
 * LINE on standard output; then, with --idle, it waits --settle seconds and
 * counts the CPU time and the wake-ups (context switches of every thread)
 * over --idle seconds, cut in --samples intervals; then it stops COMMAND
 * with SIGTERM.  One line on standard output, key=value pairs (a list per
 * interval for the idle figures), for bench/run to read.
 *
 * No package beyond libc: no /usr/bin/time, no perf.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_TASKS 256

static volatile sig_atomic_t alarmed;
static pid_t child;

typedef struct
{
  int           n;
  int           tid[MAX_TASKS];
  unsigned long switches[MAX_TASKS];
} Tasks;

static double
now_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void
on_alarm (int signum)
{
  alarmed = 1;
  kill (child, SIGKILL);
}

static void
usage (void)
{
  fprintf (stderr, "usage: measure [--ready LINE] [--settle S] [--idle S [--samples N]] [--timeout S] -- COMMAND [ARG...]\n");
  exit (64);
}

/* utime + stime of the whole process, dead threads included, in ms. */
static double
cpu_ms (pid_t pid)
{
  char path[64], buf[4096];
  unsigned long utime = 0, stime = 0;
  char *p;
  FILE *f;
  size_t n;

  snprintf (path, sizeof path, "/proc/%d/stat", (int) pid);
  if ((f = fopen (path, "r")) == NULL)
    return -1;
  n = fread (buf, 1, sizeof buf - 1, f);
  fclose (f);
  buf[n] = '\0';
  /* The command name may hold spaces: the fields start after its ')'. */
  if ((p = strrchr (buf, ')')) == NULL ||
      sscanf (p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime, &stime) != 2)
    return -1;
  return (utime + stime) * 1e3 / sysconf (_SC_CLK_TCK);
}

static long
status_kb (pid_t       pid,
           int         tid,
           const char *key)
{
  char path[96], line[256];
  size_t len = strlen (key);
  long value = -1;
  FILE *f;

  if (tid > 0)
    snprintf (path, sizeof path, "/proc/%d/task/%d/status", (int) pid, tid);
  else
    snprintf (path, sizeof path, "/proc/%d/status", (int) pid);
  if ((f = fopen (path, "r")) == NULL)
    return -1;
  while (fgets (line, sizeof line, f) != NULL)
    if (strncmp (line, key, len) == 0 && line[len] == ':')
      {
        value = strtol (line + len + 1, NULL, 10);
        break;
      }
  fclose (f);
  return value;
}

/* Every context switch of every thread is one wake-up of that thread. */
static void
tasks_sample (pid_t  pid,
              Tasks *tasks)
{
  char path[64];
  struct dirent *entry;
  DIR *dir;

  tasks->n = 0;
  snprintf (path, sizeof path, "/proc/%d/task", (int) pid);
  if ((dir = opendir (path)) == NULL)
    return;
  while ((entry = readdir (dir)) != NULL && tasks->n < MAX_TASKS)
    {
      int tid = atoi (entry->d_name);
      long voluntary, involuntary;

      if (tid <= 0)
        continue;
      voluntary = status_kb (pid, tid, "voluntary_ctxt_switches");
      involuntary = status_kb (pid, tid, "nonvoluntary_ctxt_switches");
      if (voluntary < 0 || involuntary < 0)
        continue;
      tasks->tid[tasks->n] = tid;
      tasks->switches[tasks->n] = voluntary + involuntary;
      tasks->n++;
    }
  closedir (dir);
}

/* Threads that ended in between are lost; new ones count from zero. */
static unsigned long
tasks_wakeups (const Tasks *before,
               const Tasks *after)
{
  unsigned long total = 0;

  for (int i = 0; i < after->n; i++)
    {
      unsigned long start = 0;

      for (int j = 0; j < before->n; j++)
        if (before->tid[j] == after->tid[i])
          start = before->switches[j];
      if (after->switches[i] >= start)
        total += after->switches[i] - start;
    }
  return total;
}

static void
sleep_ms (double ms)
{
  struct timespec ts = { (time_t) (ms / 1e3), (long) ((ms - (time_t) (ms / 1e3) * 1e3) * 1e6) };

  while (nanosleep (&ts, &ts) < 0 && errno == EINTR)
    ;
}

/* SAMPLES back-to-back intervals over IDLE seconds: per interval, the CPU
 * time in ms, the wake-ups per minute and the RSS at its end, in kB. */
static void
measure_idle (pid_t  pid,
              double settle,
              double idle,
              int    samples)
{
  const char *names[] = { "cpu_ms", "wakeups_per_min", "idle_rss_kb" };
  double values[3][samples];
  Tasks before, after;
  double cpu_before, t0;

  sleep_ms (settle * 1e3);
  tasks_sample (pid, &before);
  cpu_before = cpu_ms (pid);
  t0 = now_ms ();
  for (int i = 0; i < samples; i++)
    {
      double cpu_after, t1;

      sleep_ms (idle * 1e3 / samples);
      tasks_sample (pid, &after);
      cpu_after = cpu_ms (pid);
      t1 = now_ms ();
      values[0][i] = cpu_after - cpu_before;
      values[1][i] = tasks_wakeups (&before, &after) * 60e3 / (t1 - t0);
      values[2][i] = status_kb (pid, 0, "VmRSS");
      before = after;
      cpu_before = cpu_after;
      t0 = t1;
    }
  for (int k = 0; k < 3; k++)
    {
      printf ("%s=", names[k]);
      for (int i = 0; i < samples; i++)
        printf ("%s%.1f", i ? "," : "", values[k][i]);
      printf (" ");
    }
}

/* Reads and drops COMMAND's output to its end.  A pipe, not /dev/null:
 * GNU grep, for one, stops at the first match when it sees /dev/null. */
static void
drain (int fd)
{
  char buf[65536];

  while (read (fd, buf, sizeof buf) > 0 || errno == EINTR)
    errno = 0;
}

/* Reads COMMAND's output until LINE; FALSE when it ended or timed out. */
static int
wait_for_line (int         fd,
               const char *ready,
               double      deadline)
{
  char buf[8192];
  size_t used = 0;

  for (;;)
    {
      struct pollfd pfd = { fd, POLLIN, 0 };
      double left = deadline - now_ms ();
      ssize_t n;
      char *nl;

      if (left <= 0 || poll (&pfd, 1, (int) left + 1) <= 0)
        return 0;
      n = read (fd, buf + used, sizeof buf - 1 - used);
      if (n <= 0)
        return 0;
      used += n;
      buf[used] = '\0';
      while ((nl = strchr (buf, '\n')) != NULL)
        {
          *nl = '\0';
          if (strcmp (buf, ready) == 0)
            return 1;
          used -= nl + 1 - buf;
          memmove (buf, nl + 1, used + 1);
        }
      if (used == sizeof buf - 1)
        used = 0;
    }
}

int
main (int    argc,
      char **argv)
{
  const char *ready = NULL;
  double settle = 0, idle = 0, timeout = 60;
  int samples = 1;
  double start, ready_ms = 0, end;
  int pipefd[2] = { -1, -1 };
  int status = 0, i, timed_out = 0;
  struct rusage usage_info;
  pid_t pid;

  for (i = 1; i < argc && strcmp (argv[i], "--") != 0; i++)
    {
      if (i + 1 >= argc)
        usage ();
      if (strcmp (argv[i], "--ready") == 0)
        ready = argv[++i];
      else if (strcmp (argv[i], "--settle") == 0)
        settle = atof (argv[++i]);
      else if (strcmp (argv[i], "--idle") == 0)
        idle = atof (argv[++i]);
      else if (strcmp (argv[i], "--timeout") == 0)
        timeout = atof (argv[++i]);
      else if (strcmp (argv[i], "--samples") == 0)
        samples = atoi (argv[++i]) > 0 ? atoi (argv[i]) : 1;
      else
        usage ();
    }
  if (i + 1 >= argc)
    usage ();
  argv += i + 1;

  if (pipe (pipefd) < 0)
    {
      perror ("measure: pipe");
      return 1;
    }

  start = now_ms ();
  pid = fork ();
  if (pid < 0)
    {
      perror ("measure: fork");
      return 1;
    }
  if (pid == 0)
    {
      dup2 (pipefd[1], STDOUT_FILENO);
      close (pipefd[0]);
      close (pipefd[1]);
      execvp (argv[0], argv);
      fprintf (stderr, "measure: cannot run %s: %s\n", argv[0], strerror (errno));
      _exit (127);
    }

  close (pipefd[1]);
  if (ready == NULL)
    drain (pipefd[0]);
  else
    {
      if (!wait_for_line (pipefd[0], ready, start + timeout * 1e3))
        {
          fprintf (stderr, "measure: %s did not print \"%s\" within %g s\n", argv[0], ready, timeout);
          kill (pid, SIGKILL);
          wait4 (pid, &status, 0, &usage_info);
          return 1;
        }
      ready_ms = now_ms () - start;

      if (idle > 0)
        measure_idle (pid, settle, idle, samples);
      kill (pid, SIGTERM);
    }

  /* A blocking wait, so the clock stops when COMMAND does; an alarm ends a
   * COMMAND that hangs. */
  child = pid;
  signal (SIGALRM, on_alarm);
  alarm ((unsigned) timeout + 1);
  while (wait4 (pid, &status, 0, &usage_info) < 0)
    if (errno != EINTR)
      {
        perror ("measure: wait4");
        return 1;
      }
  alarm (0);
  timed_out = alarmed;
  end = now_ms ();

  printf ("wall_ms=%.3f rss_kb=%ld status=%d\n",
          ready != NULL ? ready_ms : end - start,
          usage_info.ru_maxrss,
          WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status));
  if (timed_out)
    fprintf (stderr, "measure: %s took longer than %g s and was killed\n", argv[0], timeout);
  return timed_out;
}
