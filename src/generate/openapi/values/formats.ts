// String formats: a valid value of each format Gauntlet knows, and a value that looks close but is not one.
import { between, type Random } from './random.ts';

interface Format {
  valid(random: Random, word: string): string;
  /** A near miss, for the edge values: what a careless client sends. */
  invalid?: { value: string; label: string };
}

const two = (n: number) => String(n).padStart(2, '0');
const hex = (random: Random, length: number) =>
  Array.from({ length }, () => Math.floor(random() * 16).toString(16)).join('');
const date = (random: Random) =>
  `20${two(between(random, 20, 29))}-${two(between(random, 1, 12))}-${two(between(random, 1, 28))}`;
const time = (random: Random) =>
  `${two(between(random, 0, 23))}:${two(between(random, 0, 59))}:${two(between(random, 0, 59))}Z`;
const email = (_: Random, word: string) => `${word}@example.com`;
const hostname = (_: Random, word: string) => `${word}.example.com`;

export const FORMATS: Record<string, Format> = {
  email: { valid: email, invalid: { value: 'not-an-email', label: 'not an e-mail address' } },
  'idn-email': { valid: email, invalid: { value: 'not-an-email', label: 'not an e-mail address' } },
  uuid: {
    valid: (random) => {
      const h = hex(random, 32);
      const variant = '89ab'[Math.floor(random() * 4)];
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20)}`;
    },
    invalid: { value: 'not-a-uuid', label: 'not a UUID' },
  },
  date: { valid: date, invalid: { value: '2024-02-30', label: 'not a real date (2024-02-30)' } },
  'date-time': {
    valid: (random) => `${date(random)}T${time(random)}`,
    invalid: { value: '2024-02-30T10:00:00Z', label: 'not a real date-time (2024-02-30T10:00:00Z)' },
  },
  time: { valid: time, invalid: { value: '25:61:00Z', label: 'not a real time (25:61:00Z)' } },
  duration: {
    valid: (random) => `P${between(random, 1, 30)}D`,
    invalid: { value: '3 days', label: 'not an ISO duration' },
  },
  uri: {
    valid: (_, word) => `https://example.com/${word}`,
    invalid: { value: 'not a uri', label: 'not a URI' },
  },
  url: {
    valid: (_, word) => `https://example.com/${word}`,
    invalid: { value: 'not a url', label: 'not a URL' },
  },
  iri: {
    valid: (_, word) => `https://example.com/${word}`,
    invalid: { value: 'not an iri', label: 'not an IRI' },
  },
  'uri-reference': { valid: (_, word) => `/${word}` },
  'iri-reference': { valid: (_, word) => `/${word}` },
  'uri-template': { valid: () => 'https://example.com/{id}' },
  hostname: { valid: hostname, invalid: { value: '-not-a-host-.example', label: 'not a host name' } },
  'idn-hostname': { valid: hostname },
  ipv4: {
    valid: (random) => `192.0.2.${between(random, 1, 254)}`,
    invalid: { value: '999.1.1.1', label: 'not an IPv4 address' },
  },
  ipv6: {
    valid: (random) => `2001:db8::${hex(random, 4)}`,
    invalid: { value: '2001:db8::g', label: 'not an IPv6 address' },
  },
  byte: {
    valid: (_, word) => Buffer.from(word).toString('base64'),
    invalid: { value: '%%%', label: 'not base64' },
  },
  binary: { valid: (_, word) => word },
  password: { valid: (random) => `Pw-${hex(random, 8)}-1a` },
  regex: { valid: () => '^[a-z]+$', invalid: { value: '([a-z', label: 'not a regular expression' } },
  'json-pointer': {
    valid: (_, word) => `/${word}`,
    invalid: { value: 'no-slash', label: 'not a JSON pointer' },
  },
  'relative-json-pointer': { valid: () => '0' },
};

/** A readable word from a field name: "firstName" gives "firstname", "" gives "value". */
export function wordFrom(name: string | undefined): string {
  const word = (name ?? '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return word || 'value';
}
