/*
 * Whether a partial (directives-only) cpp output names the clock macros, for jdistcc-launch.c (included once:
 * the launcher is one translation unit, so its build stays one gcc command).
 */
#ifndef JDISTCC_CLOCK_SCAN_H
#define JDISTCC_CLOCK_SCAN_H

#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static int clock_token_at(const unsigned char *p, size_t left)
{
    return (left >= 8 && (memcmp(p, "__DATE__", 8) == 0 || memcmp(p, "__TIME__", 8) == 0))
           || (left >= 13 && memcmp(p, "__TIMESTAMP__", 13) == 0);
}

/*
 * Whether the text holds __DATE__, __TIME__ or __TIMESTAMP__, which only this machine's clock (or its
 * SOURCE_DATE_EPOCH) may expand. Blocks of 64 bytes are screened for "__D"/"__T" without branches (the
 * compiler vectorizes the inner loop: about 0.5 ms for the 4 MB of a kernel source), and only blocks that
 * pass are searched exactly.
 */
static int names_clock_in(const unsigned char *p, size_t n)
{
    size_t i = 0;
    for (; i + 66 <= n; i += 64) {
        unsigned char hit = 0;
        for (size_t j = 0; j < 64; j++)
            hit |= (p[i + j] == '_') & (p[i + j + 1] == '_') & ((p[i + j + 2] == 'D') | (p[i + j + 2] == 'T'));
        if (hit)
            for (size_t j = 0; j < 64; j++)
                if (clock_token_at(p + i + j, n - i - j))
                    return 1;
    }
    for (; i < n; i++)
        if (clock_token_at(p + i, n - i))
            return 1;
    return 0;
}

static int names_clock(const char *path)
{
    int found = 0, fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0)
        return 1;   /* unreadable here: let the hub take the safe path */
    if (fstat(fd, &st) == 0 && st.st_size > 0) {
        void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (m != MAP_FAILED) {
            found = names_clock_in(m, (size_t)st.st_size);
            munmap(m, (size_t)st.st_size);
        } else {
            found = 1;
        }
    }
    close(fd);
    return found;
}

#endif
