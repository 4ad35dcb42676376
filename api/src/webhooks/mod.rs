//! Webhooks' machinery outside HTTP: the Standard Webhooks signature (`signature`), the
//! guard on where a delivery may connect (`address`), and the deliverer, a thread in each
//! server that claims due deliveries from the outbox and sends them (`deliver`).

pub mod address;
pub mod deliver;
pub mod signature;
