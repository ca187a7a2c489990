/** The two races forced on every store: a write lost to another's rewrite, and one state used twice. */
export type RaceKind = 'lost-update' | 'double-use';
