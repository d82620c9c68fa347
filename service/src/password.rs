//! Password hashing with argon2id.
//!
//! Production parameters follow the OWASP Password Storage Cheat Sheet's first argon2id
//! option: m = 19456 KiB (19 MiB), t = 2 iterations, p = 1 lane. The parameters are stored in
//! each PHC hash string, so raising them later leaves existing hashes verifiable.

use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, SaltString};
use argon2::{Algorithm, Argon2, Params, PasswordVerifier, Version};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PasswordHashing {
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

impl PasswordHashing {
    pub const PRODUCTION: PasswordHashing = PasswordHashing {
        memory_kib: 19_456,
        iterations: 2,
        parallelism: 1,
    };

    /// For tests only: the smallest parameters argon2 accepts, so that a test suite with
    /// hundreds of logins stays fast. Never configurable from the outside.
    pub const INSECURE_FAST_FOR_TESTS: PasswordHashing = PasswordHashing {
        memory_kib: 8,
        iterations: 1,
        parallelism: 1,
    };

    fn argon2(&self) -> Result<Argon2<'static>, String> {
        let params = Params::new(self.memory_kib, self.iterations, self.parallelism, None)
            .map_err(|e| e.to_string())?;
        Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
    }

    /// Hashes a password with a fresh random salt. CPU-heavy: call from a blocking task.
    pub fn hash(&self, password: &str) -> Result<String, String> {
        let salt = SaltString::generate(&mut OsRng);
        self.argon2()?
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| e.to_string())
    }

    /// Checks a password against a stored PHC string, with the parameters in that string.
    /// CPU-heavy: call from a blocking task. A malformed hash verifies nothing.
    pub fn verify(password: &str, phc: &str) -> bool {
        let Ok(parsed) = PasswordHash::new(phc) else {
            return false;
        };
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_and_verify() {
        let h = PasswordHashing::INSECURE_FAST_FOR_TESTS
            .hash("correct horse battery")
            .unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=8,t=1,p=1$"));
        assert!(PasswordHashing::verify("correct horse battery", &h));
        assert!(!PasswordHashing::verify("correct horse batter", &h));
        assert!(!PasswordHashing::verify("x", "not a hash"));
    }

    #[test]
    fn production_parameters_are_the_documented_ones() {
        let h = PasswordHashing::PRODUCTION.hash("abcdefghijkl").unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
    }

    #[test]
    fn every_hash_has_its_own_salt() {
        let p = PasswordHashing::INSECURE_FAST_FOR_TESTS;
        assert_ne!(p.hash("same").unwrap(), p.hash("same").unwrap());
    }
}
