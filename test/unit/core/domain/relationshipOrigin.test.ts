import * as assert from 'node:assert/strict';
import { relationshipOrigin } from '../../../../src/core/domain/relationshipOrigin';

describe('relationshipOrigin', () => {
  it('recognises the Microsoft-led transition (MLT_<guid>)', () => {
    assert.deepEqual(relationshipOrigin('MLT_73bf8dde-8273-4a6d-9c2b-0d1f6e7a8b9c'), {
      origin: 'microsoftLedTransition',
      label: 'Microsoft-led transition',
    });
    // The emulator cuts names at 40 characters (a relationship name limit), which cuts the GUID too.
    assert.equal(relationshipOrigin('MLT_73bf8dde-8273-4a6d-9c2b-0d1f6e7a').origin, 'microsoftLedTransition');
  });

  it('recognises CIPP, Lighthouse and Microsoft default relationships', () => {
    assert.deepEqual(relationshipOrigin('CIPP_a1b2c3d4-0000-4000-8000-000000000001'), { origin: 'cipp', label: 'CIPP' });
    assert.deepEqual(relationshipOrigin('LHSetup_Contoso_20240101'), { origin: 'lighthouse', label: 'Microsoft 365 Lighthouse' });
    assert.deepEqual(relationshipOrigin('Default_Contoso_Fabrikam'), { origin: 'microsoftDefault', label: 'Microsoft default' });
    assert.equal(relationshipOrigin('Default').origin, 'microsoftDefault');
  });

  it('ignores case and surrounding spaces, and takes "-" as the separator too', () => {
    assert.equal(relationshipOrigin('  mlt_abc ').origin, 'microsoftLedTransition');
    assert.equal(relationshipOrigin('cipp-1234').origin, 'cipp');
    assert.equal(relationshipOrigin('lhsetup_x').origin, 'lighthouse');
  });

  it("leaves a partner's own names alone, also ones that merely start with the same word", () => {
    for (const name of ['Contoso - Helpdesk', 'Default support', 'Defaults_2024', 'Lighthouse team', 'MLTS_1', 'CIPPX_1', 'My MLT_1', '']) {
      assert.deepEqual(relationshipOrigin(name), { origin: null, label: '' }, name);
    }
    assert.deepEqual(relationshipOrigin(null), { origin: null, label: '' });
    assert.deepEqual(relationshipOrigin(undefined), { origin: null, label: '' });
  });
});
