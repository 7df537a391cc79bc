// Files with meaning: what a file field is sent. A service that reads what it is sent (an audio import, a picture
// it serves back, a spreadsheet it parses) refuses a text file, and the code behind the refusal is never reached.
// The kind comes from the media type the description declares for the field, else from the words of its name and
// description; each kind is the smallest real file of its type.
import type { FileUpload } from '../../../cases/index.ts';

interface FileKind {
  /** Media types this kind stands for (the first is the one sent); a `type/*` range matches by its type. */
  mediaTypes: readonly string[];
  /** Words of a field's name or description that suggest it. */
  words: RegExp;
  extension: string;
  content(): Pick<FileUpload, 'text' | 'base64'>;
}

/** The smallest valid PNG: one transparent pixel. */
const ONE_PIXEL_PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

/** A PCM WAV file, 16-bit mono at 8 kHz: a quarter of a second of a 440 Hz tone. */
function pcmWav(): string {
  const rate = 8000;
  const samples = rate / 4;
  const bytes = Buffer.alloc(44 + samples * 2);
  bytes.write('RIFF', 0, 'ascii');
  bytes.writeUInt32LE(bytes.length - 8, 4);
  bytes.write('WAVEfmt ', 8, 'ascii');
  bytes.writeUInt32LE(16, 16);
  bytes.writeUInt16LE(1, 20); // PCM
  bytes.writeUInt16LE(1, 22); // mono
  bytes.writeUInt32LE(rate, 24);
  bytes.writeUInt32LE(rate * 2, 28);
  bytes.writeUInt16LE(2, 32);
  bytes.writeUInt16LE(16, 34);
  bytes.write('data', 36, 'ascii');
  bytes.writeUInt32LE(samples * 2, 40);
  for (let i = 0; i < samples; i++) {
    bytes.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / rate)), 44 + i * 2);
  }
  return bytes.toString('base64');
}

/** A one-page PDF with its cross-reference table, as strict readers want it. */
function onePagePdf(): string {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 72 72] >>',
  ];
  let text = '%PDF-1.4\n';
  const offsets = objects.map((object, i) => {
    const at = text.length;
    text += `${i + 1} 0 obj\n${object}\nendobj\n`;
    return at;
  });
  const xref = text.length;
  text += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const at of offsets) text += `${String(at).padStart(10, '0')} 00000 n \n`;
  text += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return text;
}

const KINDS: readonly FileKind[] = [
  {
    mediaTypes: ['image/png', 'image/*'],
    words: /\b(photo|image|picture|avatar|logo|icon|thumbnail|png|jpe?g)/,
    extension: 'png',
    content: () => ({ base64: ONE_PIXEL_PNG }),
  },
  {
    mediaTypes: ['audio/wav', 'audio/x-wav', 'audio/wave', 'audio/*'],
    words: /\b(wave?\b|audio|sound|recording|voice)/,
    extension: 'wav',
    content: () => ({ base64: pcmWav() }),
  },
  {
    mediaTypes: ['application/pdf'],
    words: /\bpdf\b/,
    extension: 'pdf',
    content: () => ({ text: onePagePdf() }),
  },
  {
    mediaTypes: ['text/csv'],
    words: /\bcsv\b|spreadsheet/,
    extension: 'csv',
    content: () => ({ text: 'name,value\nexample,1\n' }),
  },
  {
    mediaTypes: ['application/json'],
    words: /\bjson\b/,
    extension: 'json',
    content: () => ({ text: '{"example": true}\n' }),
  },
];

function matchesMediaType(kind: FileKind, declared: string): boolean {
  const type = declared.split(';')[0]!.trim().toLowerCase();
  return kind.mediaTypes.some((range) =>
    range.endsWith('/*') ? type.startsWith(range.slice(0, -1)) || type === range : type === range,
  );
}

/**
 * The file sent for the file field `name`: of the media type the description declares for it (`contentMediaType`,
 * or the multipart encoding's `contentType`), else of the kind its name or description speaks of, else a small
 * text file.
 */
export function uploadFor(name: string, schema: unknown, declaredType?: string): FileUpload {
  const field = typeof schema === 'object' && schema !== null ? (schema as Record<string, unknown>) : {};
  // An encoding's contentType may list several types: the first is as good as any.
  const mediaType =
    declaredType?.split(',')[0]!.trim() ||
    (typeof field.contentMediaType === 'string' ? field.contentMediaType : undefined);
  const description = typeof field.description === 'string' ? field.description : '';
  const words = `${name} ${description.slice(0, 1000)}`.toLowerCase();
  const byType = mediaType ? KINDS.find((k) => matchesMediaType(k, mediaType)) : undefined;
  // Any bytes at all (none declared, octet-stream, */*): the words choose.
  const anyBytes = !mediaType || /^(application\/octet-stream|\*\/\*)\s*(;|$)/i.test(mediaType);
  const kind = byType ?? (anyBytes ? KINDS.find((k) => k.words.test(words)) : undefined);
  if (!kind) {
    const contentType = anyBytes ? 'text/plain' : mediaType!;
    return { text: `Gauntlet test upload for ${name}\n`, name: `${name}.txt`, contentType };
  }
  // A declared concrete type is sent as declared; a range, as the kind's own first type.
  const contentType = byType && !mediaType!.includes('*') ? mediaType! : kind.mediaTypes[0]!;
  return { ...kind.content(), name: `${name}.${kind.extension}`, contentType };
}
