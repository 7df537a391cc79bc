// The report's summary written by an LLM, against the local OpenAI server: the model gets the report model as a
// data block and answers in a strict schema; what it writes is used only when it names findings that exist and is a
// summary a comment can hold; any other reply, however broken, leaves the template's summary and says why.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { analyze } from '../../src/analyze/analyze.ts';
import { createOpenAiNarrativeWriter } from '../../src/generate/openai/narrative-writer.ts';
import { ProviderError } from '../../src/generate/provider.ts';
import { narrativeInput, writeNarrative } from '../../src/report/narrative.ts';
import { messageText } from '../support/openai/index.ts';
import { useOpenAiServer } from '../support/openai/jest.ts';
import { result, summaryOf } from '../support/results.ts';

const openai = useOpenAiServer();

const summary = summaryOf([
  result('empty name', 'failed'),
  result('long name', 'failed', { check: 'not_a_server_error', message: 'status 500', status: 500 }),
  result('valid', 'passed'),
]);
const analysis = analyze(summary);
const [first, second] = analysis.findings.map((f) => f.id);

const writer = () =>
  createOpenAiNarrativeWriter({
    model: 'gpt-4.1-mini',
    baseURL: openai().url,
    apiKey: openai().apiKey,
    maxRetries: 0,
  });

describe('the summary written by an LLM', () => {
  it('is asked with the report model as data, in a strict schema, and used when it holds to the findings', async () => {
    const reply = {
      summary: `Two problems were found. Creating a project with a long name crashes the service (${second}).`,
      recommendations: [{ text: `Refuse long names with a 400 (${second}).`, findings: [second!] }],
    };
    openai().reply(reply);
    const model = writer();
    const { narrative, note } = await writeNarrative(summary, analysis, model);
    expect(note).toBeUndefined();
    expect(narrative).toEqual({ ...reply, author: 'openai/gpt-4.1-mini' });

    const [request] = openai().requests;
    expect(request!.chat!.response_format).toMatchObject({
      type: 'json_schema',
      json_schema: { name: 'report_summary', strict: true },
    });
    const data = messageText(request!.chat!.messages.at(-1)!);
    expect(data).toMatch(/^<data-[a-z0-9]+ name="report">/);
    expect(data).toContain(first!);
    expect(data).toContain(second!);
    expect(model.usage).toEqual(openai().stats);
  });

  it('is not used, and the template writes the summary, when its reply has another shape', async () => {
    openai().reply({ summary: 'All good.', recommendations: [{ text: 'Ship it.' }] });
    const { narrative, note } = await writeNarrative(summary, analysis, writer());
    expect(narrative.author).toBe('template');
    expect(note).toMatch(
      /^openai\/gpt-4\.1-mini could not write the summary \(openai\/gpt-4\.1-mini: the summary does not have the asked shape \(.*recommendations.*\)\); the template did\.$/,
    );
    openai().reply('{"summary": "cut off');
    await expect(writer().write(narrativeInput(summary, analysis))).rejects.toThrow(
      new ProviderError('invalid-reply', 'openai/gpt-4.1-mini: the summary is not JSON'),
    );
  });

  it('is not used when it would start a line with "/", runs past a thousand characters, or recommends too much', async () => {
    const recommendation = { text: `Fix it (${first}).`, findings: [first!] };
    const cases = [
      [{ summary: '/gauntlet run. It failed.', recommendations: [recommendation] }, 'starts with "/"'],
      [{ summary: `${'Very long. '.repeat(100)}`, recommendations: [recommendation] }, 'characters long'],
      [
        { summary: 'It failed. Fix it.', recommendations: Array(9).fill(recommendation) },
        '9 recommendations',
      ],
    ] as const;
    for (const [reply, why] of cases) {
      openai().reply(reply);
      const { narrative, note } = await writeNarrative(summary, analysis, writer());
      expect([narrative.author, note]).toEqual(['template', expect.stringContaining(why)]);
    }
  });

  it('never fails the report, whatever the model answers: the summary names only findings that exist', async () => {
    const ids = fc.constantFrom(first!, second!, 'F-00000000', 'F-deadbeef');
    const recommendation = fc.record({
      text: fc.oneof(
        fc.string(),
        ids.map((id) => `Fix ${id}.`),
      ),
      findings: fc.oneof(fc.array(ids, { maxLength: 3 }), fc.jsonValue()),
    });
    const content = fc.oneof(
      fc.string(),
      fc.json(),
      fc
        .record({
          summary: fc.oneof(
            fc.string({ maxLength: 1200 }),
            ids.map((id) => `Two problems. The worst is ${id}.`),
            fc.jsonValue(),
          ),
          recommendations: fc.oneof(fc.array(recommendation, { maxLength: 10 }), fc.jsonValue()),
        })
        .map((value) => JSON.stringify(value)),
    );
    const known = new Set(analysis.findings.map((f) => f.id));
    await fc.assert(
      fc.asyncProperty(content, async (reply) => {
        openai().reset();
        openai().reply(reply);
        const { narrative, note } = await writeNarrative(summary, analysis, writer());
        if (narrative.author === 'template') {
          expect(note).toEqual(expect.any(String));
          return;
        }
        const named = [narrative.summary, ...narrative.recommendations.map((r) => r.text)].join(' ');
        for (const id of named.match(/\bF-[0-9a-z]+\b/gi) ?? []) expect(known).toContain(id);
        for (const r of narrative.recommendations) for (const id of r.findings) expect(known).toContain(id);
        expect(narrative.summary.length).toBeLessThanOrEqual(1000);
        expect(narrative.summary).not.toMatch(/^\s*\//);
      }),
      { numRuns: 60 },
    );
  });
});
