//! The registry's test suite, run on SQLite and on PostgreSQL alike: every test is written once in
//! `suite` against a fresh database, and instantiated for both backends. PostgreSQL tests need
//! `PASSAGE_TEST_PG_URL`, which `scripts/with-postgres` sets (CI runs the tests under it).

mod fresh;
mod suite;

macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[test]
                fn sqlite() {
                    crate::suite::$name(&crate::fresh::Fresh::sqlite());
                }
                #[test]
                fn postgres() {
                    crate::suite::$name(&crate::fresh::Fresh::postgres());
                }
            }
        )*
    };
}

on_both_backends!(
    migrations_apply_once,
    model_rules_and_references,
    authorisation_matrix,
    tokens_expire_and_are_revoked,
    imports_are_all_or_nothing_with_precise_errors,
    concurrent_writers_lose_no_update,
    tampering_is_found_and_named,
    the_seed_file_imports_whole_and_is_marked_as_examples,
    the_public_feed_shows_no_token_hash,
    co_pledging_needs_the_co_pledgers_consent,
    only_an_administrator_changes_the_example_mark,
    an_export_imported_into_an_empty_registry_is_the_same_registry,
    the_database_refuses_to_change_or_delete_events,
    a_backup_restores_into_an_empty_registry_and_verifies,
    every_pledge_record_read_at_once_equals_each_read_alone,
    positions_refused_to_the_wrong_role_entity_or_secret_leave_nothing_stored,
    every_position_write_is_an_event_in_order,
    a_position_changed_outside_passage_is_found,
    position_values_are_refused_naming_the_field,
    positions_are_listed_by_entity_country_document_and_part,
    positions_survive_export_and_import_withdrawn_and_at_their_versions,
    a_snapshot_is_the_registry_as_read_and_follows_each_write,
);

/// PostgreSQL only: the server's role owns nothing, so it cannot drop the events' triggers.
#[test]
fn a_connecting_role_that_owns_nothing_cannot_lift_the_guard_of_the_events() {
    suite::a_connecting_role_that_owns_nothing_cannot_lift_the_guard_of_the_events(
        &fresh::Fresh::postgres(),
    );
}
