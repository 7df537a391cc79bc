// What a generated request probes for, and the markup it sends to find out whether it comes back unescaped.

/** Markup no page should echo as markup; harmless if it ever runs (a custom element with no behaviour). */
export const MARKUP_PROBE = '<gauntlet-probe data-x="1">';

/** The kinds of probe a named built-in check judges: a request without credentials, or as another user. */
export const PROBES = ['no-credentials', 'other-user'] as const;
export type Probe = (typeof PROBES)[number];
