//! The reading thread: every file's rows in the order of the archive, handed to the writing
//! thread a batch at a time along with what to do with them.

use std::io;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};

use threshold_persistence::export as store;
use threshold_persistence::imports;
use threshold_persistence::DbConnection;

use threshold_domain::hmis_csv::{fy2026 as columns, CsvFile};
use threshold_domain::hud_records::Collection;
use threshold_domain::program_descriptors::Descriptor;

use super::writing::Record;
use super::{ExportError, ExportRequest, Ids, SourceIds, Writer, BATCH};

/// Batches waiting for the writing thread.
const BATCHES_IN_FLIGHT: usize = 2;

/// Work for the writing thread: a batch of rows and how to write them, or a file to start
/// or finish.
pub(super) type Batch = Box<dyn FnOnce(&mut Writer<'_>) -> Result<(), ExportError> + Send>;

/// What a streaming read hands each row to.
type Each<'a, T> = dyn FnMut(T) -> Result<(), ExportError> + 'a;

/// How a row becomes records.
type Records<T> = fn(&mut Writer<'_>, &T) -> Vec<Record>;

pub(super) struct Reader {
    sender: SyncSender<Batch>,
}

/// The reader, and the batches it sends.
pub(super) fn channel() -> (Reader, Receiver<Batch>) {
    let (sender, receiver) = sync_channel(BATCHES_IN_FLIGHT);
    (Reader { sender }, receiver)
}

impl Reader {
    /// Reads every file, in the order of the archive, and has the archive completed.
    pub(super) fn all(
        self,
        conn: &mut DbConnection,
        request: &ExportRequest,
    ) -> Result<(), ExportError> {
        let filter = &request.filter;
        let hidden = &store::hidden_clients(conn, filter)?;
        let users = store::users(conn)?;
        let sources = match request.ids {
            Ids::Own => SourceIds::default(),
            Ids::Source => SourceIds::of(imports::every_source_id(conn)?),
        };
        self.send(Box::new(move |writer| {
            writer.know_users(users);
            writer.sources = sources;
            writer.export_file()
        }))?;
        self.file(
            conn,
            &columns::ORGANIZATION,
            |conn, each| store::each_organization(conn, filter, each),
            |writer, row| vec![writer.organization(row)],
        )?;
        self.file(
            conn,
            &columns::PROJECT,
            |conn, each| store::each_program(conn, filter, each),
            |writer, row| vec![writer.project(row)],
        )?;
        self.file(
            conn,
            &columns::FUNDER,
            |conn, each| store::each_grant(conn, filter, each),
            |writer, row| vec![writer.funder(row)],
        )?;
        self.file(
            conn,
            &columns::PROJECT_COC,
            |conn, each| store::each_program_coc(conn, filter, each),
            |writer, row| {
                let keys = (writer.id(row.id), row.program_id);
                vec![writer.descriptor(Descriptor::ProjectCoc, keys, row, row.deleted_at)]
            },
        )?;
        self.file(
            conn,
            &columns::INVENTORY,
            |conn, each| store::each_inventory(conn, filter, each),
            |writer, row| {
                let keys = (writer.id(row.id), row.program_id);
                vec![writer.descriptor(Descriptor::Inventory, keys, row, row.deleted_at)]
            },
        )?;
        self.file(
            conn,
            &columns::AFFILIATION,
            |conn, each| store::each_affiliation(conn, filter, each),
            |writer, row| vec![writer.affiliation(row)],
        )?;
        self.file(
            conn,
            &columns::HMIS_PARTICIPATION,
            |conn, each| store::each_hmis_participation(conn, filter, each),
            |writer, row| {
                let keys = (writer.id(row.id), row.program_id);
                vec![writer.descriptor(Descriptor::HmisParticipation, keys, row, row.deleted_at)]
            },
        )?;
        self.file(
            conn,
            &columns::CE_PARTICIPATION,
            |conn, each| store::each_ce_participation(conn, filter, each),
            |writer, row| {
                let keys = (writer.id(row.id), row.program_id);
                vec![writer.descriptor(Descriptor::CeParticipation, keys, row, row.deleted_at)]
            },
        )?;
        self.file(
            conn,
            &columns::CLIENT,
            |conn, each| store::each_client(conn, filter, hidden, each),
            |writer, row| vec![writer.client(row)],
        )?;
        self.file(
            conn,
            &columns::ENROLLMENT,
            |conn, each| store::each_enrollment(conn, filter, hidden, false, each),
            |writer, row| vec![writer.enrollment(row)],
        )?;
        self.file(
            conn,
            &columns::EXIT,
            |conn, each| store::each_enrollment(conn, filter, hidden, true, each),
            |writer, row| writer.exit(row).into_iter().collect(),
        )?;
        // AssessmentQuestions.csv and AssessmentResults.csv are more passes over the same
        // assessments: the ZIP is written one file after the other.
        self.file(
            conn,
            &columns::ASSESSMENT,
            |conn, each| store::each_assessment(conn, filter, hidden, each),
            |writer, row| vec![writer.assessment(row)],
        )?;
        self.file(
            conn,
            &columns::ASSESSMENT_QUESTIONS,
            |conn, each| store::each_assessment(conn, filter, hidden, each),
            |writer, row| writer.assessment_questions(row),
        )?;
        self.file(
            conn,
            &columns::ASSESSMENT_RESULTS,
            |conn, each| store::each_assessment(conn, filter, hidden, each),
            |writer, row| writer.assessment_results(row),
        )?;
        self.file(
            conn,
            &columns::SERVICES,
            |conn, each| store::each_service(conn, filter, hidden, each),
            |writer, (row, client_id)| vec![writer.service(row, *client_id)],
        )?;
        for collection in Collection::ALL {
            self.file(
                conn,
                collection.file(),
                |conn, each| store::each_hud_record(conn, filter, hidden, collection, each),
                |writer, (row, client_id)| vec![writer.hud_record(row, *client_id)],
            )?;
        }
        self.send(Box::new(|writer| {
            writer.user_file()?;
            writer.finish()
        }))
    }

    /// Reads one file's rows and sends them on in batches, with `records` to write them.
    fn file<T: Send + 'static>(
        &self,
        conn: &mut DbConnection,
        file: &'static CsvFile,
        rows: impl FnOnce(&mut DbConnection, &mut Each<'_, T>) -> Result<(), ExportError>,
        records: Records<T>,
    ) -> Result<(), ExportError> {
        self.send(Box::new(move |writer| writer.start(file)))?;
        let mut batch = Vec::with_capacity(BATCH);
        rows(conn, &mut |row| {
            batch.push(row);
            if batch.len() == BATCH {
                let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                self.send(Box::new(move |writer| writer.rows(file, &full, records)))?;
            }
            Ok(())
        })?;
        self.send(Box::new(move |writer| {
            writer.rows(file, &batch, records)?;
            writer.done(file);
            Ok(())
        }))
    }

    fn send(&self, batch: Batch) -> Result<(), ExportError> {
        // The writing thread is gone only once it failed: its error is the one reported.
        self.sender
            .send(batch)
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the CSV writer stopped").into())
    }
}
