/**
 * Module hooks for the installed package's run: a user's target file that
 * imports 'oauth-state-repro' gets this very package when its own folder
 * cannot resolve it (a server checked out beside the project that installed
 * the tool, or `npx` with no install at all), instead of failing to load.
 */
interface ResolveContext {
  parentURL?: string;
}
type NextResolve = (specifier: string, context: ResolveContext) => Promise<{ url: string }>;

let selfUrl = '';

export function initialize(data: { selfUrl: string }): void {
  selfUrl = data.selfUrl;
}

export async function resolve(specifier: string, context: ResolveContext, next: NextResolve): Promise<{ url: string; shortCircuit?: boolean }> {
  try {
    return await next(specifier, context);
  } catch (error) {
    if (specifier === 'oauth-state-repro' && (error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND') return { url: selfUrl, shortCircuit: true };
    throw error;
  }
}
