//! ZIP archives: stored files for the compatible API's small `download=true` answers, deflated
//! ones for whole releases, which are mostly CSV and shrink several times, and archives written
//! entry by entry with every entry stored, for release bundles.

use std::io::Write;

const fn crc_table() -> [u32; 256] {
    let mut table = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
            k += 1;
        }
        table[i] = c;
        i += 1;
    }
    table
}

const CRC_TABLE: [u32; 256] = crc_table();

/// CRC-32 (ISO 3309), as ZIP requires.
pub fn crc32(data: &[u8]) -> u32 {
    !data.iter().fold(!0u32, |c, &b| {
        CRC_TABLE[((c ^ u32::from(b)) & 0xFF) as usize] ^ (c >> 8)
    })
}

/// Builds a ZIP holding `files` (name, contents), stored without compression.
pub fn zip(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    archive(files, false)
}

/// Builds a ZIP holding `files`, each deflated.
pub fn zip_deflated(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    archive(files, true)
}

fn deflate(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::new(6));
    // Writing into a Vec cannot fail.
    let _ = e.write_all(data);
    e.finish().unwrap_or_default()
}

/// A local (or, with `at`, central) file header of an entry with UTF-8 name, no time and no extra
/// field; `at` is where the local header starts.
fn entry_header(
    name: &str,
    method: u16,
    crc: u32,
    packed: u32,
    size: u32,
    at: Option<u32>,
) -> Vec<u8> {
    let mut h = Vec::with_capacity(46 + name.len());
    let central = at.is_some();
    h.extend(if central { 0x0201_4b50u32 } else { 0x0403_4b50 }.to_le_bytes());
    if central {
        h.extend(20u16.to_le_bytes()); // made by
    }
    h.extend(20u16.to_le_bytes()); // version needed
    h.extend(0x0800u16.to_le_bytes()); // flags: UTF-8 names
    h.extend(method.to_le_bytes()); // 0 stored, 8 deflated
    h.extend(0u16.to_le_bytes()); // time
    h.extend(0x21u16.to_le_bytes()); // date: 1980-01-01
    h.extend(crc.to_le_bytes());
    h.extend(packed.to_le_bytes());
    h.extend(size.to_le_bytes());
    h.extend((name.len() as u16).to_le_bytes());
    h.extend(0u16.to_le_bytes()); // extra length
    if let Some(offset) = at {
        h.extend([0u8; 6]); // comment length, disk, internal attributes
        h.extend(0u32.to_le_bytes()); // external attributes
        h.extend(offset.to_le_bytes());
    }
    h.extend(name.as_bytes());
    h
}

fn end_of_directory(entries: u16, cd_offset: u32, cd_size: u32) -> Vec<u8> {
    let mut out = Vec::with_capacity(22);
    out.extend(0x0605_4b50u32.to_le_bytes());
    out.extend([0u8; 4]); // disk numbers
    out.extend(entries.to_le_bytes());
    out.extend(entries.to_le_bytes());
    out.extend(cd_size.to_le_bytes());
    out.extend(cd_offset.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out
}

fn archive(files: &[(String, Vec<u8>)], deflated: bool) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, raw) in files {
        let offset = out.len() as u32;
        let packed = if deflated { deflate(raw) } else { Vec::new() };
        let (data, method) = if deflated {
            (&packed, 8u16)
        } else {
            (raw, 0u16)
        };
        let (crc, size, packed_size) = (crc32(raw), raw.len() as u32, data.len() as u32);
        out.extend(entry_header(name, method, crc, packed_size, size, None));
        out.extend(data);
        central.extend(entry_header(
            name,
            method,
            crc,
            packed_size,
            size,
            Some(offset),
        ));
    }
    let (cd_offset, cd_size) = (out.len() as u32, central.len() as u32);
    out.extend(central);
    out.extend(end_of_directory(files.len() as u16, cd_offset, cd_size));
    out
}

/// A ZIP written entry by entry into `W`, each stored whole (no compression), so an entry's bytes
/// sit unchanged in the archive and can be read, hashed and resumed in place. Without ZIP64, an
/// archive holds at most 65,535 entries and 4 GiB; beyond that, [`StoredZip::add`] refuses.
pub struct StoredZip<W: Write> {
    out: W,
    offset: u64,
    central: Vec<u8>,
    entries: u16,
}

/// A ZIP that cannot be written.
#[derive(Debug, thiserror::Error)]
pub enum ZipError {
    /// Writing failed.
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// An entry or the archive is past what a ZIP without ZIP64 can address.
    #[error("`{0}` does not fit: a ZIP holds at most 65,535 entries and 4 GiB")]
    TooLarge(String),
}

impl<W: Write> StoredZip<W> {
    /// An empty archive writing into `out`.
    pub fn new(out: W) -> StoredZip<W> {
        StoredZip {
            out,
            offset: 0,
            central: Vec::new(),
            entries: 0,
        }
    }

    /// Appends the entry `name` holding `data`.
    pub fn add(&mut self, name: &str, data: &[u8]) -> Result<(), ZipError> {
        let too_large = || ZipError::TooLarge(name.to_string());
        let header_len = 30 + name.len() as u64;
        let end = self.offset + header_len + data.len() as u64;
        let (Ok(offset), Ok(size), Ok(_), Ok(_), Some(entries)) = (
            u32::try_from(self.offset),
            u32::try_from(data.len()),
            u32::try_from(end),
            u16::try_from(name.len()),
            self.entries.checked_add(1),
        ) else {
            return Err(too_large());
        };
        let crc = crc32(data);
        self.out
            .write_all(&entry_header(name, 0, crc, size, size, None))?;
        self.out.write_all(data)?;
        self.central
            .extend(entry_header(name, 0, crc, size, size, Some(offset)));
        self.offset = end;
        self.entries = entries;
        Ok(())
    }

    /// Writes the central directory and returns the writer and the archive's size in bytes.
    pub fn finish(mut self) -> Result<(W, u64), ZipError> {
        let too_large = || ZipError::TooLarge("the central directory".into());
        let cd_offset = u32::try_from(self.offset).map_err(|_| too_large())?;
        let cd_size = u32::try_from(self.central.len()).map_err(|_| too_large())?;
        u32::try_from(self.offset + self.central.len() as u64).map_err(|_| too_large())?;
        self.out.write_all(&self.central)?;
        self.out
            .write_all(&end_of_directory(self.entries, cd_offset, cd_size))?;
        self.out.flush()?;
        let size = self.offset + self.central.len() as u64 + 22;
        Ok((self.out, size))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc_of_the_check_string() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    }

    #[test]
    fn python_reads_the_archive() {
        for make in [zip, zip_deflated] {
            python_reads(make(&[
                ("a.csv".into(), b"x,y\n1,2\n".to_vec()),
                ("b.csv".into(), Vec::new()),
            ]));
        }
    }

    #[test]
    fn a_stored_zip_written_entry_by_entry_equals_the_whole_one() {
        let files = [
            ("a.csv".to_string(), b"x,y\n1,2\n".to_vec()),
            ("b.csv".to_string(), Vec::new()),
        ];
        let mut z = StoredZip::new(Vec::new());
        for (name, data) in &files {
            z.add(name, data).unwrap();
        }
        let (bytes, size) = z.finish().unwrap();
        assert_eq!(bytes, zip(&files));
        assert_eq!(size, bytes.len() as u64);
        python_reads(bytes);
    }

    fn python_reads(bytes: Vec<u8>) {
        let printed = crate::python_reader::python_reads(
            "t.zip",
            &bytes,
            "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; print(z.read('a.csv').decode(), end='')",
        );
        assert_eq!(printed, "x,y\n1,2\n");
    }
}
