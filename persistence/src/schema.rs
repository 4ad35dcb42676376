//! Tables, in types both backends share (IDs as TEXT, instants as UTC TIMESTAMP).

diesel::table! {
    organizations (id) {
        id -> Text,
        name -> Text,
        victim_service_provider -> Bool,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        created_by -> Text,
        updated_by -> Text,
        hud -> Text,
    }
}

diesel::table! {
    programs (id) {
        id -> Text,
        organization_id -> Text,
        name -> Text,
        project_type -> Integer,
        operating_start_date -> Date,
        operating_end_date -> Nullable<Date>,
        continuum_project -> Bool,
        capacity -> Nullable<Integer>,
        auto_exit_days -> Nullable<Integer>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        created_by -> Text,
        updated_by -> Text,
        hud -> Text,
    }
}

diesel::table! {
    grants (id) {
        id -> Text,
        program_id -> Text,
        funder -> Integer,
        other_funder -> Nullable<Text>,
        grant_identifier -> Text,
        start_date -> Date,
        end_date -> Nullable<Date>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        created_by -> Text,
        updated_by -> Text,
    }
}

diesel::table! {
    users (id) {
        id -> Text,
        organization_id -> Text,
        first_name -> Text,
        last_name -> Text,
        email -> Text,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        created_by -> Text,
        updated_by -> Text,
    }
}

diesel::table! {
    clients (id) {
        id -> Text,
        first_name -> Nullable<Text>,
        middle_name -> Nullable<Text>,
        last_name -> Nullable<Text>,
        name_suffix -> Nullable<Text>,
        name_data_quality -> Integer,
        ssn -> Nullable<Text>,
        ssn_last4 -> Nullable<Text>,
        ssn_data_quality -> Integer,
        dob -> Nullable<Date>,
        dob_data_quality -> Integer,
        sex -> Integer,
        race_ethnicity -> Text,
        race_none -> Nullable<Integer>,
        veteran_status -> Integer,
        search_name -> Text,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        created_by -> Text,
        updated_by -> Text,
        deleted_at -> Nullable<Timestamp>,
        organization_id -> Nullable<Text>,
        hud -> Text,
        source -> Nullable<Text>,
    }
}

diesel::table! {
    consents (id) {
        id -> Text,
        client_id -> Text,
        scope -> Text,
        start_date -> Date,
        end_date -> Nullable<Date>,
        status -> Text,
        recorded_by -> Text,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        created_by -> Text,
        updated_by -> Text,
    }
}

diesel::table! {
    consent_organizations (consent_id, organization_id) {
        consent_id -> Text,
        organization_id -> Text,
    }
}

diesel::table! {
    households (id) {
        id -> Text,
        program_id -> Text,
        created_at -> Timestamp,
        created_by -> Text,
    }
}

diesel::table! {
    enrollments (id) {
        id -> Text,
        client_id -> Text,
        program_id -> Text,
        household_id -> Text,
        relationship_to_hoh -> Integer,
        entry_date -> Date,
        exit_date -> Nullable<Date>,
        destination -> Nullable<Integer>,
        destination_subsidy_type -> Nullable<Integer>,
        other_destination -> Nullable<Text>,
        auto_exited -> Bool,
        exited_by -> Nullable<Text>,
        exited_at -> Nullable<Timestamp>,
        grant_id -> Nullable<Text>,
        case_manager_id -> Nullable<Text>,
        enrollment_coc -> Nullable<Text>,
        disabling_condition -> Nullable<Integer>,
        prior_living_situation -> Nullable<Integer>,
        length_of_stay -> Nullable<Integer>,
        move_in_date -> Nullable<Date>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        created_by -> Text,
        updated_by -> Text,
        deleted_at -> Nullable<Timestamp>,
        hud -> Text,
        exit_hud -> Text,
        flags -> Text,
        source -> Nullable<Text>,
        exit_source -> Nullable<Text>,
    }
}

diesel::joinable!(programs -> organizations (organization_id));
diesel::joinable!(grants -> programs (program_id));
diesel::joinable!(users -> organizations (organization_id));
diesel::joinable!(households -> programs (program_id));
diesel::joinable!(enrollments -> clients (client_id));
diesel::joinable!(enrollments -> programs (program_id));
diesel::joinable!(enrollments -> households (household_id));

diesel::table! {
    assessments (id) {
        id -> Text,
        client_id -> Text,
        enrollment_id -> Nullable<Text>,
        assessment_date -> Date,
        assessment_location -> Text,
        assessment_type -> Integer,
        assessment_level -> Integer,
        prioritization_status -> Integer,
        answers -> Text,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        created_by -> Text,
        updated_by -> Text,
        deleted_at -> Nullable<Timestamp>,
        results -> Text,
    }
}

diesel::table! {
    services (id) {
        id -> Text,
        enrollment_id -> Text,
        date_provided -> Date,
        record_type -> Integer,
        type_provided -> Integer,
        other_type_provided -> Nullable<Text>,
        fa_amount_cents -> Nullable<BigInt>,
        note -> Nullable<Text>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        created_by -> Text,
        updated_by -> Text,
        deleted_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    goals (id) {
        id -> Text,
        enrollment_id -> Text,
        title -> Text,
        description -> Nullable<Text>,
        status -> Text,
        target_date -> Nullable<Date>,
        closed_date -> Nullable<Date>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        created_by -> Text,
        updated_by -> Text,
        deleted_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    action_steps (id) {
        id -> Text,
        goal_id -> Text,
        enrollment_id -> Text,
        description -> Text,
        assigned_to -> Nullable<Text>,
        due_date -> Nullable<Date>,
        completed_date -> Nullable<Date>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        created_by -> Text,
        updated_by -> Text,
        deleted_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    follow_ups (id) {
        id -> Text,
        enrollment_id -> Text,
        reason -> Text,
        due_date -> Date,
        assigned_to -> Nullable<Text>,
        completed_at -> Nullable<Timestamp>,
        outcome -> Nullable<Text>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        created_by -> Text,
        updated_by -> Text,
        deleted_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    hud_records (id) {
        id -> Text,
        enrollment_id -> Text,
        collection -> Text,
        information_date -> Date,
        data_collection_stage -> Nullable<Integer>,
        disability_type -> Nullable<Integer>,
        fields -> Text,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        created_by -> Text,
        updated_by -> Text,
        deleted_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    program_cocs (id) {
        id -> Text,
        program_id -> Text,
        coc_code -> Text,
        geocode -> Text,
        address1 -> Nullable<Text>,
        address2 -> Nullable<Text>,
        city -> Nullable<Text>,
        state -> Nullable<Text>,
        zip -> Nullable<Text>,
        geography_type -> Nullable<Integer>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        created_by -> Text,
        updated_by -> Text,
        deleted_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    inventories (id) {
        id -> Text,
        program_id -> Text,
        coc_code -> Text,
        household_type -> Integer,
        availability -> Nullable<Integer>,
        unit_inventory -> Integer,
        bed_inventory -> Integer,
        ch_vet_bed_inventory -> Nullable<Integer>,
        youth_vet_bed_inventory -> Nullable<Integer>,
        vet_bed_inventory -> Nullable<Integer>,
        ch_youth_bed_inventory -> Nullable<Integer>,
        youth_bed_inventory -> Nullable<Integer>,
        ch_bed_inventory -> Nullable<Integer>,
        other_bed_inventory -> Nullable<Integer>,
        es_bed_type -> Nullable<Integer>,
        inventory_start_date -> Date,
        inventory_end_date -> Nullable<Date>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        created_by -> Text,
        updated_by -> Text,
        deleted_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    hmis_participations (id) {
        id -> Text,
        program_id -> Text,
        hmis_participation_type -> Integer,
        hmis_participation_status_start_date -> Date,
        hmis_participation_status_end_date -> Nullable<Date>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        created_by -> Text,
        updated_by -> Text,
        deleted_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    ce_participations (id) {
        id -> Text,
        program_id -> Text,
        access_point -> Integer,
        prevention_assessment -> Nullable<Integer>,
        crisis_assessment -> Nullable<Integer>,
        housing_assessment -> Nullable<Integer>,
        direct_services -> Nullable<Integer>,
        receives_referrals -> Integer,
        ce_participation_status_start_date -> Date,
        ce_participation_status_end_date -> Nullable<Date>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        created_by -> Text,
        updated_by -> Text,
        deleted_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    affiliations (id) {
        id -> Text,
        program_id -> Text,
        res_program_id -> Text,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        created_by -> Text,
        updated_by -> Text,
        deleted_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    webhooks (id) {
        id -> Text,
        organization_id -> Nullable<Text>,
        url -> Text,
        events -> Text,
        description -> Nullable<Text>,
        active -> Bool,
        secret -> Text,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        created_by -> Text,
        updated_by -> Text,
        deleted_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    webhook_events (seq) {
        seq -> BigInt,
        id -> Text,
        event_type -> Text,
        entity_type -> Text,
        entity_id -> Text,
        organization_id -> Nullable<Text>,
        client_id -> Nullable<Text>,
        occurred_at -> Timestamp,
        data -> Text,
    }
}

diesel::table! {
    webhook_deliveries (id) {
        id -> Text,
        webhook_id -> Text,
        event_seq -> BigInt,
        resource -> Text,
        status -> Text,
        attempts -> Integer,
        max_attempts -> Integer,
        next_attempt_at -> Timestamp,
        leased_until -> Nullable<Timestamp>,
        leased_by -> Nullable<Text>,
        last_status_code -> Nullable<Integer>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    webhook_attempts (id) {
        id -> Text,
        delivery_id -> Text,
        at -> Timestamp,
        status_code -> Nullable<Integer>,
        error -> Nullable<Text>,
        duration_ms -> Integer,
    }
}

diesel::joinable!(assessments -> clients (client_id));
diesel::joinable!(consents -> clients (client_id));
diesel::joinable!(consent_organizations -> consents (consent_id));
diesel::joinable!(services -> enrollments (enrollment_id));
diesel::joinable!(goals -> enrollments (enrollment_id));
diesel::joinable!(action_steps -> goals (goal_id));
diesel::joinable!(follow_ups -> enrollments (enrollment_id));
diesel::joinable!(hud_records -> enrollments (enrollment_id));
diesel::joinable!(program_cocs -> programs (program_id));
diesel::joinable!(inventories -> programs (program_id));
diesel::joinable!(hmis_participations -> programs (program_id));
diesel::joinable!(ce_participations -> programs (program_id));
diesel::joinable!(webhook_deliveries -> webhooks (webhook_id));
diesel::joinable!(webhook_deliveries -> webhook_events (event_seq));
diesel::joinable!(webhook_attempts -> webhook_deliveries (delivery_id));

diesel::table! {
    /// Each enrollment's completeness as its household's writes last left it
    /// (`completeness`).
    enrollment_completeness (enrollment_id) {
        enrollment_id -> Text,
        as_of -> Date,
        complete -> Bool,
        holds_until -> Nullable<Date>,
    }
}

diesel::joinable!(enrollment_completeness -> enrollments (enrollment_id));

diesel::allow_tables_to_appear_in_same_query!(
    organizations,
    programs,
    grants,
    users,
    clients,
    consents,
    consent_organizations,
    households,
    enrollments,
    enrollment_completeness,
    assessments,
    services,
    goals,
    action_steps,
    follow_ups,
    hud_records,
    program_cocs,
    inventories,
    hmis_participations,
    ce_participations,
    affiliations,
    audit_events,
    webhooks,
    webhook_events,
    webhook_deliveries,
    webhook_attempts,
);

diesel::table! {
    audit_events (id) {
        id -> Text,
        at -> Timestamp,
        actor -> Text,
        action -> Text,
        entity_type -> Text,
        entity_id -> Text,
        organization_id -> Nullable<Text>,
        changes -> Text,
    }
}

diesel::table! {
    change_clock (id) {
        id -> Integer,
        last_at -> Timestamp,
    }
}

diesel::table! {
    idempotency_keys (caller, idempotency_key) {
        caller -> Text,
        idempotency_key -> Text,
        request_hash -> Text,
        status -> Integer,
        body -> Text,
        location -> Nullable<Text>,
        etag -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    import_jobs (id) {
        id -> Text,
        status -> Text,
        dry_run -> Bool,
        organization_id -> Text,
        created_by -> Text,
        created_at -> Timestamp,
        started_at -> Nullable<Timestamp>,
        finished_at -> Nullable<Timestamp>,
        counts -> Text,
        errors -> Text,
        source -> Nullable<Text>,
        archive -> Binary,
        ignored -> Text,
        mode -> Text,
        max_skipped_percent -> Integer,
    }
}

diesel::table! {
    import_archive_slices (job_id, position) {
        job_id -> Text,
        position -> Integer,
        bytes -> Binary,
    }
}

diesel::table! {
    source_ids (source, entity, source_id) {
        source -> Text,
        entity -> Text,
        source_id -> Text,
        record_id -> Text,
        source_updated_at -> Nullable<Timestamp>,
    }
}
