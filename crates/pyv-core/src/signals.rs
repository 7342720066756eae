//! Unix: while the shim waits for a child (pip, so that it can rehash afterwards), the
//! signals meant for the command reach the command, and the shim lives on to rehash and to
//! exit with the child's status.
//!
//! - SIGTERM and SIGHUP (a service manager stopping it, a closed terminal) are forwarded to
//!   the child.
//! - SIGINT and SIGQUIT are forwarded only when a process sent them (`kill -INT <shim>`):
//!   from a terminal (Ctrl+C, Ctrl+\) the kernel already delivers them to the whole
//!   foreground process group, the child included, and a second copy would interrupt pip's
//!   own clean-up.
//!
//! The handlers are caught (not ignored) dispositions, so the child, which is started while
//! they are installed, gets the default ones back on exec. A signal that arrives before the
//! child's pid is known is kept and passed on as soon as it is (not blocked: a blocked mask
//! would be inherited by the child). The shim is single-threaded, so a handler never runs
//! between the two steps of [`Forwarding::started`].

use std::io;
use std::sync::atomic::{AtomicI32, Ordering};

/// The child the handlers forward to; 0 while there is none.
static CHILD: AtomicI32 = AtomicI32::new(0);
/// A signal to forward that came before the child's pid was known; 0 for none.
static PENDING: AtomicI32 = AtomicI32::new(0);

const FORWARDED: [libc::c_int; 4] = [libc::SIGTERM, libc::SIGHUP, libc::SIGINT, libc::SIGQUIT];

/// Whether a signal with this `si_code` came from a process (`kill`, `sigqueue`, `tkill`)
/// rather than from the kernel (a terminal's Ctrl+C is `SI_KERNEL`).
pub fn sent_by_a_process(si_code: libc::c_int) -> bool {
    si_code <= 0
}

/// Whether `signal` with `si_code` is passed on to the child (see the module docs).
pub fn forwards(signal: libc::c_int, si_code: libc::c_int) -> bool {
    match signal {
        libc::SIGTERM | libc::SIGHUP => true,
        libc::SIGINT | libc::SIGQUIT => sent_by_a_process(si_code),
        _ => false,
    }
}

extern "C" fn on_signal(signal: libc::c_int, info: *mut libc::siginfo_t, _: *mut libc::c_void) {
    // SAFETY: the kernel passes a valid siginfo_t for an SA_SIGINFO handler; it is only read.
    let code = unsafe { info.as_ref() }.map_or(0, |i| i.si_code);
    if !forwards(signal, code) {
        return;
    }
    match CHILD.load(Ordering::SeqCst) {
        0 => PENDING.store(signal, Ordering::SeqCst),
        child => send(child, signal),
    }
}

fn send(child: libc::pid_t, signal: libc::c_int) {
    // SAFETY: kill is async-signal-safe; a stale pid at worst fails with ESRCH.
    unsafe {
        libc::kill(child, signal);
    }
}

/// The forwarding handlers, installed until this is dropped (then the previous ones are
/// back). Start the child between [`Forwarding::install`] and [`Forwarding::started`].
pub struct Forwarding {
    previous: Vec<(libc::c_int, libc::sigaction)>,
}

impl Forwarding {
    /// Installs the handlers.
    pub fn install() -> io::Result<Forwarding> {
        PENDING.store(0, Ordering::SeqCst);
        let mut forwarding = Forwarding {
            previous: Vec::new(),
        };
        for s in FORWARDED {
            // SAFETY: zeroed sigaction is a valid starting value; every field we rely on
            // is set below and sa_mask is initialised by sigemptyset.
            let mut action: libc::sigaction = unsafe { std::mem::zeroed() };
            action.sa_sigaction = on_signal as *const () as usize;
            action.sa_flags = libc::SA_SIGINFO | libc::SA_RESTART;
            // SAFETY: `action.sa_mask` is a live sigset_t.
            unsafe { libc::sigemptyset(&mut action.sa_mask) };
            // SAFETY: as above, for the previous action's out-parameter.
            let mut old: libc::sigaction = unsafe { std::mem::zeroed() };
            // SAFETY: both pointers are to live sigaction values; `s` is a catchable signal.
            if unsafe { libc::sigaction(s, &action, &mut old) } != 0 {
                return Err(io::Error::last_os_error());
            }
            forwarding.previous.push((s, old));
        }
        Ok(forwarding)
    }

    /// The child is running: a signal that came since [`Forwarding::install`] and all later
    /// ones go to it.
    pub fn started(&mut self, pid: u32) {
        let child = libc::pid_t::try_from(pid).unwrap_or(0);
        CHILD.store(child, Ordering::SeqCst);
        let pending = PENDING.swap(0, Ordering::SeqCst);
        if pending != 0 && child > 0 {
            send(child, pending);
        }
    }
}

impl Drop for Forwarding {
    fn drop(&mut self) {
        CHILD.store(0, Ordering::SeqCst);
        for (s, old) in self.previous.drain(..) {
            // SAFETY: `old` is the action sigaction returned for `s` in `install`.
            unsafe { libc::sigaction(s, &old, std::ptr::null_mut()) };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_interrupts_are_left_to_the_process_group() {
        const SI_USER: libc::c_int = 0;
        const SI_KERNEL: libc::c_int = 0x80;
        assert!(forwards(libc::SIGTERM, SI_KERNEL) && forwards(libc::SIGHUP, SI_USER));
        assert!(forwards(libc::SIGINT, SI_USER) && forwards(libc::SIGQUIT, -6));
        assert!(!forwards(libc::SIGINT, SI_KERNEL) && !forwards(libc::SIGQUIT, SI_KERNEL));
        assert!(!forwards(libc::SIGUSR1, SI_USER));
    }
}
