/* The floor of a shim on Windows: what any shim there minimally must do, since Windows has no
 * exec. It starts one interpreter with this process's own command-line tail, unchanged (as
 * pyv's shim does: no argv split and re-quote), waits for it and returns its exit code. No
 * selection, no job object, no Ctrl+C handling: whatever pyv-shim.exe costs beyond this
 * program's cost is what its version selection and Rust start-up cost.
 *
 * The interpreter's Windows path is baked in, so nothing is looked up at run time:
 *   x86_64-w64-mingw32-gcc -O2 -s -municode -DTARGET='L"C:\\Python\\python.exe"' -o spawn-floor.exe spawn.c
 * scripts/bench.sh builds it that way. */
#include <stdio.h>
#include <windows.h>

#ifndef TARGET
#error "build with -DTARGET='L\"C:\\\\path\\\\python.exe\"'"
#endif

/* Where the arguments start in a command line: after the program name, quoted or not (the
 * argv[0] rules of CommandLineToArgvW), and the blanks after it. */
static const wchar_t *command_line_tail(const wchar_t *line) {
    if (*line == L'"') {
        line++;
        while (*line && *line != L'"') line++;
        if (*line) line++;
    } else {
        while (*line && *line != L' ' && *line != L'\t') line++;
    }
    while (*line == L' ' || *line == L'\t') line++;
    return line;
}

int wmain(void) {
    const wchar_t *tail = command_line_tail(GetCommandLineW());
    size_t target_len = lstrlenW(TARGET), tail_len = lstrlenW(tail);
    /* "TARGET" tail\0 -- CreateProcessW may write into the command line, so it is a copy. */
    wchar_t *line = HeapAlloc(GetProcessHeap(), 0, (target_len + tail_len + 4) * sizeof(wchar_t));
    if (!line) {
        fwprintf(stderr, L"spawn-floor: out of memory\n");
        return 126;
    }
    wchar_t *p = line;
    *p++ = L'"';
    CopyMemory(p, TARGET, target_len * sizeof(wchar_t));
    p += target_len;
    *p++ = L'"';
    if (tail_len) {
        *p++ = L' ';
        CopyMemory(p, tail, tail_len * sizeof(wchar_t));
        p += tail_len;
    }
    *p = 0;

    STARTUPINFOW si = {.cb = sizeof si};
    PROCESS_INFORMATION pi;
    if (!CreateProcessW(TARGET, line, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi)) {
        fwprintf(stderr, L"spawn-floor: cannot run %ls: error %lu\n", TARGET, GetLastError());
        return 126;
    }
    WaitForSingleObject(pi.hProcess, INFINITE);
    DWORD code = 1;
    GetExitCodeProcess(pi.hProcess, &code);
    return (int)code;
}
