//! Lesson images as uploaded: the type is read from the bytes (PNG, JPEG
//! or WebP; SVG, HTML and everything else refused, whatever the file is
//! called), the pixel size from the header before anything is decoded (no
//! decompression bombs), then the image is decoded under allocation
//! limits, scaled down to at most 1600 px wide for phones and encoded
//! afresh (JPEG, or PNG when it has transparency), which leaves every
//! metadata block (EXIF, GPS, comments) behind.

use std::io::Cursor;

use image::{DynamicImage, ImageFormat, ImageReader, Limits};
use sha2::{Digest, Sha256};

use crate::error::FieldCode;

/// The widest image kept.
pub const MAX_WIDTH: u32 = 1600;
/// The largest image accepted, by its header: 40 megapixels, 10,000 px a
/// side (a phone photo is about 12 megapixels).
pub const MAX_PIXELS: u64 = 40_000_000;
pub const MAX_SIDE: u32 = 10_000;

/// An image ready to store.
#[derive(Debug)]
pub struct Processed {
    pub bytes: Vec<u8>,
    /// `jpg` or `png`.
    pub ext: &'static str,
    pub width: u32,
    pub height: u32,
    /// The store key: the SHA-256 of the bytes and the extension.
    pub key: String,
}

pub fn process(upload: &[u8]) -> Result<Processed, FieldCode> {
    let format = image::guess_format(upload).map_err(|_| FieldCode::InvalidImage)?;
    if !matches!(
        format,
        ImageFormat::Png | ImageFormat::Jpeg | ImageFormat::WebP
    ) {
        return Err(FieldCode::InvalidImage);
    }
    let (w, h) = ImageReader::with_format(Cursor::new(upload), format)
        .into_dimensions()
        .map_err(|_| FieldCode::InvalidImage)?;
    if w == 0 || h == 0 || w > MAX_SIDE || h > MAX_SIDE || u64::from(w) * u64::from(h) > MAX_PIXELS
    {
        return Err(FieldCode::ImageTooLarge);
    }
    let mut reader = ImageReader::with_format(Cursor::new(upload), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_PIXELS * 4 + 16 * 1024 * 1024);
    reader.limits(limits);
    let decoded = reader.decode().map_err(|_| FieldCode::InvalidImage)?;
    let image = if decoded.width() > MAX_WIDTH {
        decoded.resize(MAX_WIDTH, u32::MAX, image::imageops::FilterType::Triangle)
    } else {
        decoded
    };
    let (width, height) = (image.width(), image.height());
    let mut bytes = Vec::new();
    let ext = if image.color().has_alpha() {
        image
            .write_to(&mut Cursor::new(&mut bytes), ImageFormat::Png)
            .map_err(|_| FieldCode::InvalidImage)?;
        "png"
    } else {
        let rgb = DynamicImage::ImageRgb8(image.to_rgb8());
        let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 82);
        rgb.write_with_encoder(encoder)
            .map_err(|_| FieldCode::InvalidImage)?;
        "jpg"
    };
    let hash = Sha256::digest(&bytes);
    let key = format!(
        "{}.{ext}",
        hash.iter().map(|b| format!("{b:02x}")).collect::<String>()
    );
    Ok(Processed {
        bytes,
        ext,
        width,
        height,
        key,
    })
}

/// Whether `key` is one [`process`] could have made (what `/media/{key}`
/// serves): 64 hex digits and `.jpg` or `.png`.
pub fn valid_key(key: &str) -> bool {
    match key.split_once('.') {
        Some((hash, "jpg" | "png")) => {
            hash.len() == 64
                && hash
                    .bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        }
        _ => false,
    }
}

/// A PNG of `w` × `h` pixels (a gradient), for tests.
pub fn sample_png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    });
    let mut out = Vec::new();
    DynamicImage::ImageRgb8(img)
        .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
        .expect("encode");
    out
}

/// A small PNG that claims `w` × `h` pixels: a valid signature, header
/// and (tiny) data chunk, the shape of a decompression bomb to a reader of
/// headers.
pub fn png_header_claiming(w: u32, h: u32) -> Vec<u8> {
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(b"IHDR");
    ihdr.extend_from_slice(&w.to_be_bytes());
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    let crc = crc32(&ihdr);
    let mut out = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    out.extend_from_slice(&13u32.to_be_bytes());
    out.extend_from_slice(&ihdr);
    out.extend_from_slice(&crc.to_be_bytes());
    // An IDAT holding an empty zlib stream, then IEND.
    let mut idat = b"IDAT".to_vec();
    idat.extend_from_slice(&[0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
    out.extend_from_slice(&8u32.to_be_bytes());
    out.extend_from_slice(&idat);
    out.extend_from_slice(&crc32(&idat).to_be_bytes());
    out.extend_from_slice(&[0, 0, 0, 0, b'I', b'E', b'N', b'D', 0xAE, 0x42, 0x60, 0x82]);
    out
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for b in data {
        crc ^= u32::from(*b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_real_png_jpeg_and_webp_pass_and_big_ones_shrink() {
        assert_eq!(
            process(b"<html><script>alert(1)</script></html>").unwrap_err(),
            FieldCode::InvalidImage
        );
        let svg = br#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#;
        assert_eq!(process(svg).unwrap_err(), FieldCode::InvalidImage);
        assert_eq!(
            process(b"GIF89a\x01\x00\x01\x00").unwrap_err(),
            FieldCode::InvalidImage
        );
        assert_eq!(
            process(&png_header_claiming(20_000, 20_000)).unwrap_err(),
            FieldCode::ImageTooLarge
        );
        // A truncated PNG that claims a sane size fails to decode, cleanly.
        assert_eq!(
            process(&png_header_claiming(100, 100)).unwrap_err(),
            FieldCode::InvalidImage
        );
        let wide = process(&sample_png(3200, 400)).unwrap();
        assert_eq!((wide.width, wide.height, wide.ext), (1600, 200, "jpg"));
        assert!(valid_key(&wide.key));
        let small = process(&sample_png(40, 30)).unwrap();
        assert_eq!((small.width, small.height), (40, 30));
    }

    #[test]
    fn metadata_does_not_survive_re_encoding() {
        // A JPEG with an EXIF block (APP1) holding a GPS-like note.
        let jpeg = process(&sample_png(64, 64)).unwrap().bytes;
        let mut with_exif = jpeg[..2].to_vec();
        let note = b"Exif\0\0GPS -6.2088,106.8456 Jakarta";
        with_exif.extend_from_slice(&[0xFF, 0xE1]);
        with_exif.extend_from_slice(&((note.len() + 2) as u16).to_be_bytes());
        with_exif.extend_from_slice(note);
        with_exif.extend_from_slice(&jpeg[2..]);
        let out = process(&with_exif).unwrap();
        let text = String::from_utf8_lossy(&out.bytes);
        assert!(!text.contains("Exif") && !text.contains("Jakarta"));
    }

    #[test]
    fn keys() {
        assert!(valid_key(&format!("{}.png", "a".repeat(64))));
        assert!(!valid_key(&format!("{}.svg", "a".repeat(64))));
        assert!(!valid_key("../../etc/passwd"));
        assert!(!valid_key(&format!("{}.jpg", "A".repeat(64))));
    }
}
