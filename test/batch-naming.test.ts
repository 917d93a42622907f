import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isMediaKey } from '../src/activities/media-keys';
import { outputKeyFor, outputTemplateProblems } from '../src/workflows/transcribe-batch/naming';

describe('batch output naming', () => {
  it('fills every placeholder', () => {
    assert.equal(outputKeyFor('asr/{key}.{ext}', 'a/b/c.wav', 'txt'), 'asr/a/b/c.wav.txt');
    assert.equal(outputKeyFor('t/{dir}{stem}.{ext}', 'a/b/c.wav', 'srt'), 't/a/b/c.srt');
    assert.equal(outputKeyFor('{stem}.{ext}', 'noext', 'txt'), 'noext.txt');
    assert.equal(outputKeyFor('{dir}{stem}', '.hidden', 'txt'), '.hidden');
  });

  it('maps distinct keys to distinct outputs under the default template', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), (a, b) => {
        fc.pre(a !== b);
        assert.notEqual(outputKeyFor('asr/{key}.{ext}', a, 'txt'), outputKeyFor('asr/{key}.{ext}', b, 'txt'));
      }),
    );
  });

  it('reports unknown placeholders and templates that would collide', () => {
    assert.deepEqual(outputTemplateProblems('asr/{key}.{ext}'), []);
    assert.equal(outputTemplateProblems('asr/{name}.{ext}').length, 2);
    assert.match(outputTemplateProblems('asr/out.txt')[0]!, /\{key\} or \{stem\}/);
  });

  it('recognises media keys by extension and skips folders', () => {
    const exts = ['wav', 'mp3'];
    assert.equal(isMediaKey('a/b.WAV', exts), true);
    assert.equal(isMediaKey('a/b.txt', exts), false);
    assert.equal(isMediaKey('a/', exts), false);
    assert.equal(isMediaKey('a/.wav', exts), false);
  });
});
