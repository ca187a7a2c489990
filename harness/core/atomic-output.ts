/**
 * The harness's outputs a person or a CI system reads (REPORT.md, its
 * charts, the JUnit file, the step summary) are replaced whole or not at
 * all: written aside, flushed, then renamed over the old one, so a harness
 * killed mid-write leaves the previous file intact, never a truncated one.
 * write-file-atomic does the temp file, fsync and rename (the same library
 * the atomic-file store uses).
 */
import writeFileAtomic from 'write-file-atomic';

/** Replaces `file` with `content` in one rename; the folder must exist. */
export async function writeOutputAtomic(file: string, content: string | Buffer): Promise<void> {
  await writeFileAtomic(file, content, { fsync: true });
}

/** The synchronous form, for the few places that write before exiting. */
export function writeOutputAtomicSync(file: string, content: string | Buffer): void {
  writeFileAtomic.sync(file, content, { fsync: true });
}
