#include <ctype.h>
#include <stdlib.h>
#include "calc.h"

const char *lex_next(const char *p, token *out)
{
    while (*p && isspace((unsigned char)*p))
        p++;
    if (!*p) {
        out->kind = TOK_END;
        return p;
    }
    if (isdigit((unsigned char)*p) || (*p == '.' && isdigit((unsigned char)p[1]))) {
        char *end;
        out->kind = TOK_NUM;
        out->num = strtod(p, &end);
        return end;
    }
    out->kind = TOK_OP;
    out->op = *p;
    return p + 1;
}
