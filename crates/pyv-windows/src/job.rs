//! A job object that kills its processes when closed: the shim's child goes when the shim
//! does, even when the shim is killed (Task Manager, a CI timeout), as a Unix exec would.

use std::io;
use std::os::windows::io::{AsRawHandle, FromRawHandle, OwnedHandle};
use windows_sys::Win32::System::JobObjects::{
    AssignProcessToJobObject, CreateJobObjectW, JobObjectExtendedLimitInformation,
    SetInformationJobObject, JOBOBJECT_EXTENDED_LIMIT_INFORMATION,
    JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE, JOB_OBJECT_LIMIT_SILENT_BREAKAWAY_OK,
};

/// Why a process could not be tied to a job. None is fatal to running the process; each
/// only means it would outlive a killed parent.
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    #[error("cannot create a job object: {0}")]
    Create(#[source] io::Error),
    #[error("cannot set the job object's kill-on-close limit: {0}")]
    Limit(#[source] io::Error),
    /// E.g. Windows 7, where a process already in a job that forbids breakaway cannot be
    /// put in a second one.
    #[error("cannot put the process in the job object: {0}")]
    Assign(#[source] io::Error),
}

/// An anonymous job object with `KILL_ON_JOB_CLOSE`: dropping it (or this process
/// ending, which closes the handle) terminates the processes assigned to it.
///
/// `SILENT_BREAKAWAY_OK` keeps the processes *they* start out of the job, so a server a
/// script launches in the background is not killed with the script.
#[derive(Debug)]
pub struct Job {
    handle: OwnedHandle,
}

impl Job {
    pub fn kill_on_close() -> Result<Job, JobError> {
        // SAFETY: null attributes and name ask for an unnamed job with the default
        // security; the call reads nothing else.
        let raw = unsafe { CreateJobObjectW(std::ptr::null(), std::ptr::null()) };
        if raw.is_null() {
            return Err(JobError::Create(io::Error::last_os_error()));
        }
        // SAFETY: `raw` is a job handle just created and owned by nobody else; the
        // OwnedHandle closes it exactly once.
        let handle = unsafe { OwnedHandle::from_raw_handle(raw) };
        // SAFETY: the structure is plain data for which all-zero is the "no limits" value.
        let mut info: JOBOBJECT_EXTENDED_LIMIT_INFORMATION = unsafe { std::mem::zeroed() };
        info.BasicLimitInformation.LimitFlags =
            JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE | JOB_OBJECT_LIMIT_SILENT_BREAKAWAY_OK;
        let size = u32::try_from(std::mem::size_of_val(&info)).unwrap_or(u32::MAX);
        // SAFETY: the handle is a live job handle; the pointer and size describe `info`,
        // which outlives the call and matches the information class.
        let ok = unsafe {
            SetInformationJobObject(
                handle.as_raw_handle(),
                JobObjectExtendedLimitInformation,
                std::ptr::from_ref(&info).cast(),
                size,
            )
        };
        if ok == 0 {
            return Err(JobError::Limit(io::Error::last_os_error()));
        }
        Ok(Job { handle })
    }

    /// Puts `process` (a child's handle, e.g. a `std::process::Child`) in the job.
    pub fn assign(&self, process: &impl AsRawHandle) -> Result<(), JobError> {
        // SAFETY: both handles are live for the call: the job is owned by `self`, the
        // process handle by the borrowed `process`.
        let ok = unsafe {
            AssignProcessToJobObject(self.handle.as_raw_handle(), process.as_raw_handle())
        };
        if ok == 0 {
            return Err(JobError::Assign(io::Error::last_os_error()));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::process::{Command, Stdio};

    fn cmd() -> Command {
        let system = std::env::var_os("SystemRoot").unwrap();
        let mut c = Command::new(
            std::path::Path::new(&system)
                .join("System32")
                .join("cmd.exe"),
        );
        c.stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        c
    }

    #[test]
    fn an_assigned_child_runs_to_its_exit_code() {
        let job = Job::kill_on_close().unwrap();
        let mut child = cmd().args(["/c", "exit 7"]).spawn().unwrap();
        job.assign(&child).unwrap();
        assert_eq!(child.wait().unwrap().code(), Some(7));
    }

    /// The child of the test below: this test binary, saying it started (a file), then
    /// sleeping. A no-op otherwise.
    #[test]
    fn sleeper() {
        if let Some(started) = std::env::var_os("PYV_WINDOWS_JOB_SLEEPER") {
            std::fs::write(started, "").unwrap();
            std::thread::sleep(std::time::Duration::from_secs(120));
        }
    }

    #[test]
    fn dropping_the_job_kills_its_processes() {
        use std::time::{Duration, Instant};
        let dir = tempfile::tempdir().unwrap();
        let started = dir.path().join("started");
        let job = Job::kill_on_close().unwrap();
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "job::tests::sleeper", "--test-threads=1"])
            .env("PYV_WINDOWS_JOB_SLEEPER", &started)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        job.assign(&child).unwrap();
        let begun = Instant::now();
        while !started.exists() {
            assert!(
                child.try_wait().unwrap().is_none(),
                "the sleeper exited early"
            );
            assert!(
                begun.elapsed() < Duration::from_secs(60),
                "the sleeper never started"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        let dropped = Instant::now();
        drop(job);
        // Polled, so that a job that does not kill fails the test instead of hanging it.
        while child.try_wait().unwrap().is_none() {
            if dropped.elapsed() > Duration::from_secs(30) {
                child.kill().unwrap();
                panic!("the child outlived its job");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}
