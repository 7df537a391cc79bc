// Text from an LLM or from the service under test is inert in report.md (and so in the PR comment): whatever a
// summary, a recommendation, a failure message, a response body or a title holds, the report shows it as text. No
// image loads, no link goes to any host, no HTML opens, no hidden comment fakes the sticky comment's marker, nobody
// is @mentioned, no issue is referenced, and no line starts with a bot's "/" command or a runner's "::" command.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { RunResult } from '../../src/cases/index.ts';
import { createOpenAiNarrativeWriter } from '../../src/generate/openai/narrative-writer.ts';
import { renderHtml } from '../../src/report/html.ts';
import { inert, inlineCode } from '../../src/report/inert.ts';
import { renderMarkdown, reportOf } from '../../src/report/index.ts';
import type { Report } from '../../src/report/index.ts';
import { buildReport } from '../../src/report/build.ts';
import { useOpenAiServer } from '../support/openai/jest.ts';
import { result, summaryOf } from '../support/results.ts';

const openai = useOpenAiServer();
/** The target of every summary here: Gauntlet's own link to it in the headline is allowed. */
const TARGET = 'http://127.0.0.1:4100/';

// --- How GitHub reads the Markdown, as far as these checks need --------------------------------------------------

/** The lines of a Markdown text with fenced code blocks and code spans taken out: the text GitHub renders. */
function renderedLines(markdown: string): { text: string; html: boolean }[] {
  const out: { text: string; html: boolean }[] = [];
  let fence: string | undefined;
  for (const line of markdown.split(/\r\n|\r|\n/)) {
    if (fence !== undefined) {
      if (new RegExp(`^ {0,3}${fence}\`*[ \\t]*$`).test(line)) fence = undefined;
      continue;
    }
    // A fence's info string holds no backtick: "``` a`` ```" opening a line is a code span, not a fence.
    const open = /^ {0,3}(`{3,})([^`]*)$/.exec(line);
    if (open) {
      fence = open[1]!;
      continue;
    }
    // A line that opens or closes <details> is an HTML block: Markdown is not parsed in it.
    const html = /^<\/?details>/.test(line);
    out.push({ text: html ? line.replace(/<code>[^<]*<\/code>/g, '') : withoutCodeSpans(line), html });
  }
  return out;
}

function withoutCodeSpans(line: string): string {
  let out = '';
  for (let i = 0; i < line.length;) {
    if (line[i] === '\\') {
      out += line.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (line[i] !== '`') {
      out += line[i++];
      continue;
    }
    const run = /^`+/.exec(line.slice(i))![0];
    const close = new RegExp(`(?<!\`)${run}(?!\`)`).exec(line.slice(i + run.length));
    if (close) {
      i += run.length + close.index + run.length;
    } else {
      out += run;
      i += run.length;
    }
  }
  return out;
}

/** Characters not escaped by a backslash (a backslash escaped by another does not escape). */
const unescaped = (text: string, chars: string): string[] =>
  [...text.matchAll(/\\[\s\S]|[\s\S]/g)].map((m) => m[0]).filter((c) => chars.includes(c));

/** Every way the rendered report could load, link, open HTML, notify or command: empty when it is inert. */
function liveParts(markdown: string): string[] {
  const found: string[] = [];
  for (const raw of markdown.split(/\r\n|\r|\n|\u2028|\u2029/)) {
    if (/^\s*(?:\/|::)/.test(raw)) found.push(`a line starts a command: ${raw}`);
  }
  for (const { text, html } of renderedLines(markdown)) {
    const rest = text.replaceAll(TARGET, '');
    if (html) {
      const tags = rest.replace(/<\/?(?:details|summary)>/g, '');
      if (tags.includes('<')) found.push(`HTML: ${text}`);
    } else {
      if (unescaped(rest, '[]').length > 0) found.push(`a link or image: ${text}`);
      if (rest.includes('<')) found.push(`HTML or an autolink: ${text}`);
      if (/&(?!lt;|amp;)/.test(rest)) found.push(`an entity: ${text}`);
    }
    if (/[a-z][a-z0-9+.-]*:\/\/|www\.|mailto:|xmpp:/i.test(rest)) found.push(`a bare URL: ${text}`);
    if (/[\w.+-]+@[\w-]+\.[\w-]+/.test(rest)) found.push(`an e-mail address: ${text}`);
    if (/@[\w-]/.test(rest)) found.push(`a mention: ${text}`);
    if (/#\d/.test(rest)) found.push(`an issue reference: ${text}`);
  }
  return found;
}

// --- Hostile text ---------------------------------------------------------------------------------------------

const PAYLOADS = [
  '![x](https://evil.example/p.png)',
  '![x][img]',
  '[click](https://evil.example)',
  '[click]( https://evil.example "t")',
  '[ref]: https://evil.example',
  '[x][ref]',
  '[^1]',
  '<https://evil.example>',
  '<mailto:someone@evil.example>',
  'https://evil.example/a?b=c',
  'http://evil.example',
  'www.evil.example',
  'mailto:someone@evil.example',
  'someone@evil.example',
  'ftp://evil.example/x',
  '<img src=https://evil.example/p.png>',
  '<a href="https://evil.example">x</a>',
  '<!-- gauntlet:sticky -->',
  '<details><summary>x</summary>',
  '</details>',
  '<script>alert(1)</script>',
  '@octocat',
  '@github/security',
  '#123',
  'octo/repo#12',
  'octo/repo@a1b2c3d',
  '/gauntlet approve',
  '/deploy production',
  '::set-output name=x::y',
  '::error::boom',
  '::add-mask::x',
  '\n/approve\n',
  '\r\n::warning::x\r\n',
  '\u2028/merge',
  '`',
  '``',
  '```',
  '```\n/approve\n```',
  '~~~',
  '\\',
  '\\[x](https://evil.example)',
  '\\![x](https://evil.example/p.png)',
  '&#91;x&#93;(https://evil.example)',
  '&lt;img src=x&gt;',
  '&#x3C;img src=x&#x3E;',
  'https&#58;//evil.example',
  'javascript:alert(1)',
  '    ',
  '!',
  '[',
  ']',
  '(',
  ')',
  '<',
  '>',
  '&',
  '|',
  '*',
  '_',
  '#',
  '@',
  ':',
  '/',
  'evil.example',
];

const hostile = fc
  .array(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...PAYLOADS) }, fc.string(), fc.webUrl()), {
    minLength: 1,
    maxLength: 8,
  })
  .map((parts) => parts.join(''));

/** A run whose failures carry hostile messages, bodies and titles, summed up by an LLM in hostile words. */
function hostileReport(texts: {
  summary: string;
  recommendation: string;
  message: string;
  body: string;
  title: string;
  error: string;
  note: string;
}): Report {
  const failing = result(texts.title, 'failed', { message: texts.message }, {});
  const withBody: RunResult = {
    ...failing,
    error: texts.error,
    evidence: failing.evidence.map((e) => ({
      ...e,
      response: { status: 500, headers: {}, body: texts.body },
    })),
    reproduction: { curl: `curl -X POST '${TARGET}api/projects' --data-raw '${texts.body}'` },
  };
  const flaky = result(`${texts.title} again`, 'flaky', { message: texts.message }, { attempts: 2 });
  const ui = result(
    `${texts.title} in the browser`,
    'failed',
    { message: texts.message },
    {
      kind: 'ui',
      reproduction: { steps: [`click text=${texts.title}`] },
    },
  );
  const skipped = result(texts.title, 'skipped', {}, { error: texts.error });
  const summary = summaryOf(
    [withBody, flaky, ui, skipped, result('passes', 'passed')],
    [{ ...failing.origin, title: texts.title, journey: texts.title }],
  );
  summary.generation = {
    seed: 0,
    providers: [],
    usage: { requests: 0, promptTokens: 0, completionTokens: 0, costUsd: 0 },
    degraded: true,
    regression: 0,
    notes: [texts.note],
  };
  const report = reportOf(summary);
  return {
    ...report,
    narrative: {
      summary: texts.summary,
      recommendations: [{ text: texts.recommendation, findings: [] }],
      author: 'openai/gpt-4.1-mini',
    },
  };
}

describe('text from an LLM or the service in report.md', () => {
  it('is inert whatever it holds: no image, link, HTML, hidden comment, mention, reference or command', () => {
    fc.assert(
      fc.property(
        fc.record({
          summary: hostile,
          recommendation: hostile,
          message: hostile,
          body: hostile,
          title: hostile.filter((t) => t.trim() !== ''),
          error: hostile,
          note: hostile,
        }),
        (texts) => {
          const markdown = renderMarkdown(hostileReport(texts));
          expect(liveParts(markdown)).toEqual([]);
          expect(markdown).not.toContain('<!--');
          const html = renderHtml(hostileReport(texts));
          expect(html).not.toMatch(/<(?:img|a|iframe|object|embed|script)[\s>/]/i);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('stays inert where a summary in a code span of three backticks opens a line (no fence: it holds a backtick)', () => {
    const image = '![x](https://evil.example/p.png)';
    const texts = { summary: 'http://a.aa``', recommendation: image, message: image, title: 'http://a.aa' };
    const body = '```\n/approve\n```\n/approve\n' + image;
    const markdown = renderMarkdown(hostileReport({ ...texts, body, error: image, note: image }));
    expect(markdown).toContain('``` http://a.aa`` ```');
    expect(liveParts(markdown)).toEqual([]);
  });

  it('still reads as the text it was: URLs in code, escapes that GitHub shows as the characters', () => {
    expect(inert('See ![x](https://evil.example/p.png) and ask @octocat about #12.')).toBe(
      'See !\\[x\\](`https://evil.example/p.png`) and ask @\u200boctocat about #\u200b12.',
    );
    expect(inert('/gauntlet approve')).toBe('\\/gauntlet approve');
    expect(inert('::set-output name=x::y')).toBe('\\::set-output name=x::y');
    expect(inert('<!-- gauntlet --> a\nb')).toBe('&lt;!-- gauntlet --> a b');
    expect(inert('write to ann@corp.example', { in: 'html' })).toBe('write to <code>ann@corp.example</code>');
    expect(inlineCode('a `b` c')).toBe('``a `b` c``');
    expect(inlineCode('`edge`')).toBe('`` `edge` ``');
  });

  it('keeps the target as a link where Gauntlet names it itself, and only there', () => {
    const summary = summaryOf([result('passes', 'passed')]);
    const template = renderMarkdown(reportOf(summary));
    expect(template).toContain(`All 1 tests against ${TARGET} passed.`);
    const llm = renderMarkdown({
      ...reportOf(summary),
      narrative: {
        summary: `All good on ${TARGET} today.`,
        recommendations: [],
        author: 'openai/gpt-4.1-mini',
      },
    });
    expect(llm).toContain(`All good on \`${TARGET}\` today.`);
  });

  it('is inert when an LLM writes the summary through the local OpenAI server', async () => {
    const summary = summaryOf([
      result('empty name', 'failed', {
        message: 'expected status 400, got 201 <img src=https://evil.example/x>',
      }),
      result('valid', 'passed'),
    ]);
    const image = '![x](https://evil.example/p.png)';
    openai().reply({
      summary: `One problem was found. ${image} See [the details](https://evil.example/d) or ask @octocat.`,
      recommendations: [
        { text: `Refuse empty names <a href="https://evil.example">now</a> ${image}`, findings: [] },
      ],
    });
    const writer = createOpenAiNarrativeWriter({
      model: 'gpt-4.1-mini',
      baseURL: openai().url,
      apiKey: openai().apiKey,
      maxRetries: 0,
    });
    const { report, note } = await buildReport(summary, { writer });
    expect(note).toBeUndefined();
    expect(report.narrative.author).toBe('openai/gpt-4.1-mini');
    const markdown = renderMarkdown(report);
    expect(liveParts(markdown)).toEqual([]);
    expect(markdown).not.toContain(image);
    expect(markdown).toContain('One problem was found. !\\[x\\](`https://evil.example/p.png`)');
    expect(renderHtml(report)).not.toMatch(/<(?:img|a)[\s>/]/i);
  });
});
