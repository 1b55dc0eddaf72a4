//! ZIP archives: stored files for the compatible API's small `download=true` answers, and
//! deflated ones for whole releases, which are mostly CSV and shrink several times.

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
        let header = |sig: u32, central: bool| {
            let mut h = Vec::with_capacity(46 + name.len());
            h.extend(sig.to_le_bytes());
            if central {
                h.extend(20u16.to_le_bytes()); // made by
            }
            h.extend(20u16.to_le_bytes()); // version needed
            h.extend(0x0800u16.to_le_bytes()); // flags: UTF-8 names
            h.extend(method.to_le_bytes()); // 0 stored, 8 deflated
            h.extend(0u16.to_le_bytes()); // time
            h.extend(0x21u16.to_le_bytes()); // date: 1980-01-01
            h.extend(crc.to_le_bytes());
            h.extend(packed_size.to_le_bytes());
            h.extend(size.to_le_bytes());
            h.extend((name.len() as u16).to_le_bytes());
            h.extend(0u16.to_le_bytes()); // extra length
            if central {
                h.extend([0u8; 6]); // comment length, disk, internal attributes
                h.extend(0u32.to_le_bytes()); // external attributes
                h.extend(offset.to_le_bytes());
            }
            h.extend(name.as_bytes());
            h
        };
        out.extend(header(0x0403_4b50, false));
        out.extend(data);
        central.extend(header(0x0201_4b50, true));
    }
    let (cd_offset, cd_size) = (out.len() as u32, central.len() as u32);
    out.extend(central);
    out.extend(0x0605_4b50u32.to_le_bytes());
    out.extend([0u8; 4]); // disk numbers
    out.extend((files.len() as u16).to_le_bytes());
    out.extend((files.len() as u16).to_le_bytes());
    out.extend(cd_size.to_le_bytes());
    out.extend(cd_offset.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out
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

    fn python_reads(bytes: Vec<u8>) {
        let printed = crate::python_reader::python_reads(
            "t.zip",
            &bytes,
            "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; print(z.read('a.csv').decode(), end='')",
        );
        assert_eq!(printed, "x,y\n1,2\n");
    }
}
