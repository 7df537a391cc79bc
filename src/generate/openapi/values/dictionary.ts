// The value dictionary: strings with meaning for a field or parameter, chosen by what its name, description, format
// and pattern suggest. A service that compares its input against words (an operator, a month, a unit, a sort order)
// only runs that code when it receives one of them, which "unit-4821" never is. Each entry holds valid forms (the
// happy path picks one, seeded) and invalid forms that look close (edge values: a service must not crash on them).
// The table is plain data; matching never indexes an object by a name taken from a description.
import { matchesPattern } from './regex-sample.ts';
import { pick, randomAt } from './random.ts';

export interface DictionaryEntry {
  /** What the values are, for labels and for LLM-proposed entries: "month", "sort order". */
  topic: string;
  /** Names that suggest it, as lowercase words; a phrase ("sort order") must appear as consecutive name words. */
  names: readonly string[];
  /** Whole words of a description that suggest it (weaker than a name). */
  words?: readonly string[];
  /** `format` values that suggest it (strongest). */
  formats?: readonly string[];
  /** Usual forms: the happy path picks one. */
  valid: readonly string[];
  /** Other forms a person might mean (abbreviations, numbers, odd spellings): tried as edge values. */
  unusual?: readonly string[];
  /** Near misses that are not one (edge values: refused only where the schema says so). */
  invalid: readonly string[];
}

/** What is known of a string field: any part may be missing. */
export interface ValueHints {
  name?: string;
  description?: string;
  format?: string;
  /** Every pattern the value must match. */
  patterns?: readonly string[];
}

export interface DictionaryMatch {
  entry: DictionaryEntry;
  /** The entry's valid forms that match every pattern, in table order. */
  valid: string[];
  /** The entry's unusual and invalid forms (patterns not applied: the edge values judge them by the schema). */
  unusual: string[];
  invalid: string[];
  /** Why it matched: "name", "format", "description" or "pattern". */
  by: 'name' | 'format' | 'description' | 'pattern';
}

export const VALUE_DICTIONARY: readonly DictionaryEntry[] = [
  {
    topic: 'operator',
    names: ['op', 'operator', 'operation', 'action', 'verb', 'opcode'],
    words: ['operator', 'operation', 'arithmetic'],
    valid: ['add', 'sub', 'mul', 'div', 'mod', 'pow', 'eq', 'ne', 'lt', 'le', 'gt', 'ge'],
    unusual: ['+', '-', '*', '/', 'ADD', 'plus', 'minus', 'times', 'divide'],
    invalid: ['plus-minus', 'divide-by', '%%', 'nop'],
  },
  {
    topic: 'comparison',
    names: ['comparator', 'compare', 'comparison', 'cmp', 'condition', 'relation'],
    valid: ['eq', 'ne', 'lt', 'le', 'gt', 'ge'],
    unusual: ['==', '!=', '<', '<=', '>', '>=', 'lte', 'gte'],
    invalid: ['=<>', 'about', 'lte='],
  },
  {
    topic: 'month',
    names: ['month', 'mon', 'mm'],
    words: ['month', 'months'],
    valid: [
      'January',
      'February',
      'March',
      'April',
      'May',
      'June',
      'July',
      'August',
      'September',
      'October',
      'November',
      'December',
    ],
    unusual: ['jan', 'dec', '1', '12', 'JANUARY', 'sept'],
    invalid: ['Smarch', '13', '0', 'Janvember'],
  },
  {
    topic: 'weekday',
    names: ['weekday', 'day of week', 'dow', 'day name', 'wday', 'day'],
    words: ['weekday', 'weekdays'],
    valid: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'],
    unusual: ['mon', 'sun', '0', '7', 'MONDAY'],
    invalid: ['Funday', 'Caturday', '8', 'Someday'],
  },
  {
    topic: 'season or quarter',
    names: ['season', 'quarter'],
    valid: ['spring', 'summer', 'autumn', 'winter', 'Q1', 'Q2', 'Q3', 'Q4'],
    invalid: ['Q5', 'monsoonal', 'Q0'],
  },
  {
    topic: 'unit',
    names: ['unit', 'units', 'uom', 'measure', 'from unit', 'to unit', 'scale'],
    words: ['unit', 'units', 'convert', 'conversion'],
    valid: [
      'm',
      'km',
      'cm',
      'mm',
      'mi',
      'ft',
      'in',
      'kg',
      'g',
      'lb',
      'oz',
      'l',
      'ml',
      'celsius',
      'fahrenheit',
      'kelvin',
      's',
      'min',
      'h',
    ],
    unusual: ['meter', 'metre', 'kilogram', 'KM', 'Km', 'miles'],
    invalid: ['furlongs-per-fortnight', 'parsec/s', 'smoot-x', 'qq'],
  },
  {
    topic: 'temperature unit',
    names: ['temperature unit', 'temp unit', 'degree'],
    words: ['temperature'],
    valid: ['C', 'F', 'K', 'celsius', 'fahrenheit', 'kelvin'],
    invalid: ['rankine-ish', 'X', 'degrees'],
  },
  {
    topic: 'file extension',
    names: ['extension', 'ext', 'file type', 'filetype', 'file ext', 'suffix'],
    words: ['extension'],
    valid: ['pdf', 'png', 'jpg', 'txt', 'csv', 'json', 'xml', 'zip', 'docx'],
    unusual: ['.pdf', 'PDF', 'jpeg', 'tar.gz'],
    invalid: ['exe.', 'p d f', '..', 'jpeg2000x'],
  },
  {
    topic: 'file name',
    names: ['file name', 'filename', 'file', 'path', 'file path', 'filepath', 'attachment'],
    valid: ['report.pdf', 'photo.png', 'notes.txt', 'data.csv', 'archive.zip'],
    unusual: ['docs/readme.md', 'no-extension', 'ünïcode.txt', 'two words.txt'],
    invalid: ['../../etc/passwd', 'con', 'a\u0000b.txt', ''],
  },
  {
    topic: 'MIME type',
    names: ['mime', 'mime type', 'mimetype', 'media type', 'content type', 'contenttype', 'accept'],
    words: ['mime', 'media type', 'content-type'],
    valid: [
      'application/json',
      'text/plain',
      'text/html',
      'text/csv',
      'image/png',
      'image/jpeg',
      'application/pdf',
      'application/xml',
      'multipart/form-data',
    ],
    invalid: ['application', 'text/', 'json', 'image/*/*'],
  },
  {
    topic: 'output format',
    names: ['format', 'output', 'output format', 'fmt'],
    words: ['format'],
    valid: ['json', 'xml', 'csv', 'html', 'text', 'yaml', 'pdf'],
    invalid: ['jsonx', 'docx2', 'binary-ish'],
  },
  {
    topic: 'sort order',
    names: [
      'order',
      'sort',
      'sort order',
      'direction',
      'dir',
      'sort dir',
      'sort direction',
      'order by',
      'orderby',
      'ordering',
    ],
    words: ['ascending', 'descending', 'sort', 'sorted', 'order'],
    valid: ['asc', 'desc'],
    unusual: ['ASC', 'DESC', 'ascending', 'descending', '-1', '1'],
    invalid: ['sideways', 'upward', 'asc;desc', 'random'],
  },
  {
    topic: 'sort field',
    names: ['sort by', 'sortby', 'sort field', 'sort key', 'order field'],
    valid: ['name', 'id', 'date', 'created', 'createdAt', 'price'],
    unusual: ['-name', '+date', 'name,id'],
    invalid: ['no_such_field', 'name;drop', '--'],
  },
  {
    topic: 'switch',
    names: [
      'enabled',
      'enable',
      'active',
      'flag',
      'toggle',
      'switch',
      'verbose',
      'debug',
      'visible',
      'include',
      'strict',
      'pretty',
      'force',
      'dry run',
    ],
    words: ['enable', 'disable', 'toggle', 'whether'],
    valid: ['true', 'false'],
    unusual: ['on', 'off', 'yes', 'no', '1', '0', 'TRUE'],
    invalid: ['maybe', 'truee', 'nope', '2'],
  },
  {
    topic: 'status',
    names: ['status', 'state', 'stage', 'phase'],
    valid: [
      'active',
      'inactive',
      'pending',
      'open',
      'closed',
      'done',
      'draft',
      'published',
      'available',
      'sold',
    ],
    invalid: ['exploded', 'half-open', 'unknown-status'],
  },
  {
    topic: 'language',
    names: ['lang', 'language', 'locale', 'lng', 'hl', 'accept language', 'culture'],
    words: ['language', 'locale', 'iso 639', 'bcp 47'],
    valid: ['en', 'en-US', 'en-GB', 'fr', 'fr-FR', 'de', 'de-DE', 'es', 'ja', 'zh-CN', 'pt-BR'],
    unusual: ['en_US', 'EN', 'zh-Hant-TW', 'english'],
    invalid: ['klingon', 'xx-XX', 'EN_us_', 'english!'],
  },
  {
    topic: 'country',
    names: ['country', 'country code', 'nation', 'region', 'cc'],
    words: ['country', 'iso 3166'],
    valid: ['US', 'GB', 'FR', 'DE', 'JP', 'BR', 'IN', 'CA'],
    unusual: ['us', 'USA', 'United States', 'France'],
    invalid: ['XX', 'Atlantis', 'USA!', 'ZZZ'],
  },
  {
    topic: 'currency',
    names: ['currency', 'currency code', 'ccy', 'cur', 'from currency', 'to currency'],
    words: ['currency', 'iso 4217'],
    valid: ['USD', 'EUR', 'GBP', 'JPY', 'CHF', 'CAD', 'AUD', 'CNY'],
    unusual: ['usd', 'eur', '$', '€'],
    invalid: ['XYZ', 'DOLLARS', 'EU', 'BTCX'],
  },
  {
    topic: 'timezone',
    names: ['timezone', 'time zone', 'tz', 'zone'],
    words: ['timezone', 'time zone', 'iana'],
    valid: ['UTC', 'Europe/Paris', 'America/New_York', 'Asia/Tokyo'],
    unusual: ['Etc/GMT+2', '+02:00', 'Z', 'utc'],
    invalid: ['Mars/Olympus_Mons', 'UTC+25', 'GMT+99:99'],
  },
  {
    topic: 'color',
    names: ['color', 'colour', 'hex color', 'background', 'foreground', 'fill', 'stroke', 'tint', 'hue'],
    words: ['color', 'colour', 'rgb', 'hex'],
    valid: ['red', 'green', 'blue', 'black', 'white', 'orange', '#ff0000'],
    unusual: ['#00FF00', '#000', 'rgb(0,0,255)', 'RED', 'transparent'],
    invalid: ['#gggggg', 'blurple-ish', '#12345', 'rgb(300,0,0)'],
  },
  {
    topic: 'size',
    names: ['size', 'shirt size', 'tshirt size'],
    valid: ['XS', 'S', 'M', 'L', 'XL', 'XXL'],
    unusual: ['small', 'medium', 'large', 'xl'],
    invalid: ['XXXXXXL', 'huge-ish', 'SM'],
  },
  {
    topic: 'gender or title',
    names: ['gender', 'sex', 'salutation', 'honorific', 'prefix'],
    valid: ['female', 'male', 'other', 'Mr', 'Ms', 'Mrs', 'Dr'],
    unusual: ['Prof', 'Mx', 'F', 'M'],
    invalid: ['Lord-ish', 'Xx', '?'],
  },
  {
    topic: 'title',
    names: ['title', 'headline', 'subject', 'caption', 'heading', 'label'],
    valid: ['Hello, world', 'Quarterly report', 'Release notes 2.0', 'A tale of two cities', 'Meeting notes'],
    invalid: ['\n', '<b>bold</b>', 'x'.repeat(300)],
  },
  {
    topic: 'person name',
    names: ['name', 'full name', 'fullname', 'display name', 'author', 'owner', 'person', 'customer'],
    valid: [
      'Ada Lovelace',
      'Alan Turing',
      'Grace Hopper',
      'Li Wei',
      'Katherine Johnson',
      'Linus Torvalds',
      'Margaret Hamilton',
      'Tim Berners-Lee',
      'Barbara Liskov',
      'Dennis Ritchie',
      'Frances Allen',
      'Ken Thompson',
    ],
    unusual: ['Zoë Ñúñez', "Conan O'Brien", 'Mary-Jane Smith', 'X Æ A-12'],
    invalid: ['42', '<b>Ada</b>', 'Ada\tLovelace'],
  },
  {
    topic: 'first name',
    names: ['first name', 'firstname', 'given name', 'givenname', 'forename'],
    valid: ['Ada', 'Alan', 'Grace', 'Li'],
    unusual: ['Zoë', 'José', 'Mary-Jane'],
    invalid: ['A1an', '123', ' '],
  },
  {
    topic: 'last name',
    names: ['last name', 'lastname', 'surname', 'family name', 'familyname'],
    valid: ['Lovelace', 'Turing', 'Hopper', 'Smith'],
    unusual: ["O'Brien", 'García', 'van der Berg'],
    invalid: ['Sm1th', '123', ' '],
  },
  {
    topic: 'user name',
    names: ['username', 'user name', 'login', 'handle', 'nickname', 'nick', 'screen name', 'user'],
    valid: ['ada', 'alan_turing', 'grace.hopper', 'user42'],
    unusual: ['Ada', 'a-b-c', 'ünïcode'],
    invalid: ['ada lovelace', 'a', 'user@@name'],
  },
  {
    topic: 'number as text',
    names: ['number', 'num', 'count', 'amount', 'quantity', 'qty', 'value', 'val', 'total'],
    words: ['number', 'numeric', 'digits'],
    valid: ['1', '42', '7', '100'],
    unusual: ['0', '-7', '3.5', 'one', 'forty-two', '1e3', '0x10'],
    invalid: ['eleventy', 'NaN', '1e999', '4 2', 'one hundred and'],
  },
  {
    topic: 'word number',
    names: ['word', 'words', 'spelled', 'text number', 'written'],
    words: ['spelled', 'written', 'words'],
    valid: ['one', 'two', 'three', 'ten', 'twelve', 'twenty'],
    unusual: ['forty-two', 'one hundred', 'One', 'zero'],
    invalid: ['eleventy', 'zillion', 'two-ty'],
  },
  {
    topic: 'URL',
    names: [
      'url',
      'uri',
      'link',
      'href',
      'website',
      'homepage',
      'callback',
      'redirect',
      'redirect uri',
      'webhook',
      'endpoint',
      'src',
      'image url',
      'avatar',
    ],
    words: ['url', 'uri', 'link'],
    formats: ['uri', 'url', 'iri', 'uri-reference'],
    valid: ['https://example.com/', 'https://example.com/path?q=1'],
    unusual: ['http://localhost:8080/x', '/relative/path', 'example.com', 'https://例え.jp/'],
    invalid: ['not a url', 'htp:/broken', 'javascript:alert(1)', 'https://'],
  },
  {
    topic: 'domain',
    names: ['domain', 'host', 'hostname', 'server', 'fqdn'],
    formats: ['hostname', 'idn-hostname'],
    valid: ['example.com', 'api.example.com', 'example.org'],
    unusual: ['localhost', 'EXAMPLE.COM', 'xn--r8jz45g.jp'],
    invalid: ['-bad-.example', 'exa mple.com', 'a..b'],
  },
  {
    topic: 'IP address',
    names: ['ip', 'ip address', 'ipaddress', 'addr', 'remote addr'],
    formats: ['ipv4', 'ipv6'],
    valid: ['192.0.2.1', '10.0.0.1'],
    unusual: ['127.0.0.1', '2001:db8::1', '0.0.0.0'],
    invalid: ['999.1.1.1', '1.2.3', 'fe80::g'],
  },
  {
    topic: 'date',
    names: [
      'date',
      'birthday',
      'birth date',
      'dob',
      'since',
      'until',
      'start date',
      'end date',
      'due',
      'deadline',
    ],
    words: ['date', 'yyyy-mm-dd'],
    formats: ['date'],
    valid: ['2026-01-15', '1999-12-31', '2000-01-01'],
    unusual: ['2024-02-29', '1970-01-01', '9999-12-31'],
    invalid: ['2024-02-30', '2026-13-01', '31/12/1999', 'yesterday'],
  },
  {
    topic: 'date and time',
    names: [
      'datetime',
      'timestamp',
      'time',
      'created',
      'updated',
      'created at',
      'updated at',
      'when',
      'start',
      'end',
      'expires',
      'expiry',
    ],
    words: ['timestamp', 'datetime', 'iso 8601', 'rfc 3339'],
    formats: ['date-time'],
    valid: ['2026-01-15T10:30:00Z', '2000-01-01T00:00:00.000Z'],
    unusual: ['2024-02-29T23:59:59+01:00', '1970-01-01T00:00:00Z'],
    invalid: ['2024-02-30T10:00:00Z', '2026-01-15 25:00', 'tomorrow at noon'],
  },
  {
    topic: 'time of day',
    names: ['time of day', 'hour', 'clock', 'opening', 'closing'],
    formats: ['time'],
    valid: ['10:30', '23:59', '10:30:00'],
    unusual: ['00:00', '7am', '24:00'],
    invalid: ['25:61', '12:60', 'noonish'],
  },
  {
    topic: 'year',
    names: ['year', 'yyyy', 'yr'],
    valid: ['2026', '1999', '2000'],
    unusual: ['1970', '0', '9999'],
    invalid: ['20266', '-1', 'MMXXVI?'],
  },
  {
    topic: 'duration',
    names: ['duration', 'period', 'interval', 'ttl', 'timeout', 'delay', 'elapsed'],
    formats: ['duration'],
    valid: ['P1D', 'PT1H', 'PT30M'],
    unusual: ['30s', '5m', '1h', 'PT0S'],
    invalid: ['3 fortnights', 'P', '-PT1H'],
  },
  {
    topic: 'e-mail address',
    names: ['email', 'e mail', 'mail', 'email address', 'recipient', 'sender', 'cc', 'bcc', 'reply to'],
    words: ['email', 'e-mail'],
    formats: ['email', 'idn-email'],
    valid: ['ada@example.com', 'alan.turing@example.org'],
    unusual: ['grace+test@example.net', 'ADA@EXAMPLE.COM', 'zoë@exämple.com'],
    invalid: ['not-an-email', 'ada@', '@example.com', 'a@b@c.com'],
  },
  {
    topic: 'phone number',
    names: ['phone', 'telephone', 'tel', 'mobile', 'cell', 'fax', 'msisdn', 'phone number'],
    words: ['phone', 'telephone', 'e.164'],
    valid: ['+14155550123', '+442071838750'],
    unusual: ['415-555-0123', '+33 1 23 45 67 89', '(415) 555-0123'],
    invalid: ['555-CALL-NOW', '+', '12', 'phone'],
  },
  {
    topic: 'postal code',
    names: ['zip', 'zipcode', 'zip code', 'postcode', 'postal code', 'postalcode'],
    valid: ['94105', '10001', '75001'],
    unusual: ['SW1A 1AA', '94105-1234', 'K1A 0B1'],
    invalid: ['ABCDE-1', '0', 'zip'],
  },
  {
    topic: 'identifier',
    names: ['id', 'uuid', 'guid', 'key', 'identifier', 'ref', 'reference'],
    formats: ['uuid'],
    valid: ['1', '42', '123e4567-e89b-42d3-a456-426614174000'],
    unusual: ['abc123', '0001', '9007199254740993'],
    invalid: ['not-a-uuid', '-1', '0', '123e4567-e89b-42d3-a456'],
  },
  {
    topic: 'search query',
    names: ['q', 'query', 'search', 'term', 'keyword', 'keywords', 'filter', 'text', 'search term'],
    words: ['search', 'query'],
    valid: ['hello', 'blue shoes', 'book'],
    unusual: ['café', 'a', 'the', 'C++', "O'Reilly"],
    invalid: ['*', '%', '"unterminated', '\\'],
  },
  {
    topic: 'HTTP method',
    names: ['method', 'http method', 'verb'],
    valid: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    unusual: ['HEAD', 'OPTIONS', 'get'],
    invalid: ['FETCH', 'get ', 'G3T'],
  },
  {
    topic: 'encoding',
    names: ['encoding', 'charset', 'codec'],
    valid: ['utf-8', 'iso-8859-1', 'ascii'],
    unusual: ['UTF-8', 'utf8', 'base64', 'gzip'],
    invalid: ['utf-9', 'latin-x', 'rot27'],
  },
  {
    topic: 'password',
    names: ['password', 'passwd', 'pwd', 'passphrase', 'secret', 'pin'],
    formats: ['password'],
    valid: ['Correct-Horse-9', 'S3cure!pass', 'hunter2-Long'],
    invalid: ['', '123', 'password'],
  },
  {
    topic: 'version',
    names: ['version', 'ver', 'release', 'semver', 'api version'],
    valid: ['1.0.0', '2.3.4'],
    unusual: ['v1', '1.0', '0.1.0-beta.1'],
    invalid: ['1..0', 'v', 'latest-ish'],
  },
  {
    topic: 'category',
    names: ['category', 'kind', 'genre', 'tag', 'tags', 'group', 'topic'],
    valid: ['books', 'music', 'electronics', 'news', 'sports', 'general'],
    invalid: ['no-such-category', '#', '..'],
  },
  {
    topic: 'animal',
    names: ['animal', 'pet', 'species', 'breed'],
    valid: ['dog', 'cat', 'bird', 'fish', 'rabbit'],
    invalid: ['dragon', 'unicorn', 'cat dog'],
  },
  {
    topic: 'street address',
    names: ['address', 'street', 'address line', 'line1', 'line 1', 'line2', 'line 2'],
    valid: ['1 Main Street', '221B Baker Street', '10 Downing Street'],
    unusual: ['Flat 2, 5 Rue de la Paix', 'PO Box 42'],
    invalid: ['\t', 'Nowhere 0', '<br>'],
  },
  {
    topic: 'city',
    names: ['city', 'town', 'locality', 'location', 'place'],
    valid: ['Paris', 'London', 'New York', 'Tokyo', 'Berlin'],
    unusual: ['São Paulo', 'Llanfairpwllgwyngyll', 'Washington, D.C.'],
    invalid: ['P4ris', 'Atlantis', '\t'],
  },
  {
    topic: 'description text',
    names: [
      'description',
      'desc',
      'comment',
      'note',
      'notes',
      'message',
      'body',
      'content',
      'bio',
      'summary',
      'remark',
    ],
    valid: ['A short note.', 'Looks good to me'],
    unusual: ['Line one\nLine two', 'Ünïcödé text', '  padded  '],
    invalid: ['<script>alert(1)</script>', '\u0000', '{{7*7}}'],
  },
  {
    topic: 'coordinate',
    names: ['lat', 'latitude', 'lon', 'lng', 'longitude', 'coords', 'coordinates', 'geo'],
    valid: ['48.8566', '-33.8688', '2.3522', '151.2093'],
    unusual: ['0', '90', '-180'],
    invalid: ['91', '-181', 'north', '48,8566'],
  },
  {
    topic: 'percentage',
    names: ['percent', 'percentage', 'pct', 'ratio', 'rate'],
    valid: ['50', '12.5'],
    unusual: ['0', '100', '50%'],
    invalid: ['101', '-1', 'half', '%'],
  },
  {
    topic: 'credit card number',
    names: ['card', 'card number', 'cardnumber', 'pan', 'cc number', 'credit card'],
    valid: ['4111111111111111', '5555555555554444', '378282246310005'],
    invalid: ['4111111111111112', '1234', 'card'],
  },
  {
    topic: 'token',
    names: ['token', 'api key', 'apikey', 'access token', 'session', 'nonce', 'code'],
    valid: ['abc123', 'tok_0123456789abcdef', 'ABCDEF012345'],
    invalid: ['', 'expired', 'null'],
  },
];

/** Descriptions and names longer than this are read only this far: both come from outside. */
const MAX_TEXT = 4000;
const MAX_NAME = 200;
/** Each name word found by position from the end: the head of "startDate" is "date", which wins over "start". */
const NAME_SCORE = 100;
const FORMAT_SCORE = 1000;
const DESCRIPTION_SCORE = 10;
/** A pattern alone says little unless it is specific: one a plain word does not match. */
const PLAIN_WORD = 'gauntletvalue';

/** Lowercase words of a name: camelCase, snake_case, kebab-case and digits apart ("HTTPStatus2xx" → http status 2 xx). */
export function nameWords(name: string): string[] {
  return name
    .slice(0, MAX_NAME)
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/([a-zA-Z])([0-9])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** Words of a description (its first MAX_TEXT characters). */
function textWords(text: string): string[] {
  return text
    .slice(0, MAX_TEXT)
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** Where `phrase` (words) appears in `words` as consecutive words: the index of its last word, or -1. */
function phraseEnd(words: readonly string[], phrase: readonly string[]): number {
  for (let end = words.length - 1; end >= phrase.length - 1; end--) {
    if (phrase.every((w, i) => words[end - phrase.length + 1 + i] === w)) return end;
  }
  return -1;
}

const singular = (word: string) => (word.length > 3 && word.endsWith('s') ? word.slice(0, -1) : word);

/** Words as matched: the list in order, and a set to rule most phrases out at once. */
interface Words {
  list: readonly string[];
  set: ReadonlySet<string>;
}

const wordsOf = (list: readonly string[]): Words => ({ list, set: new Set(list) });

/** Where a phrase appears in the words, as phraseEnd; -1 at once where one of its words is missing. */
function find(words: Words, phrase: readonly string[]): number {
  return phrase.every((w) => words.set.has(w)) ? phraseEnd(words.list, phrase) : -1;
}

/** How strongly `entry` fits the name words: a phrase at the end of the name scores most, longer phrases more. */
function nameScore(entry: DictionaryEntry, words: Words, singulars: Words): number {
  if (words.list.length === 0) return 0;
  let best = 0;
  for (const name of entry.names) {
    const phrase = name.split(' ');
    const end = Math.max(find(words, phrase), find(singulars, phrase));
    // The joined name too: "sortorder", "firstname" as one word.
    const joined =
      phrase.length > 1 && words.set.has(phrase.join('')) ? words.list.indexOf(phrase.join('')) : -1;
    const at = Math.max(end, joined);
    if (at < 0) continue;
    best = Math.max(best, NAME_SCORE * phrase.length + at * 10 + (at === words.list.length - 1 ? 50 : 0));
  }
  return best;
}

function descriptionScore(entry: DictionaryEntry, words: Words): number {
  if (words.list.length === 0) return 0;
  let score = 0;
  for (const word of entry.words ?? []) if (find(words, word.split(' ')) >= 0) score += DESCRIPTION_SCORE;
  return score;
}

const fitsPatterns = (patterns: readonly string[], value: string) =>
  patterns.every((p) => matchesPattern(p, value, false));

/**
 * The entry the hints suggest most strongly, with its valid forms that fit every pattern; undefined where nothing
 * suggests one or none of its forms fits. A name, a format or description words choose the entry; a specific
 * pattern (one a plain word does not match) alone chooses the entry with the most forms it matches. Entries an LLM
 * proposed (`proposed`) are consulted only where the table has nothing: they never replace it.
 */
export function matchDictionary(
  hints: ValueHints,
  table: readonly DictionaryEntry[] = VALUE_DICTIONARY,
  proposed: readonly DictionaryEntry[] = [],
): DictionaryMatch | undefined {
  return bestMatch(hints, table) ?? (proposed.length > 0 ? bestMatch(hints, proposed) : undefined);
}

function bestMatch(hints: ValueHints, table: readonly DictionaryEntry[]): DictionaryMatch | undefined {
  const patterns = hints.patterns ?? [];
  const nameList = nameWords(hints.name ?? '');
  const words = wordsOf(nameList);
  const singulars = wordsOf(nameList.map(singular));
  const described = wordsOf(textWords(hints.description ?? ''));
  const format = hints.format?.toLowerCase();
  const scored = table
    .map((entry, index) => {
      const byFormat = format !== undefined && (entry.formats ?? []).includes(format) ? FORMAT_SCORE : 0;
      const byName = nameScore(entry, words, singulars);
      const byDescription = descriptionScore(entry, described);
      const by: DictionaryMatch['by'] = byFormat ? 'format' : byName ? 'name' : 'description';
      return { entry, index, score: byFormat + byName + byDescription, by };
    })
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score || a.index - b.index);
  for (const { entry, by } of scored) {
    const valid = entry.valid.filter((v) => fitsPatterns(patterns, v));
    if (valid.length > 0) return { entry, valid, ...misses(entry), by };
  }
  if (patterns.length === 0 || fitsPatterns(patterns, PLAIN_WORD)) return undefined;
  let best: DictionaryMatch | undefined;
  for (const entry of table) {
    const valid = entry.valid.filter((v) => fitsPatterns(patterns, v));
    if (valid.length > (best?.valid.length ?? 0)) {
      best = { entry, valid, ...misses(entry), by: 'pattern' };
    }
  }
  return best;
}

const misses = (entry: DictionaryEntry) => ({
  unusual: [...(entry.unusual ?? [])],
  invalid: [...entry.invalid],
});

/** One valid form of the match that `fits`, chosen by the seed at `place`; undefined where none fits. */
export function dictionaryValue(
  match: DictionaryMatch | undefined,
  seed: number,
  place: string,
  fits: (value: string) => boolean = () => true,
): string | undefined {
  const fitting = match?.valid.filter(fits) ?? [];
  return fitting.length > 0 ? pick(randomAt(seed, `${place}#dictionary`), fitting) : undefined;
}
