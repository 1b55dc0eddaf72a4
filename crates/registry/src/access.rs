//! Who may change what: the roles, the principal a token stands for, and the one authorisation
//! check every write goes through. Reading is public; writing needs a token.

use serde::{Deserialize, Serialize};

use crate::RegistryError;

/// What a token may change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Everything, including tokens and imports.
    Administrator,
    /// The pledges, updates, links and positions of one entity, and that entity's record.
    EntityEditor,
    /// Marks progress updates verified.
    Reviewer,
    /// Registers claims with the server (`POST /api/v1/claims`), and nothing of the registry.
    ClaimsEditor,
}

impl Role {
    /// Reads a role name (`administrator`, `entity_editor`, …, with their short forms); `None` for any other.
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
    /// Who wrote, as recorded in events: the token's id, or `local-administrator` at the command line.
    pub actor: String,
    /// What the principal may change.
    pub role: Role,
    /// For an entity editor, the id of the entity whose records it may change.
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
    /// Registering an organisation, state or other pledging entity.
    CreateEntity,
    /// Changing an entity's record.
    UpdateEntity,
    /// Registering a pledge.
    CreatePledge,
    /// Changing a pledge.
    UpdatePledge,
    /// Withdrawing a pledge; it is kept, marked withdrawn.
    WithdrawPledge,
    /// Reporting progress on a pledge.
    AddUpdate,
    /// Marking a progress update verified.
    VerifyUpdate,
    /// Linking a pledge to an indicator of the evidence store.
    LinkIndicator,
    /// Issuing an access token.
    IssueToken,
    /// Revoking an access token.
    RevokeToken,
    /// Importing a bundle of records.
    Import,
    /// An entity's consent to be a co-pledger of another's pledge.
    ConfirmCoPledge,
    /// Setting or clearing the `example` mark of an existing record.
    ChangeExample,
    /// Registering a claim with the server; not a registry record, but authorised by its tokens.
    RegisterClaim,
    /// Recording a position of a state or group on a part of a text.
    CreatePosition,
    /// Changing a position.
    UpdatePosition,
    /// Withdrawing a position; it is kept, marked withdrawn.
    WithdrawPosition,
}

impl Action {
    /// Every action, in a fixed order.
    pub const ALL: [Action; 17] = [
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
        Action::CreatePosition,
        Action::UpdatePosition,
        Action::WithdrawPosition,
    ];

    /// The action's name in events and messages, such as `create_pledge`.
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
            Action::CreatePosition => "create_position",
            Action::UpdatePosition => "update_position",
            Action::WithdrawPosition => "withdraw_position",
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
                | Action::CreatePosition
                | Action::UpdatePosition
                | Action::WithdrawPosition
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
