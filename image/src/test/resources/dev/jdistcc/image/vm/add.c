/* Compiled through the appliance by the VM tests. */
int add(int a, int b)
{
    return a + b;
}
