#include "calc.h"

int eval_rpn(const char *expr, double *result)
{
    stack_t_ s;
    token t;
    stack_init(&s);
    for (expr = lex_next(expr, &t); t.kind != TOK_END; expr = lex_next(expr, &t)) {
        double a, b, r;
        if (t.kind == TOK_NUM) {
            if (stack_push(&s, t.num)) return -1;
            continue;
        }
        if (stack_pop(&s, &b) || stack_pop(&s, &a) || apply_op(t.op, a, b, &r) || stack_push(&s, r))
            return -1;
    }
    return (s.depth == 1 && stack_pop(&s, result) == 0) ? 0 : -1;
}
