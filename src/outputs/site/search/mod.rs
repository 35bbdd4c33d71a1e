//! Search, both halves: a report's search text (`report`, written with the report) and the
//! site-wide index over every listed report (`index`), with the text normalisation they share.

pub mod index;
pub mod norm;
pub mod report;
