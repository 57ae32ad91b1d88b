#include <math.h>
#include "calc.h"

int apply_op(char op, double a, double b, double *result)
{
    switch (op) {
    case '+': *result = a + b; return 0;
    case '-': *result = a - b; return 0;
    case '*': *result = a * b; return 0;
    case '/': if (b == 0) return -1; *result = a / b; return 0;
    case '^': *result = pow(a, b); return 0;
    default: return -1;
    }
}
