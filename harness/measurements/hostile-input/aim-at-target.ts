/**
 * The hostile cases are written against the conventional callback path,
 * `/oauth/callback`, and a few spellings of it (other case, a dot segment, a
 * percent-encoded letter). A target's callback may live elsewhere
 * (`/callback`, `/oauth/return`): each case is aimed at the target's own
 * path, spelled the same way, so that a server is judged on its callback and
 * not on its 404 page.
 */
export const CASES_CALLBACK_PATH = '/oauth/callback';

export function aimAtCallback(template: string, callbackPath: string): string {
  if (callbackPath === CASES_CALLBACK_PATH) return template;
  const at = callbackPath.lastIndexOf('/');
  const parent = callbackPath.slice(0, at);
  const last = callbackPath.slice(at + 1);
  const capitalised = callbackPath.replace(/\/([a-z])/g, (_all, ch: string) => `/${ch.toUpperCase()}`);
  const encodedFirst = last ? `%${last.charCodeAt(0).toString(16).toUpperCase()}${last.slice(1)}` : '';
  return template
    .replaceAll('/OAuth/Callback', capitalised)
    .replaceAll('/oauth/./callback', `${parent}/./${last}`)
    .replaceAll('/oauth/%63allback', `${parent}/${encodedFirst}`)
    .replaceAll(CASES_CALLBACK_PATH, callbackPath);
}
