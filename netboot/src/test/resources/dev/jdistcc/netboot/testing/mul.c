/* Compiled through a netbooted appliance by the VM tests, and locally for comparison. */
#include <stddef.h>

long mul_all(const long *v, size_t n)
{
    long r = 1;
    for (size_t i = 0; i < n; i++) {
        r *= v[i];
    }
    return r;
}
