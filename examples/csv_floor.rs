//! The floor of any CSV tool: the csv crate's parse loop over a file, one
//! reused `ByteRecord`, nothing else. Prints rows and bytes.
//!
//! Usage: `csv_floor FILE`

use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: csv_floor FILE");
        return ExitCode::from(2);
    };
    let mut rdr = match csv::ReaderBuilder::new().flexible(true).from_path(&path) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("csv_floor: {path}: {e}");
            return ExitCode::from(2);
        }
    };
    let mut rec = csv::ByteRecord::new();
    let (mut rows, mut bytes) = (0u64, 0u64);
    loop {
        match rdr.read_byte_record(&mut rec) {
            Ok(true) => {
                rows += 1;
                bytes += rec.as_slice().len() as u64;
            }
            Ok(false) => break,
            Err(e) => {
                eprintln!("csv_floor: {path}: {e}");
                return ExitCode::from(2);
            }
        }
    }
    println!("{rows} rows, {bytes} field bytes");
    ExitCode::SUCCESS
}
