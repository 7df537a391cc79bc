// Exports: a real WAV (a tone as long as the project's clips), a real Standard MIDI File, or a list of stems.
import type { Project } from './state.ts';

const SAMPLE_RATE = 22050;

export interface ExportFile {
  contentType: string;
  filename: string;
  bytes: Buffer;
}

export function exportProject(project: Project, format: string): ExportFile | { json: unknown } | undefined {
  const slug =
    project.name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'project';
  if (format === 'wav')
    return { contentType: 'audio/wav', filename: `${slug}.wav`, bytes: wav(durationOf(project)) };
  if (format === 'midi') return { contentType: 'audio/midi', filename: `${slug}.mid`, bytes: midi(project) };
  if (format === 'stems') {
    return {
      json: {
        project: project.id,
        stems: project.tracks.map((t) => ({ track: t.id, name: t.name, format: 'wav' })),
      },
    };
  }
  return undefined;
}

function durationOf(project: Project): number {
  const end = Math.max(0, ...project.tracks.flatMap((t) => t.clips.map((c) => c.start + c.length)));
  return Math.min(Math.max(end, 0.1), 10);
}

/** PCM 16-bit mono: a 440 Hz tone of `seconds`. */
export function wav(seconds: number): Buffer {
  const samples = Math.round(seconds * SAMPLE_RATE);
  const data = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++)
    data.writeInt16LE(Math.round(Math.sin((2 * Math.PI * 440 * i) / SAMPLE_RATE) * 8000), i * 2);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(SAMPLE_RATE, 24);
  header.writeUInt32LE(SAMPLE_RATE * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

/** Format 0, one track: a note per MIDI clip (or one middle C), 480 ticks per beat. */
export function midi(project: Project): Buffer {
  const notes = project.tracks.filter((t) => t.type === 'midi').flatMap((t) => t.clips);
  const events: number[] = [];
  for (const [i] of (notes.length ? notes : [undefined]).entries()) {
    events.push(0x00, 0x90, 60 + (i % 12), 0x64, 0x83, 0x60, 0x80, 60 + (i % 12), 0x40);
  }
  events.push(0x00, 0xff, 0x2f, 0x00);
  const header = Buffer.from([0x4d, 0x54, 0x68, 0x64, 0, 0, 0, 6, 0, 0, 0, 1, 0x01, 0xe0]);
  const trackHeader = Buffer.alloc(8);
  trackHeader.write('MTrk', 0);
  trackHeader.writeUInt32BE(events.length, 4);
  return Buffer.concat([header, trackHeader, Buffer.from(events)]);
}

export interface WavInfo {
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  seconds: number;
}

/** The WAV's format and length, or undefined when the bytes are not a PCM WAV file. */
export function readWav(bytes: Buffer): WavInfo | undefined {
  if (
    bytes.length < 12 ||
    bytes.toString('ascii', 0, 4) !== 'RIFF' ||
    bytes.toString('ascii', 8, 12) !== 'WAVE'
  ) {
    return undefined;
  }
  let format: Omit<WavInfo, 'seconds'> | undefined;
  for (let offset = 12; offset + 8 <= bytes.length;) {
    const id = bytes.toString('ascii', offset, offset + 4);
    const size = bytes.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ' && body + 16 <= bytes.length) {
      format = {
        channels: bytes.readUInt16LE(body + 2),
        sampleRate: bytes.readUInt32LE(body + 4),
        bitsPerSample: bytes.readUInt16LE(body + 14),
      };
    } else if (id === 'data' && format) {
      const frameBytes = (format.channels * format.bitsPerSample) / 8;
      if (frameBytes === 0 || format.sampleRate === 0) return undefined;
      const dataBytes = Math.min(size, bytes.length - body);
      return { ...format, seconds: dataBytes / frameBytes / format.sampleRate };
    }
    offset = body + size + (size % 2);
  }
  return undefined;
}
