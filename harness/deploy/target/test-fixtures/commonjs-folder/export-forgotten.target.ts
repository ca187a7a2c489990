/**
 * A target file whose author left out `export default`, in a folder whose
 * package.json does not say "type": "module": Node loads it as CommonJS,
 * and its namespace's `default` is the (empty) exports object.
 */
import type { TargetFile } from '../../target-file.ts';

const target: Pick<TargetFile, 'name' | 'port'> = { name: 'export forgotten', port: 'announced' };
void target;
