import * as assert from 'node:assert/strict';
import { templateApplyRefusal } from '../../../src/core/templates/applyGate';

describe('applying a template: Restricted Mode and read-only', () => {
  it('refuses in an untrusted workspace (Restricted Mode), whatever the read-only setting', () => {
    assert.equal(templateApplyRefusal({ workspaceTrusted: false, readOnly: false }), 'restrictedMode');
    assert.equal(templateApplyRefusal({ workspaceTrusted: false, readOnly: true }), 'restrictedMode');
  });

  it('refuses when read-only in a trusted workspace, and allows otherwise', () => {
    assert.equal(templateApplyRefusal({ workspaceTrusted: true, readOnly: true }), 'readOnly');
    assert.equal(templateApplyRefusal({ workspaceTrusted: true, readOnly: false }), undefined);
  });
});
