import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

describe('bin/app.ts run by the cdk CLI', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'feedwatch-cdk-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('refuses an unknown -c key in one line, before synth, naming none of the keys the CLI adds', () => {
    const cdk = join('node_modules', '.bin', 'cdk');

    const run = spawnSync(cdk, ['synth', '-q', '-o', outdir, '-c', 'alertEmial=me@example.com'], {
      encoding: 'utf8',
    });

    expect(run.status).toBe(1);
    const lines = run.stderr.split('\n');
    expect(lines[0]).toBe(
      'feedwatch: unknown context key "alertEmial" (did you mean alertEmail?); known keys: alertEmail, alertSms, alertWatches, subscriptions, schedule, operatorEmail, smsSpendAlarmUsd, allowPrivateNetwork, feedsPerMessage',
    );
    expect(lines.filter((line) => /^\s+at /.test(line))).toEqual([]);
  });
});
