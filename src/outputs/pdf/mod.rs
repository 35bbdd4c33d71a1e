//! The PDFs: the screen PDF (tagged, PDF/UA-1 where it can be) and the print shop's PDF with
//! bleed and crop marks.

mod pdfbox;
pub mod print;
pub mod screen;
