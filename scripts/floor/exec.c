/* The floor of a shim on Linux: a static program that does nothing but exec one interpreter
 * with its own arguments. No selection, no file reads, no allocation: whatever pyv's shim costs
 * beyond this program's cost is what its version selection and Rust start-up cost.
 *
 * The interpreter's path is baked in, so nothing is looked up at run time:
 *   cc -O2 -static -DTARGET='"/usr/bin/python3"' -o exec-floor exec.c
 * scripts/bench.sh builds it that way, once per target. */
#include <stdio.h>
#include <unistd.h>

#ifndef TARGET
#error "build with -DTARGET='\"/path/to/interpreter\"'"
#endif

int main(int argc, char **argv) {
    (void)argc;
    /* argv[0] becomes the interpreter's path, as the shim's Command::new(target) makes it:
     * Python derives sys.executable and its prefix from it. */
    argv[0] = TARGET;
    execv(TARGET, argv);
    perror("exec-floor: " TARGET);
    return 126;
}
