/*
 * jdistcc-launch: the per-job entry point of the jdistcc client (issue 4).
 *
 * Installed as bin/distcc-fast and reached through the masquerade links. It does the least work a job
 * needs at C speed: it hands the job (argv, environment, cwd, umask, pid) to the resident jdistcc hub over
 * a Unix socket and relays the answer: stdout/stderr bytes and an exit status. Commands the hub wants run
 * on this machine (the job's preprocessor, or the whole compiler command when it must be local) it runs as
 * its own children, so stdin, the terminal and the umask behave exactly as with gcc.
 * When no hub answers it starts one in the background and runs this job through the plain JVM client
 * (bin/distcc), which works on its own; so does a job whose hub dies before answering. Nothing here
 * interprets compiler arguments: the recursion guard and usage errors are the hub's business too.
 *
 * Hand-off protocol, version 1 (all integers unsigned 32-bit big-endian):
 *   request : "JDL1" argc {len bytes}*argc envc {len bytes}*envc len cwd len argv0 umask pid
 *             (pid: this launcher's process id, which names the job's monitor record and log lines)
 *   response: frames of 1 type byte, u32 len, len bytes:
 *             'O' bytes for stdout, 'E' bytes for stderr, 'X' exit status (len 4),
 *             'L' run locally: NUL-terminated items: "K=V" environment settings, an empty item, then argv
 *             'P' run a preprocessor: like 'L' but with the output file between the empty item and argv
 *             'Q' run a preprocessor with its stderr captured: laid out like 'P'
 *   The launcher buffers 'O' and 'E' and prints them on 'X', 'L', 'P' or 'Q', so a hub that dies mid-answer
 *   never leaves half an answer printed. On 'L' and 'P' it runs the command as its child and sends back
 *   'l' or 'p' and the u32 exit code (128+signal), then reads on (the hub still sends the job's last
 *   words and 'X'). 'L' (a job that must run here, or a fallback) keeps this process's stdin, stdout and
 *   stderr; 'P' (the preprocessor of a distributed job: a child of this small process costs far less than
 *   one of a JVM) gets stdin from /dev/null and stdout to the named file. While a child runs, the hub keeps
 *   the job's slot locked, and termination signals sent to the launcher are passed on to the child.
 *   'Q' (a partial, directives-only cpp the hub may replace by a full one) runs like 'P' but with stderr
 *   captured in memory; the answer is 'q', u32 len, then u32 exit code, u32 flags and the captured stderr.
 *   Flag 1: the output names __DATE__, __TIME__ or __TIMESTAMP__, which only this machine's clock may
 *   expand. The request's environment carries one extra item, "=features=cpp-capture", which tells
 *   the hub this launcher understands 'Q' (a hub that does not know it skips items that start with '=').
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static char home[PATH_MAX];   /* the distribution directory: dirname(dirname(realpath(self))) */

#include "launch-io.h"
#include "clock-scan.h"

static void socket_path(char *out, size_t len)
{
    const char *s = getenv("JDISTCC_HUB_SOCKET");
    if (s && *s) {
        snprintf(out, len, "%s", s);
        return;
    }
    const char *dir = getenv("DISTCC_DIR");
    if (dir && *dir)
        snprintf(out, len, "%s/jdistcc/hub.sock", dir);
    else
        snprintf(out, len, "%s/.distcc/jdistcc/hub.sock", getenv("HOME") ? getenv("HOME") : "/tmp");
}

static int connect_hub(const char *path)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    if (strlen(path) >= sizeof addr.sun_path)
        return -1;
    strcpy(addr.sun_path, path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* mkdir -p for the socket's directory (mode 0700: the socket is per user). */
static void make_parent_dirs(const char *path)
{
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir)
        return;
    *slash = '\0';
    for (char *p = dir + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            mkdir(dir, 0700);
            *p = '/';
        }
    }
    mkdir(dir, 0700);
}

/* Starts the hub in the background unless another job did so in the last 20 seconds. */
static void start_hub(const char *sock)
{
    char marker[PATH_MAX + 16], hub[PATH_MAX + 32];
    struct stat st;
    if (getenv("JDISTCC_NO_HUB"))
        return;
    make_parent_dirs(sock);
    snprintf(marker, sizeof marker, "%s.starting", sock);
    if (stat(marker, &st) == 0 && time(NULL) - st.st_mtime < 20)
        return;
    int m = open(marker, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (m < 0)
        return;
    close(m);
    snprintf(hub, sizeof hub, "%s/bin/jdistcc-hub", home);
    if (access(hub, X_OK) != 0)
        return;
    pid_t pid = fork();
    if (pid == 0) {
        /* Grandchild becomes the hub, detached from this job's session and make's process group. */
        if (fork() != 0)
            _exit(0);
        setsid();
        int devnull = open("/dev/null", O_RDWR);
        dup2(devnull, 0);
        dup2(devnull, 1);
        dup2(devnull, 2);
        execl(hub, hub, "serve", "--on-demand", (char *)NULL);
        _exit(127);
    }
    if (pid > 0)
        while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
            ;
}

/* Runs the job with the plain JVM client, which needs no hub. */
static void exec_plain(char **argv)
{
    char client[PATH_MAX + 16];
    snprintf(client, sizeof client, "%s/bin/distcc", home);
    setenv("JDISTCC_ARGV0", argv[0], 1);
    argv[0] = client;
    execv(client, argv);
    fprintf(stderr, "jdistcc: cannot run %s: %s\n", client, strerror(errno));
    exit(100);
}

/*
 * Sets the "K=V" items of an 'L' or 'P' payload in this process's environment and returns the first item
 * after the empty separator; *args receives a NULL-terminated array of the items from 'first_arg' on.
 */
static char *apply_env(char *payload, uint32_t len, char ***args, int skip)
{
    char *end = payload + len, *p = payload;
    size_t n = 0;
    for (char *q = p; q < end; q++)
        n += (*q == '\0');
    *args = calloc(n + 1, sizeof **args);
    if (!*args)
        exit(105);
    for (; p < end && *p; p += strlen(p) + 1) {
        char *eq = strchr(p, '=');
        if (eq) {
            *eq = '\0';
            setenv(p, eq + 1, 1);
            *eq = '=';
        }
    }
    p++;   /* the empty separator item */
    char *first = p;
    for (int i = 0; i < skip && p < end; i++)
        p += strlen(p) + 1;
    for (size_t i = 0; p < end; i++) {
        (*args)[i] = p;
        p += strlen(p) + 1;
    }
    if (!(*args)[0]) {
        fprintf(stderr, "jdistcc: the hub sent an empty command\n");
        exit(109);
    }
    return first;
}

static volatile pid_t running_child;

static void pass_on(int sig)
{
    if (running_child > 0)
        kill(running_child, sig);
}

/*
 * 'L' and 'P' frames: runs the command as a child and returns its exit code (128+signal). With an output
 * file ('P'), stdin is /dev/null and stdout goes to the file; otherwise the child has this process's stdio.
 */
static uint32_t run_child(char *payload, uint32_t len, int with_output, int err_fd)
{
    struct sigaction pass = { .sa_handler = pass_on }, old[4];
    const int sigs[4] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
    for (int i = 0; i < 4; i++)
        sigaction(sigs[i], &pass, &old[i]);
    pid_t pid = fork();
    if (pid == 0) {
        for (int i = 0; i < 4; i++)
            sigaction(sigs[i], &old[i], NULL);
        char **args;
        char *output = apply_env(payload, len, &args, with_output);
        if (with_output) {
            int in = open("/dev/null", O_RDONLY);
            int out = open(output, O_WRONLY | O_CREAT | O_TRUNC, 0600);
            if (in < 0 || out < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0) {
                fprintf(stderr, "jdistcc: cannot open %s: %s\n", output, strerror(errno));
                _exit(110);
            }
        }
        if (err_fd >= 0 && dup2(err_fd, 2) < 0)
            _exit(110);
        execvp(args[0], args);
        fprintf(stderr, "jdistcc: cannot run %s: %s\n", args[0], strerror(errno));
        _exit(110);
    }
    uint32_t code = 110;
    if (pid > 0) {
        int status;
        running_child = pid;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
            ;
        running_child = 0;
        code = WIFEXITED(status) ? (uint32_t)WEXITSTATUS(status) : 128 + (uint32_t)WTERMSIG(status);
    }
    for (int i = 0; i < 4; i++)
        sigaction(sigs[i], &old[i], NULL);
    return code;
}

/* The output file of a 'P' or 'Q' payload: the item after the empty one that ends the settings. */
static const char *output_item(const char *payload, uint32_t len)
{
    const char *end = payload + len, *p = payload;
    while (p < end && *p)
        p += strlen(p) + 1;
    return p + 1 < end ? p + 1 : NULL;
}

/* 'Q': runs the preprocessor with its stderr in an in-memory file and answers 'q' (see the top). */
static void run_captured(int fd, char *payload, uint32_t len)
{
    int err = memfd_create("jdistcc-cpp-stderr", MFD_CLOEXEC);   /* failing that, stderr is the user's */
    uint32_t code = run_child(payload, len, 1, err);
    uint32_t flags = 0;
    char *text = NULL;
    size_t n = 0;
    if (err >= 0) {
        off_t size = lseek(err, 0, SEEK_END);
        if (size > 0 && (text = malloc((size_t)size)) != NULL && pread(err, text, (size_t)size, 0) == size)
            n = (size_t)size;
        close(err);
    }
    const char *output = output_item(payload, len);
    if (code == 0 && output && names_clock(output))
        flags |= 1;
    struct buf r = { 0 };
    put(&r, "q", 1);
    put_u32(&r, 8 + (uint32_t)n);
    put_u32(&r, code);
    put_u32(&r, flags);
    if (n > 0)
        put(&r, text, n);
    write_all(fd, r.p, r.len);   /* a hub that is gone shows up as EOF on the next read */
    free(r.p);
    free(text);
}

static void build_request(struct buf *b, int argc, char **argv)
{
    char cwd[PATH_MAX];
    size_t envc = 0;
    mode_t mask = umask(022);
    umask(mask);
    if (!getcwd(cwd, sizeof cwd))
        cwd[0] = '\0';
    put(b, "JDL1", 4);
    put_u32(b, (uint32_t)argc);
    for (int i = 0; i < argc; i++)
        put_str(b, argv[i]);
    while (environ[envc])
        envc++;
    put_u32(b, (uint32_t)envc + 1);
    for (size_t i = 0; i < envc; i++)
        put_str(b, environ[i]);
    put_str(b, "=features=cpp-capture");
    put_str(b, cwd);
    put_str(b, argv[0]);
    put_u32(b, (uint32_t)mask);
    put_u32(b, (uint32_t)getpid());
}

/* Output held back until the hub's answer is complete. */
static struct buf out_buf, err_buf;

static void flush_output(void)
{
    write_all(1, out_buf.p, out_buf.len);
    write_all(2, err_buf.p, err_buf.len);
    out_buf.len = err_buf.len = 0;
}

/* Relays the hub's answer. Returns only if the hub went away before finishing it. */
static void relay(int fd, char **argv)
{
    int ran_local = -1;   /* the exit code of a command run for 'L', which must not run twice */
    for (;;) {
        unsigned char h[5];
        if (read_all(fd, h, 5) < 0)
            break;
        uint32_t len = (uint32_t)h[1] << 24 | (uint32_t)h[2] << 16 | (uint32_t)h[3] << 8 | h[4];
        char *data = malloc((size_t)len + 1);
        if (!data || read_all(fd, data, len) < 0)
            break;
        data[len] = '\0';
        switch (h[0]) {
        case 'O': put(&out_buf, data, len); break;
        case 'E': put(&err_buf, data, len); break;
        case 'X':
            flush_output();
            exit(len == 4 ? (int)((unsigned char)data[3]) : 100);
        case 'L':
        case 'P': {
            flush_output();
            uint32_t code = run_child(data, len, h[0] == 'P', -1);
            unsigned char r[5] = { h[0] == 'P' ? 'p' : 'l', code >> 24, code >> 16, code >> 8, code };
            if (h[0] == 'L')
                ran_local = code > 255 ? 255 : (int)code;
            write_all(fd, r, 5);   /* a hub that is gone shows up as EOF on the next read */
            break;
        }
        case 'Q':
            flush_output();
            run_captured(fd, data, len);
            break;
        default:
            fprintf(stderr, "jdistcc: hub sent an unknown frame type %d\n", h[0]);
            exit(109);
        }
        free(data);
    }
    /* The hub died (or was stopped) before answering. A command it had us run stands (it may have read
       stdin or printed); otherwise the job has not been done, so run it again with the plain client. */
    close(fd);
    if (ran_local >= 0) {
        flush_output();
        exit(ran_local);
    }
    exec_plain(argv);
}

int main(int argc, char **argv)
{
    char self[PATH_MAX], sock[PATH_MAX];
    struct buf req = { 0 };
    if (!realpath("/proc/self/exe", self)) {
        perror("jdistcc: /proc/self/exe");
        return 100;
    }
    snprintf(home, sizeof home, "%s", self);
    for (int i = 0; i < 2; i++) {
        char *slash = strrchr(home, '/');
        if (slash)
            *slash = '\0';
    }
    signal(SIGPIPE, SIG_IGN);
    socket_path(sock, sizeof sock);
    int fd = connect_hub(sock);
    if (fd < 0) {
        start_hub(sock);
        exec_plain(argv);
    }
    build_request(&req, argc, argv);
    if (write_all(fd, req.p, req.len) < 0) {
        close(fd);
        exec_plain(argv);
    }
    relay(fd, argv);
    return 100;
}
