//! Who may change what: the roles, the principal a token stands for, and the one authorisation
//! check every write goes through. Reading is public; writing needs a token.

use serde::{Deserialize, Serialize};

use crate::RegistryError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Everything, including tokens and imports.
    Administrator,
    /// The pledges, updates and links of one entity, and that entity's record.
    EntityEditor,
    /// Marks progress updates verified.
    Reviewer,
    /// Registers claims with the server (`POST /api/v1/claims`), and nothing of the registry.
    ClaimsEditor,
}

impl Role {
    pub fn parse(text: &str) -> Option<Role> {
        match text.trim() {
            "administrator" | "admin" => Some(Role::Administrator),
            "entity_editor" | "editor" => Some(Role::EntityEditor),
            "reviewer" => Some(Role::Reviewer),
            "claims_editor" => Some(Role::ClaimsEditor),
            _ => None,
        }
    }
}

/// Who is writing: a token's id, role and, for editors, entity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub actor: String,
    pub role: Role,
    pub entity: Option<String>,
}

impl Principal {
    /// The operator at the command line, who holds the database itself.
    pub fn local() -> Principal {
        Principal {
            actor: "local-administrator".into(),
            role: Role::Administrator,
            entity: None,
        }
    }
}

/// Every write the registry knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    CreateEntity,
    UpdateEntity,
    CreatePledge,
    UpdatePledge,
    WithdrawPledge,
    AddUpdate,
    VerifyUpdate,
    LinkIndicator,
    IssueToken,
    RevokeToken,
    Import,
    /// An entity's consent to be a co-pledger of another's pledge.
    ConfirmCoPledge,
    /// Setting or clearing the `example` mark of an existing record.
    ChangeExample,
    /// Registering a claim with the server; not a registry record, but authorised by its tokens.
    RegisterClaim,
}

impl Action {
    pub const ALL: [Action; 14] = [
        Action::CreateEntity,
        Action::UpdateEntity,
        Action::CreatePledge,
        Action::UpdatePledge,
        Action::WithdrawPledge,
        Action::AddUpdate,
        Action::VerifyUpdate,
        Action::LinkIndicator,
        Action::IssueToken,
        Action::RevokeToken,
        Action::Import,
        Action::ConfirmCoPledge,
        Action::ChangeExample,
        Action::RegisterClaim,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Action::CreateEntity => "create_entity",
            Action::UpdateEntity => "update_entity",
            Action::CreatePledge => "create_pledge",
            Action::UpdatePledge => "update_pledge",
            Action::WithdrawPledge => "withdraw_pledge",
            Action::AddUpdate => "add_update",
            Action::VerifyUpdate => "verify_update",
            Action::LinkIndicator => "link_indicator",
            Action::IssueToken => "issue_token",
            Action::RevokeToken => "revoke_token",
            Action::Import => "import",
            Action::ConfirmCoPledge => "confirm_co_pledge",
            Action::ChangeExample => "change_example",
            Action::RegisterClaim => "register_claim",
        }
    }

    /// Writes an entity editor may make on its own entity's records (for a co-pledge, the
    /// entity is the co-pledger's).
    fn is_editorial(self) -> bool {
        matches!(
            self,
            Action::UpdateEntity
                | Action::CreatePledge
                | Action::UpdatePledge
                | Action::WithdrawPledge
                | Action::AddUpdate
                | Action::LinkIndicator
                | Action::ConfirmCoPledge
        )
    }
}

/// The one authorisation check: may `who` do `action` on records owned by `owner`?
pub fn authorize(
    who: Option<&Principal>,
    action: Action,
    owner: Option<&str>,
) -> Result<(), RegistryError> {
    let who = who.ok_or(RegistryError::Unauthenticated)?;
    let allowed = match who.role {
        Role::Administrator => true,
        Role::Reviewer => action == Action::VerifyUpdate,
        Role::ClaimsEditor => action == Action::RegisterClaim,
        Role::EntityEditor => {
            action.is_editorial() && owner.is_some() && owner == who.entity.as_deref()
        }
    };
    if allowed {
        Ok(())
    } else {
        Err(RegistryError::Forbidden(format!(
            "a {:?} token{} may not {}{}",
            who.role,
            who.entity
                .as_deref()
                .map(|e| format!(" of `{e}`"))
                .unwrap_or_default(),
            action.name().replace('_', " "),
            owner.map(|o| format!(" for `{o}`")).unwrap_or_default()
        )))
    }
}
