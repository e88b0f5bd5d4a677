/*
 * roam-executor: the per-task supervisor shim behind Roam's process drivers (raw_exec).
 *
 * It owns one task process for its whole life so the task outlives the agent that started it
 * (Nomad uses an executor plugin process plus a logmon process for the same job). The agent
 * starts it detached (its own session), reads one startup line from its stdout, and may die at
 * any time afterwards without affecting the task. What it promises:
 *   - the task runs in its own process group (pgid == task pid), optionally as another user,
 *     in the given working directory, with the shim's own environment (the agent passes the task
 *     environment as the shim's), stdin from /dev/null;
 *   - its stdout/stderr go through pipes into <logdir>/<task>.stdout.<N> / .stderr.<N> with
 *     Nomad's rotation (rotate at the size limit, keep max files, newest has the highest index,
 *     lines are not split when avoidable), also while the agent is down;
 *   - the task's exit status is written atomically (write temp, fsync, rename) to the exit file
 *     as one JSON object, even while the agent is down;
 *   - a state file with the shim's and the task's PIDs and start times is written at start.
 * It must never exit before the task has exited, and never signal the task itself: stopping and
 * signalling is the agent's job (it signals the process group directly).
 *
 * Usage:
 *   roam-executor -S STATE -x EXIT [-t TASK -l LOGDIR -n MAXFILES -s MAXBYTES]
 *                 [-d WORKDIR] [-u USER] [-o OOM_SCORE_ADJ] -- COMMAND [ARG...]
 *   roam-executor -R -- COMMAND [ARG...]   (reaper: run COMMAND as a child subreaper and reap
 *                                            every orphan until none is left; for tests and for
 *                                            containers whose PID 1 does not reap)
 * Startup line on stdout: "ok <shim pid> <task pid> <task start ticks>\n" or "error <message>\n"
 * (then exit 1). After the task's exit status is written, "exited\n" is written to stdout
 * (ignored if the agent is gone) and stdout is closed.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define READ_BUF (64 * 1024)
#define LINE_HOLD (32 * 1024)   /* longest partial line held back to avoid splitting it */
#define HOLD_MS 100             /* how long a partial line is held before it is written anyway */

/* ---- small helpers ------------------------------------------------------------------------- */

static int write_all(int fd, const char *buf, size_t len) {
  while (len > 0) {
    ssize_t n = write(fd, buf, len);
    if (n < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    buf += n;
    len -= (size_t)n;
  }
  return 0;
}

static long long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static long long mono_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Field 22 of /proc/<pid>/stat: start time in clock ticks since boot (guards against PID reuse). */
static unsigned long long proc_start_ticks(pid_t pid) {
  char path[64], buf[1024];
  snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0) return 0;
  buf[n] = 0;
  char *p = strrchr(buf, ')'); /* comm may contain spaces and parentheses */
  if (!p) return 0;
  p++;
  /* after ')' come fields 3.. ; start time is field 22, i.e. the 20th field after comm */
  for (int field = 3; field < 22 && p; field++) p = strchr(p + 1, ' ');
  return p ? strtoull(p + 1, NULL, 10) : 0;
}

static long long vmstat_oom_kills(void) {
  FILE *f = fopen("/proc/vmstat", "re");
  if (!f) return -1;
  char key[64];
  long long v, out = -1;
  while (fscanf(f, "%63s %lld", key, &v) == 2) {
    if (strcmp(key, "oom_kill") == 0) { out = v; break; }
  }
  fclose(f);
  return out;
}

/* Writes `content` to `path` atomically: a temp file beside it, fsync, rename. */
static int write_atomic(const char *path, const char *content) {
  char tmp[PATH_MAX];
  if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp) return -1;
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return -1;
  int rc = write_all(fd, content, strlen(content));
  if (rc == 0) rc = fsync(fd);
  close(fd);
  if (rc == 0) rc = rename(tmp, path);
  if (rc != 0) unlink(tmp);
  return rc;
}

/* Minimal JSON string escaping for paths and messages. */
static void json_str(char *out, size_t cap, const char *s) {
  size_t o = 0;
  if (cap < 3) return;
  out[o++] = '"';
  for (; *s && o + 8 < cap; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\') { out[o++] = '\\'; out[o++] = (char)c; }
    else if (c < 0x20) o += (size_t)snprintf(out + o, cap - o, "\\u%04x", c);
    else out[o++] = (char)c;
  }
  out[o++] = '"';
  out[o] = 0;
}

/* ---- log rotation (Nomad's FileRotator) ------------------------------------------------------ */

struct rotator {
  const char *dir;
  char base[PATH_MAX];  /* "<task>.stdout" */
  int fd;
  int idx;
  long long size;
  long long limit;
  int max_files;
};

static int rot_open(struct rotator *r) {
  char path[PATH_MAX];
  if (snprintf(path, sizeof path, "%s/%s.%d", r->dir, r->base, r->idx) >= (int)sizeof path) {
    errno = ENAMETOOLONG;
    return -1;
  }
  r->fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (r->fd < 0) return -1;
  struct stat st;
  r->size = fstat(r->fd, &st) == 0 ? (long long)st.st_size : 0;
  return 0;
}

/* Removes files whose index is older than the newest max_files. */
static void rot_purge(struct rotator *r) {
  DIR *d = opendir(r->dir);
  if (!d) return;
  size_t blen = strlen(r->base);
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (strncmp(e->d_name, r->base, blen) != 0 || e->d_name[blen] != '.') continue;
    char *end;
    long i = strtol(e->d_name + blen + 1, &end, 10);
    if (*end != 0 || end == e->d_name + blen + 1) continue;
    if (i <= r->idx - r->max_files) {
      char path[PATH_MAX];
      if (snprintf(path, sizeof path, "%s/%s", r->dir, e->d_name) < (int)sizeof path) unlink(path);
    }
  }
  closedir(d);
}

/* Continues the highest existing index, as Nomad does after a restart of logmon. */
static int rot_init(struct rotator *r, const char *dir, const char *task, const char *stream,
                    long long limit, int max_files) {
  r->dir = dir;
  snprintf(r->base, sizeof r->base, "%s.%s", task, stream);
  r->limit = limit;
  r->max_files = max_files;
  r->idx = 0;
  DIR *d = opendir(dir);
  if (d) {
    size_t blen = strlen(r->base);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
      if (strncmp(e->d_name, r->base, blen) != 0 || e->d_name[blen] != '.') continue;
      char *end;
      long i = strtol(e->d_name + blen + 1, &end, 10);
      if (*end == 0 && end != e->d_name + blen + 1 && i > r->idx && i < INT_MAX) r->idx = (int)i;
    }
    closedir(d);
  }
  return rot_open(r);
}

static void rot_rotate(struct rotator *r) {
  if (r->fd >= 0) close(r->fd);
  r->idx++;
  if (rot_open(r) != 0) r->fd = -1;
  rot_purge(r);
}

static void rot_write(struct rotator *r, const char *buf, size_t len) {
  while (len > 0) {
    if (r->fd < 0) return;
    long long room = r->limit - r->size;
    if ((long long)len <= room) {
      if (write_all(r->fd, buf, len) == 0) r->size += (long long)len;
      return;
    }
    size_t take = 0;
    if (room > 0) {
      /* Prefer to end this file at a line boundary within the room left (scan back ≤ 32 KiB). */
      size_t lo = room > LINE_HOLD ? (size_t)room - LINE_HOLD : 0;
      for (size_t i = (size_t)room; i > lo; i--) {
        if (buf[i - 1] == '\n') { take = i; break; }
      }
      if (take == 0 && r->size == 0) take = (size_t)room; /* a line longer than a file: split */
    }
    if (take > 0) {
      if (write_all(r->fd, buf, take) == 0) r->size += (long long)take;
      buf += take;
      len -= take;
    }
    rot_rotate(r);
  }
}

/* One captured stream: pipe read end, rotator, and a held-back partial line. */
struct stream {
  int fd;
  struct rotator rot;
  char hold[LINE_HOLD];
  size_t held;
  long long held_since;
};

static void stream_flush(struct stream *s) {
  if (s->held > 0) rot_write(&s->rot, s->hold, s->held);
  s->held = 0;
}

/* Writes whole lines at once; keeps a trailing partial line back (briefly) so that a rotation
 * does not cut it in two. */
static void stream_data(struct stream *s, const char *buf, size_t len) {
  const char *nl = memrchr(buf, '\n', len);
  if (!nl) {
    if (s->held + len > sizeof s->hold) { stream_flush(s); rot_write(&s->rot, buf, len); return; }
    if (s->held == 0) s->held_since = mono_ms();
    memcpy(s->hold + s->held, buf, len);
    s->held += len;
    return;
  }
  size_t upto = (size_t)(nl - buf) + 1;
  if (s->held > 0) {
    if (s->held + upto <= sizeof s->hold) {
      memcpy(s->hold + s->held, buf, upto);
      s->held += upto;
      stream_flush(s);
    } else {
      stream_flush(s);
      rot_write(&s->rot, buf, upto);
    }
  } else {
    rot_write(&s->rot, buf, upto);
  }
  size_t rest = len - upto;
  if (rest > 0) {
    if (rest > sizeof s->hold) { rot_write(&s->rot, buf + upto, rest); return; }
    memcpy(s->hold, buf + upto, rest);
    s->held = rest;
    s->held_since = mono_ms();
  }
}

/* Reads what is available; returns 0 on EOF/error (the stream is then closed), 1 otherwise. */
static char readbuf[READ_BUF];
static int stream_read(struct stream *s) {
  for (;;) {
    ssize_t n = read(s->fd, readbuf, sizeof readbuf);
    if (n > 0) { stream_data(s, readbuf, (size_t)n); if ((size_t)n < sizeof readbuf) return 1; continue; }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return 1;
    stream_flush(s);
    close(s->fd);
    s->fd = -1;
    return 0;
  }
}

/* ---- startup reporting ----------------------------------------------------------------------- */

__attribute__((noreturn, format(printf, 1, 2)))
static void fail(const char *fmt, ...) {
  char msg[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  for (char *p = msg; *p; p++) if (*p == '\n') *p = ' ';
  dprintf(STDOUT_FILENO, "error %s\n", msg);
  _exit(1);
}

/* What the task child reports through its close-on-exec pipe when it cannot exec. */
struct child_err {
  int stage; /* 1 workdir, 2 user, 3 exec, 4 oom_score_adj */
  int err;
};

static void child_fail(int fd, int stage, int err) {
  struct child_err ce = {stage, err};
  if (write(fd, &ce, sizeof ce) < 0) { /* nothing left to tell anyone */ }
  _exit(127);
}

/* ---- reaper mode ----------------------------------------------------------------------------- */

static int run_reaper(char **argv) {
  prctl(PR_SET_CHILD_SUBREAPER, 1);
  pid_t child = fork();
  if (child < 0) { perror("fork"); return 1; }
  if (child == 0) {
    execvp(argv[0], argv);
    perror(argv[0]);
    _exit(127);
  }
  int code = 0, st;
  pid_t p;
  while ((p = waitpid(-1, &st, 0)) != -1 || errno == EINTR) {
    if (p == child) code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  }
  return code;
}

/* ---- main ------------------------------------------------------------------------------------ */

static int sigchld_pipe[2] = {-1, -1};
static void on_sigchld(int sig) {
  (void)sig;
  int saved = errno;
  if (write(sigchld_pipe[1], "c", 1) < 0) { /* pipe full: a wakeup is already pending */ }
  errno = saved;
}

__attribute__((noreturn))
static void usage(void) {
  fail("usage: roam-executor -S STATE -x EXIT [-t TASK -l LOGDIR -n MAXFILES -s MAXBYTES] "
       "[-d WORKDIR] [-u USER] [-o OOM_SCORE_ADJ] -- COMMAND [ARG...]");
}

int main(int argc, char **argv) {
  const char *state_path = NULL, *exit_path = NULL, *task = NULL, *log_dir = NULL;
  const char *work_dir = NULL, *user = NULL, *oom_adj = NULL;
  long long max_bytes = 10LL * 1024 * 1024;
  int max_files = 10, reaper = 0, opt;

  while ((opt = getopt(argc, argv, "+S:x:t:l:n:s:d:u:o:R")) != -1) {
    switch (opt) {
      case 'S': state_path = optarg; break;
      case 'x': exit_path = optarg; break;
      case 't': task = optarg; break;
      case 'l': log_dir = optarg; break;
      case 'n': max_files = atoi(optarg); break;
      case 's': max_bytes = atoll(optarg); break;
      case 'd': work_dir = optarg; break;
      case 'u': user = optarg; break;
      case 'o': oom_adj = optarg; break;
      case 'R': reaper = 1; break;
      default: usage();
    }
  }
  if (optind >= argc) usage();
  char **cmd = argv + optind;
  if (reaper) return run_reaper(cmd);
  if (!state_path || !exit_path) usage();
  if (log_dir && !task) usage();
  if (max_files < 1) max_files = 1;
  if (max_bytes < 1) max_bytes = 1;

  signal(SIGPIPE, SIG_IGN);
  signal(SIGHUP, SIG_IGN);
  signal(SIGINT, SIG_IGN);
  if (getsid(0) != getpid()) setsid(); /* the agent normally starts us in a new session already */

  /* Resolve the user before forking so that errors are reported on the startup line. */
  struct passwd *pw = NULL;
  if (user && *user) {
    errno = 0;
    pw = getpwnam(user);
    if (!pw) fail("failed to look up user %s: %s", user, errno ? strerror(errno) : "no such user");
  }

  struct stream out = {.fd = -1}, err = {.fd = -1};
  int out_w = -1, err_w = -1;
  if (log_dir) {
    if (rot_init(&out.rot, log_dir, task, "stdout", max_bytes, max_files) != 0 ||
        rot_init(&err.rot, log_dir, task, "stderr", max_bytes, max_files) != 0)
      fail("failed to open log files in %s: %s", log_dir, strerror(errno));
    int p1[2], p2[2];
    if (pipe2(p1, O_CLOEXEC) != 0 || pipe2(p2, O_CLOEXEC) != 0) fail("pipe: %s", strerror(errno));
    out.fd = p1[0]; out_w = p1[1];
    err.fd = p2[0]; err_w = p2[1];
    fcntl(out.fd, F_SETFL, O_NONBLOCK);
    fcntl(err.fd, F_SETFL, O_NONBLOCK);
  }

  if (pipe2(sigchld_pipe, O_CLOEXEC | O_NONBLOCK) != 0) fail("pipe: %s", strerror(errno));
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_sigchld;
  sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
  sigaction(SIGCHLD, &sa, NULL);

  int errpipe[2];
  if (pipe2(errpipe, O_CLOEXEC) != 0) fail("pipe: %s", strerror(errno));
  long long oom_before = vmstat_oom_kills();
  long long started_at = now_ms();

  pid_t child = fork();
  if (child < 0) fail("fork: %s", strerror(errno));
  if (child == 0) {
    close(errpipe[0]);
    setpgid(0, 0);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    signal(SIGPIPE, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    signal(SIGCHLD, SIG_DFL);
    int devnull = open("/dev/null", O_RDWR);
    dup2(devnull, STDIN_FILENO);
    dup2(out_w >= 0 ? out_w : devnull, STDOUT_FILENO);
    dup2(err_w >= 0 ? err_w : devnull, STDERR_FILENO);
    if (devnull > STDERR_FILENO) close(devnull);
    if (oom_adj) {
      int fd = open("/proc/self/oom_score_adj", O_WRONLY);
      if (fd < 0 || write_all(fd, oom_adj, strlen(oom_adj)) != 0) child_fail(errpipe[1], 4, errno);
      close(fd);
    }
    if (work_dir && chdir(work_dir) != 0) child_fail(errpipe[1], 1, errno);
    if (pw) {
      if (initgroups(pw->pw_name, pw->pw_gid) != 0 || setgid(pw->pw_gid) != 0 || setuid(pw->pw_uid) != 0)
        child_fail(errpipe[1], 2, errno);
    }
    execv(cmd[0], cmd);
    child_fail(errpipe[1], 3, errno);
  }
  setpgid(child, child); /* both sides, so the group exists before either proceeds */
  close(errpipe[1]);
  if (out_w >= 0) close(out_w);
  if (err_w >= 0) close(err_w);

  struct child_err ce;
  ssize_t got;
  do got = read(errpipe[0], &ce, sizeof ce); while (got < 0 && errno == EINTR);
  close(errpipe[0]);
  if (got == (ssize_t)sizeof ce) {
    waitpid(child, NULL, 0);
    switch (ce.stage) {
      case 1: fail("failed to change to work_dir %s: %s", work_dir, strerror(ce.err));
      case 2: fail("failed to switch to user %s: %s", user, strerror(ce.err));
      case 4: fail("failed to set oom_score_adj: %s", strerror(ce.err));
      default: fail("failed to launch command: %s: %s", cmd[0], strerror(ce.err));
    }
  }

  unsigned long long task_start = proc_start_ticks(child);
  char esc_exit[PATH_MAX * 2], state[PATH_MAX * 3];
  json_str(esc_exit, sizeof esc_exit, exit_path);
  snprintf(state, sizeof state,
           "{\"version\":1,\"executorPid\":%d,\"executorStartTicks\":%llu,\"taskPid\":%d,"
           "\"taskStartTicks\":%llu,\"startedAt\":%lld,\"exitFile\":%s}\n",
           (int)getpid(), proc_start_ticks(getpid()), (int)child, task_start, started_at, esc_exit);
  if (write_atomic(state_path, state) != 0) {
    kill(-child, SIGKILL);
    waitpid(child, NULL, 0);
    fail("failed to write state file %s: %s", state_path, strerror(errno));
  }
  dprintf(STDOUT_FILENO, "ok %d %d %llu\n", (int)getpid(), (int)child, task_start);

  /* The shim is now independent of the agent: no working directory pin, no inherited stderr. */
  if (chdir("/") != 0) { /* not fatal */ }
  int devnull = open("/dev/null", O_RDWR);
  if (devnull >= 0) { dup2(devnull, STDIN_FILENO); dup2(devnull, STDERR_FILENO); close(devnull); }

  int exited = 0, status = 0;
  long long completed_at = 0;
  for (;;) {
    if (!exited) {
      pid_t p = waitpid(child, &status, WNOHANG);
      if (p == child) {
        exited = 1;
        completed_at = now_ms();
        /* Take what the task wrote before it died, then record the status. */
        if (out.fd >= 0) stream_read(&out);
        if (err.fd >= 0) stream_read(&err);
        stream_flush(&out);
        stream_flush(&err);
        int code = 0, sig = 0, oom = 0;
        if (WIFEXITED(status)) code = WEXITSTATUS(status);
        else if (WIFSIGNALED(status)) {
          sig = WTERMSIG(status);
          code = 128 + sig; /* as Nomad's executor reports a signalled task */
          long long oom_after = vmstat_oom_kills();
          oom = sig == SIGKILL && oom_before >= 0 && oom_after > oom_before;
        }
        char body[512];
        snprintf(body, sizeof body,
                 "{\"version\":1,\"taskPid\":%d,\"taskStartTicks\":%llu,\"exitCode\":%d,\"signal\":%d,"
                 "\"oomKilled\":%s,\"startedAt\":%lld,\"completedAt\":%lld}\n",
                 (int)child, task_start, code, sig, oom ? "true" : "false", started_at, completed_at);
        if (write_atomic(exit_path, body) != 0) {
          /* Nothing better to do: the agent will see the shim gone without a status. */
        }
        if (write_all(STDOUT_FILENO, "exited\n", 7) != 0) { /* the agent is gone; fine */ }
        int dn = open("/dev/null", O_WRONLY);
        if (dn >= 0) { dup2(dn, STDOUT_FILENO); close(dn); }
      }
    }
    /* Keep collecting output while anything (the task or processes it left behind) holds the
     * pipes open; leave once the task has exited and the pipes are closed. */
    if (exited && out.fd < 0 && err.fd < 0) break;

    struct pollfd fds[3];
    int nf = 0;
    fds[nf++] = (struct pollfd){.fd = sigchld_pipe[0], .events = POLLIN};
    int io = nf;
    if (out.fd >= 0) fds[nf++] = (struct pollfd){.fd = out.fd, .events = POLLIN};
    if (err.fd >= 0) fds[nf++] = (struct pollfd){.fd = err.fd, .events = POLLIN};
    int timeout = -1;
    long long now = mono_ms();
    struct stream *ss[2] = {&out, &err};
    for (int i = 0; i < 2; i++) {
      if (ss[i]->held == 0) continue;
      long long left = ss[i]->held_since + HOLD_MS - now;
      if (left <= 0) { stream_flush(ss[i]); continue; }
      if (timeout < 0 || left < timeout) timeout = (int)left;
    }
    int n = poll(fds, (nfds_t)nf, timeout);
    if (n < 0 && errno != EINTR) break;
    if (n <= 0) continue;
    if (fds[0].revents) { char drain[64]; while (read(sigchld_pipe[0], drain, sizeof drain) > 0) {} }
    for (int i = io; i < nf; i++) {
      if (!fds[i].revents) continue;
      if (fds[i].fd == out.fd) stream_read(&out);
      else if (fds[i].fd == err.fd) stream_read(&err);
    }
  }
  if (out.rot.fd >= 0 && log_dir) close(out.rot.fd);
  if (err.rot.fd >= 0 && log_dir) close(err.rot.fd);
  return 0;
}
