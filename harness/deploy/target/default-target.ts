/**
 * The default target: src/ through its target file (src/repro.target.ts),
 * loaded the same way `--target PATH` loads anyone's, so src/ has no special
 * path through the harness.
 */
import { DEFAULT_TARGET_FILE } from './default-target-file.ts';
import { loadTarget } from './load-target.ts';

export { DEFAULT_TARGET_FILE };

export const defaultTarget = await loadTarget(DEFAULT_TARGET_FILE);
