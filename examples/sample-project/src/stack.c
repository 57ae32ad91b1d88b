#include "calc.h"

void stack_init(stack_t_ *s) { s->depth = 0; }

int stack_push(stack_t_ *s, double v)
{
    if (s->depth >= sizeof s->values / sizeof s->values[0])
        return -1;
    s->values[s->depth++] = v;
    return 0;
}

int stack_pop(stack_t_ *s, double *v)
{
    if (s->depth == 0)
        return -1;
    *v = s->values[--s->depth];
    return 0;
}
