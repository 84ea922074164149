//! The materials of a member's archive (党员档案) as data, in dossier order, and which of them a
//! member's file holds.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::documents::AttachmentRef;

const MATERIALS: &str = include_str!("../../assets/rules/materials.toml");

/// One material of the archive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Material {
    pub id: String,
    pub title: String,
    /// The development step it is filed with.
    pub step: u8,
    /// Required by §37 of the 2014 rules.
    pub required: bool,
}

#[derive(Deserialize)]
struct Catalogue {
    material: Vec<Material>,
}

/// The materials in dossier order.
pub fn catalogue() -> Vec<Material> {
    // The embedded file is parsed by a unit test, so this cannot fail in a released build.
    toml::from_str::<Catalogue>(MATERIALS)
        .map(|c| c.material)
        .unwrap_or_else(|err| panic!("the embedded materials catalogue is invalid: {err}"))
}

/// Whether a member's file holds a material.
#[derive(Debug, Clone, Serialize, TS)]
pub struct MaterialStatus {
    pub material: Material,
    /// The material's step has been recorded, so the material should be on file.
    pub due: bool,
    pub files: Vec<AttachmentRef>,
    /// Due and required, with no file.
    pub missing: bool,
}

/// Matches a member's attachments to the catalogue: an attachment counts for the material it was
/// filed as, or else for the first material of its step.
pub(crate) fn status(
    recorded_steps: &[u8],
    attachments: &[(Option<u8>, AttachmentRef)],
) -> Vec<MaterialStatus> {
    let catalogue = catalogue();
    let mut statuses: Vec<MaterialStatus> = catalogue
        .iter()
        .map(|m| MaterialStatus {
            material: m.clone(),
            due: recorded_steps.contains(&m.step),
            files: Vec::new(),
            missing: false,
        })
        .collect();
    for (step, attachment) in attachments {
        let by_id = attachment
            .material
            .as_deref()
            .and_then(|id| statuses.iter().position(|s| s.material.id == id));
        let by_step = || statuses.iter().position(|s| Some(s.material.step) == *step);
        if let Some(at) = by_id.or_else(by_step) {
            statuses[at].files.push(attachment.clone());
        }
    }
    for s in &mut statuses {
        s.missing = s.due && s.material.required && s.files.is_empty();
    }
    statuses
}

/// The material to file an attachment of `step` as, when none is named: the first of its step.
pub(crate) fn default_for_step(step: u8) -> Option<String> {
    catalogue()
        .into_iter()
        .find(|m| m.step == step)
        .map(|m| m.id)
}

/// Whether `id` names a material.
pub(crate) fn exists(id: &str) -> bool {
    catalogue().iter().any(|m| m.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalogue_is_in_dossier_order_and_names_the_five_required_materials() {
        let catalogue = catalogue();
        let steps: Vec<u8> = catalogue.iter().map(|m| m.step).collect();
        let mut sorted = steps.clone();
        sorted.sort();
        assert_eq!(steps, sorted);
        let required: Vec<&str> = catalogue
            .iter()
            .filter(|m| m.required)
            .map(|m| m.title.as_str())
            .collect();
        assert_eq!(
            required,
            [
                "入党申请书",
                "培养教育考察材料（培养联系人考察记录）",
                "政治审查材料",
                "入党志愿书",
                "转正申请书"
            ]
        );
    }

    #[test]
    fn a_required_material_is_missing_once_its_step_is_recorded_without_a_file() {
        let letter = AttachmentRef {
            sha256: "a".repeat(64),
            file_name: "申请书.pdf".to_string(),
            material: None,
            size: 10,
        };
        let statuses = status(&[1, 2, 3, 6, 7, 8, 9, 10], &[(Some(1), letter)]);
        let find = |id: &str| statuses.iter().find(|s| s.material.id == id).unwrap();
        assert!(!find("application_letter").missing);
        assert_eq!(find("application_letter").files.len(), 1);
        assert!(find("political_review").missing);
        assert!(!find("volunteer_form").due);
        assert!(!find("volunteer_form").missing);
        assert!(
            !find("talk_record").missing,
            "only required materials are missing"
        );
    }
}
