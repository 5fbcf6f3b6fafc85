import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { compareNames, prepareNameOrder } from '../../../../src/core/domain/nameOrder';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');

describe('name order', () => {
  it('is blind to case and accents and reads numbers by value, whatever the machine locale', () => {
    prepareNameOrder();
    const names = ['contoso 10', 'Contoso 2', 'Älpha', 'alpha', 'Beta', 'contoso 1'];
    assert.deepEqual([...names].sort(compareNames), ['Älpha', 'alpha', 'Beta', 'contoso 1', 'Contoso 2', 'contoso 10']);
    assert.equal(compareNames('FABRIKAM', 'fabrikam'), 0);
    assert.ok(compareNames('Tenant 9', 'Tenant 10') < 0);
  });

  it('loading the command line and the access insight makes no ICU collator or segmenter (≈ 20 ms at start-up)', () => {
    const modules = [
      'src/cli/run.ts',
      'src/cli/table.ts',
      'src/core/actions/inventory.ts',
      'src/core/insight/accessMatrix.ts',
      'src/core/insight/accessRows.ts',
      'src/core/insight/doctor.ts',
    ];
    const probe = [
      'const made = [];',
      "for (const k of ['Collator', 'Segmenter']) {",
      '  const C = Intl[k];',
      '  Intl[k] = new Proxy(C, { construct(t, a) { made.push(k); return Reflect.construct(t, a); } });',
      '}',
      `for (const m of ${JSON.stringify(modules)}) require(require('path').resolve(m));`,
      'process.stdout.write(JSON.stringify(made));',
    ].join('\n');
    const r = spawnSync(process.execPath, ['-r', './test/unit/register.cjs', '-e', probe], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), []);
  });
});
