import "server-only";
import { createHash } from "node:crypto";
import { open, readdir, stat } from "node:fs/promises";
import path from "node:path";

// Reading a log file that grows and rotates, from a committed position (docs/sources.md). A
// position is the file's identity (device:inode), a digest of its first bytes and a byte offset
// just after the last whole line read. A chunk is whole lines only: a line still being written
// stays for the next read. Rotation is followed:
// - by rename (logrotate's default): the path names a new file; the old one is found beside it by
//   its identity and read to its end first, then the new file from its start;
// - by copytruncate: the same file, shorter than the offset or with other first bytes: read again
//   from its start.

export type LogPosition = Readonly<{ fileId: string | null; headHash: string | null; offset: number }>;

export type LogChunk = Readonly<{
  /** Whole lines, without their line ends. */
  lines: string[];
  /** Lines longer than the chunk size, cut and counted instead of returned. */
  oversized: number;
  /** The position after these lines, to commit with what they produced. */
  next: LogPosition;
  /** The file these lines came from (the rotated file's name while its rest is read). */
  readFrom: string;
  /** True when nothing more is there to read now. */
  atEnd: boolean;
  /** A rotation seen on the way, for the source's record. */
  rotation: "renamed" | "truncated" | null;
  /** Lines that may be lost: a rotated file that could not be found. */
  warning: string | null;
}>;

/** How many first bytes identify a file's content (fewer while the file is shorter). */
const HEAD_BYTES = 1024;
export const DEFAULT_CHUNK_BYTES = 1 << 20;

export const START: LogPosition = { fileId: null, headHash: null, offset: 0 };

/** The next whole lines of the log at `file` after `position`; an empty chunk when nothing new is there. */
export async function readLogChunk(file: string, position: LogPosition, maxBytes = DEFAULT_CHUNK_BYTES): Promise<LogChunk> {
  const current = await stat(file);
  const fileId = `${current.dev}:${current.ino}`;
  let rotation: LogChunk["rotation"] = null;
  let warning: string | null = null;
  let from = position;

  if (from.fileId !== null && from.fileId !== fileId) {
    rotation = "renamed";
    const rotated = await findByIdentity(file, from.fileId);
    if (rotated) {
      const chunk = await readLines(rotated.path, from, rotated.size, maxBytes, true);
      // Its rest is read while it has any; then on to the new file.
      // The rotation counts once, when the new file is taken up.
      if (chunk.lines.length > 0 || chunk.oversized > 0) return { ...chunk, readFrom: rotated.path, atEnd: false, rotation: null, warning };
    } else {
      warning = `The log was rotated and the old file (${from.fileId}) is no longer beside it: lines written to it after byte ${from.offset} were not read.`;
    }
    from = { fileId, headHash: null, offset: 0 };
  } else if (from.fileId !== null && (current.size < from.offset || !(await sameHead(file, from.headHash)))) {
    rotation = "truncated";
    from = { fileId, headHash: null, offset: 0 };
  }
  const chunk = await readLines(file, { ...from, fileId }, current.size, maxBytes, false);
  return { ...chunk, readFrom: file, rotation, warning };
}

async function readLines(file: string, from: LogPosition, size: number, maxBytes: number, finished: boolean) {
  const handle = await open(file, "r");
  try {
    const headHash = from.headHash ?? (size > 0 ? await headOf(handle, Math.min(size, HEAD_BYTES)) : null);
    const length = Math.min(maxBytes, Math.max(0, size - from.offset));
    const buffer = Buffer.alloc(length);
    const { bytesRead } = length > 0 ? await handle.read(buffer, 0, length, from.offset) : { bytesRead: 0 };
    const data = buffer.subarray(0, bytesRead);
    let end = data.lastIndexOf(0x0a) + 1;
    let oversized = 0;
    if (end === 0 && bytesRead === maxBytes) {
      // A line longer than a whole chunk: cut here; its rest ends at the next line end as a fragment.
      end = bytesRead;
      oversized = 1;
    } else if (end === 0 && finished && bytesRead > 0) {
      // A rotated file's last line never got its line end: it will not get one now.
      end = bytesRead;
    }
    const text = oversized ? "" : data.subarray(0, end).toString("utf8");
    const lines = text === "" ? [] : text.replace(/\n$/, "").split("\n").map((line) => line.replace(/\r$/, ""));
    const next: LogPosition = { fileId: from.fileId, headHash: headHash ?? from.headHash, offset: from.offset + end };
    return { lines, oversized, next, atEnd: from.offset + end >= size || (end === 0 && !finished) };
  } finally {
    await handle.close();
  }
}

/** "length:sha256" of the first bytes, so a later check hashes the same length. */
async function headOf(handle: Awaited<ReturnType<typeof open>>, length: number): Promise<string> {
  const buffer = Buffer.alloc(length);
  await handle.read(buffer, 0, length, 0);
  return `${length}:${createHash("sha256").update(buffer).digest("hex")}`;
}

async function sameHead(file: string, headHash: string | null): Promise<boolean> {
  if (!headHash) return true;
  const length = Number(headHash.slice(0, headHash.indexOf(":")));
  const handle = await open(file, "r");
  try {
    return (await headOf(handle, length)) === headHash;
  } finally {
    await handle.close();
  }
}

/** The rotated file: beside the log, its name starting with the log's, with the identity we read. */
async function findByIdentity(file: string, fileId: string): Promise<{ path: string; size: number } | null> {
  const dir = path.dirname(file);
  const base = path.basename(file);
  for (const name of await readdir(dir)) {
    if (name === base || !name.startsWith(base)) continue;
    const candidate = path.join(dir, name);
    const info = await stat(candidate).catch(() => null);
    if (info?.isFile() && `${info.dev}:${info.ino}` === fileId) return { path: candidate, size: info.size };
  }
  return null;
}
