/**
 * A target file whose author left out `export default`, in a folder whose
 * package.json says "type": "module": Node loads it as ESM, and its
 * namespace has no `default` at all.
 */
import type { TargetFile } from '../../target-file.ts';

const target: Pick<TargetFile, 'name' | 'port'> = { name: 'export forgotten', port: 'announced' };
void target;
