// SmartChain's canonical encoding (docs/encoding.md), ported from SmartChain.Core/Encoding: little-endian fixed
// widths, u32-length-prefixed byte strings and UTF-8 strings, u32 counts. The reader rejects exactly what the C#
// CanonicalReader rejects, with the same messages ("at offset N: reason"), so a receipt the browser refuses names the
// same byte and reason that `smartchain receipt verify` would.

/** A decoding failure: the offset of the bad field and why, worded as the C# EncodingException. */
export class EncodingError extends Error {
  constructor(offset, reason) {
    super(`at offset ${offset}: ${reason}`);
    this.name = 'EncodingError';
    this.offset = offset;
    this.reason = reason;
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf8 = new TextEncoder();

/** Reads the canonical encoding from a Uint8Array; every length and count is bounded before anything is sliced. */
export class Reader {
  constructor(bytes) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.position = 0;
  }

  get remaining() { return this.bytes.length - this.position; }

  take(length) {
    if (length < 0 || length > this.remaining) {
      throw new EncodingError(this.position, `truncated input: needed ${length} bytes, ${this.remaining} remain`);
    }
    const slice = this.bytes.subarray(this.position, this.position + length);
    this.position += length;
    return slice;
  }

  u8() { return this.take(1)[0]; }

  u16() { const at = this.position; this.take(2); return this.view.getUint16(at, true); }

  u32() { const at = this.position; this.take(4); return this.view.getUint32(at, true); }

  i32() { const at = this.position; this.take(4); return this.view.getInt32(at, true); }

  /** A u64 as a BigInt (sequences exceed 2^53). */
  u64() { const at = this.position; this.take(8); return this.view.getBigUint64(at, true); }

  /** An i64 as a BigInt, optionally bounded to min..max (BigInts) like CanonicalReader.ReadInt64(min, max). */
  i64(min, max) {
    const at = this.position;
    this.take(8);
    const value = this.view.getBigInt64(at, true);
    if (min !== undefined && (value < min || value > max)) {
      throw new EncodingError(at, `value ${value} outside ${min}..${max}`);
    }
    return value;
  }

  fixed(length) { return this.take(length); }

  bytesField(maxLength) {
    const at = this.position;
    const length = this.u32();
    if (length > maxLength) {
      throw new EncodingError(at, `byte string length ${length} exceeds the limit of ${maxLength}`);
    }
    return this.take(length);
  }

  string(maxBytes) {
    const at = this.position;
    const bytes = this.bytesField(maxBytes);
    try {
      return strictUtf8.decode(bytes);
    } catch {
      throw new EncodingError(at, 'string is not valid UTF-8');
    }
  }

  count(maxCount, minElementBytes) {
    const at = this.position;
    const count = this.u32();
    if (count > maxCount) {
      throw new EncodingError(at, `count ${count} exceeds the limit of ${maxCount}`);
    }
    const needed = count * Math.max(minElementBytes, 0);
    if (needed > this.remaining) {
      throw new EncodingError(at, `count ${count} needs at least ${count * minElementBytes} bytes, ${this.remaining} remain`);
    }
    return count;
  }

  ensureEnd() {
    if (this.position !== this.bytes.length) {
      throw new EncodingError(this.position, `${this.remaining} trailing bytes after the value`);
    }
  }
}

/** Decodes all of `bytes` with `read(reader)`; trailing bytes are an error, as in CanonicalEncoding.Decode. */
export function decodeAll(bytes, read) {
  const reader = new Reader(bytes);
  const value = read(reader);
  reader.ensureEnd();
  return value;
}

/** Writes the canonical encoding into a growing buffer (used to rebuild genesis' canonical form from its JSON). */
export class Writer {
  constructor() {
    this.buffer = new Uint8Array(256);
    this.view = new DataView(this.buffer.buffer);
    this.length = 0;
  }

  reserve(n) {
    if (this.length + n <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.length + n) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
    this.view = new DataView(grown.buffer);
  }

  u8(v) { this.reserve(1); this.view.setUint8(this.length, v); this.length += 1; }

  u16(v) { this.reserve(2); this.view.setUint16(this.length, v, true); this.length += 2; }

  u32(v) { this.reserve(4); this.view.setUint32(this.length, v, true); this.length += 4; }

  i32(v) { this.reserve(4); this.view.setInt32(this.length, v, true); this.length += 4; }

  i64(v) { this.reserve(8); this.view.setBigInt64(this.length, BigInt(v), true); this.length += 8; }

  fixed(bytes) { this.reserve(bytes.length); this.buffer.set(bytes, this.length); this.length += bytes.length; }

  bytesField(bytes) { this.u32(bytes.length); this.fixed(bytes); }

  string(s) { this.bytesField(utf8.encode(s)); }

  toArray() { return this.buffer.slice(0, this.length); }
}

const hexDigits = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Lower-case hex, as Hash256.ToString and Ed25519PublicKey.ToString print. */
export function toHex(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += hexDigits[bytes[i]];
  return s;
}

/** Parses hex (either case, optional whitespace); null if it is not hex. */
export function fromHex(text) {
  const clean = text.replace(/\s+/g, '');
  if (clean.length % 2 !== 0 || /[^0-9a-fA-F]/.test(clean)) return null;
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.substr(i * 2, 2), 16);
  return out;
}

/** Parses standard base64; null if it is not base64. */
export function fromBase64(text) {
  const clean = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 !== 0) return null;
  const binary = atob(clean);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/** Standard base64 of bytes. */
export function toBase64(bytes) {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/** Bytes from text that is hex or base64 (hex first: a hex string is also valid base64 only by accident). */
export function parseBinaryText(text) {
  return fromHex(text) ?? fromBase64(text);
}

/** True if two byte arrays are equal. */
export function bytesEqual(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
