//! Loading extra trusted roots. A file may hold several PEM certificates (a bundle) or one DER
//! certificate (what Windows' certificate export writes as .cer). Each certificate is checked
//! here so that a bad file fails with its name, not later as a vague TLS error.

use crate::config::CaFile;
use crate::error::NetError;
use x509_parser::pem::Pem;
use x509_parser::prelude::{FromDer, X509Certificate};

/// DER of every certificate in the file.
pub fn load(file: &CaFile) -> Result<Vec<Vec<u8>>, NetError> {
    let err = |reason: String| NetError::CaFile {
        path: file.path.clone(),
        origin: file.origin,
        reason,
    };
    let bytes = std::fs::read(&file.path).map_err(|e| err(format!("cannot read it: {e}")))?;
    let mut ders = Vec::new();
    if bytes.windows(11).any(|w| w == b"-----BEGIN ") {
        for (i, block) in Pem::iter_from_buffer(&bytes).enumerate() {
            let pem = block.map_err(|e| err(format!("PEM block {} is malformed: {e}", i + 1)))?;
            if pem.label != "CERTIFICATE" && pem.label != "TRUSTED CERTIFICATE" {
                continue;
            }
            // A TRUSTED CERTIFICATE carries OpenSSL trust data after the certificate: keep
            // only the certificate itself.
            let (rest, _) = X509Certificate::from_der(&pem.contents)
                .map_err(|e| err(format!("certificate {} is not valid X.509: {e}", i + 1)))?;
            let len = pem.contents.len() - rest.len();
            ders.push(pem.contents[..len].to_vec());
        }
        if ders.is_empty() {
            return Err(err("it has PEM blocks but no CERTIFICATE among them".into()));
        }
    } else {
        X509Certificate::from_der(&bytes)
            .map_err(|_| err("it is neither PEM nor a DER certificate".into()))?;
        ders.push(bytes);
    }
    Ok(ders)
}
