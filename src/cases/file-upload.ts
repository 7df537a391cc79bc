// A file a request uploads, as data: a path, or the content itself.
import { z } from 'zod';

export const FileUpload = z
  .object({
    path: z
      .string()
      .min(1)
      .optional()
      .describe('A file to send; relative paths start at the working directory.'),
    text: z.string().optional().describe('The content, as text.'),
    base64: z.string().optional().describe('The content, base64-encoded.'),
    name: z
      .string()
      .min(1)
      .optional()
      .describe('The file name sent; by default that of `path`, or the field name.'),
    contentType: z
      .string()
      .min(1)
      .optional()
      .describe('Its media type; by default application/octet-stream.'),
  })
  .strict()
  .refine((file) => [file.path, file.text, file.base64].filter((v) => v !== undefined).length === 1, {
    message: 'give exactly one of path, text or base64',
  });

export type FileUpload = z.infer<typeof FileUpload>;
