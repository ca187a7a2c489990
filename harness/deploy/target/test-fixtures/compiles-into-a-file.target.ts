/**
 * A target file that compiles its entry points as it loads (as src/'s does)
 * into a compile cache that cannot be made: this very file stands where the
 * cache's folder would be (ENOTDIR), as a read-only checkout would refuse it
 * (EROFS). The harness's folder is at fault, not the target file.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compiledEntryPoints } from '../compiled-entry-points.ts';

const projectRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const cacheUnderThisFile = path.join(fileURLToPath(import.meta.url), 'cache');
const compiled = compiledEntryPoints(
  projectRoot,
  { name: 'never-written', sourceDirs: ['harness/deploy/target/test-fixtures/compiled-entry'], entries: ['harness/deploy/target/test-fixtures/compiled-entry/uses-a-package.ts'] },
  cacheUnderThisFile,
);

export default { name: 'compiles into a file', tool: { command: 'node', args: [path.join(compiled, 'uses-a-package.js')] } };
