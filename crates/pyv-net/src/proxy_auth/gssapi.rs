//! Negotiate through MIT Kerberos' GSSAPI, loaded at run time from `libgssapi_krb5.so.2`
//! (Debian `libgssapi-krb5-2`, present wherever Kerberos is used). Loading it instead of
//! linking keeps pyv buildable without Kerberos headers (`libgssapi`'s bindgen build needs
//! them and libclang) and runnable where Kerberos is absent: only a proxy that asks for
//! Negotiate ever needs it, and then its absence is the reason given.
#![cfg(unix)]

use super::negotiate::Negotiator;
use super::scheme::{Credentials, StartError};
use std::ffi::c_void;
use std::ptr;

type Status = u32;
type Name = *mut c_void;
type Ctx = *mut c_void;
type Cred = *mut c_void;

#[repr(C)]
struct Buffer {
    length: usize,
    value: *mut c_void,
}

#[repr(C)]
struct Oid {
    length: u32,
    elements: *mut c_void,
}

#[repr(C)]
struct OidSet {
    count: usize,
    elements: *mut Oid,
}

const LIBRARY: &str = "libgssapi_krb5.so.2";
const COMPLETE: Status = 0;
const CONTINUE_NEEDED: Status = 1;
const GSS_CODE: i32 = 1;
const MECH_CODE: i32 = 2;
const INITIATE: i32 = 1;
/// GSS_C_NT_HOSTBASED_SERVICE (1.2.840.113554.1.2.1.4): `HTTP@proxy.corp`.
const HOSTBASED: &[u8] = b"\x2a\x86\x48\x86\xf7\x12\x01\x02\x01\x04";
/// GSS_C_NT_USER_NAME (1.2.840.113554.1.2.1.1).
const USER_NAME: &[u8] = b"\x2a\x86\x48\x86\xf7\x12\x01\x02\x01\x01";
/// MIT's words (krb5_err.et) for a KDC that turned the user or password down: the
/// credentials are wrong, as opposed to Kerberos being unreachable or unset. Matched as text
/// because the mechanism glue remaps minor status codes to private numbers, so the krb5
/// error codes themselves never reach the caller.
const KDC_REFUSALS: [&str; 3] = [
    "Preauthentication failed",
    "Decrypt integrity check failed",
    "not found in Kerberos database",
];
/// SPNEGO (1.3.6.1.5.5.2), the mechanism HTTP Negotiate carries.
const SPNEGO: &[u8] = b"\x2b\x06\x01\x05\x05\x02";

type ImportName = unsafe extern "C" fn(*mut Status, *const Buffer, *const Oid, *mut Name) -> Status;
type InitSecContext = unsafe extern "C" fn(
    *mut Status,
    Cred,
    *mut Ctx,
    Name,
    *const Oid,
    u32,
    u32,
    *mut c_void,
    *const Buffer,
    *mut *mut Oid,
    *mut Buffer,
    *mut u32,
    *mut u32,
) -> Status;
type ReleaseBuffer = unsafe extern "C" fn(*mut Status, *mut Buffer) -> Status;
type ReleaseName = unsafe extern "C" fn(*mut Status, *mut Name) -> Status;
type DeleteSecContext = unsafe extern "C" fn(*mut Status, *mut Ctx, *mut Buffer) -> Status;
type ReleaseCred = unsafe extern "C" fn(*mut Status, *mut Cred) -> Status;
type DisplayStatus =
    unsafe extern "C" fn(*mut Status, Status, i32, *const Oid, *mut u32, *mut Buffer) -> Status;
type AcquireCredWithPassword = unsafe extern "C" fn(
    *mut Status,
    Name,
    *const Buffer,
    u32,
    *const OidSet,
    i32,
    *mut Cred,
    *mut *mut c_void,
    *mut u32,
) -> Status;

/// The library and the functions pyv calls, resolved once per context.
struct Api {
    import_name: ImportName,
    init_sec_context: InitSecContext,
    release_buffer: ReleaseBuffer,
    release_name: ReleaseName,
    delete_sec_context: DeleteSecContext,
    release_cred: ReleaseCred,
    display_status: DisplayStatus,
    acquire_cred_with_password: Option<AcquireCredWithPassword>,
    // Kept last so it is dropped after nothing can call into it.
    _lib: libloading::Library,
}

impl Api {
    fn load() -> Result<Api, String> {
        // A static executable (the Linux release build, crt-static) has no dynamic loader to
        // share with the library: glibc would load a second libc beside its own copy.
        if cfg!(target_feature = "crt-static") {
            return Err(format!(
                "this statically linked pyv cannot load {LIBRARY}; Negotiate needs a dynamically linked build"
            ));
        }
        // SAFETY: loading MIT Kerberos' GSSAPI runs only its (and libkrb5's) initialisers,
        // which have no preconditions on the caller.
        let lib = unsafe { libloading::Library::new(LIBRARY) }.map_err(|_| {
            format!(
                "the Kerberos library {LIBRARY} is not installed (Debian/Ubuntu: libgssapi-krb5-2)"
            )
        })?;
        let missing = |name: &str| format!("{LIBRARY} has no {name}");
        // SAFETY: each symbol is read with the signature MIT Kerberos' gssapi.h declares for
        // it (RFC 2744 C bindings; gss_acquire_cred_with_password is MIT's extension), and
        // the function pointers are used only while `lib` is alive (it is kept in Api).
        unsafe {
            Ok(Api {
                import_name: *lib
                    .get::<ImportName>(b"gss_import_name\0")
                    .map_err(|_| missing("gss_import_name"))?,
                init_sec_context: *lib
                    .get::<InitSecContext>(b"gss_init_sec_context\0")
                    .map_err(|_| missing("gss_init_sec_context"))?,
                release_buffer: *lib
                    .get::<ReleaseBuffer>(b"gss_release_buffer\0")
                    .map_err(|_| missing("gss_release_buffer"))?,
                release_name: *lib
                    .get::<ReleaseName>(b"gss_release_name\0")
                    .map_err(|_| missing("gss_release_name"))?,
                delete_sec_context: *lib
                    .get::<DeleteSecContext>(b"gss_delete_sec_context\0")
                    .map_err(|_| missing("gss_delete_sec_context"))?,
                release_cred: *lib
                    .get::<ReleaseCred>(b"gss_release_cred\0")
                    .map_err(|_| missing("gss_release_cred"))?,
                display_status: *lib
                    .get::<DisplayStatus>(b"gss_display_status\0")
                    .map_err(|_| missing("gss_display_status"))?,
                acquire_cred_with_password: lib
                    .get::<AcquireCredWithPassword>(b"gss_acquire_cred_with_password\0")
                    .ok()
                    .map(|s| *s),
                _lib: lib,
            })
        }
    }

    /// The library's words for a failed call (major and minor status).
    fn describe(&self, major: Status, minor: Status) -> String {
        let mut parts = Vec::new();
        for (code, kind) in [(major, GSS_CODE), (minor, MECH_CODE)] {
            if code == 0 {
                continue;
            }
            let mut more = 0u32;
            // Bounded: a library that keeps saying "more" must not loop forever.
            for _ in 0..8 {
                let (mut m, mut buf) = (
                    0u32,
                    Buffer {
                        length: 0,
                        value: ptr::null_mut(),
                    },
                );
                // SAFETY: out-pointers to live locals; the buffer is released below.
                let r = unsafe {
                    (self.display_status)(&mut m, code, kind, ptr::null(), &mut more, &mut buf)
                };
                if r != COMPLETE {
                    break;
                }
                parts.push(self.take(&mut buf));
                if more == 0 {
                    break;
                }
            }
        }
        // MIT counts the C string's terminating NUL in some lengths.
        let mut parts: Vec<String> = parts
            .into_iter()
            .map(|p| p.trim_end_matches('\0').to_string())
            .collect();
        parts.retain(|p| !p.is_empty());
        parts.join(": ")
    }

    /// Copies a library-owned buffer out and releases it.
    fn take(&self, buf: &mut Buffer) -> String {
        String::from_utf8_lossy(&self.take_bytes(buf)).into_owned()
    }

    fn take_bytes(&self, buf: &mut Buffer) -> Vec<u8> {
        let out = if buf.value.is_null() || buf.length == 0 {
            Vec::new()
        } else {
            // SAFETY: the library filled `buf` with `length` readable bytes at `value`.
            unsafe { std::slice::from_raw_parts(buf.value as *const u8, buf.length) }.to_vec()
        };
        let mut m = 0;
        // SAFETY: `buf` was filled by the library (or is empty), as gss_release_buffer expects.
        unsafe { (self.release_buffer)(&mut m, buf) };
        out
    }

    fn import(&self, text: &str, kind: &[u8]) -> Result<Name, String> {
        let input = Buffer {
            length: text.len(),
            value: text.as_ptr() as *mut c_void,
        };
        let oid = Oid {
            length: kind.len() as u32,
            elements: kind.as_ptr() as *mut c_void,
        };
        let (mut minor, mut name) = (0, ptr::null_mut());
        // SAFETY: `input` and `oid` point at live bytes for the call (the library copies
        // them); `name` is an out-pointer released in Drop / after use.
        let major = unsafe { (self.import_name)(&mut minor, &input, &oid, &mut name) };
        if major != COMPLETE {
            return Err(self.describe(major, minor));
        }
        Ok(name)
    }
}

/// One Negotiate context towards `HTTP@proxy`.
pub struct Gss {
    api: Api,
    target: Name,
    ctx: Ctx,
    cred: Cred,
    done: bool,
    user: Option<String>,
}

// SAFETY: the handles are owned by this value alone and used from one thread at a time
// (the relay connection's); MIT's GSSAPI handles are not tied to the creating thread.
unsafe impl Send for Gss {}

impl Gss {
    /// With `creds`' password: a fresh ticket for its user (MIT's
    /// gss_acquire_cred_with_password); with none (or an empty password): the ticket
    /// already in the user's credential cache (`kinit`).
    pub fn new(creds: Option<&Credentials>, proxy_host: &str) -> Result<Gss, StartError> {
        let api = Api::load()?;
        let target = api.import(&format!("HTTP@{proxy_host}"), HOSTBASED)?;
        let mut g = Gss {
            api,
            target,
            ctx: ptr::null_mut(),
            cred: ptr::null_mut(),
            done: false,
            user: creds.map(|c| c.user.clone()),
        };
        if let Some(c) = creds.filter(|c| !c.password.is_empty()) {
            let acquire = g.api.acquire_cred_with_password.ok_or_else(|| {
                format!("{LIBRARY} cannot take a password (no gss_acquire_cred_with_password)")
            })?;
            let mut user = g.api.import(&c.user, USER_NAME)?;
            let pw = Buffer {
                length: c.password.len(),
                value: c.password.as_ptr() as *mut c_void,
            };
            let mut minor = 0;
            // For SPNEGO itself: a credential acquired for the default mechanisms is one
            // SPNEGO then finds nothing to negotiate with.
            let mut spnego = Oid {
                length: SPNEGO.len() as u32,
                elements: SPNEGO.as_ptr() as *mut c_void,
            };
            let mechs = OidSet {
                count: 1,
                elements: &mut spnego,
            };
            // SAFETY: `user` is a live name handle, `pw` points at the password and `mechs`
            // at a live OID set for the call, `g.cred` is an out-handle released in Drop;
            // null = defaults, as MIT documents.
            let major = unsafe {
                acquire(
                    &mut minor,
                    user,
                    &pw,
                    0,
                    &mechs,
                    INITIATE,
                    &mut g.cred,
                    ptr::null_mut(),
                    ptr::null_mut(),
                )
            };
            let mut m = 0;
            // SAFETY: `user` came from gss_import_name and is released once.
            unsafe { (g.api.release_name)(&mut m, &mut user) };
            if major != COMPLETE {
                let words = g.api.describe(major, minor);
                return Err(if KDC_REFUSALS.iter().any(|r| words.contains(r)) {
                    StartError::Refused(format!("Kerberos: {words}"))
                } else {
                    StartError::Unusable(format!("no Kerberos ticket for '{}': {words}", c.user))
                });
            }
        }
        Ok(g)
    }
}

impl Negotiator for Gss {
    fn step(&mut self, input: Option<&[u8]>) -> Result<Option<Vec<u8>>, String> {
        let inbuf = input.map(|i| Buffer {
            length: i.len(),
            value: i.as_ptr() as *mut c_void,
        });
        let mech = Oid {
            length: SPNEGO.len() as u32,
            elements: SPNEGO.as_ptr() as *mut c_void,
        };
        let mut out = Buffer {
            length: 0,
            value: ptr::null_mut(),
        };
        let mut minor = 0;
        // SAFETY: every pointer is to a live local or a handle this value owns; the input
        // token outlives the call; `out` is released by take_bytes.
        let major = unsafe {
            (self.api.init_sec_context)(
                &mut minor,
                self.cred,
                &mut self.ctx,
                self.target,
                &mech,
                0,
                0,
                ptr::null_mut(),
                inbuf.as_ref().map_or(ptr::null(), |b| b as *const Buffer),
                ptr::null_mut(),
                &mut out,
                ptr::null_mut(),
                ptr::null_mut(),
            )
        };
        let token = self.api.take_bytes(&mut out);
        match major {
            COMPLETE => self.done = true,
            CONTINUE_NEEDED => {}
            _ => return Err(self.api.describe(major, minor)),
        }
        Ok(Some(token).filter(|t| !t.is_empty()))
    }

    fn complete(&self) -> bool {
        self.done
    }

    fn user(&self) -> Option<&str> {
        self.user.as_deref()
    }
}

impl Drop for Gss {
    fn drop(&mut self) {
        let mut m = 0;
        // SAFETY: each handle is either null (never created) or was created by the library
        // for this value and is released exactly once here.
        unsafe {
            if !self.ctx.is_null() {
                (self.api.delete_sec_context)(&mut m, &mut self.ctx, ptr::null_mut());
            }
            if !self.cred.is_null() {
                (self.api.release_cred)(&mut m, &mut self.cred);
            }
            if !self.target.is_null() {
                (self.api.release_name)(&mut m, &mut self.target);
            }
        }
    }
}
