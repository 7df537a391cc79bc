// One step of a UI case: what a person does in the browser, as data.
import { z } from 'zod';

const NEEDS_TARGET = new Set(['fill', 'click', 'select', 'upload', 'expectVisible']);
const NEEDS_VALUE = new Set(['fill', 'select', 'upload', 'expectText', 'expectNoText', 'expectUrl']);

export const UiStep = z
  .object({
    name: z.string().min(1).optional(),
    action: z.enum([
      'goto',
      'fill',
      'click',
      'select',
      'upload',
      'expectVisible',
      'expectText',
      'expectNoText',
      'expectUrl',
    ]),
    target: z
      .string()
      .min(1)
      .optional()
      .describe(
        'A page path for goto; otherwise what to act on: "label=E-mail", "role=button[name=\'Save\']", "text=Sign up", ' +
          '"placeholder=Search" or a CSS selector.',
      ),
    value: z
      .string()
      .optional()
      .describe(
        'Text to fill, option to select, file to upload, text or URL path to expect; may use {{$uid}}.',
      ),
  })
  .strict()
  .superRefine((step, context) => {
    if (NEEDS_TARGET.has(step.action) && step.target === undefined)
      context.addIssue({ code: 'custom', path: ['target'], message: `${step.action} needs a target` });
    if (NEEDS_VALUE.has(step.action) && step.value === undefined)
      context.addIssue({ code: 'custom', path: ['value'], message: `${step.action} needs a value` });
  });

export type UiStep = z.infer<typeof UiStep>;
