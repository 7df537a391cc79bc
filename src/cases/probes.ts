// What a generated request probes for, and the values it sends to find out.

/** Markup no page should echo as markup; harmless if it ever runs (a custom element with no behaviour). */
export const MARKUP_PROBE = '<gauntlet-probe data-x="1">';

/** The header a response-splitting probe tries to add to the answer. */
export const INJECTED_HEADER = 'x-gauntlet-injected';

/** A value that would end a header line and start another if written into a header unencoded. */
export const HEADER_INJECTION_PROBE = `gauntlet\r\n${INJECTED_HEADER}: 1`;

/**
 * The kinds of probe a named built-in check judges: a request without credentials or with made-up ones, as
 * another user, or carrying a header-injection value.
 */
export const PROBES = ['no-credentials', 'wrong-credentials', 'other-user', 'header-injection'] as const;
export type Probe = (typeof PROBES)[number];
