#include <stdio.h>
#include "calc.h"

int main(int argc, char **argv)
{
    const char *expr = argc > 1 ? argv[1] : "3 4 + 2 ^";
    char buf[64];
    double v;
    if (eval_rpn(expr, &v)) {
        fprintf(stderr, "calc: cannot evaluate '%s'\n", expr);
        return 1;
    }
    format_result(v, buf, sizeof buf);
    printf("%s = %s\n", expr, buf);
    return 0;
}
