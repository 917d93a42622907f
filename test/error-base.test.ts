import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { CallbackPayloadError } from '../src/callback/notification';
import { CiError, CiResponseError, CiValidationError } from '../src/ci/errors';
import { TranscriptParseError } from '../src/ci/result/segment';
import { InvalidWorkflowInputError } from '../src/client/errors';
import { ApiError } from '../src/emulator/errors';
import { InvalidFaultConfigError } from '../src/emulator/faults';
import { InvalidTransitionError } from '../src/emulator/job-lifecycle';
import { StateFileError } from '../src/emulator/persistence';
import { MalformedXmlError } from '../src/emulator/xml';
import { TencentCiAsrError } from '../src/index';

const SRC = resolve(__dirname, '..', 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('TencentCiAsrError', () => {
  const instances: [string, Error][] = [
    ['CiError', new CiError({ action: 'get', target: 'j1', code: 'X', retryable: false, outcomeUnknown: false })],
    ['CiResponseError', new CiResponseError('bad body')],
    ['CiValidationError', new CiValidationError('thing', [{ path: 'a', message: 'b' }])],
    ['TranscriptParseError', new TranscriptParseError('bad line', 3)],
    ['CallbackPayloadError', new CallbackPayloadError('bad', 'malformed')],
    ['InvalidWorkflowInputError', new InvalidWorkflowInputError('transcribeMedia', ['p'])],
    ['ApiError', new ApiError(400, 'InvalidArgument', 'bad')],
    ['InvalidFaultConfigError', new InvalidFaultConfigError('bad')],
    ['InvalidTransitionError', new InvalidTransitionError('bad')],
    ['StateFileError', new StateFileError('bad')],
    ['MalformedXmlError', new MalformedXmlError('bad')],
  ];

  for (const [name, err] of instances) {
    it(`${name} extends it, with name set explicitly`, () => {
      assert.ok(err instanceof TencentCiAsrError);
      assert.ok(err instanceof Error);
      assert.equal(err.name, name);
      assert.ok(Object.hasOwn(err, 'name'), 'name is an own field, not read from the prototype chain');
    });
  }

  it('is the base of every error class in the CI, COS, callback, client and emulator modules', () => {
    const files = [
      ...['ci', 'cos', 'callback', 'client', 'emulator', 'config', 'cli', 'receiver'].map((dir) => join(SRC, dir)),
      join(SRC, '..', 'devstack'),
    ].flatMap(sourceFiles);
    const offenders = files.flatMap((f) =>
      [...readFileSync(f, 'utf8').matchAll(/class (\w+) extends (\w+)/g)]
        .filter((m) => m[2] !== 'TencentCiAsrError' && /Error$/.test(m[2]!))
        .map((m) => `${relative(SRC, f)}: ${m[1]} extends ${m[2]}`),
    );
    assert.deepEqual(offenders, []);
    assert.ok(files.length > 30, 'the scan reads the modules');
  });
});
