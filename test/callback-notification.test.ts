import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CallbackPayloadError, parseJsonNotification, parseXmlNotification } from '../src/callback/notification';
import { xmlNotification } from './fixtures/receiver-helpers';

function problem(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof CallbackPayloadError);
    assert.equal(err.name, 'CallbackPayloadError');
    return err.problem;
  }
  assert.fail('expected a CallbackPayloadError');
}

describe('callback notification parsing', () => {
  it('reads job id, state, code, message and result fields from CI XML', () => {
    const [n, ...rest] = parseXmlNotification(
      xmlNotification([{ jobId: 's1', state: 'Success', code: 'Success', message: '' }]),
    );
    assert.equal(rest.length, 0);
    assert.deepEqual(n, {
      jobId: 's1',
      state: 'Success',
      code: 'Success',
      result: { objectName: 'out.txt', audioTime: '3.5' },
    });
  });

  it('reads repeated JobsDetail elements as separate notifications', () => {
    const list = parseXmlNotification(
      xmlNotification([
        { jobId: 'a', state: 'Failed', code: 'E1', message: 'x & y' },
        { jobId: 'b', state: 'Cancel' },
      ]),
    );
    assert.deepEqual(
      list.map((n) => [n.jobId, n.state, n.code, n.message]),
      [
        ['a', 'Failed', 'E1', 'x & y'],
        ['b', 'Cancel', 'Success', undefined],
      ],
    );
  });

  it('reads JSON with object or array JobsDetail, string or number leaves, with or without Response', () => {
    const detail = {
      JobId: 42,
      State: 'Running',
      Code: 7,
      Message: 'm',
      Operation: { SpeechRecognitionResult: { AudioTime: 1.5 } },
    };
    const expected = { jobId: '42', state: 'Running', code: '7', message: 'm', result: { audioTime: '1.5' } };
    for (const doc of [
      { JobsDetail: detail },
      { JobsDetail: [detail] },
      { Response: { EventName: 'TaskFinish', JobsDetail: detail } },
      { Response: { JobsDetail: [detail] } },
    ]) {
      assert.deepEqual(parseJsonNotification(JSON.stringify(doc)), [expected]);
    }
  });

  it('refuses DOCTYPE and ENTITY declarations before parsing', () => {
    assert.equal(
      problem(() => parseXmlNotification('<!DOCTYPE x><Response/>')),
      'doctype',
    );
    assert.equal(
      problem(() => parseXmlNotification('<Response><!ENTITY a "b"></Response>')),
      'doctype',
    );
  });

  it('decodes only predefined entities and character references, one character each', () => {
    const xml =
      '<Response><JobsDetail><JobId>j</JobId><State>Failed</State><Message>&lt;&amp;&#x41;&#66;&nbsp;&x;</Message></JobsDetail></Response>';
    assert.equal(parseXmlNotification(xml)[0]?.message, '<&AB&nbsp;&x;');
  });

  it('classifies malformed bodies and missing fields', () => {
    assert.equal(
      problem(() => parseXmlNotification('<Response><JobsDetail></Response>')),
      'malformed',
    );
    assert.equal(
      problem(() => parseXmlNotification('')),
      'malformed',
    );
    assert.equal(
      problem(() => parseJsonNotification('{')),
      'malformed',
    );
    assert.equal(
      problem(() => parseJsonNotification('"x"')),
      'missing-fields',
    );
    assert.equal(
      problem(() => parseJsonNotification('{"JobsDetail":{"State":"Success"}}')),
      'missing-fields',
    );
    assert.equal(
      problem(() => parseJsonNotification('{"JobsDetail":{"JobId":"j","State":"success"}}')),
      'missing-fields',
    );
    assert.equal(
      problem(() => parseJsonNotification('{"JobsDetail":{"JobId":{},"State":"Success"}}')),
      'missing-fields',
    );
    assert.equal(
      problem(() => parseJsonNotification('{"JobsDetail":[]}')),
      'missing-fields',
    );
    assert.equal(
      problem(() => parseJsonNotification(`{"JobsDetail":${'['.repeat(100_000)}`)),
      'malformed',
    );
  });

  it('refuses deeply nested XML', () => {
    const deep = `<Response>${'<a>'.repeat(500)}${'</a>'.repeat(500)}</Response>`;
    assert.ok(['malformed', 'missing-fields'].includes(problem(() => parseXmlNotification(deep))));
  });
});
