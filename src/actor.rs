//! The acting user. Every operation on member data takes an `Actor`, so that access checks and the
//! audit trail have one place to hook in.
//!
//! Until accounts exist, the only actor is the local administrator, who may do everything. The
//! signatures are final; only the contents of this type will grow.

/// Who is doing something.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    name: String,
}

impl Actor {
    /// The single user of an archive that has no accounts yet.
    pub fn local_admin() -> Actor {
        Actor {
            name: "admin".to_string(),
        }
    }

    /// The name recorded as `recorded_by` on what this actor writes.
    pub fn name(&self) -> &str {
        &self.name
    }
}
