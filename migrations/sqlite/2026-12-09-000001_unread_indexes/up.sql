-- Two indexes no query reads, which every import keeps up row by row (a third of what an
-- import stores is source IDs and HUD records). Source IDs are looked up by source, entity
-- and source ID (the primary key), and an export with source IDs reads them all in that
-- order: none by record. The look-up of `record.stage_duplicate` (the record of a kind, of a
-- disability type, at a stage of an enrollment, not deleted) reads an enrollment's few
-- records of a collection through hud_records_enrollment_id (enrollment_id, collection, id)
-- as well. Dropping an index changes no row.
DROP INDEX source_ids_record_id;
DROP INDEX hud_records_stage;
