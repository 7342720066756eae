/* The interpreter of the Wine benchmark: a Windows program that starts and exits 0, so the
 * figures are process creation and the shim's own work, not a Python start under Wine.
 *   x86_64-w64-mingw32-gcc -O2 -s -o python.exe exit0.c */
int main(void) { return 0; }
