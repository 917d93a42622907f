import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  TranscriptParseError,
  parseResultText,
  parseSrt,
  parseVtt,
  renderPlainText,
  renderResultText,
  renderSrt,
  renderVtt,
  segmentsFromResult,
  segmentsFromSentences,
} from '../src/ci/result';
import type { TranscriptSegment } from '../src/ci/result';

describe('parseResultText', () => {
  it('reads the seed sample (literal \\n terminator, minutes:seconds)', () => {
    assert.deepEqual(parseResultText('[0:0.160,1:0.640] Test test\\n'), [
      { startMs: 160, endMs: 60_640, text: 'Test test' },
    ]);
  });

  it('tolerates one or two spaces, \\r\\n, blank lines and hours', () => {
    const text = '[0:0.020,0:2.380]  first\r\n\r\n[0:2.380,0:5.000] second\n[1:02:03.5,1:02:04.250] third\n';
    assert.deepEqual(parseResultText(text), [
      { startMs: 20, endMs: 2380, text: 'first' },
      { startMs: 2380, endMs: 5000, text: 'second' },
      { startMs: 3_723_500, endMs: 3_724_250, text: 'third' },
    ]);
    assert.deepEqual(parseResultText(''), []);
    assert.deepEqual(parseResultText('[0:0.000,0:1.000]'), [{ startMs: 0, endMs: 1000, text: '' }]);
  });

  it('odd lines throw a TranscriptParseError naming the line, or are skipped on request', () => {
    const text = '[0:0.000,0:1.000] ok\nnot a line\n[0:5.000,0:4.000] backwards';
    assert.throws(() => parseResultText(text), { name: 'TranscriptParseError', message: /^line 2: / });
    const skipped: TranscriptParseError[] = [];
    const segments = parseResultText(text, { invalidLines: 'skip', onSkip: (e) => skipped.push(e) });
    assert.deepEqual(segments, [{ startMs: 0, endMs: 1000, text: 'ok' }]);
    assert.deepEqual(
      skipped.map((e) => e.line),
      [2, 3],
    );
  });
});

describe('segments from ResultDetail', () => {
  it('makes word times absolute and keeps the speaker', () => {
    const segments = segmentsFromSentences([
      {
        FinalSentence: 'hello world',
        StartMs: 1000,
        EndMs: 2000,
        SpeakerId: 1,
        Words: [
          { Word: 'hello', OffsetStartMs: 0, OffsetEndMs: 400 },
          { Word: 'world', OffsetStartMs: 500, OffsetEndMs: 1000 },
        ],
      },
      { FinalSentence: ' bye ', StartMs: 2000, EndMs: 2500, Words: [] },
    ]);
    assert.deepEqual(segments, [
      {
        startMs: 1000,
        endMs: 2000,
        text: 'hello world',
        speakerId: 1,
        words: [
          { word: 'hello', startMs: 1000, endMs: 1400 },
          { word: 'world', startMs: 1500, endMs: 2000 },
        ],
      },
      { startMs: 2000, endMs: 2500, text: 'bye' },
    ]);
  });

  it('segmentsFromResult prefers ResultDetail and falls back to the Result text', () => {
    const fromText = segmentsFromResult({ Result: '[0:1.000,0:2.000] a', ResultDetail: [] });
    assert.deepEqual(fromText, [{ startMs: 1000, endMs: 2000, text: 'a' }]);
    const fromDetail = segmentsFromResult({
      Result: 'ignored',
      ResultDetail: [{ FinalSentence: 'b', StartMs: 0, EndMs: 1, Words: [] }],
    });
    assert.deepEqual(fromDetail, [{ startMs: 0, endMs: 1, text: 'b' }]);
  });
});

const SAMPLE: TranscriptSegment[] = [
  { startMs: 160, endMs: 60_640, text: 'Test <test> & more', speakerId: 2 },
  { startMs: 3_723_500, endMs: 3_724_250, text: 'line\ntwo' },
];

describe('rendering', () => {
  it('plain text, with and without speakers', () => {
    assert.equal(renderPlainText(SAMPLE), 'Test <test> & more\nline two\n');
    assert.equal(renderPlainText(SAMPLE, { speakers: true }), 'Speaker 2: Test <test> & more\nline two\n');
    assert.equal(renderPlainText([]), '');
  });

  it('SRT', () => {
    assert.equal(
      renderSrt(SAMPLE),
      '1\n00:00:00,160 --> 00:01:00,640\nTest <test> & more\n\n2\n01:02:03,500 --> 01:02:04,250\nline two\n',
    );
  });

  it('WebVTT with voice spans and escaping', () => {
    assert.equal(
      renderVtt(SAMPLE),
      'WEBVTT\n\n00:00:00.160 --> 00:01:00.640\n<v Speaker 2>Test &lt;test&gt; &amp; more\n\n' +
        '01:02:03.500 --> 01:02:04.250\nline two\n',
    );
  });

  it('CI Result text', () => {
    assert.equal(renderResultText(SAMPLE), '[0:0.160,1:0.640] Test <test> & more\n[62:3.500,62:4.250] line two');
  });
});

describe('parsing subtitles', () => {
  it('SRT with CRLF, BOM, no cue numbers and multi-line cues', () => {
    const srt =
      '\uFEFF1\r\n00:00:01,000 --> 00:00:02,500\r\nhello\r\nthere\r\n\r\n00:00:03,000 --> 00:00:04,000\r\nbye\r\n';
    assert.deepEqual(parseSrt(srt), [
      { startMs: 1000, endMs: 2500, text: 'hello there' },
      { startMs: 3000, endMs: 4000, text: 'bye' },
    ]);
    assert.throws(() => parseSrt('1\nsoon --> later\nx'), { name: 'TranscriptParseError', message: /^line 2: / });
  });

  it('WebVTT with NOTE blocks, cue ids, settings, tags and short times', () => {
    const vtt =
      'WEBVTT - demo\n\nNOTE a comment\n\ncue-1\n00:01.000 --> 00:02.000 align:start\n<v.loud Speaker 3><b>hi</b> &amp; bye\n';
    assert.deepEqual(parseVtt(vtt), [{ startMs: 1000, endMs: 2000, text: 'hi & bye', speakerId: 3 }]);
    assert.throws(() => parseVtt('00:01.000 --> 00:02.000\nx'), /WEBVTT/);
  });
});

/** Text as a renderer keeps it: one line, trimmed, and without CI's literal `\n` line separator. */
const cueText = fc
  .string({ unit: 'grapheme', maxLength: 30 })
  .map((s) => s.replace(/\s+/g, ' ').replace(/\\n/g, '').trim());

const segmentArb = fc
  .record({
    start: fc.nat(36_000_000),
    length: fc.nat(600_000),
    text: cueText,
    speaker: fc.option(fc.nat(9), { nil: undefined }),
  })
  .map(({ start, length, text, speaker }): TranscriptSegment => {
    const segment: TranscriptSegment = { startMs: start, endMs: start + length, text };
    if (speaker !== undefined) segment.speakerId = speaker;
    return segment;
  });

const withoutSpeakers = (segments: TranscriptSegment[]): TranscriptSegment[] =>
  segments.map(({ startMs, endMs, text }) => ({ startMs, endMs, text }));

describe('round trips (property-based)', () => {
  it('SRT: render → parse keeps times and text', () => {
    fc.assert(
      fc.property(fc.array(segmentArb, { maxLength: 8 }), (segments) => {
        assert.deepEqual(parseSrt(renderSrt(segments)), withoutSpeakers(segments));
      }),
    );
  });

  it('WebVTT: render → parse keeps times, text and speakers', () => {
    fc.assert(
      fc.property(fc.array(segmentArb, { maxLength: 8 }), (segments) => {
        assert.deepEqual(parseVtt(renderVtt(segments)), segments);
      }),
    );
  });

  it('CI Result text: render → parse keeps times and text', () => {
    fc.assert(
      fc.property(fc.array(segmentArb, { maxLength: 8 }), (segments) => {
        assert.deepEqual(parseResultText(renderResultText(segments)), withoutSpeakers(segments));
      }),
    );
  });

  it('odd input never throws anything but a TranscriptParseError', () => {
    const noise = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc
        .array(
          fc.constantFrom(
            '[',
            ']',
            ',',
            ':',
            '.',
            '0',
            '9',
            ' ',
            '\n',
            '\\n',
            '-->',
            'WEBVTT',
            '<v ',
            '>',
            '&amp;',
            'x',
          ),
          {
            maxLength: 40,
          },
        )
        .map((parts) => parts.join('')),
    );
    const onlyParseErrors = (fn: () => unknown): void => {
      try {
        fn();
      } catch (err) {
        assert.ok(err instanceof TranscriptParseError, `unexpected ${String(err)}`);
      }
    };
    fc.assert(
      fc.property(noise, (input) => {
        onlyParseErrors(() => parseResultText(input));
        onlyParseErrors(() => parseSrt(input));
        onlyParseErrors(() => parseVtt(`WEBVTT\n\n${input}`));
        onlyParseErrors(() => parseVtt(input));
        assert.ok(Array.isArray(parseResultText(input, { invalidLines: 'skip' })));
      }),
      { numRuns: 500 },
    );
  });
});
