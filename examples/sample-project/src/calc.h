#ifndef CALC_H
#define CALC_H

#include <stddef.h>

typedef struct { double values[64]; size_t depth; } stack_t_;

void stack_init(stack_t_ *s);
int stack_push(stack_t_ *s, double v);
int stack_pop(stack_t_ *s, double *v);

typedef enum { TOK_NUM, TOK_OP, TOK_END, TOK_ERR } tok_kind;
typedef struct { tok_kind kind; double num; char op; } token;

const char *lex_next(const char *p, token *out);
int apply_op(char op, double a, double b, double *result);
int eval_rpn(const char *expr, double *result);
void format_result(double v, char *buf, size_t len);

#endif
