CREATE INDEX hud_records_stage ON hud_records (enrollment_id, collection,
    data_collection_stage, disability_type) WHERE deleted_at IS NULL;
CREATE INDEX source_ids_record_id ON source_ids (entity, record_id);
