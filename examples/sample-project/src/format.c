#include <stdio.h>
#include "calc.h"

void format_result(double v, char *buf, size_t len)
{
    if (v == (long long)v)
        snprintf(buf, len, "%lld", (long long)v);
    else
        snprintf(buf, len, "%.6g", v);
}
