/**
 * The default export of an imported target file. A file Node loads as
 * CommonJS (its folder's package.json does not say "type": "module", or
 * there is none) has no default of its own: Node's interop makes `default`
 * the whole exports object, `{}` for a file that exports nothing. Taken for
 * the target, that object reads "name: Required", when the file's only
 * mistake is a missing `export default`.
 */
import { TARGET_FILE_FIELDS } from './target-schema.ts';

export type DefaultExport = { found: true; value: unknown } | { found: false; namedExports: string[] };

export function defaultExportOf(namespace: Readonly<Record<string, unknown>>): DefaultExport {
  const value = namespace.default;
  const named = (from: object) => Object.keys(from).filter((key) => key !== 'default' && key !== '__esModule');
  if (value === undefined) return { found: false, namedExports: named(namespace) };
  if (!isPlainObject(value)) return { found: true, value };
  // Compiled from ESM to CommonJS (tsc, babel): the real default, if any, is a property of the exports object.
  if (value.__esModule === true) return 'default' in value ? { found: true, value: value.default } : { found: false, namedExports: named(value) };
  const keys = Object.keys(value);
  // The exports object: every key also a named export of the namespace, and none of them a target's field.
  const isExportsObject = keys.every((key) => namespace[key] === value[key]) && !keys.some((key) => TARGET_FILE_FIELDS.includes(key));
  return isExportsObject ? { found: false, namedExports: keys } : { found: true, value };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
