/**
 * Everything init reads from a server's folder, in one value: its entry
 * points and their roles, the environment variables its code reads, its HTTP
 * routes, the provider hosts it names, its tools and its callback's page
 * texts. Pure over the files, so each reading is tested on small inputs.
 */
import { findEntryPoints, type EntryRoles } from './entry-points.ts';
import { readEnvVariables, readStoreSelection, type EnvVariable, type StoreSelection } from './env-variables.ts';
import { readHttpRoutes, type HttpRoutes } from './http-routes.ts';
import { readPageTexts, type PageTexts } from './page-texts.ts';
import { readProviderHosts, type ProviderHosts } from './provider-hosts.ts';
import type { PackageJson, SourceFile } from './source-files.ts';
import { readTools, type Tools } from './start-tool.ts';
import { guessFixedStore, type FixedStoreGuess } from './store-guess.ts';

export interface ServerReading {
  name: string;
  packageJson?: PackageJson;
  entries: EntryRoles;
  env: EnvVariable[];
  storeSelection?: StoreSelection;
  fixedStore?: FixedStoreGuess;
  routes: HttpRoutes;
  hosts: ProviderHosts;
  tools: Tools;
  pages: PageTexts;
  /** Keys the factory reads from its config (`config.site`), which launch.config must give. */
  factoryConfigKeys: string[];
  /** Files outside the folder it imports (`../common/x.ts`), relative to the folder. */
  outsideFiles: string[];
  /** Packages it imports that a bundle cannot hold: left in node_modules by the compiled entries (unbundlable-packages.ts). */
  unbundlable: string[];
}

export function readServer(files: readonly SourceFile[], packageJson: PackageJson | undefined, folderName: string, unbundlable: string[] = []): ServerReading {
  const entries = findEntryPoints(files, packageJson);
  const env = readEnvVariables(files);
  const storeVariable = env.find((v) => v.role === 'store');
  const storeSelection = storeVariable ? readStoreSelection(storeVariable.name, files) : undefined;
  const factoryText = entries.factory ? (files.find((f) => f.path === entries.factory!.file)?.text ?? '') : '';
  const factoryConfigKeys = [...new Set([...factoryText.matchAll(/\bconfig\??\.([A-Za-z_$][\w$]*)/g)].map((m) => m[1]!))].sort();
  return {
    name: packageJson?.name ?? folderName,
    ...(packageJson ? { packageJson } : {}),
    entries,
    env,
    ...(storeSelection && storeSelection.values.length > 0 ? { storeSelection } : { fixedStore: guessFixedStore(files) }),
    routes: readHttpRoutes(files),
    hosts: readProviderHosts(files),
    tools: readTools(files),
    pages: readPageTexts(files),
    factoryConfigKeys,
    outsideFiles: files.map((f) => f.path).filter((f) => f.startsWith('../')),
    unbundlable,
  };
}
