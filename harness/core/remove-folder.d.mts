/** Removes `dir` and everything in it, read-only folders included; a folder that is already gone is fine. Throws if something stays. */
export function removeFolder(dir: string): void;
