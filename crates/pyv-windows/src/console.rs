//! The console's Ctrl+C while a child runs.

use std::io;
use windows_sys::Win32::System::Console::SetConsoleCtrlHandler;

/// Ctrl+C and Ctrl+Break go to every process on the console; the child decides what they
/// mean and the parent keeps waiting for it (so there is no "Terminate batch job (Y/N)?"
/// and its exit code still comes through). Inherited by children started afterwards,
/// which is why a child resets it for itself (Python does).
pub fn ignore_ctrl_c() -> io::Result<()> {
    // SAFETY: a null handler with TRUE only sets this process's ignore-Ctrl+C flag.
    let ok = unsafe { SetConsoleCtrlHandler(None, 1) };
    if ok == 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}
