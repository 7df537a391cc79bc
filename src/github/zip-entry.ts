// Reads one entry of a zip held in memory, for archives nobody vouches for (a pull request's artifact): through the
// central directory, as unzip tools do; with caps on the entries and on the inflated size, checked as it inflates
// (a zip bomb may lie in its headers); and with no path handling at all, since nothing is ever written to disk.
import { crc32 } from 'node:zlib';
import { Inflate } from 'fflate';

/** Why an archive was refused: bytes that are not a zip, a missing or doubled entry, a cap passed, a lie. */
export class UnusableZipError extends Error {
  override readonly name = 'UnusableZipError';
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const ZIP64_MARK = 0xffffffff;
/** Compressed bytes handed to the inflater at a time: one push inflates to at most about 1032 times as much. */
const INFLATE_CHUNK = 4096;

/**
 * The text of the one entry named exactly `name`, read through the zip's central directory as unzip tools do.
 * Names are compared as bytes and never used as paths, so `../results.json` or `dir/results.json` is simply not
 * the entry. An archive that names the entry twice is refused (readers disagree on which one counts), as is one
 * whose local header disagrees with its central directory.
 */
export function readZipEntry(
  zip: Uint8Array,
  name: string,
  limits: { maxEntries: number; maxUncompressedBytes: number },
): string {
  const refuse = (reason: string) => new UnusableZipError(reason);
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const u32 = (at: number) => (at + 4 <= zip.length ? view.getUint32(at, true) : -1);
  const u16 = (at: number) => (at + 2 <= zip.length ? view.getUint16(at, true) : -1);

  // The end record is the last 22 bytes, unless a comment follows it; the comment's length must end the file.
  let end = -1;
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - 22 - 0xffff); at -= 1) {
    if (u32(at) === EOCD && at + 22 + u16(at + 20) === zip.length) {
      end = at;
      break;
    }
  }
  if (end < 0) throw refuse('no end of central directory (the bytes are not a zip archive)');
  const entries = u16(end + 10);
  const directorySize = u32(end + 12);
  const directoryAt = u32(end + 16);
  if (entries === 0xffff || directoryAt === ZIP64_MARK) throw refuse('ZIP64 archives are not accepted');
  if (entries > limits.maxEntries) {
    throw refuse(`${entries} entries, over the limit of ${limits.maxEntries}`);
  }
  if (directoryAt + directorySize > end) throw refuse('the central directory lies outside the archive');

  const wanted = Buffer.from(name, 'utf8');
  let found:
    { method: number; flags: number; crc: number; size: number; length: number; local: number } | undefined;
  let at = directoryAt;
  for (let i = 0; i < entries; i += 1) {
    if (u32(at) !== CENTRAL) throw refuse(`central directory entry ${i + 1} is damaged`);
    const nameLength = u16(at + 28);
    const next = at + 46 + nameLength + u16(at + 30) + u16(at + 32);
    if (next > end) throw refuse(`central directory entry ${i + 1} runs past the directory`);
    if (Buffer.compare(zip.subarray(at + 46, at + 46 + nameLength), wanted) === 0) {
      if (found) throw refuse(`it holds two entries named ${name}`);
      found = {
        flags: u16(at + 8),
        method: u16(at + 10),
        crc: u32(at + 16),
        size: u32(at + 20),
        length: u32(at + 24),
        local: u32(at + 42),
      };
    }
    at = next;
  }
  if (!found) throw refuse(`it has no ${name} entry`);
  if (found.flags & 1) throw refuse(`${name} is encrypted`);
  if (found.length > limits.maxUncompressedBytes) {
    throw refuse(`${name} declares ${found.length} bytes, over the limit of ${limits.maxUncompressedBytes}`);
  }
  const local = found.local;
  const localNameLength = u16(local + 26);
  if (
    u32(local) !== LOCAL ||
    Buffer.compare(zip.subarray(local + 30, local + 30 + localNameLength), wanted) !== 0
  ) {
    throw refuse(`the local header of ${name} does not match the central directory`);
  }
  const dataAt = local + 30 + localNameLength + u16(local + 28);
  if (dataAt + found.size > directoryAt) throw refuse(`the data of ${name} runs past the archive`);
  const data = zip.subarray(dataAt, dataAt + found.size);

  let content: Uint8Array;
  if (found.method === 0) content = data;
  else if (found.method === 8) content = inflateCapped(data, limits.maxUncompressedBytes, refuse, name);
  else throw refuse(`${name} uses compression method ${found.method} (only stored and deflate are read)`);
  // A lying size header is how a zip bomb gets past a reader that trusts it: the actual bytes must agree.
  if (content.length !== found.length || crc32(content) !== found.crc) {
    throw refuse(`${name} does not match its declared size and checksum`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    throw refuse(`${name} is not UTF-8 text`);
  }
}

function inflateCapped(
  data: Uint8Array,
  cap: number,
  refuse: (reason: string) => UnusableZipError,
  name: string,
): Uint8Array {
  const out: Uint8Array[] = [];
  let produced = 0;
  let finished = false;
  const inflate = new Inflate((chunk, final) => {
    produced += chunk.length;
    if (produced > cap) throw refuse(`${name} inflates past the limit of ${cap} bytes`);
    out.push(chunk);
    finished = final;
  });
  try {
    for (let at = 0; at < data.length; at += INFLATE_CHUNK) {
      inflate.push(data.subarray(at, at + INFLATE_CHUNK), at + INFLATE_CHUNK >= data.length);
    }
  } catch (error) {
    if (error instanceof UnusableZipError) throw error;
    throw refuse(`${name} is not valid deflate data (${(error as Error).message})`);
  }
  if (!finished) throw refuse(`${name} is cut short`);
  return Buffer.concat(out);
}
